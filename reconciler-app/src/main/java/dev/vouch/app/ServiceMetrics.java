package dev.vouch.app;

import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.run.RunListener;
import dev.vouch.core.run.RunSummary;
import dev.vouch.core.run.SourceOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * What {@code vouch serve} tells Prometheus: runs by outcome, change events ingested per source,
 * findings by verdict, how far each source lags behind now (now minus the end of the last window in
 * which it was read in full), and how long each step of a run took. Metric names follow Prometheus'
 * conventions (base units, {@code _total} on counters), through Micrometer.
 */
final class ServiceMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Clock clock;
  private final Map<String, Instant> coveredUntil = new ConcurrentHashMap<>();
  private final AtomicInteger running = new AtomicInteger();

  ServiceMetrics(Clock clock) {
    this.clock = clock;
    Gauge.builder("vouch.run.active", running, AtomicInteger::get)
        .description("Reconciliation runs in progress in this process")
        .register(registry);
  }

  /** The text Prometheus scrapes. */
  String scrape() {
    return registry.scrape();
  }

  /** Times each step (phase) of one run; {@link #endPhase} closes the last one. */
  final class StepTimer implements RunListener {
    private @Nullable String phase;
    private long phaseStart;

    @Override
    public void phase(String description) {
      endPhase();
      phase = description.startsWith("ingest ") ? "ingest" : description;
      phaseStart = System.nanoTime();
    }

    void endPhase() {
      if (phase != null) {
        Timer.builder("vouch.step.duration")
            .description("Time each step of a reconciliation run took")
            .tag("step", phase)
            .register(registry)
            .record(Duration.ofNanos(System.nanoTime() - phaseStart));
        phase = null;
      }
    }
  }

  void runStarted() {
    running.incrementAndGet();
  }

  /** Records a finished (or interrupted) run. */
  void runEnded(String job, RunSummary summary, Duration took) {
    running.decrementAndGet();
    countRun(job, summary.status().name());
    Timer.builder("vouch.run.duration")
        .description("Time a whole reconciliation run took")
        .register(registry)
        .record(took);
    for (SourceOutcome source : summary.sources()) {
      if (source.kind() != SourceOutcome.Kind.CHANGES) {
        continue;
      }
      Counter.builder("vouch.events.ingested")
          .description("Observations read from each source of change (changes and those counted)")
          .tag("source", source.name())
          .register(registry)
          .increment(source.read());
    }
    coveredBy(summary);
    Counter.builder("vouch.changes.stored")
        .description("Change events stored for the first time")
        .register(registry)
        .increment(summary.newEvents());
    for (Verdict verdict : Verdict.values()) {
      long count = summary.count(verdict);
      Counter counter =
          Counter.builder("vouch.findings")
              .description("Findings written by runs, by verdict")
              .tag("verdict", verdict.name())
              .register(registry);
      if (count > 0) {
        counter.increment(count);
      }
    }
  }

  /** Records a firing that found nothing to reconcile (every settled hour is covered). */
  void runSkipped(String job) {
    countRun(job, "SKIPPED");
  }

  /** Records a firing that did not start because another reconciliation held the store. */
  void runBusy(String job) {
    running.decrementAndGet();
    countRun(job, "BUSY");
  }

  /** Records a run that failed before it could be recorded in the store. */
  void runFailed(String job) {
    running.decrementAndGet();
    countRun(job, "FAILED");
  }

  /** {@code vouch_runs_total{job,status}}: a run's status, or SKIPPED, BUSY or FAILED. */
  private void countRun(String job, String status) {
    Counter.builder("vouch.runs")
        .description("Reconciliation runs by outcome")
        .tag("job", job)
        .tag("status", status)
        .register(registry)
        .increment();
  }

  /** Takes each source's lag from a run of the store (the last one, when the service starts). */
  void coveredBy(RunSummary run) {
    for (SourceOutcome source : run.sources()) {
      if (source.kind() == SourceOutcome.Kind.CHANGES
          && source.coverage() == SourceOutcome.Coverage.COMPLETE) {
        covered(source.name(), run.window());
      }
    }
  }

  /**
   * The source was read in full up to the end of {@code window}: its lag is measured from there.
   */
  void covered(String source, TimeWindow window) {
    if (coveredUntil.put(source, latest(coveredUntil.get(source), window.end())) != null) {
      return; // its gauge exists already
    }
    Gauge.builder("vouch.source.lag", this, m -> m.lagSeconds(source))
        .description("Now minus the end of the last window in which the source was read in full")
        .baseUnit("seconds")
        .tag("source", source)
        .register(registry);
  }

  private static Instant latest(@Nullable Instant a, Instant b) {
    return a != null && a.isAfter(b) ? a : b;
  }

  private double lagSeconds(String source) {
    Instant until = coveredUntil.get(source);
    return until == null ? Double.NaN : Duration.between(until, clock.instant()).toMillis() / 1e3;
  }
}
