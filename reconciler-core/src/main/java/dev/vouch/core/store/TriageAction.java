package dev.vouch.core.store;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One triage action on a change, as stored: appended, never edited. A later action on the same
 * change supersedes it as the change's current status; both stay in its history.
 *
 * @param id the store's id for the action, increasing in the order actions were appended
 * @param eventKey the change it is about ({@code sourceType:nativeId}, as on its findings)
 * @param decision what was decided
 * @param reason why, in the words of the person who acted; never blank
 * @param by the person who acted, as named in the configuration's identities
 * @param recordKey the change record that approves the change after the fact; set exactly when the
 *     decision is {@link TriageDecision#RETRO_APPROVED}
 * @param ticket the incident ticket; only for {@link TriageDecision#INCIDENT}, where it is optional
 * @param actedAt when the action was taken
 */
public record TriageAction(
    long id,
    String eventKey,
    TriageDecision decision,
    String reason,
    String by,
    @Nullable String recordKey,
    @Nullable String ticket,
    Instant actedAt) {
  public TriageAction {
    Objects.requireNonNull(eventKey, "eventKey");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(actedAt, "actedAt");
    // The same rules the database's checks hold, so a bad action fails where it is made.
    if (reason.isBlank()) {
      throw new IllegalArgumentException("a triage action needs a reason");
    }
    if (by.isBlank()) {
      throw new IllegalArgumentException("a triage action needs the person who took it");
    }
    if ((decision == TriageDecision.RETRO_APPROVED) != (recordKey != null)) {
      throw new IllegalArgumentException(
          decision == TriageDecision.RETRO_APPROVED
              ? "a retro-approval names the change record that approves the change"
              : "only a retro-approval names a change record, not " + decision.label());
    }
    if (ticket != null && decision != TriageDecision.INCIDENT) {
      throw new IllegalArgumentException(
          "only an incident carries a ticket, not " + decision.label());
    }
  }

  /** An action not yet stored (its id is 0), for {@link Store#appendTriage}. */
  public static TriageAction of(
      String eventKey,
      TriageDecision decision,
      String reason,
      String by,
      @Nullable String recordKey,
      @Nullable String ticket,
      Instant actedAt) {
    return new TriageAction(0, eventKey, decision, reason, by, recordKey, ticket, actedAt);
  }
}
