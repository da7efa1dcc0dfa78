package dev.vouch.core.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** A closed-open span of time, {@code [start, end)} unless a method says otherwise. */
public record TimeWindow(Instant start, Instant end) {
  public TimeWindow {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (end.isBefore(start)) {
      throw new IllegalArgumentException("window end " + end + " is before its start " + start);
    }
  }

  /** True when {@code start <= t < end}. */
  public boolean contains(Instant t) {
    return !t.isBefore(start) && t.isBefore(end);
  }

  /** True when {@code start <= t <= end}: change windows are inclusive at both ends. */
  public boolean containsInclusive(Instant t) {
    return !t.isBefore(start) && !t.isAfter(end);
  }

  public TimeWindow widen(Duration before, Duration after) {
    return new TimeWindow(start.minus(before), end.plus(after));
  }

  public Duration length() {
    return Duration.between(start, end);
  }

  @Override
  public String toString() {
    return start + "/" + end;
  }
}
