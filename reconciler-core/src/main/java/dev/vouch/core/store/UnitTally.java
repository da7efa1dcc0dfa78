package dev.vouch.core.store;

import dev.vouch.core.model.EventClass;
import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The counts of one unit of input (see {@link dev.vouch.core.spi.UnitSink}): its observations that
 * are not changes, per system, UTC day and class.
 *
 * @param unitKey the unit's stable name within its source
 * @param contentSha256 the hex SHA-256 of its content
 * @param counts observations per system, day and class; sorted, so that the unit's stored form and
 *     hash do not depend on the order its observations came in
 */
public record UnitTally(String unitKey, String contentSha256, Map<Key, Long> counts) {

  /** What one count is of. {@code system} is null for observations that map to no system. */
  public record Key(@Nullable String system, LocalDate day, EventClass eventClass)
      implements Comparable<Key> {

    @Override
    public int compareTo(Key other) {
      int bySystem =
          Objects.compare(
              system,
              other.system,
              java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder()));
      if (bySystem != 0) {
        return bySystem;
      }
      int byDay = day.compareTo(other.day);
      return byDay != 0 ? byDay : eventClass.compareTo(other.eventClass);
    }
  }

  public UnitTally {
    Objects.requireNonNull(unitKey, "unitKey");
    Objects.requireNonNull(contentSha256, "contentSha256");
    counts = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(counts));
  }

  /** Every observation counted. */
  public long observations() {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }
}
