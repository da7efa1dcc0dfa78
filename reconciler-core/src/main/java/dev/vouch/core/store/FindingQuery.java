package dev.vouch.core.store;

import dev.vouch.core.model.Verdict;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Filters for listing findings. Start from {@link #newest(int)} and narrow it with the {@code
 * with...} methods, so that two times or two names can never be swapped silently.
 *
 * @param verdicts only these verdicts, or any when empty
 * @param system only this logical system, or any when null
 * @param since only changes that happened at or after this time, or from the beginning when null
 * @param until only changes that happened before this time (exclusive, like a run's window), or up
 *     to now when null
 * @param limit at most this many, newest change first
 * @param untriaged only changes that have no triage action
 */
public record FindingQuery(
    Set<Verdict> verdicts,
    @Nullable String system,
    @Nullable Instant since,
    @Nullable Instant until,
    int limit,
    boolean untriaged) {

  /** A query over every change, triaged or not. */
  public FindingQuery(
      Set<Verdict> verdicts,
      @Nullable String system,
      @Nullable Instant since,
      @Nullable Instant until,
      int limit) {
    this(verdicts, system, since, until, limit, false);
  }

  public FindingQuery {
    verdicts = Set.copyOf(verdicts);
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    if (since != null && until != null && !since.isBefore(until)) {
      throw new IllegalArgumentException(
          "since (" + since + ") must be before until (" + until + ")");
    }
  }

  /** Every finding, at most {@code limit} of them, newest change first. */
  public static FindingQuery newest(int limit) {
    return new FindingQuery(Set.of(), null, null, null, limit, false);
  }

  /** This query limited to these verdicts; an empty collection means any verdict. */
  public FindingQuery withVerdicts(Collection<Verdict> only) {
    return new FindingQuery(Set.copyOf(only), system, since, until, limit, untriaged);
  }

  /** This query limited to one system. */
  public FindingQuery withSystem(String only) {
    return new FindingQuery(
        verdicts, Objects.requireNonNull(only, "system"), since, until, limit, untriaged);
  }

  /** This query limited to changes that happened at or after {@code time}. */
  public FindingQuery withSince(Instant time) {
    return new FindingQuery(
        verdicts, system, Objects.requireNonNull(time, "since"), until, limit, untriaged);
  }

  /** This query limited to changes that happened before {@code time}. */
  public FindingQuery withUntil(Instant time) {
    return new FindingQuery(
        verdicts, system, since, Objects.requireNonNull(time, "until"), limit, untriaged);
  }

  /** This query limited to changes no triage action has been taken on. */
  public FindingQuery withoutTriage() {
    return new FindingQuery(verdicts, system, since, until, limit, true);
  }
}
