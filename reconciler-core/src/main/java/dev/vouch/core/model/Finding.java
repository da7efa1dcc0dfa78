package dev.vouch.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The verdict on one change event, with the reasons behind it.
 *
 * @param eventKey the event's storage key ({@code sourceType:nativeId})
 * @param source the configured source name
 * @param system the logical system, or null when the event's coordinates map to none
 * @param occurredAt when the change happened
 * @param actor the actor's raw principal
 * @param person the resolved person, or null
 * @param action what was done
 * @param verdict the verdict
 * @param recordId the record the verdict rests on, or null
 * @param ruleId the rule that decided (exclusion, standard change), or null
 * @param risks risk categories that rules flagged (logging, iam, network, ...)
 * @param summary one sentence saying why
 * @param candidates every record considered, with per-key results
 * @param evidence the explicit references found in the event and other facts used
 * @param via the principals the change was made through (a Kubernetes impersonator), who carried it
 *     out too
 */
public record Finding(
    String eventKey,
    String source,
    @Nullable String system,
    Instant occurredAt,
    String actor,
    @Nullable String person,
    String action,
    Verdict verdict,
    @Nullable String recordId,
    @Nullable String ruleId,
    List<String> risks,
    String summary,
    List<CandidateEvaluation> candidates,
    List<String> evidence,
    List<String> via) {
  public Finding {
    Objects.requireNonNull(eventKey, "eventKey");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(summary, "summary");
    risks = List.copyOf(risks);
    candidates = List.copyOf(candidates);
    evidence = List.copyOf(evidence);
    // Null-tolerant: findings stored before this field existed read back without it.
    via = via == null ? List.of() : List.copyOf(via);
  }

  /** This finding with more evidence lines after the ones it has. */
  public Finding withMoreEvidence(List<String> more) {
    List<String> all = new java.util.ArrayList<>(evidence);
    all.addAll(more);
    return new Finding(
        eventKey,
        source,
        system,
        occurredAt,
        actor,
        person,
        action,
        verdict,
        recordId,
        ruleId,
        risks,
        summary,
        candidates,
        all,
        via);
  }
}
