package dev.vouch.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * When Vouch first had a piece of evidence: the run that stored it and when that run started. Runs
 * are numbered in the order they start, so run ids order what Vouch learnt when.
 *
 * @param runId the run that first stored it
 * @param at when that run started
 */
public record Seen(long runId, Instant at) {
  public Seen {
    Objects.requireNonNull(at, "at");
  }
}
