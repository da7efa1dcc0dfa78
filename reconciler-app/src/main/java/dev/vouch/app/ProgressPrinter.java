package dev.vouch.app;

import dev.vouch.core.run.RunListener;
import dev.vouch.core.spi.InputProblem;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Prints a progress line to stderr every few seconds while a run goes on (phase, files, events and
 * rate), and the first rejected inputs as warnings. Quiet for runs shorter than the interval.
 */
final class ProgressPrinter implements RunListener, AutoCloseable {
  /** How many rejected inputs are printed one by one; the rest are counted in the summary. */
  static final int WARNINGS_PRINTED = 20;

  private final PrintWriter err;
  private final Clock clock;
  private final ScheduledExecutorService ticker;
  private final AtomicReference<String> phase = new AtomicReference<>("starting");
  private final AtomicLong planned = new AtomicLong();
  private final AtomicLong units = new AtomicLong();
  private final AtomicLong observed = new AtomicLong();
  private final AtomicLong matched = new AtomicLong();
  private final AtomicLong warnings = new AtomicLong();
  private final Instant started;
  private final java.util.Map<String, Duration> phases = new java.util.LinkedHashMap<>();
  private Instant phaseStarted;

  ProgressPrinter(PrintWriter err, Clock clock, Duration interval) {
    this.err = err;
    this.clock = clock;
    this.started = clock.instant();
    this.phaseStarted = started;
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "vouch-progress");
              thread.setDaemon(true);
              return thread;
            });
    ticker.scheduleAtFixedRate(
        this::print, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void phase(String description) {
    endPhase();
    phase.set(description);
  }

  private synchronized void endPhase() {
    Instant now = clock.instant();
    phases.merge(phase.get(), Duration.between(phaseStarted, now), Duration::plus);
    phaseStarted = now;
  }

  /**
   * How long each phase took so far, for the last line of a run ({@code starting 0.4 s, records 0.1
   * s, ingest org-trail 12.0 s, ...}): where the time of a slow run went.
   */
  synchronized String timings() {
    endPhase();
    StringBuilder line = new StringBuilder();
    Duration total = Duration.ZERO;
    for (java.util.Map.Entry<String, Duration> entry : phases.entrySet()) {
      line.append(line.length() == 0 ? "" : ", ")
          .append(entry.getKey())
          .append(' ')
          .append(
              String.format(java.util.Locale.ROOT, "%.1f s", entry.getValue().toMillis() / 1000.0));
      total = total.plus(entry.getValue());
    }
    return line
        + String.format(java.util.Locale.ROOT, " (%.1f s in all)", total.toMillis() / 1000.0);
  }

  @Override
  public void planned(String source, long count) {
    planned.addAndGet(count);
  }

  @Override
  public void unitDone(String source) {
    units.incrementAndGet();
  }

  @Override
  public void observed(String source) {
    observed.incrementAndGet();
  }

  @Override
  public void matched() {
    matched.incrementAndGet();
  }

  @Override
  public void rejected(String source, InputProblem problem) {
    long n = warnings.incrementAndGet();
    synchronized (err) {
      if (n <= WARNINGS_PRINTED) {
        err.println("warning: " + source + ": " + problem.location() + ": " + problem.message());
      } else if (n == WARNINGS_PRINTED + 1) {
        err.println("warning: more input rejected; the run summary counts and lists it");
      }
      err.flush();
    }
  }

  @Override
  public void sourceFailed(String source, String error) {
    synchronized (err) {
      err.println("error: source " + source + " failed: " + error);
      err.flush();
    }
  }

  void print() {
    double seconds =
        Math.max(0.001, Duration.between(started, clock.instant()).toMillis() / 1000.0);
    // Not every source can say in advance how many files it will read, so a total is shown only
    // while it still makes sense.
    long done = units.get();
    String files =
        planned.get() >= done && planned.get() > 0 ? done + "/" + planned.get() : "" + done;
    String line =
        String.format(
            "[%s] files %s, observations %,d (%,.0f/s), matched %,d, %.0fs",
            phase.get(), files, observed.get(), observed.get() / seconds, matched.get(), seconds);
    synchronized (err) {
      err.println(line);
      err.flush();
    }
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
