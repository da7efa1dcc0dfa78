package dev.vouch.connector.k8s;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses sizes written like {@code 10MB}, {@code 512KB}, {@code 1GiB} or a number of bytes. */
final class Sizes {
  private static final Pattern SIZE =
      Pattern.compile("(\\d{1,12})\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?", Pattern.CASE_INSENSITIVE);

  private Sizes() {}

  /**
   * The number of bytes; units are binary ({@code KB} = 1024 bytes, {@code MB} = 1024 KB), as the
   * API server's own limits are ({@code --audit-webhook-truncate-max-batch-size} = 10485760).
   *
   * @throws IllegalArgumentException when the text is not a size
   */
  static long parse(String text) {
    Matcher matcher = SIZE.matcher(text.strip());
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a size; write it like 10MB, 512KB or 1048576");
    }
    long amount = Long.parseLong(matcher.group(1));
    String unit = matcher.group(2) == null ? "b" : matcher.group(2).toLowerCase(Locale.ROOT);
    long multiplier =
        switch (unit.charAt(0)) {
          case 'k' -> 1L << 10;
          case 'm' -> 1L << 20;
          case 'g' -> 1L << 30;
          default -> 1L;
        };
    return Math.multiplyExact(amount, multiplier);
  }

  /** A size in the largest unit that divides it. */
  static String format(long bytes) {
    if (bytes > 0 && bytes % (1L << 30) == 0) {
      return bytes / (1L << 30) + "GB";
    }
    if (bytes > 0 && bytes % (1L << 20) == 0) {
      return bytes / (1L << 20) + "MB";
    }
    if (bytes > 0 && bytes % (1L << 10) == 0) {
      return bytes / (1L << 10) + "KB";
    }
    return bytes + " bytes";
  }
}
