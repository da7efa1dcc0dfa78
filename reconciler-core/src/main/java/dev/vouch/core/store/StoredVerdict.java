package dev.vouch.core.store;

import dev.vouch.core.model.Verdict;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What a run's summary needs of one stored finding: the values its result hash covers, and what the
 * summary counts.
 *
 * @param eventKey the event's key
 * @param occurredAt when the change happened
 * @param verdict the verdict
 * @param recordId the matched record, if any
 * @param ruleId the deciding rule, if any
 * @param actor the actor as the source named it
 * @param person the person the actor resolved to, or null
 * @param late whether the change was a late delivery the run stored first
 */
public record StoredVerdict(
    String eventKey,
    Instant occurredAt,
    Verdict verdict,
    @Nullable String recordId,
    @Nullable String ruleId,
    String actor,
    @Nullable String person,
    boolean late) {}
