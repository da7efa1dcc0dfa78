package dev.vouch.core.store;

import dev.vouch.core.model.Verdict;
import org.jspecify.annotations.Nullable;

/**
 * A stored change whose latest finding still needs review, with that finding's verdict: what a run
 * evaluates again when the change records have changed since.
 *
 * @param stored the change, with the run that first stored it
 * @param runId the run that made the latest finding
 * @param verdict its verdict
 * @param recordId the record it matched, if any
 */
public record OpenFinding(
    StoredEvent stored, long runId, Verdict verdict, @Nullable String recordId) {}
