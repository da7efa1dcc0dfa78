package dev.vouch.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.core.model.Finding;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.run.RunControl;
import dev.vouch.core.run.RunListener;
import dev.vouch.core.run.RunStatus;
import dev.vouch.core.run.RunSummary;
import dev.vouch.core.run.SourceOutcome;
import dev.vouch.core.run.WindowPolicy;
import dev.vouch.core.store.FindingQuery;
import dev.vouch.core.store.Store;
import dev.vouch.testkit.TestPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vouch serve} on the bundled demo: the schedule runs the review by itself, never twice over
 * the same settled time, catches up after downtime, answers its health, readiness and metrics
 * endpoints, and a run asked to stop is recorded INTERRUPTED and covered again by the next run
 * without losing or doubling a finding.
 */
class ServeCommandTest {
  /** Just after the demo week has settled: a first review covers exactly the demo week. */
  private static final Clock AFTER_DEMO_WEEK =
      Clock.fixed(Instant.parse("2026-11-23T01:30:00Z"), ZoneOffset.UTC);

  private static final TimeWindow DEMO_WEEK =
      new TimeWindow(Instant.parse("2026-11-16T00:00:00Z"), Instant.parse("2026-11-23T00:00:00Z"));

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @RegisterExtension final TestPostgres postgres = new TestPostgres();

  @TempDir Path work;
  private Path config;

  @BeforeEach
  void copyDemo() throws IOException {
    config = DemoRunTest.copyDemo(work);
  }

  private void schedule(String cron) throws IOException {
    Files.writeString(
        config,
        "\nschedule: {cron: \""
            + cron
            + "\", timezone: UTC, initialLookback: 7d, reports: "
            + work.resolve("reports")
            + "}\nserver: {bind: 127.0.0.1, port: 0}\n",
        StandardOpenOption.APPEND);
  }

  /** A service running in a thread of the test. */
  private record Service(
      ServeCommand command,
      ServeCommand.Running running,
      CompletableFuture<Integer> exit,
      StringWriter out) {

    HttpResponse<String> get(String path) throws Exception {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + running.port() + path)).build(),
          HttpResponse.BodyHandlers.ofString());
    }

    int stop() throws Exception {
      command.stop();
      return exit.get(60, TimeUnit.SECONDS);
    }
  }

  private Service serve(Clock clock) throws Exception {
    ServeCommand command = new ServeCommand(clock);
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(command);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(out, true));
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(() -> cli.execute("--config", config.toString()));
    ServeCommand.Running running = command.awaitStarted(Duration.ofSeconds(30));
    assertThat(running).as(out.toString()).isNotNull();
    return new Service(command, running, exit, out);
  }

  /** The value of one metric sample in Prometheus text, or -1 when it is absent. */
  static double sample(String metrics, String name, String labels) {
    Matcher m =
        Pattern.compile(
                "(?m)^" + Pattern.quote(name) + "\\{" + Pattern.quote(labels) + ",?\\} (\\S+)$")
            .matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  private static String waitForMetric(Service service, String name, String labels)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      String metrics = service.get("/metrics").body();
      if (sample(metrics, name, labels) >= 1) {
        return metrics;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "no " + name + "{" + labels + "} within 90 s; output:\n" + service.out());
  }

  @Test
  void theScheduleReviewsTheDemoWeekOnceThenFindsNothingNewAndServesItsEndpoints()
      throws Exception {
    schedule("* * * * * ?");
    Path old = Files.createDirectories(work.resolve("reports/run-999"));
    Files.writeString(old.resolve("run.json"), "{}");
    Files.setLastModifiedTime(
        old.resolve("run.json"),
        java.nio.file.attribute.FileTime.from(Instant.parse("2026-10-01T00:00:00Z")));
    Path unfinished = Files.createDirectories(work.resolve("reports/run-998"));
    Path foreign = Files.createDirectories(work.resolve("reports/notes"));
    Service service = serve(AFTER_DEMO_WEEK);

    String metrics =
        waitForMetric(service, "vouch_runs_total", "job=\"review\",status=\"COMPLETE\"");
    // The next firings find every settled hour covered: nothing is reconciled twice.
    metrics = waitForMetric(service, "vouch_runs_total", "job=\"review\",status=\"SKIPPED\"");

    HttpResponse<String> health = service.get("/healthz");
    HttpResponse<String> ready = service.get("/readyz");
    HttpResponse<String> scraped = service.get("/metrics");
    HttpResponse<String> unknown = service.get("/admin");
    assertThat(service.stop()).isEqualTo(ExitCodes.OK);

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("ready\n");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(scraped.headers().firstValue("Content-Type"))
        .hasValue(ServiceEndpoints.PROMETHEUS_TEXT);
    assertThat(sample(metrics, "vouch_runs_total", "job=\"review\",status=\"COMPLETE\""))
        .isEqualTo(1.0);
    assertThat(sample(metrics, "vouch_runs_total", "job=\"review\",status=\"INCOMPLETE\""))
        .isEqualTo(-1);
    assertThat(metrics).contains("vouch_step_duration_seconds_count{step=\"match\"}");
    assertThat(sample(metrics, "vouch_source_lag_seconds", "source=\"org-trail\""))
        .isEqualTo(Duration.ofMinutes(90).toSeconds());
    try (Store store = storeOf()) {
      RunSummary run = store.lastRun().orElseThrow();
      assertThat(run.runId()).as("one run in the store").isEqualTo(1);
      assertThat(run.window()).isEqualTo(DEMO_WEEK);
      assertThat(run.status()).isEqualTo(RunStatus.COMPLETE);
      assertThat(sample(metrics, "vouch_findings_total", "verdict=\"UNAUTHORIZED\""))
          .isEqualTo(run.count(dev.vouch.core.model.Verdict.UNAUTHORIZED))
          .isGreaterThan(0);
      assertThat(sample(metrics, "vouch_events_ingested_total", "source=\"org-trail\""))
          .isEqualTo(
              run.sources().stream()
                  .filter(s -> s.name().equals("org-trail"))
                  .findFirst()
                  .orElseThrow()
                  .read());
    }
    assertThat(work.resolve("reports/run-1/run.json")).exists();
    assertThat(old).as("older than schedule.keepReports (30d)").doesNotExist();
    assertThat(unfinished).as("no run.json: not a set Vouch finished").exists();
    assertThat(foreign).exists();
    assertThat(service.out().toString()).contains("run 1 COMPLETE").contains("stopped");
  }

  @Test
  void onAPostgresStoreTheScheduleLivesInTheDatabaseAndReviewsTheDemoWeek() throws Exception {
    TestPostgres.Database database = postgres.newDatabase();
    String yaml = Files.readString(config);
    String sqlite = "store:\n  type: sqlite\n  path: ../../vouch-data/demo.db\n";
    assertThat(yaml).contains(sqlite);
    Files.writeString(
        config,
        yaml.replace(
            sqlite,
            "store:\n  type: postgres\n  url: "
                + database.url()
                + "\n  user: "
                + database.user()
                + "\n"));
    schedule("* * * * * ?");
    Service service = serve(AFTER_DEMO_WEEK);

    waitForMetric(service, "vouch_runs_total", "job=\"review\",status=\"COMPLETE\"");
    assertThat(service.get("/readyz").statusCode()).isEqualTo(200);
    assertThat(service.stop()).isEqualTo(ExitCodes.OK);

    try (Store store = storeOf()) {
      RunSummary run = store.lastRun().orElseThrow();
      assertThat(run.window()).isEqualTo(DEMO_WEEK);
      assertThat(run.status()).isEqualTo(RunStatus.COMPLETE);
    }
    try (java.sql.Connection connection = database.connect();
        java.sql.Statement statement = connection.createStatement();
        java.sql.ResultSet rows =
            statement.executeQuery(
                "SELECT cron_expression FROM qrtz_cron_triggers WHERE trigger_name = 'review'")) {
      assertThat(rows.next()).as("the review's trigger is kept in the database").isTrue();
      assertThat(rows.getString(1)).isEqualTo("* * * * * ?");
    }
  }

  @Test
  void anExtraJobReviewsItsSourcesOnItsOwnScheduleWithoutCountingAsTheReview() throws Exception {
    Files.writeString(
        config,
        "\nschedule: {cron: \"0 0 2 * * ?\", initialLookback: 7d, reports: "
            + work.resolve("reports")
            + ", jobs: [{name: trail, cron: \"* * * * * ?\", sources: [org-trail]}]}\n"
            + "server: {bind: 127.0.0.1, port: 0}\n",
        StandardOpenOption.APPEND);
    Service service = serve(AFTER_DEMO_WEEK);

    String metrics =
        waitForMetric(service, "vouch_runs_total", "job=\"trail\",status=\"COMPLETE\"");
    assertThat(service.stop()).isEqualTo(ExitCodes.OK);

    assertThat(sample(metrics, "vouch_runs_total", "job=\"review\",status=\"COMPLETE\""))
        .isEqualTo(-1);
    try (Store store = storeOf()) {
      RunSummary run = store.lastRun("job:trail").orElseThrow();
      assertThat(run.window())
          .as("to the last settled minute, not hour")
          .isEqualTo(
              new TimeWindow(
                  Instant.parse("2026-11-16T00:30:00Z"), Instant.parse("2026-11-23T00:30:00Z")));
      assertThat(run.sources())
          .extracting(SourceOutcome::name)
          .containsExactlyInAnyOrder("org-trail", "change-log", "shop-pulls");
      assertThat(store.lastRun(Store.REVIEW)).as("the review has not run").isEmpty();
      assertThat(store.completeWindows()).as("a job never covers the review's windows").isEmpty();
      assertThat(store.completeWindows("job:trail")).containsExactly(run.window());
    }
    assertThat(service.out().toString()).contains("job trail of ");
  }

  @Test
  void everyScheduledRunSendsItsNewFindingsToTheChannelsOnce() throws Exception {
    try (dev.vouch.app.notify.FakeChannel channel = dev.vouch.app.notify.FakeChannel.start()) {
      Files.writeString(
          config,
          "\nnotifications:\n  - {type: webhook, name: audit-hook, url: \""
              + channel.url("/hook")
              + "\"}\n",
          StandardOpenOption.APPEND);
      schedule("* * * * * ?");
      Service service = serve(AFTER_DEMO_WEEK);

      // An idle firing after the run passes over the outbox again, and sends nothing twice.
      waitForMetric(service, "vouch_runs_total", "job=\"review\",status=\"SKIPPED\"");
      assertThat(service.stop()).isEqualTo(ExitCodes.OK);

      assertThat(channel.requests()).as(service.out().toString()).hasSize(1);
      assertThat(channel.requests().get(0).json().get("id").asText()).isEqualTo("run-1:audit-hook");
      assertThat(service.out().toString())
          .contains("Alerts: 1 message(s) planned, 1 delivered, 0 waiting");
    }
  }

  @Test
  void aServiceThatWasDownWhenItsNightCameReviewsAtOnceFromWhereCoverageEnds() throws Exception {
    schedule("0 0 2 * * ?");
    Service first = serve(AFTER_DEMO_WEEK);
    first.command().stop();
    assertThat(first.exit().get(60, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
    // No night has passed yet: a first start runs nothing until its schedule says so.
    try (Store store = storeOf()) {
      assertThat(store.lastRun()).isEmpty();
    }
    int code =
        VouchCli.execute(
            AFTER_DEMO_WEEK,
            "run",
            "--config",
            config.toString(),
            "--from",
            "2026-11-16",
            "--to",
            "2026-11-23",
            "--out",
            work + "/o",
            "--quiet");
    assertThat(code).isEqualTo(ExitCodes.FINDINGS);

    // Two days later: the night of the 24th was missed while the service was down.
    Clock later = Clock.fixed(Instant.parse("2026-11-25T01:30:00Z"), ZoneOffset.UTC);
    Service second = serve(later);
    waitForRuns(2);
    assertThat(second.stop()).isEqualTo(ExitCodes.OK);

    assertThat(second.out().toString())
        .contains("catching up: the review scheduled for 2026-11-23T02:00:00Z did not run");
    try (Store store = storeOf()) {
      RunSummary run = store.lastRun().orElseThrow();
      assertThat(run.runId()).isEqualTo(2);
      assertThat(run.window())
          .as("starts where complete coverage ends, up to the last settled hour")
          .isEqualTo(
              new TimeWindow(
                  Instant.parse("2026-11-23T00:00:00Z"), Instant.parse("2026-11-25T00:00:00Z")));
    }
  }

  @Test
  void aRunAskedToStopIsInterruptedAndTheNextRunCoversItsWindowWithoutLosingOrDoublingFindings()
      throws Exception {
    Workspace workspace = Workspace.load(config, AFTER_DEMO_WEEK);
    Map<String, String> interruptedThenRepeated;
    try (Store store = workspace.openStore()) {
      Review review = new Review(workspace, store, AFTER_DEMO_WEEK);
      RunControl control = new RunControl();
      long[] observed = {0};
      RunListener stopAfterSome =
          new RunListener() {
            @Override
            public void observed(String source) {
              if (++observed[0] == 50) {
                control.requestStop();
              }
            }
          };
      WindowPolicy.Decision first = review.decide(null, null, Duration.ofDays(7));
      RunSummary stopped = review.reconcile(first, stopAfterSome, control);

      assertThat(stopped.status()).isEqualTo(RunStatus.INTERRUPTED);
      assertThat(store.completeWindows()).isEmpty();
      assertThat(store.eventCount()).as("what was stored before the stop stays").isPositive();

      WindowPolicy.Decision next = review.decide(null, null, Duration.ofDays(7));
      assertThat(next.window()).isEqualTo(first.window());
      RunSummary repeated = review.reconcile(next, new RunListener() {}, new RunControl());
      assertThat(repeated.status()).isEqualTo(RunStatus.COMPLETE);
      interruptedThenRepeated = latestVerdicts(store);
      assertThat(store.latestFindings(FindingQuery.newest(100_000)))
          .as("one latest finding per stored change")
          .hasSize(interruptedThenRepeated.size());
    }

    Path fresh = work.resolve("fresh");
    Files.createDirectories(fresh);
    Path freshConfig = DemoRunTest.copyDemo(fresh);
    Workspace reference = Workspace.load(freshConfig, AFTER_DEMO_WEEK);
    try (Store store = reference.openStore()) {
      Review review = new Review(reference, store, AFTER_DEMO_WEEK);
      review.reconcile(
          review.decide(null, null, Duration.ofDays(7)), new RunListener() {}, new RunControl());
      assertThat(interruptedThenRepeated).isEqualTo(latestVerdicts(store)).isNotEmpty();
    }
  }

  @Test
  void configCheckSummarisesTheScheduleAndTheChannels() throws IOException {
    Files.writeString(
        config,
        "\nschedule: {cron: \"0 30 1 * * ?\", timezone: Europe/Berlin,"
            + " jobs: [{name: trail, cron: \"0 */5 * * * ?\", sources: [org-trail]}]}\n"
            + "notifications:\n  - {type: webhook, name: hook, url: \"http://127.0.0.1:9/h\"}\n",
        StandardOpenOption.APPEND);
    StringWriter out = new StringWriter();
    CommandLine cli = VouchCli.commandLine(AFTER_DEMO_WEEK);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(new StringWriter(), true));

    int code = cli.execute("config", "check", "--config", config.toString());

    assertThat(code).as(out.toString()).isEqualTo(ExitCodes.OK);
    assertThat(out.toString())
        .contains("1 notification(s), schedule '0 30 1 * * ?' Europe/Berlin with 1 extra job(s))");
  }

  @Test
  void configCheckNamesEveryScheduleAndServerProblem() throws IOException {
    Files.writeString(
        config,
        "\nschedule: {cron: \"0 0 25 * * ?\", timezone: Mars/Olympus, initialLookback: 0s,"
            + " jobs: [{name: K8s, cron: \"every minute\", sources: [org-trial], systems: [x]},"
            + " {name: trail, cron: \"0 * * * * ?\"}]}\n"
            + "server: {port: 70000, bnd: 0.0.0.0}\n",
        StandardOpenOption.APPEND);
    StringWriter err = new StringWriter();
    CommandLine cli = VouchCli.commandLine(AFTER_DEMO_WEEK);
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));

    int code = cli.execute("config", "check", "--config", config.toString());

    assertThat(code).isEqualTo(ExitCodes.CONFIG);
    assertThat(err.toString())
        .contains("schedule.cron: '0 0 25 * * ?' is not a Quartz cron expression")
        .contains("schedule.timezone: 'Mars/Olympus' is not a time zone")
        .contains("schedule.initialLookback: must be longer than zero")
        .contains("schedule.jobs[0].name: 'K8s' is not a job name")
        .contains(
            "schedule.jobs[0].sources: no source of change is named 'org-trial'; did you mean"
                + " org-trail?")
        .contains("schedule.jobs[0].systems: a job reviews the sources it lists")
        .contains("schedule.jobs[0].cron: 'every minute' is not a Quartz cron expression")
        .contains(
            "schedule.jobs[1].sources: list the sources of change this job reads, or [] for a job"
                + " that only reads the change records")
        .contains("server.port:")
        .contains("server.bnd: unknown setting; did you mean bind?");
  }

  private Store storeOf() throws Exception {
    return Workspace.load(config, AFTER_DEMO_WEEK).openStore();
  }

  private void waitForRuns(long runs) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      try (Store store = storeOf()) {
        java.util.Optional<RunSummary> last = store.lastRun();
        if (last.isPresent() && last.get().runId() >= runs) {
          return;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("fewer than " + runs + " finished runs within 90 s");
  }

  static Map<String, String> latestVerdicts(Store store) {
    Map<String, String> verdicts = new TreeMap<>();
    for (Finding finding : store.latestFindings(FindingQuery.newest(100_000))) {
      verdicts.put(finding.eventKey(), finding.verdict() + "|" + finding.recordId());
    }
    return verdicts;
  }
}
