package dev.vouch.app;

import static dev.vouch.app.Workbench.PAYMENTS;
import static dev.vouch.app.Workbench.change;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.core.run.RunStatus;
import dev.vouch.core.store.Store;
import dev.vouch.store.SqliteStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every path that could lose, skip or hide a change ends in a finding or an INCOMPLETE run, never
 * in "nothing unauthorized" and exit 0. End to end, through the command line, on CloudTrail files
 * in the S3 layout.
 */
class FailClosedTest {
  private static final Instant NOW = Instant.parse("2026-11-19T02:00:00Z");
  private static final LocalDate NOV_16 = LocalDate.of(2026, 11, 16);
  private static final LocalDate NOV_17 = LocalDate.of(2026, 11, 17);
  private static final String TWO_DAYS_FROM = "2026-11-16";
  private static final String TWO_DAYS_TO = "2026-11-18";

  @TempDir Path dir;

  private Workbench bench() throws IOException {
    return new Workbench(dir, NOW);
  }

  // ---------------------------------------------------------------------- silence is a gap

  @Test
  void anEmptyTrailDirectoryForAConfiguredAccountIsIncompleteNamingTheAccountAndTheDay()
      throws IOException {
    Workbench bench = bench();

    Workbench.Result result = bench.vouch("run", "--from", TWO_DAYS_FROM, "--to", TWO_DAYS_TO);

    assertThat(result.exitCode()).as(result.all()).isEqualTo(ExitCodes.INCOMPLETE);
    assertThat(result.out())
        .contains("INCOMPLETE")
        .contains("aws:" + PAYMENTS + " on 2026-11-16")
        .contains("aws:" + PAYMENTS + " on 2026-11-17")
        .doesNotContain("Complete: no change needs review");
    JsonNode run = bench.runJson();
    assertThat(run.get("status").asText()).isEqualTo("INCOMPLETE");
    assertThat(run.get("gaps").toString()).contains("aws:" + PAYMENTS).contains("2026-11-17");
  }

  @Test
  void anEmptyTrailWithNoConfiguredAccountIsStillAGapOfTheSource() throws IOException {
    Workbench bench = bench();
    bench.config(
        """
        coverage: {quiet: ["aws:*"]}
        """);

    Workbench.Result result = bench.vouch("run", "--from", TWO_DAYS_FROM, "--to", TWO_DAYS_TO);

    assertThat(result.exitCode()).as(result.all()).isEqualTo(ExitCodes.INCOMPLETE);
    assertThat(result.out())
        .contains("source:org-trail on 2026-11-16")
        .contains("delivered nothing");
  }

  @Test
  void aMissingTrailDirectoryFailsTheSourceAndTheRun() throws IOException {
    Workbench bench = bench();
    Files.delete(bench.trail());

    Workbench.Result result = bench.vouch("run", "--from", TWO_DAYS_FROM, "--to", TWO_DAYS_TO);

    assertThat(result.exitCode()).isEqualTo(ExitCodes.INCOMPLETE);
    assertThat(result.out()).contains("FAILED").contains("does not exist").contains("INCOMPLETE");
  }

  @Test
  void aDanglingSymbolicLinkInTheTrailIsUnseenInputNotAnIgnoredFile() throws IOException {
    Workbench bench = bench();
    bench.background(NOV_16, NOV_17);
    Path region = bench.trail().resolve("AWSLogs/" + PAYMENTS + "/CloudTrail/us-east-1");
    Files.createDirectories(region.getParent());
    Files.createSymbolicLink(region, dir.resolve("unmounted-volume/us-east-1"));

    Workbench.Result result = bench.vouch("run", "--from", TWO_DAYS_FROM, "--to", TWO_DAYS_TO);

    assertThat(result.exitCode()).as(result.all()).isEqualTo(ExitCodes.INCOMPLETE);
    JsonNode unreadable = only(bench.findings(), "UNREADABLE");
    assertThat(unreadable.get("eventKey").asText()).contains("us-east-1");
    assertThat(unreadable.get("reasons").get("summary").asText())
        .contains("dangling symbolic link")
        .contains("unmounted-volume");
  }

  @Test
  void aPartitionSeenBeforeThatFallsSilentForADayIsAGapWhileQuietOnesAreNot() throws IOException {
    Workbench bench = bench();
    // The account has data on the 16th only: the 17th is silent.
    bench.background(NOV_16, NOV_16);

    Workbench.Result silent = bench.vouch("run", "--from", TWO_DAYS_FROM, "--to", TWO_DAYS_TO);

    assertThat(silent.exitCode()).as(silent.all()).isEqualTo(ExitCodes.INCOMPLETE);
    assertThat(silent.out())
        .contains("aws:" + PAYMENTS + "/eu-west-1 on 2026-11-17")
        .doesNotContain("on 2026-11-16:");

    // Declared quiet on purpose: the system (its account and every region seen under it) and
    // the source, which delivered nothing at all on the 17th.
    Files.writeString(
        bench.config(),
        Files.readString(bench.config())
            .replace(
                "aws: {accounts: [\"" + PAYMENTS + "\"]}",
                "aws: {accounts: [\"" + PAYMENTS + "\"]}\n    expectDailyActivity: false")
            .replace("path: ./trail", "path: ./trail\n    expectDailyActivity: false"));

    Workbench.Result quiet = bench.vouch("run", "--from", TWO_DAYS_FROM, "--to", TWO_DAYS_TO);

    assertThat(quiet.exitCode()).as(quiet.all()).isEqualTo(ExitCodes.OK);
    assertThat(quiet.out()).contains("COMPLETE").doesNotContain("Coverage gaps");
  }

  @Test
  void everyDayWithDataIsCompleteAndExitsZeroOnlyThen() throws IOException {
    Workbench bench = bench();
    bench.background(NOV_16, NOV_17);

    Workbench.Result result = bench.vouch("run", "--from", TWO_DAYS_FROM, "--to", TWO_DAYS_TO);

    assertThat(result.exitCode()).as(result.all()).isEqualTo(ExitCodes.OK);
    assertThat(result.out()).contains("COMPLETE").contains("Complete: no change needs review");
  }

  @Test
  void aWindowThatEndsInTheFutureIsCappedAtNowMinusTheSettleTimeAndSaysSo() throws IOException {
    Workbench bench = bench();
    bench.background(NOV_16, LocalDate.of(2026, 11, 18));

    Workbench.Result result =
        bench.vouch("run", "--from", "2026-11-18T00:00:00Z", "--to", "2026-11-20T00:00:00Z");

    assertThat(result.out())
        .as(result.all())
        .contains("to 2026-11-19T01:00:00Z")
        .contains("has not settled yet")
        .contains("1h settle time of source org-trail");
    assertThat(bench.runJson().get("window").get("end").asText()).isEqualTo("2026-11-19T01:00:00Z");
  }

  // ------------------------------------------------------------------- unreadable is a gap

  @Test
  void aTruncatedGzipMakesTheRunIncompleteAndIsAnUnreadableFindingWhileOtherFilesAreRead()
      throws IOException {
    Workbench bench = bench();
    bench.background(NOV_16, NOV_17);
    Instant at = Instant.parse("2026-11-17T10:00:00Z");
    byte[] whole =
        Workbench.gzip(
            ("{\"Records\":[" + change("cut-1", at) + "," + change("cut-2", at) + "]}")
                .getBytes(StandardCharsets.UTF_8));
    Path cut = bench.deliverBytes(PAYMENTS, at.plusSeconds(300), Arrays.copyOf(whole, 60));
    bench.deliver(PAYMENTS, at.plusSeconds(600), change("after", at.plusSeconds(60)));

    Workbench.Result result = bench.vouch("run", "--from", TWO_DAYS_FROM, "--to", TWO_DAYS_TO);

    assertThat(result.exitCode()).as(result.all()).isEqualTo(ExitCodes.INCOMPLETE);
    assertThat(result.out()).contains("not read to the end").contains("PARTIAL");
    JsonNode unreadable = only(bench.findings(), "UNREADABLE");
    // Keyed relative to the configuration's folder: the same input gives the same result hash
    // wherever the installation lives.
    assertThat(unreadable.get("eventKey").asText())
        .startsWith("unreadable:org-trail:trail/AWSLogs/")
        .contains(cut.getFileName().toString())
        .doesNotContain(dir.toString());
    assertThat(unreadable.get("reasons").get("summary").asText()).startsWith("Not read to the end");
    assertThat(verdicts(bench.findings())).contains("UNAUTHORIZED");
  }

  @Test
  void anEmptyGzipFileIsUnseenInputNotAnEmptyDay() throws IOException {
    Workbench bench = bench();
    bench.background(NOV_16, NOV_17);
    bench.deliverBytes(PAYMENTS, Instant.parse("2026-11-17T12:05:00Z"), new byte[0]);

    Workbench.Result result = bench.vouch("run", "--from", TWO_DAYS_FROM, "--to", TWO_DAYS_TO);

    assertThat(result.exitCode()).as(result.all()).isEqualTo(ExitCodes.INCOMPLETE);
    assertThat(only(bench.findings(), "UNREADABLE").get("reasons").get("summary").asText())
        .contains("empty (0 bytes)");
  }

  @Test
  void aRecordWithoutItsIdIsAnUnreadableFindingWithWhatCouldBeRead() throws IOException {
    Workbench bench = bench();
    bench.background(NOV_16, NOV_17);
    Instant at = Instant.parse("2026-11-17T09:30:00Z");
    String noId = change("gone", at).replace("\"eventID\":\"gone\",", "");
    bench.deliver(PAYMENTS, at.plusSeconds(300), noId);

    Workbench.Result result = bench.vouch("run", "--from", TWO_DAYS_FROM, "--to", TWO_DAYS_TO);

    // One unreadable record: the run read everything, but someone must look at that record.
    assertThat(result.exitCode()).as(result.all()).isEqualTo(ExitCodes.FINDINGS);
    JsonNode unreadable = only(bench.findings(), "UNREADABLE");
    assertThat(unreadable.get("action").asText()).isEqualTo("iam.amazonaws.com:CreateUser");
    assertThat(unreadable.get("actor").asText())
        .isEqualTo("arn:aws:iam::" + PAYMENTS + ":user/alice");
    assertThat(unreadable.get("occurredAt").asText()).isEqualTo(at.toString());
    assertThat(unreadable.get("reasons").get("summary").asText()).contains("no eventID");
  }

  // --------------------------------------------------- every window reconciled exactly once

  @Test
  void anEventDelivered20HoursAfterItsWindowsRunIsReconciledExactlyOnce() throws IOException {
    Workbench bench = bench();
    bench.background(NOV_16, LocalDate.of(2026, 11, 19));
    Instant late = Instant.parse("2026-11-17T00:40:00Z");
    bench.clock.set(Instant.parse("2026-11-17T02:00:00Z"));

    Workbench.Result first = bench.vouch("run");
    assertThat(first.out()).as(first.all()).contains("to 2026-11-17T01:00:00Z");
    assertThat(ids(bench.findings())).doesNotContain(PAYMENTS + ":late-change");

    // Delivered 20 hours after the first run read the trail.
    bench.deliver(PAYMENTS, Instant.parse("2026-11-17T22:00:00Z"), change("late-change", late));
    bench.clock.set(Instant.parse("2026-11-18T02:00:00Z"));
    Workbench.Result second = bench.vouch("run");

    assertThat(second.out())
        .as(second.all())
        .contains("2026-11-17T01:00:00Z to 2026-11-18T01:00:00Z")
        .contains("Late events: 1")
        .contains("2026-11-17: 1");
    JsonNode finding = byId(bench.findings(), PAYMENTS + ":late-change");
    assertThat(finding.get("verdict").asText()).isEqualTo("UNAUTHORIZED");
    assertThat(finding.get("reasons").get("evidence").toString()).contains("delivered late");

    bench.clock.set(Instant.parse("2026-11-19T02:00:00Z"));
    Workbench.Result third = bench.vouch("run");
    assertThat(third.exitCode()).as(third.all()).isEqualTo(ExitCodes.OK);
    assertThat(ids(bench.findings())).doesNotContain(PAYMENTS + ":late-change");
    try (var store = SqliteStore.open(bench.store())) {
      List<String> everywhere = new ArrayList<>();
      for (long run = 1; run <= 3; run++) {
        store.forEachFinding(run, f -> everywhere.add(f.eventKey()));
      }
      assertThat(everywhere).filteredOn(k -> k.endsWith(":late-change")).hasSize(1);
    }
  }

  @Test
  void aNightWhoseRunFailedIsCoveredByTheNextRun() throws IOException {
    Workbench bench = bench();
    bench.background(NOV_16, LocalDate.of(2026, 11, 19));
    bench.clock.set(Instant.parse("2026-11-17T02:00:00Z"));
    assertThat(bench.vouch("run").exitCode()).isEqualTo(ExitCodes.OK);

    Path moved = dir.resolve("trail-away");
    Files.move(bench.trail(), moved);
    bench.clock.set(Instant.parse("2026-11-18T02:00:00Z"));
    Workbench.Result failed = bench.vouch("run");
    assertThat(failed.exitCode()).isEqualTo(ExitCodes.INCOMPLETE);

    Files.move(moved, bench.trail());
    bench.deliver(
        PAYMENTS,
        Instant.parse("2026-11-17T15:05:00Z"),
        change("in-the-failed-night", Instant.parse("2026-11-17T15:00:00Z")));
    bench.clock.set(Instant.parse("2026-11-19T02:00:00Z"));
    Workbench.Result next = bench.vouch("run");

    assertThat(next.out()).as(next.all()).contains("2026-11-17T01:00:00Z to 2026-11-19T01:00:00Z");
    assertThat(ids(bench.findings())).contains(PAYMENTS + ":in-the-failed-night");
  }

  @Test
  void aRunKilledMidWayIsMarkedInterruptedWhenTheNextRunStarts() throws IOException {
    Workbench bench = bench();
    bench.background(NOV_16, NOV_17);
    long abandoned;
    try (var store = SqliteStore.open(bench.store())) {
      abandoned =
          store.startRun(
              new dev.vouch.core.model.TimeWindow(
                  Instant.parse("2026-11-16T00:00:00Z"), Instant.parse("2026-11-17T00:00:00Z")),
              Instant.parse("2026-11-17T02:00:00Z"),
              "0".repeat(64));
    }

    Workbench.Result result = bench.vouch("run", "--from", TWO_DAYS_FROM, "--to", TWO_DAYS_TO);

    assertThat(result.out())
        .as(result.all())
        .contains("run " + abandoned)
        .contains("never finished and is now marked INTERRUPTED");
    try (var store = SqliteStore.open(bench.store())) {
      assertThat(store.run(abandoned))
          .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(RunStatus.INTERRUPTED));
      assertThat(store.verify().intact()).isTrue();
    }
  }

  // ---------------------------------------------------------- conflicting evidence is a finding

  @Test
  void twoRecordsWithOneEventIdAndDifferentContentAreBothKeptAndAFindingWhicheverCameFirst()
      throws IOException {
    String[] results = new String[2];
    for (int order = 0; order < 2; order++) {
      Path home = dir.resolve("order-" + order);
      Workbench bench = new Workbench(home, NOW);
      bench.background(NOV_16, NOV_17);
      Instant at = Instant.parse("2026-11-17T11:00:00Z");
      String genuine = change("same-id", at);
      String edited = genuine.replace("user/alice", "user/mallory");
      bench.deliver(PAYMENTS, at.plusSeconds(300), order == 0 ? genuine : edited);
      bench.deliver(PAYMENTS, at.plusSeconds(900), order == 0 ? edited : genuine);

      Workbench.Result result = bench.vouch("run", "--from", TWO_DAYS_FROM, "--to", TWO_DAYS_TO);

      assertThat(result.exitCode()).as(result.all()).isEqualTo(ExitCodes.FINDINGS);
      JsonNode conflict = only(bench.findings(), "CONFLICTING_EVIDENCE");
      assertThat(conflict.get("reasons").get("evidence").toString())
          .contains("user/alice")
          .contains("user/mallory");
      results[order] = bench.runJson().get("resultSha256").asText();
    }
    assertThat(results[0]).isEqualTo(results[1]);
  }

  @Test
  void anApprovalVouchFirstSawAfterItHadSeenTheChangeIsNotTakenOnTrust() throws IOException {
    Workbench bench = bench();
    bench.background(NOV_16, NOV_17);
    Instant at = Instant.parse("2026-11-17T10:00:00Z");
    bench.deliver(PAYMENTS, at.plusSeconds(300), change("made", at));
    Workbench.Result before = bench.vouch("run", "--from", TWO_DAYS_FROM, "--to", TWO_DAYS_TO);
    assertThat(byId(bench.findings(), PAYMENTS + ":made").get("verdict").asText())
        .as(before.all())
        .isEqualTo("UNAUTHORIZED");

    // Written afterwards, claiming an approval from before the change.
    bench.changeLog(
        "CHG9,Back-dated,normal,approved,payments-prod,2026-11-17T09:00:00Z,"
            + "2026-11-17T11:00:00Z,alice,priya,2026-11-16T12:00:00Z\n");
    bench.clock.set(NOW.plusSeconds(3600));
    bench.vouch("run", "--from", TWO_DAYS_FROM, "--to", TWO_DAYS_TO);

    JsonNode finding = byId(bench.findings(), PAYMENTS + ":made");
    assertThat(finding.get("verdict").asText()).isEqualTo("APPROVED_AFTER_CHANGE");
    assertThat(finding.get("reasons").get("summary").asText())
        .contains("approval recorded after the change; first seen 2026-11-19T03:00:00Z");
  }

  @Test
  void aRunStartedWhileAnotherHoldsTheStoreChangesNothingAndSaysSo() throws Exception {
    Workbench bench = bench();
    bench.background(NOV_16, NOV_17);
    Workspace workspace = Workspace.load(bench.config(), bench.clock);
    try (Store store = workspace.openStore()) {
      Store.RunLock held = store.tryLockRuns().orElseThrow();
      Workbench.Result busy = bench.vouch("run", "--from", TWO_DAYS_FROM, "--to", TWO_DAYS_TO);
      assertThat(busy.exitCode()).isEqualTo(ExitCodes.BUSY);
      assertThat(busy.err()).contains("another reconciliation is running on this store");
      assertThat(store.lastRun()).isEmpty();
      assertThat(store.eventCount()).isZero();
      held.close();
    }
    Workbench.Result after = bench.vouch("run", "--from", TWO_DAYS_FROM, "--to", TWO_DAYS_TO);
    assertThat(after.exitCode()).as(after.all()).isEqualTo(ExitCodes.OK);
  }

  // ------------------------------------------------------------- tamper-evident store, reports

  @Test
  void verifyNamesAnEditedEvidenceRowAndTheRunWhoseLinkItBreaks() throws Exception {
    Workbench bench = bench();
    bench.background(NOV_16, NOV_17);
    bench.deliver(
        PAYMENTS,
        Instant.parse("2026-11-17T10:05:00Z"),
        change("evidence", Instant.parse("2026-11-17T10:00:00Z")));
    Workbench.Result run = bench.vouch("run", "--from", TWO_DAYS_FROM, "--to", TWO_DAYS_TO);
    String head = bench.runJson().get("chainSha256").asText();
    assertThat(run.out()).contains("Chain head: " + head);
    assertThat(Files.readString(dir.resolve("out/summary.html"))).contains(head);
    Workbench.Result intact = bench.vouch("verify", "--expect-head", head);
    assertThat(intact.exitCode()).as(intact.all()).isEqualTo(ExitCodes.OK);
    assertThat(intact.out()).contains("Intact. Chain head: " + head);

    Tamper.sql(
        bench.store(),
        "DROP TRIGGER change_events_no_update",
        "UPDATE change_events SET event_json = replace(event_json, 'alice', 'bob')"
            + " WHERE native_id = '"
            + PAYMENTS
            + ":evidence'");

    Workbench.Result tampered = bench.vouch("verify", "--expect-head", head);
    assertThat(tampered.exitCode()).isEqualTo(ExitCodes.VERIFY_FAILED);
    assertThat(tampered.out())
        .contains("MISMATCH: change_events row")
        .contains(PAYMENTS + ":evidence")
        .contains("MISMATCH: run 1: its link no longer matches")
        .contains("NOT INTACT");
  }

  @Test
  void verifySeesARemovedRunThroughTheChainAndTheKeptHead() throws Exception {
    Workbench bench = bench();
    bench.background(NOV_16, NOV_17);
    bench.vouch("run", "--from", "2026-11-16", "--to", "2026-11-17");
    bench.vouch("run", "--from", "2026-11-17", "--to", "2026-11-18");
    String head = bench.runJson().get("chainSha256").asText();

    Tamper.sql(
        bench.store(),
        "PRAGMA foreign_keys = OFF",
        "DROP TRIGGER runs_no_delete",
        "DROP TRIGGER findings_no_delete",
        "DROP TRIGGER coverage_no_delete",
        "DELETE FROM findings WHERE run_id = 2",
        "DELETE FROM coverage WHERE run_id = 2",
        "DELETE FROM runs WHERE id = 2");

    Workbench.Result result = bench.vouch("verify", "--expect-head", head);
    assertThat(result.exitCode()).isEqualTo(ExitCodes.VERIFY_FAILED);
    assertThat(result.out()).contains("the chain head is").contains("not the expected " + head);
  }

  @Test
  void findingsCsvShowsAFormulaAsTextInASpreadsheet() throws IOException {
    Workbench bench = bench();
    bench.background(NOV_16, NOV_17);
    Instant at = Instant.parse("2026-11-17T10:00:00Z");
    String formula = "=HYPERLINK(\"http://evil.example/\",\"click\")";
    bench.deliver(
        PAYMENTS,
        at.plusSeconds(300),
        Workbench.record("formula", PAYMENTS, at, "iam.amazonaws.com", "CreateUser", false, "x")
            .replace(
                "\"arn\":\"arn:aws:iam::" + PAYMENTS + ":user/x\"",
                "\"arn\":\"" + formula.replace("\"", "\\\"") + "\""));

    bench.vouch("run", "--from", TWO_DAYS_FROM, "--to", TWO_DAYS_TO);

    String csv = Files.readString(dir.resolve("out/findings.csv"));
    assertThat(csv).contains("'=HYPERLINK(").doesNotContain(",=HYPERLINK(");
    assertThat(csv).doesNotContain(",\"=HYPERLINK(");
  }

  @Test
  void reportsThatCannotBeWrittenExit74AndLeaveNoMixOfOldAndNew() throws IOException {
    Workbench bench = bench();
    bench.background(NOV_16, NOV_17);
    bench.vouch("run", "--from", "2026-11-16", "--to", "2026-11-17");
    Path out = dir.resolve("out");
    String oldRun = Files.readString(out.resolve("run.json"));
    String oldSummary = Files.readString(out.resolve("summary.html"));
    // A directory where summary.html's temporary file must go makes the write fail half-way.
    Files.createDirectories(out.resolve(".summary.html.tmp-run2/blocked"));

    Workbench.Result result = bench.vouch("run", "--from", "2026-11-17", "--to", "2026-11-18");

    assertThat(result.exitCode()).as(result.all()).isEqualTo(ExitCodes.STORE_ERROR);
    assertThat(result.err()).contains("could not be written").contains(out.toString());
    assertThat(Files.readString(out.resolve("run.json"))).isEqualTo(oldRun);
    assertThat(Files.readString(out.resolve("summary.html"))).isEqualTo(oldSummary);
    assertThat(Files.readString(out.resolve("findings.json"))).doesNotContain("2026-11-17T");
    try (var files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .filteredOn(n -> n.startsWith(".findings") || n.startsWith(".run"))
          .isEmpty();
    }
  }

  // -------------------------------------------------------------------------------- helpers

  private static JsonNode only(JsonNode findings, String verdict) {
    List<JsonNode> matching = new ArrayList<>();
    findings.forEach(
        f -> {
          if (f.get("verdict").asText().equals(verdict)) {
            matching.add(f);
          }
        });
    assertThat(matching).as("findings with verdict %s in %s", verdict, findings).hasSize(1);
    return matching.get(0);
  }

  private static JsonNode byId(JsonNode findings, String eventId) {
    for (JsonNode finding : findings) {
      if (finding.get("eventId").asText().equals(eventId)) {
        return finding;
      }
    }
    throw new AssertionError("no finding for " + eventId + " in " + findings);
  }

  private static List<String> ids(JsonNode findings) {
    List<String> ids = new ArrayList<>();
    findings.forEach(f -> ids.add(f.get("eventId").asText()));
    return ids;
  }

  private static List<String> verdicts(JsonNode findings) {
    List<String> verdicts = new ArrayList<>();
    findings.forEach(f -> verdicts.add(f.get("verdict").asText()));
    return verdicts;
  }
}
