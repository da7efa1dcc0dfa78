package dev.vouch.core.run;

import dev.vouch.core.model.EventClass;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.spi.InputProblem;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one reconciliation run.
 *
 * @param runId the store's id of the run
 * @param window the window of change that was reconciled
 * @param startedAt when the run started
 * @param finishedAt when it finished
 * @param status COMPLETE, or INCOMPLETE when a source failed
 * @param sources per-source outcome
 * @param verdicts number of findings per verdict (every verdict present, zero included)
 * @param population observations examined in the window per class, changes included
 * @param newEvents change events stored for the first time by this run
 * @param rejectedInputs input rejected as unusable, over all sources
 * @param problems the first rejected inputs, for the report (the count above is complete)
 * @param configSha256 hash of the configuration the run used
 * @param rulesSha256 hash of the effective rule set
 * @param resultSha256 hash over the findings (event, verdict, record), so re-runs can be compared
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
    String resultSha256) {

  public RunSummary {
    sources = List.copyOf(sources);
    verdicts = Map.copyOf(verdicts);
    population = Map.copyOf(population);
    problems = List.copyOf(problems);
  }

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
}
