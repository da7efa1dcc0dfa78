package dev.vouch.app;

import static dev.vouch.app.Workbench.PAYMENTS;
import static dev.vouch.app.Workbench.change;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.core.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A change record that arrives after its change was reported re-matches that change in the next
 * run, whatever that run's window, without any log being read again: the open finding gets a new
 * one that says what it replaces, and a record that changes nothing leaves findings alone.
 */
class RematchTest {
  private static final Instant NOW = Instant.parse("2026-11-19T02:00:00Z");
  private static final Instant MADE = Instant.parse("2026-11-17T10:00:00Z");

  @TempDir Path dir;

  @Test
  void aLateRecordReMatchesAnOpenFindingOfAnEarlierWindowInTheNextRun() throws IOException {
    Workbench bench = new Workbench(dir, NOW);
    bench.background(LocalDate.of(2026, 11, 17), LocalDate.of(2026, 11, 18));
    bench.deliver(PAYMENTS, MADE.plusSeconds(300), change("made", MADE));
    Workbench.Result first = bench.vouch("run", "--from", "2026-11-17", "--to", "2026-11-18");
    assertThat(latest(bench, PAYMENTS + ":made").get("verdict").asText())
        .as(first.all())
        .isEqualTo("UNAUTHORIZED");

    // The record is written afterwards, with an approval dated before the change.
    bench.changeLog(
        "CHG9,Late record,normal,approved,payments-prod,2026-11-17T09:00:00Z,"
            + "2026-11-17T11:00:00Z,alice,priya,2026-11-16T12:00:00Z\n");
    bench.clock.set(NOW.plusSeconds(86_400));
    Workbench.Result second = bench.vouch("run", "--from", "2026-11-18", "--to", "2026-11-19");

    JsonNode finding = latest(bench, PAYMENTS + ":made");
    assertThat(finding.get("verdict").asText()).as(second.all()).isEqualTo("APPROVED_AFTER_CHANGE");
    assertThat(finding.get("recordId").asText()).isEqualTo("CHG9");
    assertThat(finding.get("reasons").get("evidence").toString())
        .contains(
            "evaluated again in run 2 because change records changed: run 1 had found"
                + " UNAUTHORIZED; no log was read again");
    assertThat(bench.runJson().get("notes").toString())
        .contains("1 got a new finding in this run (1 UNAUTHORIZED -> APPROVED_AFTER_CHANGE)");
    assertThat(bench.runJson().get("window").toString()).contains("2026-11-18T00:00:00Z");

    // A third run whose records did not change evaluates nothing again.
    bench.clock.set(NOW.plusSeconds(2 * 86_400));
    Workbench.Result third = bench.vouch("run", "--from", "2026-11-18", "--to", "2026-11-19");
    assertThat(bench.runJson().get("notes").toString()).as(third.all()).doesNotContain("evaluated");
    assertThat(latest(bench, PAYMENTS + ":made").get("reasons").get("evidence").toString())
        .contains("run 1 had found UNAUTHORIZED");
  }

  @Test
  void aJobWithoutSourcesReadsOnlyTheRecordsAndReMatchesWhatIsStored() throws IOException {
    Workbench bench = new Workbench(dir, NOW);
    bench.config("schedule: {jobs: [{name: records, cron: \"0 */10 * * * ?\", sources: []}]}");
    bench.background(LocalDate.of(2026, 11, 17), LocalDate.of(2026, 11, 17));
    bench.deliver(PAYMENTS, MADE.plusSeconds(300), change("made", MADE));
    bench.vouch("run", "--from", "2026-11-17", "--to", "2026-11-18");
    bench.changeLog(
        "CHG9,Late record,normal,approved,payments-prod,2026-11-17T09:00:00Z,"
            + "2026-11-17T11:00:00Z,alice,priya,2026-11-16T12:00:00Z\n");
    bench.clock.set(NOW.plusSeconds(3_600));

    Workbench.Result job = bench.vouch("run", "--job", "records");

    assertThat(latest(bench, PAYMENTS + ":made").get("verdict").asText())
        .as(job.all())
        .isEqualTo("APPROVED_AFTER_CHANGE");
    JsonNode run = bench.runJson();
    assertThat(run.get("sources").toString()).contains("change-log").doesNotContain("org-trail");
    assertThat(run.get("status").asText()).isEqualTo("COMPLETE");
    Workbench.Result unknown = bench.vouch("run", "--job", "nightly");
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err()).contains("--job nightly: no such job in schedule.jobs (records)");
  }

  /** The latest finding of a change, as `vouch findings list --json` gives it. */
  private static JsonNode latest(Workbench bench, String eventId) throws IOException {
    java.io.StringWriter out = new java.io.StringWriter();
    picocli.CommandLine cli = VouchCli.commandLine(bench.clock);
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.execute(
        "findings", "list", "--config", bench.config().toString(), "--json", "--limit", "1000");
    for (JsonNode finding : Json.mapper().readTree(out.toString())) {
      if (finding.get("eventId").asText().equals(eventId)) {
        return finding;
      }
    }
    throw new AssertionError("no finding for " + eventId + " in " + out);
  }
}
