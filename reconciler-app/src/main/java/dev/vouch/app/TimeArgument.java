package dev.vouch.app;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;

/**
 * A time on the command line: an ISO-8601 instant ({@code 2026-11-17T09:00:00Z}), a time with an
 * offset ({@code 2026-11-17T10:00:00+01:00}), or a date ({@code 2026-11-17}, midnight UTC).
 */
final class TimeArgument implements CommandLine.ITypeConverter<Instant> {
  @Override
  public Instant convert(String value) {
    String text = value.trim();
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException notInstant) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException notOffset) {
        try {
          return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notDate) {
          throw new CommandLine.TypeConversionException(
              "'"
                  + value
                  + "' is not a time; write 2026-11-17T09:00:00Z, 2026-11-17T10:00:00+01:00 or"
                  + " 2026-11-17 (midnight UTC)");
        }
      }
    }
  }
}
