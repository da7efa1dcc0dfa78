package dev.vouch.core.store;

import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.EventClass;
import dev.vouch.core.model.Seen;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A stored change event with what the store knows about it: when it was first seen, and the other
 * records delivered under the same event id with different content.
 *
 * @param event the event as first stored
 * @param firstSeen the run that first stored it
 * @param conflicts the other versions of the same event id, oldest first; empty when every delivery
 *     was identical
 */
public record StoredEvent(ChangeEvent event, Seen firstSeen, List<Conflict> conflicts) {
  public StoredEvent {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(firstSeen, "firstSeen");
    conflicts = List.copyOf(conflicts);
  }

  /**
   * Another record delivered under the event's id with different content.
   *
   * @param eventClass what that record was classified as
   * @param event that record, or null when it was only counted (a read-only or failed observation
   *     stored before the change arrived: only its class was kept)
   * @param rawSha256 the SHA-256 of its raw payload, or null when it was only counted
   * @param firstSeen the run that delivered it
   */
  public record Conflict(
      EventClass eventClass,
      @Nullable ChangeEvent event,
      @Nullable String rawSha256,
      Seen firstSeen) {}
}
