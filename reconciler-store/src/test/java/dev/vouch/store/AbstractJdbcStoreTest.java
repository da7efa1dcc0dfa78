package dev.vouch.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.ChangeRecord;
import dev.vouch.core.model.EventClass;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.run.RunStatus;
import dev.vouch.core.run.RunSummary;
import dev.vouch.core.spi.InputProblem;
import dev.vouch.core.store.FindingWriter;
import dev.vouch.core.store.IngestWriter;
import dev.vouch.core.store.IngestWriter.IngestCounts;
import dev.vouch.core.store.PartitionDay;
import dev.vouch.core.store.Store;
import dev.vouch.core.store.StoredRejection;
import dev.vouch.core.store.TriageAction;
import dev.vouch.core.store.TriageDecision;
import dev.vouch.core.store.UnitTally;
import dev.vouch.core.store.Verification;
import dev.vouch.testkit.StoreContract;
import dev.vouch.testkit.TestData;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the JDBC store must do on every database, beyond the {@link StoreContract}: its tables as
 * another program sees them (evidence refused edits by the database itself, raw payloads and
 * canonical records byte for byte), exact batch counts, the hash chain and {@code verify}, and two
 * stores on one database. A database's test says how to reach its tables.
 */
abstract class AbstractJdbcStoreTest extends StoreContract {

  /** Opens another store on the test's database, writing the given number of rows per batch. */
  protected abstract JdbcStore openStore(int batchSize);

  /** A plain connection to the test's database, outside any store, in auto-commit mode. */
  protected abstract Connection connect() throws SQLException;

  /** The statement that removes a trigger, which the two databases spell differently. */
  protected abstract String dropTrigger(String trigger, String table);

  protected JdbcStore jdbc() {
    return (JdbcStore) store;
  }

  @Test
  void theSchemaIsAtVersionSixAndReopeningAppliesNoMigrationTwice() throws Exception {
    store.close();
    store = reopenStore();
    store.close();
    store = reopenStore();
    assertThat(query("SELECT version FROM flyway_schema_history WHERE success ORDER BY 1"))
        .containsExactly("1", "2", "3", "4", "5", "6");
    assertThat(query("SELECT COUNT(*) FROM flyway_schema_history")).containsExactly("6");
  }

  @Test
  void rawEvidenceIsStoredWithTheHashComputedAtIngestion() {
    String raw = "{\"eventID\": \"e-1\",  \"x\": \"\u00e9\"}\r\n";
    long run = startRun();
    try (IngestWriter writer = store.ingest(run, TestData.SOURCE)) {
      writer.write(TestData.event("e-1").rawJson(raw).build(), TestData.SYSTEM);
    }
    assertThat(jdbc().rawEvidence(TestData.SOURCE_TYPE, "e-1"))
        .contains(new RawEvidence(raw, ChangeEvent.sha256Hex(raw)));
    assertThat(jdbc().rawEvidence(TestData.SOURCE_TYPE, "e-2")).isEmpty();
  }

  @Test
  void theRawPayloadIsStoredOnceNotAlsoInsideTheEventJson() throws Exception {
    long run = startRun();
    try (IngestWriter writer = store.ingest(run, TestData.SOURCE)) {
      writer.write(TestData.event("e-1").rawJson("{\"marker\":\"RAW-ONLY\"}").build(), null);
    }
    assertThat(query("SELECT event_json FROM change_events"))
        .singleElement()
        .asString()
        .doesNotContain("RAW-ONLY")
        .contains("\"nativeId\":\"e-1\"");
  }

  @Test
  void aRecordIsStoredInCanonicalFormUnderTheHashOfThatForm() throws Exception {
    long run = startRun();
    ChangeRecord record = TestData.record("CHG1").systems("zeta", "alpha", "mu").build();
    store.saveRecords(run, TestData.RECORD_SOURCE, List.of(record));
    List<String> row = queryRow("SELECT record_json, content_sha256 FROM change_records");
    assertThat(row.get(0)).contains("\"systems\":[\"alpha\",\"mu\",\"zeta\"]");
    assertThat(row.get(1)).isEqualTo(ChangeEvent.sha256Hex(row.get(0)));
  }

  @Test
  void evidenceCannotBeEditedOrDeletedInTheDatabase() throws Exception {
    long run = startRun();
    try (IngestWriter writer = store.ingest(run, TestData.SOURCE)) {
      writer.write(TestData.event("e-1").build(), TestData.SYSTEM);
      writer.write(TestData.event("r-1").eventClass(EventClass.READ_ONLY).build(), null);
      writer.reject(new InputProblem("trail/a.json:3", "no eventID"), false);
      writer.unit(
          new UnitTally(
              "AWSLogs/a.json.gz",
              "1".repeat(64),
              Map.of(
                  new UnitTally.Key(TestData.SYSTEM, LocalDate.of(2026, 10, 1), EventClass.FAILED),
                  2L)));
    }
    store.saveRecords(run, TestData.RECORD_SOURCE, List.of(TestData.record("CHG1").build()));
    try (FindingWriter writer = store.findingWriter(run)) {
      writer.write(TestData.finding("cloudtrail:e-1").build());
    }
    store.finishRun(
        TestData.runSummary(run, TestData.DAY).build(),
        List.of(
            new PartitionDay(
                TestData.SOURCE,
                "aws:1/eu-west-1",
                LocalDate.of(2026, 10, 1),
                3,
                true,
                "COMPLETE")));

    for (String sql :
        List.of(
            "UPDATE change_events SET raw_json = '{}'",
            "DELETE FROM change_events",
            "UPDATE population SET day_utc = '2000-01-01'",
            "DELETE FROM population",
            "UPDATE population_units SET observations = 0",
            "DELETE FROM population_counts",
            "UPDATE rejected_inputs SET message = 'fine'",
            "DELETE FROM coverage",
            "UPDATE change_records SET record_json = '{}'",
            "DELETE FROM change_records",
            "UPDATE findings SET verdict = 'AUTHORIZED'",
            "DELETE FROM findings",
            "INSERT INTO findings (run_id, event_key, occurred_s, occurred_ns, verdict,"
                + " finding_json) VALUES ("
                + run
                + ", 'cloudtrail:late', 0, 0, 'AUTHORIZED', '{}')",
            "UPDATE runs SET status = 'COMPLETE', summary_json = '{}'",
            "DELETE FROM runs")) {
      assertThatThrownBy(() -> execute(sql)).as(sql).isInstanceOf(SQLException.class);
    }
    assertThat(store.eventCount()).isEqualTo(1);
    assertThat(store.verify().intact()).isTrue();
  }

  @Test
  void countsStayExactAcrossManySmallBatches() {
    store.close();
    store = openStore(3);
    long run = startRun();
    try (IngestWriter writer = store.ingest(run, TestData.SOURCE)) {
      for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 10; i++) {
          writer.write(TestData.event("e-" + i).build(), TestData.SYSTEM);
          writer.write(
              TestData.event("r-" + i).eventClass(EventClass.READ_ONLY).build(), TestData.SYSTEM);
        }
      }
      writer.commit("done");
      assertThat(writer.counts()).isEqualTo(new IngestCounts(10, 20, 10, 20, 0));
    }
    try (FindingWriter writer = store.findingWriter(run)) {
      for (int i = 0; i < 10; i++) {
        writer.write(TestData.finding("cloudtrail:e-" + i).verdict(Verdict.EXCLUDED).build());
      }
    }
    assertThat(findings(run)).hasSize(10);
  }

  @Test
  void aFailedBatchIsNotCounted() {
    IngestWriter writer = store.ingest(12_345, TestData.SOURCE);
    writer.write(TestData.event("e-1").build(), TestData.SYSTEM);
    assertThatThrownBy(writer::close)
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(TestData.SOURCE);
    assertThat(store.eventCount()).isZero();
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void twoStoresOnOneDatabaseWriteAtTheSameTime() throws Exception {
    // Two processes (vouch serve and a vouch CLI) may share the database: their writers take
    // turns (SQLite) or interleave (PostgreSQL) without failing or losing a row.
    long run = startRun();
    int perWriter = 5_000;
    try (JdbcStore other = openStore(JdbcStore.DEFAULT_BATCH_SIZE)) {
      ExecutorService threads = Executors.newFixedThreadPool(2);
      try {
        List<Future<IngestCounts>> results = new ArrayList<>();
        for (Store target : List.of(store, other)) {
          String prefix = target == store ? "a-" : "b-";
          Callable<IngestCounts> ingest =
              () -> {
                try (IngestWriter writer = target.ingest(run, prefix)) {
                  for (int i = 0; i < perWriter; i++) {
                    writer.write(TestData.event(prefix + i).build(), TestData.SYSTEM);
                    if (i % 100 == 99) {
                      writer.commit(prefix + i);
                    }
                  }
                  return writer.counts();
                }
              };
          results.add(threads.submit(ingest));
        }
        for (Future<IngestCounts> result : results) {
          assertThat(result.get(1, TimeUnit.MINUTES).newChanges()).isEqualTo(perWriter);
        }
      } finally {
        threads.shutdownNow();
      }
      assertThat(other.eventCount()).isEqualTo(2L * perWriter);
    }
    assertThat(store.cursor("a-")).contains("a-" + (perWriter - 1));
    assertThat(store.cursor("b-")).contains("b-" + (perWriter - 1));
  }

  @Test
  void oneReconciliationAtATimeHoldsTheRunLockAcrossStoresOnOneDatabase() throws Exception {
    try (JdbcStore other = openStore(JdbcStore.DEFAULT_BATCH_SIZE)) {
      Optional<Store.RunLock> first = store.tryLockRuns();
      assertThat(first).isPresent();
      assertThat(other.tryLockRuns()).as("held by the first store").isEmpty();
      assertThat(store.tryLockRuns()).as("not even the same store takes it twice").isEmpty();
      first.get().close();
      Optional<Store.RunLock> second = other.tryLockRuns();
      assertThat(second).as("free once released").isPresent();
      second.get().close();
    }
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void twoStoresFinishingRunsAtTheSameTimeKeepOneUnbrokenChain() throws Exception {
    // Each store finishes its runs as fast as it can while the other does the same: every link
    // must follow the one before it, whichever store wrote it.
    int runsPerStore = 25;
    try (JdbcStore other = openStore(JdbcStore.DEFAULT_BATCH_SIZE)) {
      ExecutorService threads = Executors.newFixedThreadPool(2);
      try {
        List<Future<List<String>>> heads = new ArrayList<>();
        for (Store target : List.of(store, other)) {
          String prefix = target == store ? "a-" : "b-";
          heads.add(
              threads.submit(
                  () -> {
                    List<String> links = new ArrayList<>();
                    for (int i = 0; i < runsPerStore; i++) {
                      long run = target.startRun(TestData.DAY, TestData.T0, "c".repeat(64));
                      try (IngestWriter writer = target.ingest(run, prefix)) {
                        writer.write(TestData.event(prefix + i).build(), TestData.SYSTEM);
                        writer.commit(prefix + i);
                      }
                      links.add(
                          target.finishRun(
                              TestData.runSummary(run, TestData.DAY).build(), List.of()));
                    }
                    return links;
                  }));
        }
        for (Future<List<String>> links : heads) {
          assertThat(links.get(1, TimeUnit.MINUTES)).hasSize(runsPerStore).doesNotHaveDuplicates();
        }
      } finally {
        threads.shutdownNow();
      }
    }
    Verification result = store.verify();
    assertThat(result.mismatches()).isEmpty();
    assertThat(result.runsChecked()).isEqualTo(2L * runsPerStore);
    assertThat(query("SELECT chain_seq FROM runs ORDER BY chain_seq"))
        .containsExactlyElementsOf(
            LongStream.rangeClosed(1, 2L * runsPerStore).mapToObj(Long::toString).toList());
  }

  @Test
  void aRecordFromAnotherSourceIsRefused() {
    long run = startRun();
    ChangeRecord record = TestData.record("CHG1").source("jira").build();
    assertThatThrownBy(() -> store.saveRecords(run, "servicenow", List.of(record)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CHG1");
  }

  @Test
  void verifyFindsNothingWrongInAStoreAsVouchLeftIt() {
    long run = store.startRun(TestData.DAY, TestData.T0, "c".repeat(64));
    ChangeEvent event = TestData.event("e-1").build();
    try (IngestWriter writer = store.ingest(run, TestData.SOURCE)) {
      writer.write(event, TestData.SYSTEM);
      writer.reject(new InputProblem("trail/a.json:3", "no eventID"), false);
      writer.commit("c1");
    }
    store.saveRecords(run, TestData.RECORD_SOURCE, List.of(TestData.record("CHG1").build()));
    try (FindingWriter findings = store.findingWriter(run)) {
      findings.write(TestData.finding(event).build());
    }
    String head = store.finishRun(TestData.runSummary(run, TestData.DAY).build(), List.of());

    Verification result = store.verify();

    assertThat(result.mismatches()).isEmpty();
    assertThat(result.chainHead()).isEqualTo(head);
    assertThat(result.runsChecked()).isEqualTo(1);
    assertThat(result.rowsChecked()).isEqualTo(4); // event, record, finding, rejection
  }

  @Test
  void verifyNamesEveryEditedRowAndTheRunsWhoseLinksBreak() throws Exception {
    long first = store.startRun(TestData.DAY, TestData.T0, "c".repeat(64));
    ChangeEvent event = TestData.event("e-1").build();
    try (IngestWriter writer = store.ingest(first, TestData.SOURCE)) {
      writer.write(event, TestData.SYSTEM);
      writer.commit("c1");
    }
    try (FindingWriter findings = store.findingWriter(first)) {
      findings.write(TestData.finding(event).verdict(Verdict.UNAUTHORIZED).build());
    }
    store.finishRun(TestData.runSummary(first, TestData.DAY).build(), List.of());
    long second = store.startRun(TestData.DAY, TestData.T0.plusSeconds(60), "c".repeat(64));
    store.finishRun(TestData.runSummary(second, TestData.DAY).build(), List.of());

    execute(dropTrigger("findings_no_update", "findings"));
    execute(
        "UPDATE findings SET verdict = 'AUTHORIZED', finding_json ="
            + " replace(finding_json, 'UNAUTHORIZED', 'AUTHORIZED')");
    execute(dropTrigger("change_events_no_update", "change_events"));
    execute("UPDATE change_events SET raw_json = '{}'");

    Verification result = store.verify();

    assertThat(result.intact()).isFalse();
    assertThat(result.mismatches())
        .anySatisfy(m -> assertThat(m).startsWith("findings row 1 (" + event.key() + ")"))
        .anySatisfy(
            m ->
                assertThat(m)
                    .contains("change_events row 1")
                    .contains("raw payload no longer matches"))
        .anySatisfy(m -> assertThat(m).startsWith("run " + first + ": its link no longer matches"))
        .noneSatisfy(m -> assertThat(m).startsWith("run " + second + ":"));
  }

  /** A finished run with an UNAUTHORIZED finding on each key, then one triage action on each. */
  private void triaged(String... eventKeys) {
    long run = startRun();
    try (FindingWriter writer = store.findingWriter(run)) {
      for (String key : eventKeys) {
        writer.write(TestData.finding(key).verdict(Verdict.UNAUTHORIZED).build());
      }
    }
    finish(run);
    for (String key : eventKeys) {
      store.appendTriage(
          TriageAction.of(
              key,
              TriageDecision.INCIDENT,
              "made by hand",
              "priya",
              null,
              "INC-1",
              TestData.T0.plusSeconds(3600)));
    }
  }

  @Test
  void triageActionsCannotBeEditedOrDeletedInTheDatabase() throws Exception {
    triaged("cloudtrail:e-1");

    for (String sql :
        List.of(
            "UPDATE triage_actions SET decision = 'FALSE_POSITIVE', ticket = NULL",
            "UPDATE triage_actions SET reason = 'nothing to see'",
            "DELETE FROM triage_actions")) {
      assertThatThrownBy(() -> execute(sql))
          .as(sql)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("triage_actions is append-only");
    }
    // The database also holds the rules of an action, whoever writes it.
    assertThatThrownBy(
            () ->
                execute(
                    "INSERT INTO triage_actions (event_key, decision, reason, by_person,"
                        + " acted_at, row_sha256) VALUES ('cloudtrail:e-1', 'RETRO_APPROVED',"
                        + " 'no record', 'priya', '2026-10-01T13:00:00Z', 'x')"))
        .isInstanceOf(SQLException.class);
    assertThat(query("SELECT reason FROM triage_actions")).containsExactly("made by hand");
    assertThat(store.verify().mismatches()).isEmpty();
  }

  @Test
  void verifyNamesAnEditedOrRemovedTriageRow() throws Exception {
    triaged("cloudtrail:e-1", "cloudtrail:e-2", "cloudtrail:e-3");
    assertThat(store.verify().rowsChecked()).isEqualTo(3 + 3); // the findings and the actions

    execute(dropTrigger("triage_actions_no_update", "triage_actions"));
    execute(dropTrigger("triage_actions_no_delete", "triage_actions"));
    execute("UPDATE triage_actions SET decision = 'FALSE_POSITIVE', ticket = NULL WHERE id = 1");
    execute("DELETE FROM triage_actions WHERE id = 2");

    Verification result = store.verify();

    assertThat(result.mismatches())
        .containsExactlyInAnyOrder(
            "triage_actions row 1 (cloudtrail:e-1) no longer matches its hash (it was edited, or"
                + " the row before it was edited, inserted or removed)",
            "triage_actions row 3 (cloudtrail:e-3) no longer matches its hash (it was edited, or"
                + " the row before it was edited, inserted or removed)");
  }

  @Test
  void anInterruptedRunIsChainedWithWhatItStored() {
    long abandoned = store.startRun(TestData.DAY, TestData.T0, "c".repeat(64));
    try (IngestWriter writer = store.ingest(abandoned, TestData.SOURCE)) {
      writer.write(TestData.event("half-way").build(), TestData.SYSTEM);
      writer.commit("c1");
    }

    List<RunSummary> marked = store.interruptAbandonedRuns(TestData.T0.plusSeconds(3600));

    assertThat(marked)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.runId()).isEqualTo(abandoned);
              assertThat(r.status()).isEqualTo(RunStatus.INTERRUPTED);
              assertThat(r.chainSha256()).isNotNull();
            });
    assertThat(store.interruptAbandonedRuns(TestData.T0.plusSeconds(7200))).isEmpty();
    assertThat(store.verify().intact()).isTrue();
    assertThat(store.verify().rowsChecked()).isEqualTo(1);
    assertThat(store.completeWindows()).isEmpty();
  }

  @Test
  void aBadRecordOfAnEarlierWindowMetAgainIsKeptOnceWhileARunOfItsOwnWindowKeepsIt() {
    InputProblem problem = new InputProblem("trail/a.json:3", "no eventID");
    long first = store.startRun(TestData.DAY, TestData.T0, "c".repeat(64));
    try (IngestWriter writer = store.ingest(first, TestData.SOURCE)) {
      writer.reject(problem, false);
      writer.reject(problem, false); // the same place twice in one run: two records on one line
      writer.commit("c1");
    }
    store.finishRun(TestData.runSummary(first, TestData.DAY).build(), List.of());
    long nextNight = store.startRun(TestData.DAY, TestData.T0.plusSeconds(60), "c".repeat(64));
    try (IngestWriter writer = store.ingest(nextNight, TestData.SOURCE)) {
      writer.reject(problem, true); // re-read for late delivery: the first run has it
      writer.commit("c2");
    }
    store.finishRun(TestData.runSummary(nextNight, TestData.DAY).build(), List.of());
    long rerun = store.startRun(TestData.DAY, TestData.T0.plusSeconds(120), "c".repeat(64));
    try (IngestWriter writer = store.ingest(rerun, TestData.SOURCE)) {
      writer.reject(problem, false); // the same window run again reports it again
      writer.commit("c3");
    }

    assertThat(rejections(first)).hasSize(2);
    assertThat(rejections(nextNight)).isEmpty();
    assertThat(rejections(rerun)).hasSize(1);
  }

  private List<StoredRejection> rejections(long run) {
    List<StoredRejection> kept = new ArrayList<>();
    store.forEachRejection(run, kept::add);
    return kept;
  }

  /** The first column of every row a query returns, as text. */
  protected List<String> query(String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }

  /** Every column of the one row a query returns, as text. */
  protected List<String> queryRow(String sql) throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      assertThat(rows.next()).isTrue();
      List<String> values = new ArrayList<>();
      for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
        values.add(rows.getString(i));
      }
      return values;
    }
  }

  protected void execute(String sql) throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
