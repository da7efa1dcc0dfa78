package dev.vouch.app;

import dev.vouch.core.config.ServiceSettings;
import dev.vouch.core.model.EventClass;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.run.CoverageGap;
import dev.vouch.core.run.Reconciler;
import dev.vouch.core.run.RunControl;
import dev.vouch.core.run.RunStatus;
import dev.vouch.core.run.RunSummary;
import dev.vouch.core.run.SourceOutcome;
import dev.vouch.core.run.WindowPolicy;
import dev.vouch.core.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "run",
    description = {
      "Reconcile one window: read the change records and the audit trails, match every change,"
          + " store the findings and write the reports.",
      "",
      "Exit codes: 0 complete and nothing needs review; 1 findings need review; 2 incomplete"
          + " (a source failed, a file was not read to its end, or an expected partition delivered"
          + " nothing for a day); 64 usage error; 74 store or report I/O error; 75 another"
          + " reconciliation is running on the store (nothing was done); 78 configuration"
          + " problems."
    },
    mixinStandardHelpOptions = true)
final class RunCommand implements Callable<Integer> {
  /** How many coverage gaps the console lists one by one (the reports list all). */
  static final int GAPS_SHOWN = 20;

  @Spec CommandSpec spec;

  @Mixin ConfigOption config = new ConfigOption();

  @Option(
      names = "--from",
      paramLabel = "TIME",
      converter = TimeArgument.class,
      description =
          "Start of the window (inclusive): an ISO-8601 time such as 2026-11-16T00:00:00Z, or a"
              + " date (2026-11-16, midnight UTC). Default: where complete coverage ends (the"
              + " first time no COMPLETE run covered), so a failed night is reconciled by the"
              + " next run; a first run starts coverage.firstRunLookback (1d) before the end.")
  Instant from;

  @Option(
      names = "--to",
      paramLabel = "TIME",
      converter = TimeArgument.class,
      description =
          "End of the window (exclusive), a time or a date. Default: the last whole hour before"
              + " now minus the longest settle time of the sources (CloudTrail: 1h). A later end"
              + " is capped there, and the run says so.")
  Instant to;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "vouch-out",
      description =
          "Where to write findings.json, findings.csv, summary.html and run.json (written last)."
              + " Default: ${DEFAULT-VALUE}.")
  Path out;

  @Option(
      names = "--job",
      paramLabel = "NAME",
      description =
          "Run one of the schedule's extra jobs (schedule.jobs) instead of the review of every"
              + " source: only its sources of change, windows of its own (a job's window ends at"
              + " the last settled minute), recorded under its scope.")
  String job;

  @Option(
      names = "--quiet",
      description = "Do not print progress lines (warnings and the summary are still printed).")
  boolean quiet;

  private final Clock clock;

  RunCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() {
    PrintWriter console = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<Workspace> loaded = config.load(clock, err);
    if (loaded.isEmpty()) {
      return ExitCodes.CONFIG;
    }
    Workspace workspace = loaded.get();
    workspace.printWarnings(err);
    try (Store store = workspace.openStore();
        ProgressPrinter progress =
            new ProgressPrinter(err, clock, quiet ? Duration.ofDays(365) : Duration.ofSeconds(2))) {
      Review review;
      if (job == null) {
        review = new Review(workspace, store, clock);
      } else {
        Optional<ServiceSettings.Job> found =
            workspace.config().service().schedule().jobs().stream()
                .filter(j -> j.name().equals(job))
                .findFirst();
        if (found.isEmpty()) {
          List<String> names =
              workspace.config().service().schedule().jobs().stream()
                  .map(ServiceSettings.Job::name)
                  .toList();
          err.println(
              "error: --job "
                  + job
                  + ": no such job in schedule.jobs ("
                  + (names.isEmpty() ? "none configured" : String.join(", ", names))
                  + ")");
          return ExitCodes.USAGE;
        }
        review = Review.ofJob(workspace, store, clock, found.get());
      }
      WindowPolicy.Decision decision;
      try {
        decision = review.decide(from, to, null);
      } catch (WindowPolicy.WindowException e) {
        err.println("error: " + e.getMessage());
        return ExitCodes.USAGE;
      }
      RunSummary summary;
      try {
        summary = review.reconcile(decision, progress, new RunControl());
      } catch (Reconciler.RunInProgressException e) {
        progress.close();
        err.println("error: " + e.getMessage());
        return ExitCodes.BUSY;
      }
      progress.phase("reports");
      progress.close();
      ReportWriter.Written reports;
      try {
        reports = new ReportWriter(store, workspace.config().identities()).write(summary, out);
      } catch (IOException e) {
        printSummary(summary, null, console);
        err.println(
            "error: run "
                + summary.runId()
                + " is stored, but its reports could not be written to "
                + out.toAbsolutePath()
                + ": "
                + ExitCodes.describe(e)
                + ". Free space or fix permissions there; `vouch findings list` reads the stored"
                + " findings meanwhile.");
        return ExitCodes.STORE_ERROR;
      }
      printSummary(summary, reports, console);
      Alerting.send(workspace, store, clock, console, err);
      if (!quiet) {
        err.println("Time: " + progress.timings());
      }
      int code = exitCode(summary);
      console.println("Exit code " + code + ": " + EXIT_MEANINGS.get(code));
      return code;
    }
  }

  private static final Map<Integer, String> EXIT_MEANINGS =
      Map.of(
          ExitCodes.OK, "complete, nothing needs review",
          ExitCodes.FINDINGS, "findings need review",
          ExitCodes.INCOMPLETE, "incomplete, part of the window was not seen");

  static int exitCode(RunSummary summary) {
    if (summary.status() != RunStatus.COMPLETE) {
      return ExitCodes.INCOMPLETE;
    }
    return summary.needingReview() > 0 ? ExitCodes.FINDINGS : ExitCodes.OK;
  }

  static void printSummary(RunSummary summary, ReportWriter.Written reports, PrintWriter out) {
    out.printf(
        "Vouch run %d: %s to %s, %s%n",
        summary.runId(), summary.window().start(), summary.window().end(), summary.status());
    for (String note : summary.notes()) {
      out.println("Note: " + note);
    }
    out.println("Sources:");
    for (SourceOutcome source : summary.sources()) {
      out.printf(
          "  %-20s %-10s %-8s %s%n",
          source.name(), source.type(), source.coverage(), source.detail());
      if (source.error() != null) {
        out.printf("  %-20s error: %s%n", "", source.error());
      }
    }
    if (!summary.gaps().isEmpty()) {
      out.printf("Coverage gaps: %,d partition-day(s) without data%n", summary.gaps().size());
      for (CoverageGap gap :
          summary.gaps().subList(0, Math.min(GAPS_SHOWN, summary.gaps().size()))) {
        out.printf("  %s on %s: %s%n", gap.partition(), gap.day(), gap.reason());
      }
      if (summary.gaps().size() > GAPS_SHOWN) {
        out.printf(
            "  ... and %,d more (listed in summary.html)%n", summary.gaps().size() - GAPS_SHOWN);
      }
    }
    long total = summary.population().values().stream().mapToLong(Long::longValue).sum();
    StringBuilder population = new StringBuilder();
    for (EventClass eventClass : EventClass.values()) {
      long count = summary.population().getOrDefault(eventClass, 0L);
      if (count > 0) {
        population
            .append(population.length() == 0 ? "" : ", ")
            .append(String.format("%,d %s", count, eventClass.name().toLowerCase()));
      }
    }
    out.printf("Population: %,d observations (%s)%n", total, population);
    if (summary.lateEventCount() > 0) {
      List<String> days = new ArrayList<>();
      for (Map.Entry<LocalDate, Long> day : summary.lateEvents().entrySet()) {
        days.add(day.getKey() + ": " + day.getValue());
      }
      out.printf(
          "Late events: %,d change(s) of earlier days delivered late and matched in this run (%s)%n",
          summary.lateEventCount(), String.join(", ", days));
    }
    if (summary.unresolvedActors().changes() > 0) {
      out.printf(
          "Unknown actors: %,d change(s) by actors that match no configured person (the commonest"
              + " cause of false alarms: add them to identities if they are people)%n",
          summary.unresolvedActors().changes());
      for (RunSummary.ActorCount actor : summary.unresolvedActors().top()) {
        out.printf("  %,6d by %s — not in identities%n", actor.changes(), actor.actor());
      }
    }
    if (summary.rejectedInputs() > 0) {
      out.printf(
          "Rejected input: %,d (each unreadable piece of a source of change is an UNREADABLE"
              + " finding; listed in summary.html)%n",
          summary.rejectedInputs());
    }
    out.println("Verdicts:");
    for (Verdict verdict : Verdict.values()) {
      out.printf(
          "  %-24s %,8d%s%n",
          verdict, summary.count(verdict), verdict.needsReview() ? "  needs review" : "");
    }
    long reviewable = summary.findings() - summary.count(Verdict.EXCLUDED);
    long backed = summary.count(Verdict.AUTHORIZED) + summary.count(Verdict.STANDARD_CHANGE);
    out.printf(
        "Coverage: %,d of %,d changes in review scope backed by an approved record or standard"
            + " change (%s); %,d need review%n",
        backed, reviewable, percent(backed, reviewable), summary.needingReview());
    if (summary.chainSha256() != null) {
      out.printf(
          "Chain head: %s (keep it outside the store; `vouch verify --expect-head` checks it)%n",
          summary.chainSha256());
    }
    if (reports != null) {
      out.printf(
          "Reports: %s, %s, %s, %s%n",
          reports.json(), reports.csv(), reports.html(), reports.run());
    }
    out.println(banner(summary));
  }

  /** The one line that says what the run proves; it never contradicts the status. */
  static String banner(RunSummary summary) {
    if (summary.status() == RunStatus.INTERRUPTED) {
      return "INTERRUPTED: the run was stopped before it finished; its window is not reconciled and"
          + " the next run covers it.";
    }
    if (summary.status() != RunStatus.COMPLETE) {
      List<String> reasons = new ArrayList<>();
      long failed =
          summary.sources().stream()
              .filter(s -> s.coverage() == SourceOutcome.Coverage.FAILED)
              .count();
      long partial =
          summary.sources().stream()
              .filter(
                  s ->
                      s.kind() == SourceOutcome.Kind.CHANGES
                          && s.coverage() == SourceOutcome.Coverage.PARTIAL)
              .count();
      if (failed > 0) {
        reasons.add(failed + " source(s) failed");
      }
      if (partial > 0) {
        reasons.add(partial + " source(s) of change not read in full");
      }
      if (!summary.gaps().isEmpty()) {
        reasons.add(summary.gaps().size() + " partition-day(s) delivered no data");
      }
      return "INCOMPLETE ("
          + String.join("; ", reasons)
          + "): these findings cannot show that no unauthorized change happened in the window.";
    }
    if (summary.needingReview() > 0) {
      return "Complete: " + summary.needingReview() + " change(s) need review.";
    }
    return "Complete: no change needs review.";
  }

  private static String percent(long part, long whole) {
    return whole == 0 ? "n/a" : String.format("%.1f%%", 100.0 * part / whole);
  }
}
