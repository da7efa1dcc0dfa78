package dev.vouch.core.store;

import java.time.LocalDate;
import java.util.Objects;

/**
 * What one source read of one partition on one UTC day, in one run (or summed over runs).
 *
 * @param source the configured source name
 * @param partition the partition ({@link dev.vouch.core.model.Coordinates#partition()}), or {@code
 *     source:<name>} for the source as a whole
 * @param day the UTC day the observations occurred on
 * @param observations observations of every class read
 * @param provenComplete whether the source proved it read the partition in full for that day even
 *     if it held nothing (a git branch fetched to its head)
 * @param status the verdict on that day's coverage: {@code COMPLETE}, {@code PARTIAL} (the source
 *     did not read all its input), {@code FAILED} (the source failed) or {@code GAP} (expected data
 *     did not arrive); {@code SUM} for totals over runs
 */
public record PartitionDay(
    String source,
    String partition,
    LocalDate day,
    long observations,
    boolean provenComplete,
    String status) {
  public PartitionDay {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(partition, "partition");
    Objects.requireNonNull(day, "day");
    Objects.requireNonNull(status, "status");
  }
}
