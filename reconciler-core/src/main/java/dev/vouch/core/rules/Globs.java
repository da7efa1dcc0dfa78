package dev.vouch.core.rules;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The patterns of the configuration: case-insensitive globs where {@code *} matches any run of
 * characters and {@code ?} one. Matched directly rather than through regular expressions, and
 * parsed once and cached, since rules match millions of events.
 */
public final class Globs {
  private static final Map<String, Glob> CACHE = new ConcurrentHashMap<>();

  private Globs() {}

  /** Whether the value matches any of the patterns; a null or empty value matches none. */
  public static boolean anyMatch(String value, Iterable<String> patterns) {
    if (value == null || value.isEmpty()) {
      return false;
    }
    for (String pattern : patterns) {
      if (CACHE.computeIfAbsent(pattern, Glob::new).matches(value)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the whole value matches the pattern. */
  public static boolean matches(String pattern, String value) {
    return CACHE.computeIfAbsent(pattern, Glob::new).matches(value);
  }

  /** One parsed pattern. */
  private static final class Glob {
    private final String pattern;
    private final boolean literal;

    Glob(String pattern) {
      this.pattern = pattern;
      this.literal = pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0;
    }

    boolean matches(String value) {
      if (literal) {
        return pattern.equalsIgnoreCase(value);
      }
      // The classic linear wildcard match: on a mismatch after a '*', let that '*' take one more
      // character and try again from there.
      int p = 0;
      int v = 0;
      int star = -1;
      int resume = 0;
      while (v < value.length()) {
        if (p < pattern.length()
            && (pattern.charAt(p) == '?' || same(pattern.charAt(p), value.charAt(v)))
            && pattern.charAt(p) != '*') {
          p++;
          v++;
        } else if (p < pattern.length() && pattern.charAt(p) == '*') {
          star = p++;
          resume = v;
        } else if (star >= 0) {
          p = star + 1;
          v = ++resume;
        } else {
          return false;
        }
      }
      while (p < pattern.length() && pattern.charAt(p) == '*') {
        p++;
      }
      return p == pattern.length();
    }

    /** Characters equal ignoring case, as {@link String#equalsIgnoreCase} compares them. */
    private static boolean same(char a, char b) {
      if (a == b) {
        return true;
      }
      char upperA = Character.toUpperCase(a);
      char upperB = Character.toUpperCase(b);
      return upperA == upperB || Character.toLowerCase(upperA) == Character.toLowerCase(upperB);
    }
  }
}
