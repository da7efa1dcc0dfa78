package dev.vouch.app;

import dev.vouch.app.notify.Deliverer;
import dev.vouch.core.config.ServiceSettings;
import dev.vouch.core.run.Reconciler;
import dev.vouch.core.run.RunControl;
import dev.vouch.core.run.RunSummary;
import dev.vouch.core.run.WindowPolicy;
import dev.vouch.core.spi.PushEndpoint;
import dev.vouch.core.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.quartz.CronExpression;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "serve",
    description = {
      "Run the periodic review as a service: reconcile on the configured schedule (schedule.cron,"
          + " Quartz cron syntax; default every night at 02:00 UTC), each run starting where"
          + " complete coverage ends, so a night the service was down is covered by the next run;"
          + " serve /healthz, /readyz and /metrics (Prometheus) on server.bind:server.port; and"
          + " receive pushed audit events when a source can be pushed to, as `vouch receive` does.",
      "",
      "Each run writes its reports to schedule.reports/run-<id>/. On SIGTERM or SIGINT a run in"
          + " progress stops after the batch it is writing and is recorded INTERRUPTED (the next"
          + " run covers its window again); then the service exits.",
      "",
      "Exit codes: 0 stopped cleanly; 70 the HTTP address could not be bound or the scheduler"
          + " could not start; 74 store error; 78 configuration problems."
    },
    mixinStandardHelpOptions = true)
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOption config = new ConfigOption();

  private final Clock clock;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);

  /** How long a shutdown waits for a run to stop after its current batch. */
  static final Duration STOP_WAIT = Duration.ofMinutes(5);

  private volatile @Nullable Running running;

  ServeCommand(Clock clock) {
    this.clock = clock;
  }

  /** What a started service holds, for tests. */
  record Running(int port, Scheduler scheduler, ServiceMetrics metrics) {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<Workspace> loaded = config.load(clock, err);
    if (loaded.isEmpty()) {
      return ExitCodes.CONFIG;
    }
    Workspace workspace = loaded.get();
    workspace.printWarnings(err);
    ServiceSettings settings = workspace.config().service();
    RunControl control = new RunControl();
    try (Store store = workspace.openStore()) {
      return serve(workspace, store, settings, control, out, err);
    } finally {
      stopped.countDown();
    }
  }

  private int serve(
      Workspace workspace,
      Store store,
      ServiceSettings settings,
      RunControl control,
      PrintWriter out,
      PrintWriter err) {
    try {
      ServiceMetrics metrics = new ServiceMetrics(clock);
      // Lag is known from the start, not only after the first run of this process.
      store.lastRun(Store.REVIEW).ifPresent(metrics::coveredBy);
      Reviewer reviewer = new Reviewer(workspace, store, metrics, control, out, err);
      Scheduler scheduler;
      try {
        scheduler =
            ReviewScheduler.start(
                workspace.config().store(),
                settings.schedule(),
                reviewer,
                ReviewScheduler.CLUSTER_CHECKIN);
      } catch (SchedulerException | RuntimeException e) {
        err.println("error: the scheduler could not start: " + e.getMessage());
        return ExitCodes.INTERNAL;
      }
      ServiceEndpoints endpoints = null;
      PushServer push = null;
      // On SIGTERM the JVM halts once its shutdown hooks return: the hook waits until the run in
      // progress has stopped and been recorded, or the platform's own deadline kills the process.
      Thread hook =
          new Thread(
              () -> {
                stopRequested.countDown();
                try {
                  stopped.await(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "vouch-serve-shutdown");
      try {
        try {
          endpoints =
              ServiceEndpoints.start(
                  settings.server().bind(),
                  settings.server().port(),
                  () -> notReady(store, scheduler),
                  metrics::scrape);
        } catch (Exception e) {
          err.println(
              "error: cannot listen on "
                  + settings.server().bind()
                  + ":"
                  + settings.server().port()
                  + " (server.bind, server.port): "
                  + e.getMessage());
          return ExitCodes.INTERNAL;
        }
        List<PushEndpoint> pushed = ReceiveCommand.pushEndpoints(workspace.sources().changes());
        if (!pushed.isEmpty()) {
          try {
            push = PushServer.start(pushed);
          } catch (PushServer.StartException e) {
            err.println("error: " + e.getMessage());
            return e.configurationProblem() ? ExitCodes.CONFIG : ExitCodes.INTERNAL;
          }
          ReceiveCommand.announce(push, out, err);
        }
        Runtime.getRuntime().addShutdownHook(hook);
        out.printf(
            "vouch serve: listening on http://%s:%d (/healthz, /readyz, /metrics)%n",
            settings.server().bind(), endpoints.port());
        Trigger trigger = scheduler.getTrigger(TriggerKey.triggerKey(ReviewScheduler.REVIEW));
        out.printf(
            "schedule: '%s' (%s), first review at %s%n",
            settings.schedule().cron(),
            settings.schedule().timezone().getId(),
            trigger == null ? "?" : trigger.getNextFireTime().toInstant());
        catchUp(scheduler, store, settings.schedule(), out);
        out.flush();
        running = new Running(endpoints.port(), scheduler, metrics);
        started.countDown();
        stopRequested.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (SchedulerException e) {
        err.println("error: the scheduler failed: " + e.getMessage());
        return ExitCodes.INTERNAL;
      } finally {
        out.println("stopping: a run in progress stops after its current batch");
        out.flush();
        control.requestStop();
        try {
          scheduler.shutdown(true);
        } catch (SchedulerException e) {
          err.println("warning: the scheduler did not stop cleanly: " + e.getMessage());
        }
        if (push != null) {
          push.close();
        }
        if (endpoints != null) {
          endpoints.close();
        }
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException | IllegalArgumentException e) {
          // Shutting down already, or never added.
        }
      }
    } finally {
      out.println("stopped");
      out.flush();
    }
    return ExitCodes.OK;
  }

  /** Asks a running service to stop, as SIGTERM does (for tests). */
  void stop() {
    stopRequested.countDown();
  }

  /** The running service once started (for tests), or null when it did not start in time. */
  @Nullable Running awaitStarted(Duration timeout) throws InterruptedException {
    started.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return running;
  }

  /** Null when the store answers and the scheduler runs; else why not. */
  private static @Nullable String notReady(Store store, Scheduler scheduler) {
    try {
      if (!scheduler.isStarted() || scheduler.isShutdown()) {
        return "the scheduler is not running";
      }
    } catch (SchedulerException e) {
      return "the scheduler does not answer: " + e.getMessage();
    }
    try {
      store.lastRun();
    } catch (RuntimeException e) {
      return "the store does not answer: " + e.getMessage();
    }
    return null;
  }

  /**
   * Runs the review once now when a scheduled time passed since the last run started (the service
   * was down, or the last run was cut short): the next run must not wait for the next night.
   */
  private void catchUp(
      Scheduler scheduler, Store store, ServiceSettings.Schedule schedule, PrintWriter out)
      throws SchedulerException {
    Optional<RunSummary> last = store.lastRun(Store.REVIEW);
    if (last.isEmpty()) {
      return;
    }
    CronExpression cron;
    try {
      cron = new CronExpression(schedule.cron());
    } catch (java.text.ParseException e) {
      return; // checked when the configuration was loaded
    }
    cron.setTimeZone(TimeZone.getTimeZone(schedule.timezone()));
    Date missed = cron.getNextValidTimeAfter(Date.from(last.get().startedAt()));
    Instant now = clock.instant();
    if (missed != null && missed.toInstant().isBefore(now)) {
      out.printf(
          "catching up: the review scheduled for %s did not run (the last run, %d, started %s);"
              + " running it now%n",
          missed.toInstant(), last.get().runId(), last.get().startedAt());
      scheduler.triggerJob(JobKey.jobKey(ReviewScheduler.REVIEW));
    }
  }

  /** One scheduled review: decide the window, reconcile, write the reports, count it. */
  private final class Reviewer implements ScheduledReview.Service {
    private final Workspace workspace;
    private final Store store;
    private final ServiceMetrics metrics;
    private final RunControl control;
    private final PrintWriter out;
    private final PrintWriter err;
    // One per process, so that its pacing covers every message to a channel.
    private final Deliverer deliverer = Deliverer.create(clock);

    Reviewer(
        Workspace workspace,
        Store store,
        ServiceMetrics metrics,
        RunControl control,
        PrintWriter out,
        PrintWriter err) {
      this.workspace = workspace;
      this.store = store;
      this.metrics = metrics;
      this.control = control;
      this.out = out;
      this.err = err;
    }

    @Override
    public void review(ScheduledReview.Firing firing) {
      if (control.stopRequested()) {
        return;
      }
      ServiceSettings.Schedule schedule = workspace.config().service().schedule();
      ServiceSettings.Job job =
          firing.job() == null
              ? null
              : schedule.jobs().stream()
                  .filter(j -> j.name().equals(firing.job()))
                  .findFirst()
                  .orElse(null);
      if (firing.job() != null && job == null) {
        // A trigger another node's configuration stored: this node does not know the job.
        log(err, "job " + firing.job() + " is not in this configuration; its firing is skipped");
        metrics.runSkipped(firing.job());
        return;
      }
      String name = job == null ? ReviewScheduler.REVIEW : "job " + job.name();
      String tag = job == null ? ReviewScheduler.REVIEW : job.name();
      Review review =
          job == null
              ? new Review(workspace, store, clock)
              : Review.ofJob(workspace, store, clock, job);
      WindowPolicy.Decision decision;
      try {
        decision = review.decide(null, null, schedule.initialLookback());
      } catch (WindowPolicy.WindowException e) {
        log(out, name + " skipped: " + e.getMessage());
        metrics.runSkipped(tag);
        // What a channel could not take before is tried on every firing, even an idle one.
        Alerting.send(workspace, store, clock, deliverer, out, err);
        return;
      }
      long began = System.nanoTime();
      metrics.runStarted();
      ServiceMetrics.StepTimer steps = metrics.new StepTimer();
      RunSummary summary;
      try {
        log(
            out,
            name
                + " of "
                + decision.window()
                + " started ("
                + (firing.recovering()
                    ? "again: the node that ran it stopped answering"
                    : firing.trigger())
                + ")");
        summary = review.reconcile(decision, steps, control);
      } catch (Reconciler.RunInProgressException e) {
        steps.endPhase();
        metrics.runBusy(tag);
        log(out, name + " skipped: " + e.getMessage());
        return;
      } catch (RuntimeException e) {
        steps.endPhase();
        metrics.runFailed(tag);
        log(err, name + " of " + decision.window() + " failed: " + ExitCodes.describe(e));
        return;
      }
      steps.phase("reports");
      Path directory = schedule.reports().resolve("run-" + summary.runId());
      String reports;
      try {
        new ReportWriter(store, workspace.config().identities()).write(summary, directory);
        reports = "reports in " + directory;
      } catch (IOException e) {
        reports = "reports could not be written to " + directory + ": " + ExitCodes.describe(e);
      }
      Alerting.send(workspace, store, clock, deliverer, out, err);
      int pruned = pruneReports(schedule.reports(), clock.instant().minus(schedule.keepReports()));
      if (pruned > 0) {
        reports += "; " + pruned + " report folder(s) older than schedule.keepReports removed";
      }
      steps.endPhase();
      metrics.runEnded(tag, summary, Duration.ofNanos(System.nanoTime() - began));
      log(
          out,
          "run "
              + summary.runId()
              + " "
              + summary.status()
              + ": "
              + summary.needingReview()
              + " change(s) need review; "
              + reports
              + "; "
              + RunCommand.banner(summary));
    }

    /**
     * Removes the {@code run-<id>} report folders whose {@code run.json} was written before {@code
     * before}: a job every few minutes would otherwise fill the disk. Only folders Vouch wrote are
     * touched; one that cannot be removed is left for the next run.
     */
    private int pruneReports(Path reports, Instant before) {
      int removed = 0;
      try (java.util.stream.Stream<Path> folders = java.nio.file.Files.list(reports)) {
        for (Path folder : (Iterable<Path>) folders::iterator) {
          Path run = folder.resolve("run.json");
          if (folder.getFileName().toString().matches("run-\\d+")
              && java.nio.file.Files.isRegularFile(run)
              && java.nio.file.Files.getLastModifiedTime(run).toInstant().isBefore(before)) {
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(folder)) {
              for (Path file : (Iterable<Path>) files::iterator) {
                java.nio.file.Files.delete(file);
              }
            }
            java.nio.file.Files.delete(folder);
            removed++;
          }
        }
      } catch (IOException e) {
        log(err, "old report folders in " + reports + " not removed: " + ExitCodes.describe(e));
      }
      return removed;
    }

    private void log(PrintWriter to, String line) {
      synchronized (to) {
        to.println(clock.instant() + " " + line);
        to.flush();
      }
    }
  }
}
