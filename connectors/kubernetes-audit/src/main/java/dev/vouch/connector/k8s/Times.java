package dev.vouch.connector.k8s;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Parses the times of audit events. */
final class Times {
  /**
   * RFC 3339 as the API server writes it ({@code 2023-09-01T15:37:02.744516Z}, {@code MicroTime};
   * seconds only in the legacy {@code timestamp}), with up to nine fractional digits. Exports
   * (Panther) write a space for the {@code T} and no zone ({@code 2024-11-13 18:34:10.595141000});
   * a time without a zone is UTC, as every audit time is.
   */
  private static final Pattern TIME =
      Pattern.compile(
          "(\\d{4}-\\d{2}-\\d{2})[Tt ](\\d{2}:\\d{2}(?::\\d{2}(?:[.,]\\d{1,9})?)?)"
              + "\\s*([Zz]|UTC|[+-]\\d{2}(?::?\\d{2})?)?");

  private Times() {}

  /** The instant, or null when the text is not a time. */
  static @Nullable Instant parse(String text) {
    Matcher matcher = TIME.matcher(text.trim());
    if (!matcher.matches()) {
      return null;
    }
    String zone = matcher.group(3);
    if (zone == null || zone.equalsIgnoreCase("Z") || zone.equals("UTC")) {
      zone = "Z";
    } else {
      String digits = zone.substring(1).replace(":", "");
      zone =
          zone.charAt(0)
              + digits.substring(0, 2)
              + ":"
              + (digits.length() > 2 ? digits.substring(2) : "00");
    }
    try {
      return OffsetDateTime.parse(
              matcher.group(1) + "T" + matcher.group(2).replace(',', '.') + zone)
          .toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
