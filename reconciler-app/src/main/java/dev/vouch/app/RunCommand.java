package dev.vouch.app;

import dev.vouch.core.model.EventClass;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.run.Reconciler;
import dev.vouch.core.run.RunStatus;
import dev.vouch.core.run.RunSummary;
import dev.vouch.core.run.SourceOutcome;
import dev.vouch.core.store.Store;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
          + " (a source failed); 64 usage error; 74 store error; 78 configuration problems."
    },
    mixinStandardHelpOptions = true)
final class RunCommand implements Callable<Integer> {
  /** How long after its end a window is left alone by default, for late log delivery. */
  static final Duration SETTLE = Duration.ofHours(1);

  @Spec CommandSpec spec;

  @Mixin ConfigOption config = new ConfigOption();

  @Option(
      names = "--from",
      paramLabel = "ISO-8601",
      description =
          "Start of the window (inclusive), e.g. 2026-11-16T00:00:00Z. Default: the end of the last"
              + " complete run, or one day before --to.")
  Instant from;

  @Option(
      names = "--to",
      paramLabel = "ISO-8601",
      description =
          "End of the window (exclusive). Default: the current hour minus one hour, so late"
              + " deliveries have time to arrive.")
  Instant to;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "vouch-out",
      description =
          "Where to write findings.json, findings.csv, summary.html and run.json."
              + " Default: ${DEFAULT-VALUE}.")
  Path out;

  @Option(
      names = "--quiet",
      description = "Do not print progress lines (warnings and the summary are still printed).")
  boolean quiet;

  private final Clock clock;

  RunCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter console = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<Workspace> loaded = config.load(clock, err);
    if (loaded.isEmpty()) {
      return ExitCodes.CONFIG;
    }
    Workspace workspace = loaded.get();
    try (Store store = workspace.openStore();
        ProgressPrinter progress =
            new ProgressPrinter(err, clock, quiet ? Duration.ofDays(365) : Duration.ofSeconds(2))) {
      TimeWindow window = window(store, err);
      if (window == null) {
        return ExitCodes.USAGE;
      }
      Reconciler reconciler =
          new Reconciler(
              store,
              clock,
              workspace.config().catalog(),
              workspace.config().identities(),
              workspace.config().rules(),
              workspace.config().matching(),
              progress);
      RunSummary summary =
          reconciler.run(
              window,
              workspace.sources().changes(),
              workspace.sources().records(),
              workspace.config().sha256());
      progress.close();
      ReportWriter.Written reports = new ReportWriter(store).write(summary, out);
      printSummary(summary, reports, console);
      int code = exitCode(summary);
      console.println("Exit code " + code + ": " + EXIT_MEANINGS.get(code));
      return code;
    }
  }

  private TimeWindow window(Store store, PrintWriter err) {
    Instant end = to != null ? to : clock.instant().truncatedTo(ChronoUnit.HOURS).minus(SETTLE);
    Instant start = from;
    if (start == null) {
      start =
          store
              .lastRun()
              .filter(run -> run.status() == RunStatus.COMPLETE)
              .map(run -> run.window().end())
              .filter(previous -> previous.isBefore(end))
              .orElse(end.minus(Duration.ofDays(1)));
    }
    if (!start.isBefore(end)) {
      err.println("error: the window is empty: --from " + start + " is not before --to " + end);
      return null;
    }
    return new TimeWindow(start, end);
  }

  private static final Map<Integer, String> EXIT_MEANINGS =
      Map.of(
          ExitCodes.OK, "complete, nothing needs review",
          ExitCodes.FINDINGS, "findings need review",
          ExitCodes.INCOMPLETE, "incomplete, a source failed");

  static int exitCode(RunSummary summary) {
    if (summary.status() == RunStatus.INCOMPLETE) {
      return ExitCodes.INCOMPLETE;
    }
    return summary.needingReview() > 0 ? ExitCodes.FINDINGS : ExitCodes.OK;
  }

  static void printSummary(RunSummary summary, ReportWriter.Written reports, PrintWriter out) {
    out.printf(
        "Vouch run %d: %s to %s, %s%n",
        summary.runId(), summary.window().start(), summary.window().end(), summary.status());
    out.println("Sources:");
    for (SourceOutcome source : summary.sources()) {
      out.printf(
          "  %-20s %-10s %-8s %s%n",
          source.name(), source.type(), source.coverage(), source.detail());
      if (source.error() != null) {
        out.printf("  %-20s error: %s%n", "", source.error());
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
    if (summary.rejectedInputs() > 0) {
      out.printf("Rejected input: %,d (listed in summary.html)%n", summary.rejectedInputs());
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
    out.printf("Reports: %s, %s, %s%n", reports.json(), reports.csv(), reports.html());
    if (summary.status() == RunStatus.INCOMPLETE) {
      out.println(
          "INCOMPLETE: a source failed; these findings cannot show that no unauthorized change"
              + " happened.");
    } else if (summary.needingReview() == 0) {
      out.println("Complete: no change needs review.");
    }
  }

  private static String percent(long part, long whole) {
    return whole == 0 ? "n/a" : String.format("%.1f%%", 100.0 * part / whole);
  }
}
