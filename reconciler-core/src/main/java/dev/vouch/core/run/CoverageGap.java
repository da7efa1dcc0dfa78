package dev.vouch.core.run;

import java.time.LocalDate;
import java.util.Objects;

/**
 * A day of the window for which an expected source partition delivered nothing: its changes, if
 * any, are unseen, so the run cannot say that nothing unauthorized happened on that day.
 *
 * @param partition the partition, such as {@code aws:111122223333/eu-west-1}, {@code
 *     kubernetes:prod-eu} or {@code source:org-trail} (a source that delivered nothing at all)
 * @param day the UTC day
 * @param reason why the partition was expected and what was missing
 */
public record CoverageGap(String partition, LocalDate day, String reason) {
  public CoverageGap {
    Objects.requireNonNull(partition, "partition");
    Objects.requireNonNull(day, "day");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public String toString() {
    return partition + " on " + day + ": " + reason;
  }
}
