package dev.vouch.core.rules;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The patterns of the configuration: case-insensitive globs where {@code *} matches any run of
 * characters and {@code ?} one. Compiled once and cached, since rules match millions of events.
 */
public final class Globs {
  private static final Map<String, Pattern> CACHE = new ConcurrentHashMap<>();

  private Globs() {}

  /** The compiled pattern; the whole value must match. */
  public static Pattern compile(String pattern) {
    return CACHE.computeIfAbsent(
        pattern,
        p -> {
          StringBuilder regex = new StringBuilder();
          for (char c : p.toCharArray()) {
            switch (c) {
              case '*' -> regex.append(".*");
              case '?' -> regex.append('.');
              default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
          }
          return Pattern.compile(
              regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
        });
  }

  /** Whether the value matches any of the patterns; a null or empty value matches none. */
  public static boolean anyMatch(String value, Iterable<String> patterns) {
    if (value == null || value.isEmpty()) {
      return false;
    }
    for (String pattern : patterns) {
      if (compile(pattern).matcher(value).matches()) {
        return true;
      }
    }
    return false;
  }
}
