package dev.vouch.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.core.config.StoreSettings;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.EventClass;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.spi.InputProblem;
import dev.vouch.core.store.FindingWriter;
import dev.vouch.core.store.IngestWriter;
import dev.vouch.core.store.PartitionDay;
import dev.vouch.core.store.Store;
import dev.vouch.core.store.UnitTally;
import dev.vouch.testkit.TestData;
import dev.vouch.testkit.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store contract and the JDBC store's own tests on PostgreSQL, each test on a database of its
 * own; skipped when no server answers (see {@link TestPostgres}).
 */
class PostgresStoreTest extends AbstractJdbcStoreTest {

  @RegisterExtension final TestPostgres postgres = new TestPostgres();

  @TempDir Path dir;

  private TestPostgres.Database database;

  private StoreSettings.Postgres settings() {
    return new StoreSettings.Postgres(database.url(), database.user(), null, 4);
  }

  @Override
  protected Store newStore() {
    database = postgres.newDatabase();
    return reopenStore();
  }

  @Override
  protected Store reopenStore() {
    return Stores.open(settings());
  }

  @Override
  protected JdbcStore openStore(int batchSize) {
    return JdbcStore.open(
        new PostgresDialect(database.url(), database.user(), database.password(), 4), batchSize);
  }

  @Override
  protected Connection connect() throws SQLException {
    return database.connect();
  }

  @Override
  protected String dropTrigger(String trigger, String table) {
    return "DROP TRIGGER " + trigger + " ON " + table;
  }

  @Test
  void jsonIsKeptAsTextAndKeysAndDaysCompareAsBytes() throws Exception {
    assertThat(
            query(
                "SELECT DISTINCT data_type FROM information_schema.columns"
                    + " WHERE table_schema = current_schema() AND column_name LIKE '%json'"))
        .containsExactly("text");
    assertThat(
            query(
                "SELECT table_name || '.' || column_name FROM information_schema.columns"
                    + " WHERE table_schema = current_schema() AND column_name IN ('event_key',"
                    + " 'day_utc', 'native_id', 'source_type', 'record_key', 'partition_key')"
                    + " AND collation_name IS DISTINCT FROM 'C' ORDER BY 1"))
        .isEmpty();
  }

  @Test
  void evidenceTablesCannotBeTruncated() throws Exception {
    long run = startRun();
    try (IngestWriter writer = store.ingest(run, TestData.SOURCE)) {
      writer.write(TestData.event("e-1").build(), TestData.SYSTEM);
    }
    finish(run);

    // TRUNCATE fires no row trigger: each evidence table has a statement trigger of its own.
    for (String table :
        List.of(
            "change_events",
            "event_conflicts",
            "population",
            "population_counts",
            "change_records",
            "findings",
            "rejected_inputs",
            "coverage",
            "triage_actions")) {
      assertThatThrownBy(() -> execute("TRUNCATE " + table))
          .as(table)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining(table + " ")
          .hasMessageContaining("append-only");
    }
    // Tables that others reference can only be truncated with them (CASCADE), which the triggers
    // of all of them refuse.
    for (String table : List.of("population_units", "runs")) {
      assertThatThrownBy(() -> execute("TRUNCATE " + table + " CASCADE"))
          .as(table)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("append-only");
    }
    assertThat(store.eventCount()).isEqualTo(1);
    // Working state, not evidence: may be reset.
    execute("TRUNCATE cursors");
  }

  @Test
  void aTriggerNamesTheRuleItEnforces() {
    long run = startRun();
    try (IngestWriter writer = store.ingest(run, TestData.SOURCE)) {
      writer.write(TestData.event("e-1").build(), TestData.SYSTEM);
    }
    finish(run);

    assertThatThrownBy(() -> execute("UPDATE change_events SET raw_json = '{}'"))
        .hasMessageContaining("change_events is append-only");
    assertThatThrownBy(() -> execute("UPDATE runs SET finished_at = 'never'"))
        .hasMessageContaining("a finished run cannot be changed");
  }

  @Test
  void theSameEvidenceGivesTheSameChainHeadAsOnSqlite() {
    String onPostgres = storeEvidence(store);
    String onSqlite;
    try (Store sqlite = SqliteStore.open(dir.resolve("same.db"))) {
      onSqlite = storeEvidence(sqlite);
    }
    // Row hashes and links are over the values as Vouch wrote them, whatever the database.
    assertThat(onPostgres).isEqualTo(onSqlite);
    assertThat(store.verify().chainHead()).isEqualTo(onPostgres);
  }

  /** One run storing every kind of evidence, then another; returns the chain's head. */
  private static String storeEvidence(Store target) {
    long run = target.startRun(TestData.DAY, TestData.T0, "c".repeat(64));
    ChangeEvent change = TestData.event("e-1").build();
    try (IngestWriter writer = target.ingest(run, TestData.SOURCE)) {
      writer.write(change, TestData.SYSTEM);
      writer.write(TestData.event("e-1").rawJson("{\"other\":true}").build(), TestData.SYSTEM);
      writer.write(TestData.event("r-1").eventClass(EventClass.READ_ONLY).build(), null);
      writer.reject(new InputProblem("trail/a.json:3", "no eventID"), false);
      writer.unit(
          new UnitTally(
              "AWSLogs/a.json.gz",
              "1".repeat(64),
              Map.of(
                  new UnitTally.Key(
                      TestData.SYSTEM, LocalDate.of(2026, 10, 1), EventClass.READ_ONLY),
                  7L,
                  new UnitTally.Key(null, LocalDate.of(2026, 10, 1), EventClass.FAILED),
                  1L)));
      writer.commit("c1");
    }
    target.saveRecords(run, TestData.RECORD_SOURCE, List.of(TestData.record("CHG1").build()));
    try (FindingWriter findings = target.findingWriter(run)) {
      findings.write(TestData.finding(change).verdict(Verdict.UNAUTHORIZED).build());
    }
    target.finishRun(
        TestData.runSummary(run, TestData.DAY).build(),
        List.of(
            new PartitionDay(
                TestData.SOURCE, "aws:1/eu-west-1", LocalDate.of(2026, 10, 1), 9, true, "COMPLETE"),
            new PartitionDay(
                TestData.SOURCE, "aws:1/us-east-1", LocalDate.of(2026, 10, 1), 0, false, "GAP")));
    long second = target.startRun(TestData.DAY, TestData.T0.plusSeconds(60), "c".repeat(64));
    return target.finishRun(TestData.runSummary(second, TestData.DAY).build(), List.of());
  }

  @Test
  void eventsWithOneTimeStreamInTheByteOrderOfTheirKeysWhateverTheDatabaseCollation() {
    // A database whose default collation is linguistic: "a" sorts before "B" there, after it in
    // bytes. The store's order must not depend on how the database was created.
    store.close();
    database = postgres.newDatabase("LOCALE_PROVIDER icu ICU_LOCALE 'en-US'");
    store = reopenStore();
    long run = startRun();
    List<String> ids = List.of("a-1", "B-1", "git-mirror", "git_x", "Z");
    try (IngestWriter writer = store.ingest(run, TestData.SOURCE)) {
      for (String id : ids) {
        writer.write(TestData.event(id).at(TestData.T0).build(), TestData.SYSTEM);
      }
    }
    try (FindingWriter writer = store.findingWriter(run)) {
      for (String id : ids) {
        writer.write(
            TestData.finding(TestData.SOURCE_TYPE + ":" + id).occurredAt(TestData.T0).build());
      }
    }

    List<String> keys = ids.stream().map(id -> TestData.SOURCE_TYPE + ":" + id).toList();
    List<String> inByteOrder = new ArrayList<>(keys);
    inByteOrder.sort(Comparator.naturalOrder());
    assertThat(inByteOrder).isNotEqualTo(keys); // the ids above are not already sorted
    assertThat(events(TestData.DAY)).extracting(ChangeEvent::key).isEqualTo(inByteOrder);
    assertThat(findings(run)).extracting(f -> f.eventKey()).isEqualTo(inByteOrder);
  }

  @Test
  void aServerThatCannotBeReachedIsAClearErrorWithoutThePassword() {
    StoreSettings.Postgres nowhere =
        new StoreSettings.Postgres(
            "jdbc:postgresql://127.0.0.1:1/vouch?connectTimeout=2",
            "vouch",
            new dev.vouch.core.spi.SettingsNode.Secret("env:PW", "hunter2"),
            2);

    assertThatThrownBy(() -> Stores.open(nowhere))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(
            "cannot connect to the PostgreSQL store at jdbc:postgresql://127.0.0.1:1/vouch")
        .hasMessageNotContaining("hunter2");
  }
}
