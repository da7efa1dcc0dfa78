package dev.vouch.core.spi;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the short duration form used in the configuration: {@code 30m}, {@code 72h}, {@code 2d}.
 */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d|w)");

  private Durations() {}

  public static Duration parse(String text) {
    String trimmed = text.trim();
    Matcher matcher = SHORT.matcher(trimmed);
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      return switch (matcher.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        case "d" -> Duration.ofDays(amount);
        case "w" -> Duration.ofDays(7 * amount);
        default -> throw new IllegalStateException("unreachable");
      };
    }
    try {
      return Duration.parse(trimmed);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration; write it like 30m, 72h, 2d or PT1H");
    }
  }

  /** Formats a duration in the short form when it is a whole number of one unit. */
  public static String format(Duration duration) {
    long seconds = duration.getSeconds();
    if (seconds != 0 && duration.getNano() == 0) {
      if (seconds % 86400 == 0) {
        return seconds / 86400 + "d";
      }
      if (seconds % 3600 == 0) {
        return seconds / 3600 + "h";
      }
      if (seconds % 60 == 0) {
        return seconds / 60 + "m";
      }
      return seconds + "s";
    }
    return duration.toString();
  }
}
