package dev.vouch.connector.cloudtrail;

import dev.vouch.core.model.TimeWindow;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The delivery times of the log files that can hold events of a window.
 *
 * <p>CloudTrail's {@code YYYY/MM/DD} folders and the {@code YYYYMMDDTHHmmZ} stamp in its file names
 * record when a file was delivered, not when its events happened; a file holds events from before
 * its delivery, sometimes long before. So a window {@code [start, end)} needs the files delivered
 * from the day before {@code start}'s day (clock skew and files that straddle midnight) up to
 * {@code end + lateDelivery}. Files delivered earlier cannot hold its events; files delivered later
 * hold only events that arrived later than the configured tolerance.
 *
 * @param firstDay the first delivery day to read (UTC)
 * @param last the last delivery time to read, inclusive
 */
record DeliveryRange(LocalDate firstDay, Instant last) {
  /** Keeps the arithmetic inside what {@link LocalDate} can represent. */
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  static DeliveryRange of(TimeWindow window, Duration lateDelivery) {
    LocalDate firstDay = LocalDate.ofInstant(window.start(), ZoneOffset.UTC).minusDays(1);
    Instant last;
    try {
      last = window.end().plus(lateDelivery);
    } catch (DateTimeException | ArithmeticException e) {
      last = LATEST;
    }
    if (last.isAfter(LATEST)) {
      last = LATEST;
    }
    return new DeliveryRange(firstDay, last);
  }

  LocalDate lastDay() {
    return LocalDate.ofInstant(last, ZoneOffset.UTC);
  }

  /** Whether a file in this day's folder may hold events of the window. */
  boolean includes(LocalDate deliveryDay) {
    return !deliveryDay.isBefore(firstDay) && !deliveryDay.isAfter(lastDay());
  }

  /** Whether a file delivered at this time (from its name) may hold events of the window. */
  boolean includes(Instant deliveredAt) {
    return !deliveredAt.isBefore(firstDay.atStartOfDay(ZoneOffset.UTC).toInstant())
        && !deliveredAt.isAfter(last);
  }

  /** Whether any day of {@code [from, to]} lies in the range (for skipping whole folders). */
  boolean overlaps(LocalDate from, LocalDate to) {
    return !to.isBefore(firstDay) && !from.isAfter(lastDay());
  }

  @Override
  public String toString() {
    return firstDay + ".." + last;
  }
}
