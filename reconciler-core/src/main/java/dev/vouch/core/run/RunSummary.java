package dev.vouch.core.run;

import dev.vouch.core.model.EventClass;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.spi.InputProblem;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one reconciliation run.
 *
 * @param runId the store's id of the run
 * @param window the window of change that was reconciled
 * @param startedAt when the run started
 * @param finishedAt when it finished
 * @param status COMPLETE; INCOMPLETE when a source failed, was not read to the end or a partition
 *     delivered nothing for a day; INTERRUPTED when the run never finished
 * @param sources per-source outcome
 * @param verdicts number of findings per verdict (every verdict present, zero included)
 * @param population observations examined in the window per class, changes included
 * @param newEvents change events stored for the first time by this run
 * @param rejectedInputs input rejected as unusable, over all sources
 * @param problems the first rejected inputs, for the report (the count above is complete)
 * @param configSha256 hash of the configuration the run used
 * @param rulesSha256 hash of the effective rule set
 * @param resultSha256 hash over the findings (event, verdict, record), so re-runs can be compared
 * @param gaps the days on which an expected partition delivered nothing
 * @param notes what the run decided about its own window and the runs before it, in words (a window
 *     end capped at now minus the settle time, an interrupted run found and marked)
 * @param lateEvents change events of days before the window, first delivered in this run and
 *     matched by it, counted per the UTC day they belong to
 * @param chainSha256 the head of the store's hash chain after this run, or null before the run was
 *     finished; keep it outside the store to detect later edits ({@code vouch verify})
 */
public record RunSummary(
    long runId,
    TimeWindow window,
    Instant startedAt,
    Instant finishedAt,
    RunStatus status,
    List<SourceOutcome> sources,
    Map<Verdict, Long> verdicts,
    Map<EventClass, Long> population,
    long newEvents,
    long rejectedInputs,
    List<InputProblem> problems,
    String configSha256,
    String rulesSha256,
    String resultSha256,
    List<CoverageGap> gaps,
    List<String> notes,
    Map<LocalDate, Long> lateEvents,
    @Nullable String chainSha256,
    UnresolvedActors unresolvedActors) {

  public RunSummary {
    sources = List.copyOf(sources);
    verdicts = Map.copyOf(verdicts);
    population = Map.copyOf(population);
    problems = List.copyOf(problems);
    // Null-tolerant: summaries stored before these fields existed read back as empty.
    gaps = gaps == null ? List.of() : List.copyOf(gaps);
    notes = notes == null ? List.of() : List.copyOf(notes);
    lateEvents =
        lateEvents == null
            ? Map.of()
            : Collections.unmodifiableSortedMap(new TreeMap<>(lateEvents));
    unresolvedActors = unresolvedActors == null ? UnresolvedActors.NONE : unresolvedActors;
  }

  /**
   * Changes whose actor resolved to no configured person.
   *
   * @param changes how many changes in review scope (not excluded by a rule) had such an actor
   * @param top the actors with the most such changes, most first, at most {@link #TOP}
   */
  public record UnresolvedActors(long changes, List<ActorCount> top) {
    public static final int TOP = 10;
    public static final UnresolvedActors NONE = new UnresolvedActors(0, List.of());

    public UnresolvedActors {
      top = top == null ? List.of() : List.copyOf(top);
    }
  }

  /** An actor (its raw principal) and how many changes it made. */
  public record ActorCount(String actor, long changes) {}

  public long findings() {
    return verdicts.values().stream().mapToLong(Long::longValue).sum();
  }

  public long needingReview() {
    return verdicts.entrySet().stream()
        .filter(e -> e.getKey().needsReview())
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  public long count(Verdict verdict) {
    return verdicts.getOrDefault(verdict, 0L);
  }

  /** Late events over all days. */
  public long lateEventCount() {
    return lateEvents.values().stream().mapToLong(Long::longValue).sum();
  }

  /** This summary with the hash-chain head the store computed when the run was finished. */
  public RunSummary withChain(@Nullable String chain) {
    return new RunSummary(
        runId,
        window,
        startedAt,
        finishedAt,
        status,
        sources,
        verdicts,
        population,
        newEvents,
        rejectedInputs,
        problems,
        configSha256,
        rulesSha256,
        resultSha256,
        gaps,
        notes,
        lateEvents,
        chain,
        unresolvedActors);
  }
}
