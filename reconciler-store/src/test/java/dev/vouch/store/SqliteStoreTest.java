package dev.vouch.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.ChangeRecord;
import dev.vouch.core.model.EventClass;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.store.FindingWriter;
import dev.vouch.core.store.IngestWriter;
import dev.vouch.core.store.IngestWriter.IngestCounts;
import dev.vouch.core.store.Store;
import dev.vouch.testkit.StoreContract;
import dev.vouch.testkit.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest extends StoreContract {

  @TempDir Path dir;

  private Path dbFile() {
    return dir.resolve("state").resolve("nested").resolve("vouch.db");
  }

  @Override
  protected Store newStore() {
    return SqliteStore.open(dbFile());
  }

  @Override
  protected Store reopenStore() {
    return SqliteStore.open(dbFile());
  }

  private JdbcStore jdbc() {
    return (JdbcStore) store;
  }

  @Test
  void createsTheDatabaseAndItsDirectoriesInWalMode() throws Exception {
    assertThat(Files.isRegularFile(dbFile())).isTrue();
    assertThat(query("PRAGMA journal_mode")).containsExactly("wal");
    assertThat(query("PRAGMA page_size")).containsExactly("16384");
    assertThat(query("SELECT version FROM flyway_schema_history WHERE success = 1"))
        .containsExactly("1", "2", "3");
  }

  @Test
  void reopeningAppliesNoMigrationTwice() throws Exception {
    store.close();
    store = reopenStore();
    store.close();
    store = reopenStore();
    assertThat(query("SELECT COUNT(*) FROM flyway_schema_history")).containsExactly("3");
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
    }
    store.saveRecords(run, TestData.RECORD_SOURCE, List.of(TestData.record("CHG1").build()));
    try (FindingWriter writer = store.findingWriter(run)) {
      writer.write(TestData.finding("cloudtrail:e-1").build());
    }
    store.finishRun(TestData.runSummary(run, TestData.DAY).build(), List.of());

    for (String sql :
        List.of(
            "UPDATE change_events SET raw_json = '{}'",
            "DELETE FROM change_events",
            "UPDATE population SET day_utc = '2000-01-01'",
            "DELETE FROM population",
            "UPDATE change_records SET record_json = '{}'",
            "DELETE FROM change_records",
            "UPDATE findings SET verdict = 'AUTHORIZED'",
            "DELETE FROM findings",
            "UPDATE runs SET status = 'COMPLETE', summary_json = '{}'",
            "DELETE FROM runs")) {
      assertThatThrownBy(() -> execute(sql)).as(sql).isInstanceOf(SQLException.class);
    }
    assertThat(store.eventCount()).isEqualTo(1);
  }

  @Test
  void countsStayExactAcrossManySmallBatches() {
    store.close();
    store = JdbcStore.open(new SqliteDialect(dbFile()), 3);
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
  void twoStoresOnOneFileWriteAtTheSameTime() throws Exception {
    // Two processes (vouch serve and a vouch CLI) may share the file: the busy timeout and
    // BEGIN IMMEDIATE make their writers take turns instead of failing.
    long run = startRun();
    int perWriter = 5_000;
    try (JdbcStore other = SqliteStore.open(dbFile())) {
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
      writer.reject(new dev.vouch.core.spi.InputProblem("trail/a.json:3", "no eventID"), false);
      writer.commit("c1");
    }
    store.saveRecords(run, TestData.RECORD_SOURCE, List.of(TestData.record("CHG1").build()));
    try (FindingWriter findings = store.findingWriter(run)) {
      findings.write(TestData.finding(event).build());
    }
    String head = store.finishRun(TestData.runSummary(run, TestData.DAY).build(), List.of());

    dev.vouch.core.store.Verification result = store.verify();

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

    execute("DROP TRIGGER findings_no_update");
    execute(
        "UPDATE findings SET verdict = 'AUTHORIZED', finding_json ="
            + " replace(finding_json, 'UNAUTHORIZED', 'AUTHORIZED')");
    execute("DROP TRIGGER change_events_no_update");
    execute("UPDATE change_events SET raw_json = '{}'");

    dev.vouch.core.store.Verification result = store.verify();

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

  @Test
  void anInterruptedRunIsChainedWithWhatItStored() {
    long abandoned = store.startRun(TestData.DAY, TestData.T0, "c".repeat(64));
    try (IngestWriter writer = store.ingest(abandoned, TestData.SOURCE)) {
      writer.write(TestData.event("half-way").build(), TestData.SYSTEM);
      writer.commit("c1");
    }

    List<dev.vouch.core.run.RunSummary> marked =
        store.interruptAbandonedRuns(TestData.T0.plusSeconds(3600));

    assertThat(marked)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.runId()).isEqualTo(abandoned);
              assertThat(r.status()).isEqualTo(dev.vouch.core.run.RunStatus.INTERRUPTED);
              assertThat(r.chainSha256()).isNotNull();
            });
    assertThat(store.interruptAbandonedRuns(TestData.T0.plusSeconds(7200))).isEmpty();
    assertThat(store.verify().intact()).isTrue();
    assertThat(store.verify().rowsChecked()).isEqualTo(1);
    assertThat(store.completeWindows()).isEmpty();
  }

  @Test
  void aBadRecordOfAnEarlierWindowMetAgainIsKeptOnceWhileARunOfItsOwnWindowKeepsIt() {
    dev.vouch.core.spi.InputProblem problem =
        new dev.vouch.core.spi.InputProblem("trail/a.json:3", "no eventID");
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

  private List<dev.vouch.core.store.StoredRejection> rejections(long run) {
    List<dev.vouch.core.store.StoredRejection> kept = new ArrayList<>();
    store.forEachRejection(run, kept::add);
    return kept;
  }

  private List<String> query(String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dbFile());
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }

  private List<String> queryRow(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dbFile());
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

  private void execute(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dbFile());
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
