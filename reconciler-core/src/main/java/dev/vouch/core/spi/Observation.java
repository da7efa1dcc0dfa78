package dev.vouch.core.spi;

import dev.vouch.core.model.Coordinates;
import dev.vouch.core.model.EventClass;
import java.time.Instant;
import java.util.Objects;

/**
 * What Vouch keeps of an observation that is not a change: where and when it happened and its
 * class. Such observations are counted, per source, system, day and class, so a run can state the
 * whole population it examined; they are not stored one by one.
 *
 * @param nativeId the source's own id of the observation
 * @param occurredAt when it happened (UTC)
 * @param eventClass its class; never {@link EventClass#CHANGE}
 * @param coordinates where it happened, in the source's terms
 */
public record Observation(
    String nativeId, Instant occurredAt, EventClass eventClass, Coordinates coordinates) {

  public Observation {
    Objects.requireNonNull(nativeId, "nativeId");
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(eventClass, "eventClass");
    Objects.requireNonNull(coordinates, "coordinates");
    if (eventClass == EventClass.CHANGE) {
      throw new IllegalArgumentException(
          "a change is kept whole as a ChangeEvent, not counted as an observation");
    }
  }
}
