package dev.vouch.store;

import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.ChangeRecord;
import dev.vouch.core.model.EventClass;
import dev.vouch.core.model.Finding;
import dev.vouch.core.model.Seen;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.run.Reconciler;
import dev.vouch.core.run.RunStatus;
import dev.vouch.core.run.RunSummary;
import dev.vouch.core.spi.InputProblem;
import dev.vouch.core.store.Alerts;
import dev.vouch.core.store.FindingQuery;
import dev.vouch.core.store.FindingWriter;
import dev.vouch.core.store.IngestWriter;
import dev.vouch.core.store.OpenFinding;
import dev.vouch.core.store.PartitionDay;
import dev.vouch.core.store.PopulationCount;
import dev.vouch.core.store.RecordSaveResult;
import dev.vouch.core.store.RunFinding;
import dev.vouch.core.store.Store;
import dev.vouch.core.store.StoredEvent;
import dev.vouch.core.store.StoredRejection;
import dev.vouch.core.store.StoredVerdict;
import dev.vouch.core.store.TriageAction;
import dev.vouch.core.store.TriageDecision;
import dev.vouch.core.store.Verification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Store} over JDBC. Every query is portable SQL; what differs between databases sits in
 * the {@link Dialect}. Writes go through one writer connection, one transaction at a time; reads
 * use their own connections, so findings can be written while events are streamed.
 */
public final class JdbcStore implements Store {

  /** Rows buffered by a writer before they are written in one transaction. */
  public static final int DEFAULT_BATCH_SIZE = 2_000;

  private static final String RUNNING = RunStatus.RUNNING.name();

  private final Connections connections;
  private final int batchSize;

  private JdbcStore(Connections connections, int batchSize) {
    this.connections = connections;
    this.batchSize = batchSize;
  }

  /** Opens the store on a database, applying any migration it lacks first. */
  public static JdbcStore open(Dialect dialect) {
    return open(dialect, DEFAULT_BATCH_SIZE);
  }

  /** As {@link #open(Dialect)}, with a given number of rows per write transaction. */
  public static JdbcStore open(Dialect dialect, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
    }
    // A store that cannot open releases what the dialect holds (a PostgreSQL pool's connections).
    try {
      migrate(dialect);
      return new JdbcStore(new Connections(dialect), batchSize);
    } catch (SQLException e) {
      dialect.close();
      throw new StoreException("cannot open the " + dialect + " store: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      dialect.close();
      throw e;
    }
  }

  private static void migrate(Dialect dialect) {
    try {
      Flyway.configure(JdbcStore.class.getClassLoader())
          .dataSource(dialect.migrationDataSource())
          .locations(dialect.migrationLocation())
          .failOnMissingLocations(true)
          .validateMigrationNaming(true)
          .cleanDisabled(true) // evidence: nothing may drop the schema
          .loggers("slf4j")
          .load()
          .migrate();
    } catch (FlywayException e) {
      throw new StoreException(
          "cannot open the " + dialect + " store and bring its schema up to date: " + reason(e), e);
    }
  }

  /**
   * The database's own reason for a failure, on one line: Flyway wraps it in a report of several
   * lines (SQL state, error code), which tells a user nothing more.
   */
  private static String reason(FlywayException e) {
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException && cause.getMessage() != null) {
        return cause.getMessage().strip();
      }
    }
    String message = e.getMessage() == null ? "unknown reason" : e.getMessage();
    int lineEnd = message.indexOf('\n');
    return (lineEnd < 0 ? message : message.substring(0, lineEnd)).strip();
  }

  // ---------------------------------------------------------------------------------------- runs

  @Override
  public long startRun(TimeWindow window, Instant startedAt, String configSha256, String scope) {
    Objects.requireNonNull(configSha256, "configSha256");
    Objects.requireNonNull(scope, "scope");
    return connections.write(
        "start a run",
        writer -> {
          try (PreparedStatement insert =
              writer.prepareStatement(
                  "INSERT INTO runs (window_start, window_end, started_at, status, config_sha256,"
                      + " scope) VALUES (?, ?, ?, ?, ?, ?)",
                  new String[] {"id"})) {
            insert.setString(1, window.start().toString());
            insert.setString(2, window.end().toString());
            insert.setString(3, startedAt.toString());
            insert.setString(4, RUNNING);
            insert.setString(5, configSha256);
            insert.setString(6, scope);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
              if (!keys.next()) {
                throw new SQLException("the database returned no id for the new run");
              }
              return keys.getLong(1);
            }
          }
        });
  }

  @Override
  public String finishRun(RunSummary summary, List<PartitionDay> coverage) {
    if (summary.status() == RunStatus.RUNNING) {
      throw new IllegalArgumentException(
          "run " + summary.runId() + " cannot finish with status RUNNING");
    }
    // Stored without its chain head: the head is computed over the stored summary.
    String json = Codec.toJson(summary.withChain(null));
    return connections.write(
        "finish run " + summary.runId(),
        writer -> {
          connections.dialect().lockChain(writer);
          insertCoverage(writer, summary.runId(), coverage);
          return finish(writer, summary, json);
        });
  }

  /**
   * Writes a run's final row and its link in the hash chain; returns the link. The transaction must
   * hold the chain lock ({@link Dialect#lockChain}), taken before the chain's head is read here.
   */
  private static String finish(Connection writer, RunSummary summary, String json)
      throws SQLException {
    String windowStart;
    String windowEnd;
    String startedAt;
    String configSha;
    String scope;
    try (PreparedStatement select =
        writer.prepareStatement(
            "SELECT window_start, window_end, started_at, config_sha256, scope FROM runs"
                + " WHERE id = ? AND status = ?")) {
      select.setLong(1, summary.runId());
      select.setString(2, RUNNING);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          throw new IllegalStateException(
              "run " + summary.runId() + " does not exist or has already finished");
        }
        windowStart = rows.getString(1);
        windowEnd = rows.getString(2);
        startedAt = rows.getString(3);
        configSha = rows.getString(4);
        scope = rows.getString(5);
      }
    }
    long seq;
    String previous;
    try (PreparedStatement select =
            writer.prepareStatement(
                "SELECT chain_seq, chain_sha256 FROM runs WHERE chain_seq IS NOT NULL"
                    + " ORDER BY chain_seq DESC LIMIT 1");
        ResultSet rows = select.executeQuery()) {
      seq = rows.next() ? rows.getLong(1) + 1 : 1;
      previous = seq == 1 ? RunChain.GENESIS : rows.getString(2);
    }
    RunChain.RunRow row =
        new RunChain.RunRow(
            summary.runId(),
            windowStart,
            windowEnd,
            startedAt,
            summary.finishedAt().toString(),
            summary.status().name(),
            configSha,
            json,
            scope);
    List<String> mismatches = new ArrayList<>();
    String link =
        RunChain.link(
            writer,
            previous,
            row,
            mismatches,
            new long[1],
            RunChain.PopulationDigests.scan(writer, Set.of(summary.runId())),
            false);
    if (!mismatches.isEmpty()) {
      throw new StoreException(
          "evidence of run "
              + summary.runId()
              + " changed while the run was writing it: "
              + String.join("; ", mismatches));
    }
    try (PreparedStatement update =
        writer.prepareStatement(
            "UPDATE runs SET status = ?, finished_at = ?, summary_json = ?, chain_seq = ?,"
                + " prev_chain_sha256 = ?, chain_sha256 = ? WHERE id = ? AND status = ?")) {
      update.setString(1, summary.status().name());
      update.setString(2, summary.finishedAt().toString());
      update.setString(3, json);
      update.setLong(4, seq);
      update.setString(5, previous);
      update.setString(6, link);
      update.setLong(7, summary.runId());
      update.setString(8, RUNNING);
      if (update.executeUpdate() != 1) {
        throw new IllegalStateException(
            "run " + summary.runId() + " does not exist or has already finished");
      }
    }
    return link;
  }

  private static void insertCoverage(Connection writer, long runId, List<PartitionDay> coverage)
      throws SQLException {
    if (coverage.isEmpty()) {
      return;
    }
    try (PreparedStatement insert =
        writer.prepareStatement(
            "INSERT INTO coverage (run_id, source, partition_key, day_utc, observations,"
                + " proven_complete, status, row_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (PartitionDay day : coverage) {
        String dayText = day.day().toString();
        insert.setLong(1, runId);
        insert.setString(2, day.source());
        insert.setString(3, day.partition());
        insert.setString(4, dayText);
        insert.setLong(5, day.observations());
        insert.setInt(6, day.provenComplete() ? 1 : 0);
        insert.setString(7, day.status());
        insert.setString(
            8,
            RunChain.coverageRowHash(
                runId,
                day.source(),
                day.partition(),
                dayText,
                day.observations(),
                day.provenComplete(),
                day.status()));
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  @Override
  public List<RunSummary> interruptAbandonedRuns(Instant now) {
    return interrupt(
        now,
        0,
        "the run never finished (its process was stopped or crashed); marked INTERRUPTED by the"
            + " next run. What it stored is kept as evidence; its window counts as not reconciled");
  }

  @Override
  public Alerts alerts() {
    return new JdbcAlerts(connections);
  }

  @Override
  public Optional<RunLock> tryLockRuns() {
    try {
      return connections.dialect().tryLockRuns();
    } catch (SQLException e) {
      throw new StoreException("cannot take the store's run lock: " + e.getMessage(), e);
    }
  }

  @Override
  public RunSummary interruptRun(long runId, Instant now) {
    List<RunSummary> interrupted =
        interrupt(
            now,
            runId,
            "the run was asked to stop (the service was shutting down) and stopped after the"
                + " batch it was writing. What it stored is kept as evidence; its window counts as"
                + " not reconciled, so the next run covers it");
    if (interrupted.isEmpty()) {
      throw new StoreException("run " + runId + " is not running, so it cannot be interrupted");
    }
    return interrupted.get(0);
  }

  /** Marks run {@code onlyRun} (or, with 0, every run) still RUNNING as INTERRUPTED. */
  private List<RunSummary> interrupt(Instant now, long onlyRun, String note) {
    return connections.write(
        "mark runs that never finished as interrupted",
        writer -> {
          // Before the runs are listed: a second store on the database waits here, then finds
          // them already marked instead of marking them again.
          connections.dialect().lockChain(writer);
          List<RunSummary> interrupted = new ArrayList<>();
          List<long[]> ids = new ArrayList<>();
          List<String[]> runs = new ArrayList<>();
          try (PreparedStatement select =
              writer.prepareStatement(
                  "SELECT id, window_start, window_end, started_at, config_sha256 FROM runs"
                      + " WHERE status = ? AND (? = 0 OR id = ?) ORDER BY id")) {
            select.setString(1, RUNNING);
            select.setLong(2, onlyRun);
            select.setLong(3, onlyRun);
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                ids.add(new long[] {rows.getLong(1)});
                runs.add(
                    new String[] {
                      rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5)
                    });
              }
            }
          }
          for (int i = 0; i < ids.size(); i++) {
            String[] run = runs.get(i);
            Instant startedAt = Instant.parse(run[2]);
            RunSummary summary =
                new RunSummary(
                    ids.get(i)[0],
                    new TimeWindow(Instant.parse(run[0]), Instant.parse(run[1])),
                    startedAt,
                    now.isBefore(startedAt) ? startedAt : now,
                    RunStatus.INTERRUPTED,
                    List.of(),
                    zeroVerdicts(),
                    Map.of(),
                    0,
                    0,
                    List.of(),
                    run[3],
                    "",
                    "",
                    List.of(),
                    List.of(note),
                    Map.of(),
                    null,
                    RunSummary.UnresolvedActors.NONE);
            String link = finish(writer, summary, Codec.toJson(summary));
            interrupted.add(summary.withChain(link));
          }
          return interrupted;
        });
  }

  private static Map<Verdict, Long> zeroVerdicts() {
    Map<Verdict, Long> zero = new EnumMap<>(Verdict.class);
    for (Verdict verdict : Verdict.values()) {
      zero.put(verdict, 0L);
    }
    return zero;
  }

  @Override
  public Optional<RunSummary> run(long runId) {
    return connections.read(
        "read run " + runId,
        reader -> {
          try (PreparedStatement select =
              reader.prepareStatement(
                  "SELECT summary_json, chain_sha256 FROM runs WHERE id = ? AND status <> ?")) {
            select.setLong(1, runId);
            select.setString(2, RUNNING);
            return summary(select, "run " + runId);
          }
        });
  }

  @Override
  public Optional<RunSummary> lastRun(String scope) {
    return connections.read(
        "read the last run of scope '" + scope + "'",
        reader -> {
          try (PreparedStatement select =
              reader.prepareStatement(
                  "SELECT summary_json, chain_sha256 FROM runs WHERE status <> ? AND scope = ?"
                      + " ORDER BY id DESC LIMIT 1")) {
            select.setString(1, RUNNING);
            select.setString(2, scope);
            return summary(select, "the last run of scope '" + scope + "'");
          }
        });
  }

  @Override
  public Optional<RunSummary> lastRun() {
    return connections.read(
        "read the last run",
        reader -> {
          try (PreparedStatement select =
              reader.prepareStatement(
                  "SELECT summary_json, chain_sha256 FROM runs WHERE status <> ?"
                      + " ORDER BY id DESC LIMIT 1")) {
            select.setString(1, RUNNING);
            return summary(select, "the last run");
          }
        });
  }

  private static Optional<RunSummary> summary(PreparedStatement select, String what)
      throws SQLException {
    try (ResultSet rows = select.executeQuery()) {
      if (!rows.next()) {
        return Optional.empty();
      }
      return Optional.of(
          Codec.fromJson(rows.getString(1), RunSummary.class, what).withChain(rows.getString(2)));
    }
  }

  @Override
  public List<TimeWindow> completeWindows(String scope) {
    return connections.read(
        "read the windows of complete runs",
        reader -> {
          List<TimeWindow> windows = new ArrayList<>();
          try (PreparedStatement select =
              reader.prepareStatement(
                  "SELECT window_start, window_end FROM runs WHERE status = ? AND scope = ?"
                      + " ORDER BY id")) {
            select.setString(1, RunStatus.COMPLETE.name());
            select.setString(2, scope);
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                windows.add(
                    new TimeWindow(
                        Instant.parse(rows.getString(1)), Instant.parse(rows.getString(2))));
              }
            }
          }
          return List.copyOf(windows);
        });
  }

  @Override
  public List<PartitionDay> coverage(LocalDate first, LocalDate last) {
    return connections.read(
        "read the coverage from " + first + " to " + last,
        reader -> {
          List<PartitionDay> days = new ArrayList<>();
          try (PreparedStatement select =
              reader.prepareStatement(
                  "SELECT c.source, c.partition_key, c.day_utc, SUM(c.observations),"
                      + " MAX(c.proven_complete) FROM coverage c JOIN runs r ON r.id = c.run_id"
                      + " WHERE r.status <> ? AND c.day_utc >= ? AND c.day_utc <= ?"
                      + " GROUP BY c.source, c.partition_key, c.day_utc"
                      + " ORDER BY c.day_utc, c.partition_key, c.source")) {
            select.setString(1, RUNNING);
            select.setString(2, first.toString());
            select.setString(3, last.toString());
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                days.add(
                    new PartitionDay(
                        rows.getString(1),
                        rows.getString(2),
                        LocalDate.parse(rows.getString(3)),
                        rows.getLong(4),
                        rows.getInt(5) == 1,
                        "SUM"));
              }
            }
          }
          return List.copyOf(days);
        });
  }

  @Override
  public Map<String, LocalDate> partitionsSeen() {
    return connections.read(
        "read the partitions seen so far",
        reader -> {
          Map<String, LocalDate> seen = new TreeMap<>();
          try (PreparedStatement select =
                  reader.prepareStatement(
                      "SELECT partition_key, MIN(day_utc) FROM coverage WHERE observations > 0"
                          + " GROUP BY partition_key");
              ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              seen.put(rows.getString(1), LocalDate.parse(rows.getString(2)));
            }
          }
          return seen;
        });
  }

  // ------------------------------------------------------------------------------------ ingestion

  @Override
  public IngestWriter ingest(long runId, String sourceName) {
    Objects.requireNonNull(sourceName, "sourceName");
    return new JdbcIngestWriter(connections, runId, sourceName, batchSize);
  }

  @Override
  public Optional<String> cursor(String sourceName) {
    return connections.read(
        "read the cursor of source " + sourceName,
        reader -> {
          try (PreparedStatement select =
              reader.prepareStatement("SELECT cursor_value FROM cursors WHERE source_name = ?")) {
            select.setString(1, sourceName);
            try (ResultSet rows = select.executeQuery()) {
              return rows.next() ? Optional.ofNullable(rows.getString(1)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public long eventCount() {
    return connections.read(
        "count change events",
        reader -> {
          try (PreparedStatement select =
                  reader.prepareStatement("SELECT COUNT(*) FROM change_events");
              ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(1);
          }
        });
  }

  @Override
  public Optional<ChangeEvent> event(String eventKey) {
    int colon = eventKey.indexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    return connections.read(
        "read change event " + eventKey,
        reader -> {
          // By source type and native id, the unique index; the key is sourceType:nativeId.
          try (PreparedStatement select =
              reader.prepareStatement(
                  "SELECT event_json, raw_json FROM change_events"
                      + " WHERE source_type = ? AND native_id = ?")) {
            select.setString(1, eventKey.substring(0, colon));
            select.setString(2, eventKey.substring(colon + 1));
            try (ResultSet rows = select.executeQuery()) {
              return rows.next()
                  ? Optional.of(Codec.event(rows.getString(1), rows.getString(2), eventKey))
                  : Optional.<ChangeEvent>empty();
            }
          }
        });
  }

  @Override
  public void forEachEvent(TimeWindow window, Consumer<ChangeEvent> consumer) {
    connections.read(
        "read the change events of " + window,
        reader ->
            stream(
                reader,
                "SELECT occurred_s, occurred_ns, event_key, event_json, raw_json FROM change_events"
                    + " WHERE occurred_s >= ? AND occurred_s <= ?"
                    + " ORDER BY occurred_s, occurred_ns, event_key",
                select -> {
                  // Whole seconds here (an index range); the exact bounds are checked below.
                  select.setLong(1, window.start().getEpochSecond());
                  select.setLong(2, window.end().getEpochSecond());
                },
                rows -> {
                  Instant occurredAt = Instant.ofEpochSecond(rows.getLong(1), rows.getInt(2));
                  if (window.contains(occurredAt)) {
                    consumer.accept(
                        Codec.event(rows.getString(4), rows.getString(5), rows.getString(3)));
                  }
                }));
  }

  @Override
  public void forEachEventToMatch(long runId, TimeWindow window, Consumer<StoredEvent> consumer) {
    Map<Long, Instant> runStarts = runStarts();
    Map<String, List<StoredEvent.Conflict>> conflicts = conflictsToMatch(runId, window, runStarts);
    String columns =
        "SELECT occurred_s, occurred_ns, event_key, event_json, raw_json, first_run_id"
            + " FROM change_events";
    RowHandler emit =
        rows -> {
          long firstRun = rows.getLong(6);
          String key = rows.getString(3);
          consumer.accept(
              new StoredEvent(
                  Codec.event(rows.getString(4), rows.getString(5), key),
                  new Seen(firstRun, runStarts.getOrDefault(firstRun, Instant.EPOCH)),
                  conflicts.getOrDefault(key, List.of())));
        };
    connections.read(
        "read the change events to match in run " + runId,
        reader -> {
          // The window's events that earlier runs stored (this run matched its own as it read
          // them), but for those with conflicting copies delivered in this run, which come below.
          stream(
              reader,
              columns
                  + " WHERE occurred_s >= ? AND occurred_s <= ? AND first_run_id <> ?"
                  + " ORDER BY occurred_s, occurred_ns, event_key",
              select -> {
                select.setLong(1, window.start().getEpochSecond());
                select.setLong(2, window.end().getEpochSecond());
                select.setLong(3, runId);
              },
              rows -> {
                boolean conflictedNow =
                    conflicts.getOrDefault(rows.getString(3), List.of()).stream()
                        .anyMatch(conflict -> conflict.firstSeen().runId() == runId);
                if (window.contains(Instant.ofEpochSecond(rows.getLong(1), rows.getInt(2)))
                    && !conflictedNow) {
                  emit.handle(rows);
                }
              });
          // Every event that received a conflicting copy in this run, whenever it occurred.
          stream(
              reader,
              columns
                  + " WHERE event_key IN (SELECT event_key FROM event_conflicts"
                  + " WHERE first_run_id = ?) ORDER BY occurred_s, occurred_ns, event_key",
              select -> select.setLong(1, runId),
              emit);
          return null;
        });
  }

  @Override
  public void forEachOpenFinding(
      long runId, TimeWindow span, Set<Verdict> verdicts, Consumer<OpenFinding> consumer) {
    if (verdicts.isEmpty()) {
      return;
    }
    Map<Long, Instant> runStarts = runStarts();
    List<Verdict> wanted = List.copyOf(verdicts);
    String marks = String.join(", ", java.util.Collections.nCopies(wanted.size(), "?"));
    connections.read(
        "read the open findings of " + span,
        reader -> {
          stream(
              reader,
              "SELECT e.occurred_s, e.occurred_ns, e.event_key, e.event_json, e.raw_json,"
                  + " e.first_run_id, f.run_id, f.verdict, f.record_id"
                  + " FROM change_events e JOIN findings f ON f.event_key = e.event_key"
                  + " WHERE e.occurred_s >= ? AND e.occurred_s <= ?"
                  // The latest finding of a finished run, as latestFindings counts it.
                  + " AND f.run_id = (SELECT max(g.run_id) FROM findings g"
                  + " JOIN runs r ON r.id = g.run_id"
                  + " WHERE g.event_key = e.event_key AND r.status <> ?)"
                  // A change this run has already judged is not judged twice.
                  + " AND NOT EXISTS (SELECT 1 FROM findings h"
                  + " WHERE h.run_id = ? AND h.event_key = e.event_key)"
                  + " AND f.verdict IN ("
                  + marks
                  + ") ORDER BY e.occurred_s, e.occurred_ns, e.event_key",
              select -> {
                select.setLong(1, span.start().getEpochSecond());
                select.setLong(2, span.end().getEpochSecond());
                select.setString(3, RUNNING);
                select.setLong(4, runId);
                for (int i = 0; i < wanted.size(); i++) {
                  select.setString(5 + i, wanted.get(i).name());
                }
              },
              rows -> {
                if (!span.contains(Instant.ofEpochSecond(rows.getLong(1), rows.getInt(2)))) {
                  return;
                }
                long firstRun = rows.getLong(6);
                consumer.accept(
                    new OpenFinding(
                        new StoredEvent(
                            Codec.event(rows.getString(4), rows.getString(5), rows.getString(3)),
                            new Seen(firstRun, runStarts.getOrDefault(firstRun, Instant.EPOCH)),
                            List.of()),
                        rows.getLong(7),
                        Verdict.valueOf(rows.getString(8)),
                        rows.getString(9)));
              });
          return null;
        });
  }

  @Override
  public void forEachVerdict(long runId, TimeWindow window, Consumer<StoredVerdict> consumer) {
    long startS = window.start().getEpochSecond();
    Dialect dialect = connections.dialect();
    String columns =
        "SELECT f.event_key, f.occurred_s, f.occurred_ns, f.verdict, f.record_id, "
            + dialect.jsonText("f.finding_json", "ruleId")
            + ", "
            + dialect.jsonText("f.finding_json", "actor")
            + ", "
            + dialect.jsonText("f.finding_json", "person");
    String colon = dialect.indexOf("f.event_key", "':'");
    String order = " ORDER BY f.occurred_s, f.occurred_ns, f.event_key";
    // Findings on unusable input are not changes: their keys have a prefix of their own.
    String onChanges =
        " AND substr(f.event_key, 1, "
            + Reconciler.UNREADABLE_KEY_PREFIX.length()
            + ") <> '"
            + Reconciler.UNREADABLE_KEY_PREFIX
            + "'";
    List<StoredVerdict> rest = new ArrayList<>();
    connections.read(
        "read the verdicts of run " + runId,
        reader -> {
          // Before the window: a late delivery if this run stored the change first (these come
          // first), else a conflicting copy of another time (these come last). Few, so each is
          // looked up with the run that stored it, through the unique key (source type, native
          // id) that the event key spells "sourceType:nativeId"; a finding on no stored change
          // drops out of the join.
          stream(
              reader,
              columns
                  + ", e.first_run_id FROM findings f JOIN change_events e"
                  + " ON e.source_type = substr(f.event_key, 1, "
                  + colon
                  + " - 1) AND e.native_id = substr(f.event_key, "
                  + colon
                  + " + 1) WHERE f.run_id = ? AND f.occurred_s <= ?"
                  + order,
              select -> {
                select.setLong(1, runId);
                select.setLong(2, startS);
              },
              rows -> {
                StoredVerdict verdict = verdict(rows, runId, window, rows.getLong(9) == runId);
                if (verdict.occurredAt().isBefore(window.start())) {
                  if (verdict.late()) {
                    consumer.accept(verdict);
                  } else {
                    rest.add(verdict);
                  }
                }
              });
          // From the window's start on: the window, then anything after it.
          stream(
              reader,
              columns
                  + " FROM findings f WHERE f.run_id = ? AND f.occurred_s >= ?"
                  + onChanges
                  + order,
              select -> {
                select.setLong(1, runId);
                select.setLong(2, startS);
              },
              rows -> {
                StoredVerdict verdict = verdict(rows, runId, window, false);
                if (window.contains(verdict.occurredAt())) {
                  consumer.accept(verdict);
                } else if (!verdict.occurredAt().isBefore(window.start())) {
                  rest.add(verdict);
                }
              });
          return null;
        });
    rest.forEach(consumer);
  }

  private static StoredVerdict verdict(ResultSet rows, long runId, TimeWindow window, boolean late)
      throws SQLException {
    return new StoredVerdict(
        rows.getString(1),
        Instant.ofEpochSecond(rows.getLong(2), rows.getInt(3)),
        Verdict.valueOf(rows.getString(4)),
        rows.getString(5),
        rows.getString(6),
        rows.getString(7),
        rows.getString(8),
        late);
  }

  /** The start time of every run, for telling when evidence was first seen. */
  private Map<Long, Instant> runStarts() {
    return connections.read(
        "read when runs started",
        reader -> {
          Map<Long, Instant> starts = new HashMap<>();
          try (PreparedStatement select =
                  reader.prepareStatement("SELECT id, started_at FROM runs");
              ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              starts.put(rows.getLong(1), Instant.parse(rows.getString(2)));
            }
          }
          return starts;
        });
  }

  /**
   * The conflicting copies of every event a run matches. Conflicts are rare, so they are read up
   * front rather than looked up per event.
   */
  private Map<String, List<StoredEvent.Conflict>> conflictsToMatch(
      long runId, TimeWindow window, Map<Long, Instant> runStarts) {
    return connections.read(
        "read conflicting copies",
        reader -> {
          Map<String, List<StoredEvent.Conflict>> conflicts = new HashMap<>();
          try (PreparedStatement select =
              reader.prepareStatement(
                  "SELECT c.event_key, c.event_class, c.event_json, c.raw_json, c.raw_sha256,"
                      + " c.first_run_id FROM event_conflicts c JOIN change_events e"
                      + " ON e.source_type = c.source_type AND e.native_id = c.native_id"
                      + " WHERE (e.occurred_s >= ? AND e.occurred_s <= ?)"
                      + " OR e.first_run_id = ? OR c.first_run_id = ?"
                      + " ORDER BY c.event_key, c.id")) {
            select.setLong(1, window.start().getEpochSecond());
            select.setLong(2, window.end().getEpochSecond());
            select.setLong(3, runId);
            select.setLong(4, runId);
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                String key = rows.getString(1);
                String eventJson = rows.getString(3);
                long run = rows.getLong(6);
                conflicts
                    .computeIfAbsent(key, k -> new ArrayList<>())
                    .add(
                        new StoredEvent.Conflict(
                            EventClass.valueOf(rows.getString(2)),
                            eventJson == null
                                ? null
                                : Codec.event(eventJson, rows.getString(4), key),
                            rows.getString(5),
                            new Seen(run, runStarts.getOrDefault(run, Instant.EPOCH))));
              }
            }
          }
          return conflicts;
        });
  }

  @Override
  public void forEachRejection(long runId, Consumer<StoredRejection> consumer) {
    connections.read(
        "read the rejected input of run " + runId,
        reader ->
            stream(
                reader,
                "SELECT source, location, message, extent, fields_json FROM rejected_inputs"
                    + " WHERE run_id = ? ORDER BY id",
                select -> select.setLong(1, runId),
                rows ->
                    consumer.accept(
                        new StoredRejection(
                            runId,
                            rows.getString(1),
                            new InputProblem(
                                rows.getString(2),
                                rows.getString(3),
                                InputProblem.Extent.valueOf(rows.getString(4)),
                                Codec.stringMap(
                                    rows.getString(5), "rejected input of run " + runId))))));
  }

  /**
   * The raw payload of a stored change event and the SHA-256 recorded when it was stored, for an
   * auditor who wants to check the evidence.
   */
  public Optional<RawEvidence> rawEvidence(String sourceType, String nativeId) {
    return connections.read(
        "read the raw payload of " + sourceType + ":" + nativeId,
        reader -> {
          try (PreparedStatement select =
              reader.prepareStatement(
                  "SELECT raw_json, raw_sha256 FROM change_events"
                      + " WHERE source_type = ? AND native_id = ?")) {
            select.setString(1, sourceType);
            select.setString(2, nativeId);
            try (ResultSet rows = select.executeQuery()) {
              return rows.next()
                  ? Optional.of(new RawEvidence(rows.getString(1), rows.getString(2)))
                  : Optional.empty();
            }
          }
        });
  }

  @Override
  public List<PopulationCount> population(TimeWindow window) {
    if (!window.end().isAfter(window.start())) {
      return List.of();
    }
    // Counts are per UTC day: every day the window touches, whole.
    String firstDay = Codec.day(Codec.clampToDays(window.start()));
    String lastDay = Codec.day(Codec.clampToDays(window.end().minusNanos(1)));
    return connections.read(
        "count the population of " + window,
        reader -> {
          List<PopulationCount> counts = new ArrayList<>();
          // Changes are kept whole in change_events; every other class is counted per unit of
          // input in population_counts (only the newest content of each unit counts), or per
          // native id in population by sources that read no units.
          try (PreparedStatement select =
              reader.prepareStatement(
                  "SELECT source, system_name, day_utc, event_class, SUM(n) FROM ("
                      + " SELECT source, system_name, day_utc, event_class, COUNT(*) AS n"
                      + " FROM population WHERE day_utc >= ? AND day_utc <= ?"
                      + " GROUP BY source, system_name, day_utc, event_class"
                      + " UNION ALL"
                      + " SELECT u.source, c.system_name, c.day_utc, c.event_class,"
                      + " SUM(c.observations) AS n"
                      + " FROM population_counts c JOIN population_units u ON u.id = c.unit_id"
                      + " WHERE c.day_utc >= ? AND c.day_utc <= ? AND NOT EXISTS (SELECT 1 FROM"
                      + " population_units newer WHERE newer.source = u.source"
                      + " AND newer.unit_key = u.unit_key AND newer.id > u.id)"
                      + " GROUP BY u.source, c.system_name, c.day_utc, c.event_class"
                      + " UNION ALL"
                      + " SELECT source, system_name, day_utc, 'CHANGE', COUNT(*) AS n"
                      + " FROM change_events WHERE occurred_s >= ? AND occurred_s < ?"
                      + " GROUP BY source, system_name, day_utc"
                      + ") counted GROUP BY source, system_name, day_utc, event_class")) {
            for (int i = 1; i <= 4; i += 2) {
              select.setString(i, firstDay);
              select.setString(i + 1, lastDay);
            }
            select.setLong(5, LocalDate.parse(firstDay).toEpochDay() * 86_400L);
            select.setLong(6, (LocalDate.parse(lastDay).toEpochDay() + 1) * 86_400L);
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                counts.add(
                    new PopulationCount(
                        rows.getString(1),
                        rows.getString(2),
                        LocalDate.parse(rows.getString(3)),
                        EventClass.valueOf(rows.getString(4)),
                        rows.getLong(5)));
              }
            }
          }
          // Sorted here rather than in SQL: databases disagree on where NULL systems sort.
          counts.sort(
              Comparator.comparing(PopulationCount::day)
                  .thenComparing(PopulationCount::source)
                  .thenComparing(
                      PopulationCount::system, Comparator.nullsFirst(Comparator.naturalOrder()))
                  .thenComparing(PopulationCount::eventClass));
          return List.copyOf(counts);
        });
  }

  // -------------------------------------------------------------------------------------- records

  @Override
  public RecordSaveResult saveRecords(long runId, String sourceName, List<ChangeRecord> records) {
    for (ChangeRecord record : records) {
      if (!record.source().equals(sourceName)) {
        throw new IllegalArgumentException(
            "record "
                + record.key()
                + " belongs to source "
                + record.source()
                + ", not to "
                + sourceName);
      }
    }
    // Serialised and hashed before the write lock is taken.
    List<String> jsons = new ArrayList<>(records.size());
    List<String> hashes = new ArrayList<>(records.size());
    List<String> approvalHashes = new ArrayList<>(records.size());
    for (ChangeRecord record : records) {
      String json = Codec.recordJson(record);
      jsons.add(json);
      hashes.add(ChangeEvent.sha256Hex(json));
      approvalHashes.add(Codec.approvalsSha256(record));
    }
    return connections.write(
        "save the records of source " + sourceName,
        writer -> {
          String seenAt = runStartedAt(writer, runId);
          long added = 0;
          long changed = 0;
          long unchanged = 0;
          // Latest (version, hash) per key, including versions added earlier in this same call.
          Map<String, Latest> latest = new HashMap<>();
          try (PreparedStatement select =
                  writer.prepareStatement(
                      "SELECT version, content_sha256, approvals_sha256,"
                          + " COALESCE(approvals_seen_run_id, first_seen_run_id)"
                          + " FROM change_records"
                          + " WHERE source = ? AND record_key = ? ORDER BY version DESC LIMIT 1");
              PreparedStatement insert =
                  writer.prepareStatement(
                      "INSERT INTO change_records (source, record_key, version, content_sha256,"
                          + " record_json, first_seen_run_id, seen_at, approvals_sha256,"
                          + " approvals_seen_run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int pending = 0;
            for (int i = 0; i < records.size(); i++) {
              String key = records.get(i).key();
              Latest current = latest.get(key);
              if (current == null) {
                current = latestVersion(select, sourceName, key);
              }
              String hash = hashes.get(i);
              if (current != null && current.sha256().equals(hash)) {
                unchanged++;
                continue;
              }
              int version = current == null ? 1 : current.version() + 1;
              if (current == null) {
                added++;
              } else {
                changed++;
              }
              // Approvals keep the run that first stored them while they stay the same, so a
              // record edited for another reason does not look newly approved.
              String approvals = approvalHashes.get(i);
              long approvalsSeen =
                  current != null && approvals.equals(current.approvalsSha256())
                      ? current.approvalsSeenRun()
                      : runId;
              latest.put(key, new Latest(version, hash, approvals, approvalsSeen));
              insert.setString(1, sourceName);
              insert.setString(2, key);
              insert.setInt(3, version);
              insert.setString(4, hash);
              insert.setString(5, jsons.get(i));
              insert.setLong(6, runId);
              insert.setString(7, seenAt);
              insert.setString(8, approvals);
              insert.setLong(9, approvalsSeen);
              insert.addBatch();
              if (++pending >= batchSize) {
                insert.executeBatch();
                pending = 0;
              }
            }
            if (pending > 0) {
              insert.executeBatch();
            }
          }
          return new RecordSaveResult(added, changed, unchanged);
        });
  }

  private record Latest(
      int version, String sha256, @Nullable String approvalsSha256, long approvalsSeenRun) {}

  private static @Nullable Latest latestVersion(
      PreparedStatement select, String sourceName, String key) throws SQLException {
    select.setString(1, sourceName);
    select.setString(2, key);
    try (ResultSet rows = select.executeQuery()) {
      return rows.next()
          ? new Latest(rows.getInt(1), rows.getString(2), rows.getString(3), rows.getLong(4))
          : null;
    }
  }

  @Override
  public Map<String, Seen> approvalsSeen(String sourceName) {
    return connections.read(
        "read when the records of " + sourceName + " got their approvals",
        reader -> {
          Map<String, Seen> seen = new HashMap<>();
          try (PreparedStatement select =
              reader.prepareStatement(
                  "SELECT r.record_key, s.id, s.started_at FROM change_records r"
                      + " JOIN (SELECT source, record_key, MAX(version) AS version"
                      + " FROM change_records WHERE source = ? GROUP BY source, record_key) latest"
                      + " ON latest.source = r.source AND latest.record_key = r.record_key"
                      + " AND latest.version = r.version"
                      + " JOIN runs s ON s.id = COALESCE(r.approvals_seen_run_id,"
                      + " r.first_seen_run_id)")) {
            select.setString(1, sourceName);
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                seen.put(
                    rows.getString(1), new Seen(rows.getLong(2), Instant.parse(rows.getString(3))));
              }
            }
          }
          return seen;
        });
  }

  /** Records are "seen" when the run that read them started: the store has no clock of its own. */
  private static String runStartedAt(Connection connection, long runId) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("SELECT started_at FROM runs WHERE id = ?")) {
      select.setLong(1, runId);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          throw new IllegalArgumentException("run " + runId + " does not exist");
        }
        return rows.getString(1);
      }
    }
  }

  @Override
  public List<ChangeRecord> currentRecords() {
    return connections.read(
        "read the current records",
        reader -> {
          List<ChangeRecord> records = new ArrayList<>();
          stream(
              reader,
              "SELECT r.source, r.record_key, r.record_json FROM change_records r"
                  + " JOIN (SELECT source, record_key, MAX(version) AS version"
                  + " FROM change_records GROUP BY source, record_key) latest"
                  + " ON latest.source = r.source AND latest.record_key = r.record_key"
                  + " AND latest.version = r.version"
                  + " ORDER BY r.source, r.record_key",
              select -> {},
              rows ->
                  records.add(
                      Codec.fromJson(
                          rows.getString(3),
                          ChangeRecord.class,
                          "record " + rows.getString(1) + "/" + rows.getString(2))));
          return List.copyOf(records);
        });
  }

  @Override
  public List<ChangeRecord> recordHistory(String sourceName, String key) {
    return connections.read(
        "read the history of record " + sourceName + "/" + key,
        reader -> {
          List<ChangeRecord> versions = new ArrayList<>();
          try (PreparedStatement select =
              reader.prepareStatement(
                  "SELECT version, record_json FROM change_records"
                      + " WHERE source = ? AND record_key = ? ORDER BY version")) {
            select.setString(1, sourceName);
            select.setString(2, key);
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                versions.add(
                    Codec.fromJson(
                        rows.getString(2),
                        ChangeRecord.class,
                        "record " + sourceName + "/" + key + " version " + rows.getInt(1)));
              }
            }
          }
          return List.copyOf(versions);
        });
  }

  // ------------------------------------------------------------------------------------- findings

  @Override
  public FindingWriter findingWriter(long runId) {
    // Checked now so that a wrong run id fails where it is passed, not at the first flush.
    String status =
        connections.read(
            "check run " + runId,
            reader -> {
              try (PreparedStatement select =
                  reader.prepareStatement("SELECT status FROM runs WHERE id = ?")) {
                select.setLong(1, runId);
                try (ResultSet rows = select.executeQuery()) {
                  return rows.next() ? rows.getString(1) : null;
                }
              }
            });
    if (status == null) {
      throw new IllegalArgumentException("run " + runId + " does not exist");
    }
    if (!status.equals(RUNNING)) {
      throw new IllegalStateException(
          "run " + runId + " has finished (" + status + "); its findings cannot change");
    }
    return new JdbcFindingWriter(connections, runId, batchSize);
  }

  @Override
  public void forEachFinding(long runId, Consumer<Finding> consumer) {
    connections.read(
        "read the findings of run " + runId,
        reader ->
            stream(
                reader,
                "SELECT event_key, finding_json FROM findings WHERE run_id = ?"
                    + " ORDER BY occurred_s, occurred_ns, event_key",
                select -> select.setLong(1, runId),
                rows ->
                    consumer.accept(
                        Codec.fromJson(
                            rows.getString(2),
                            Finding.class,
                            "finding for " + rows.getString(1) + " in run " + runId))));
  }

  /**
   * Each event's finding from the most recent finished run that has one, then filtered: an event
   * that was UNAUTHORIZED and is now AUTHORIZED is not listed as UNAUTHORIZED. Findings of a run
   * still in progress are not yet evidence and are left out.
   */
  @Override
  public List<Finding> latestFindings(FindingQuery query) {
    LatestFindingsSql filtered = latestFindingsSql(query);
    String sql =
        "SELECT f.event_key, f.run_id, f.finding_json"
            + filtered.from()
            + " ORDER BY f.occurred_s DESC, f.occurred_ns DESC, f.event_key DESC LIMIT ?";
    return connections.read(
        "list the latest findings",
        reader -> {
          List<Finding> findings = new ArrayList<>();
          try (PreparedStatement select = reader.prepareStatement(sql)) {
            int index = filtered.bind(select);
            select.setInt(index, query.limit());
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                findings.add(
                    Codec.fromJson(
                        rows.getString(3),
                        Finding.class,
                        "finding for " + rows.getString(1) + " in run " + rows.getLong(2)));
              }
            }
          }
          return List.copyOf(findings);
        });
  }

  @Override
  public long countLatestFindings(FindingQuery query) {
    LatestFindingsSql filtered = latestFindingsSql(query);
    return connections.read(
        "count the latest findings",
        reader -> {
          try (PreparedStatement select =
              reader.prepareStatement("SELECT COUNT(*)" + filtered.from())) {
            filtered.bind(select);
            try (ResultSet rows = select.executeQuery()) {
              rows.next();
              return rows.getLong(1);
            }
          }
        });
  }

  /**
   * The FROM and WHERE clauses shared by listing and counting, so the count always describes the
   * list, with the values to bind in order.
   */
  private record LatestFindingsSql(String from, List<Object> parameters) {
    /** Binds the parameters from index 1 and returns the next free index. */
    int bind(PreparedStatement select) throws SQLException {
      int index = 1;
      for (Object parameter : parameters) {
        select.setObject(index++, parameter);
      }
      return index;
    }
  }

  private static LatestFindingsSql latestFindingsSql(FindingQuery query) {
    List<String> conditions = new ArrayList<>();
    List<Object> parameters = new ArrayList<>();
    parameters.add(RUNNING);
    if (!query.verdicts().isEmpty()) {
      // Sorted, so the same query always gives the same statement.
      List<String> names = query.verdicts().stream().map(Enum::name).sorted().toList();
      conditions.add(
          "f.verdict IN (" + String.join(", ", Collections.nCopies(names.size(), "?")) + ")");
      parameters.addAll(names);
    }
    if (query.system() != null) {
      conditions.add("f.system_name = ?");
      parameters.add(query.system());
    }
    // Times are kept as seconds and nanoseconds: compare the pair, so a bound is exact to the
    // nanosecond.
    if (query.since() != null) {
      conditions.add("(f.occurred_s > ? OR (f.occurred_s = ? AND f.occurred_ns >= ?))");
      addTime(parameters, query.since());
    }
    if (query.until() != null) {
      conditions.add("(f.occurred_s < ? OR (f.occurred_s = ? AND f.occurred_ns < ?))");
      addTime(parameters, query.until());
    }
    if (query.untriaged()) {
      conditions.add("NOT EXISTS (SELECT 1 FROM triage_actions t WHERE t.event_key = f.event_key)");
    }
    String from =
        " FROM findings f"
            + " JOIN (SELECT fl.event_key, MAX(fl.run_id) AS run_id FROM findings fl"
            + " JOIN runs r ON r.id = fl.run_id WHERE r.status <> ?"
            + " GROUP BY fl.event_key) latest"
            + " ON latest.event_key = f.event_key AND latest.run_id = f.run_id"
            + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions));
    return new LatestFindingsSql(from, List.copyOf(parameters));
  }

  private static void addTime(List<Object> parameters, Instant time) {
    parameters.add(time.getEpochSecond());
    parameters.add(time.getEpochSecond());
    parameters.add((long) time.getNano());
  }

  // --------------------------------------------------------------------------------- triage

  @Override
  public List<RunFinding> findingHistory(String eventKey) {
    return connections.read(
        "read the findings on " + eventKey,
        reader -> {
          List<RunFinding> history = new ArrayList<>();
          try (PreparedStatement select =
              reader.prepareStatement(
                  "SELECT f.run_id, r.status, f.finding_json FROM findings f"
                      + " JOIN runs r ON r.id = f.run_id WHERE f.event_key = ? ORDER BY f.run_id")) {
            select.setString(1, eventKey);
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                long runId = rows.getLong(1);
                history.add(
                    new RunFinding(
                        runId,
                        RunStatus.valueOf(rows.getString(2)),
                        Codec.fromJson(
                            rows.getString(3),
                            Finding.class,
                            "finding for " + eventKey + " in run " + runId)));
              }
            }
          }
          return List.copyOf(history);
        });
  }

  @Override
  public TriageAction appendTriage(TriageAction action) {
    return connections.write(
        "append a triage action on " + action.eventKey(),
        writer -> {
          // Each row's hash covers the row before it: appends from two processes must take turns
          // so that both do not follow the same row (the run chain's lock serves, on PostgreSQL).
          connections.dialect().lockChain(writer);
          if (!exists(
              writer,
              "SELECT 1 FROM findings f JOIN runs r ON r.id = f.run_id"
                  + " WHERE f.event_key = ? AND r.status <> ?",
              action.eventKey(),
              RUNNING)) {
            throw new IllegalArgumentException(
                "no finished run has a finding on " + action.eventKey() + "; nothing to triage");
          }
          if (action.recordKey() != null
              && !exists(
                  writer,
                  "SELECT 1 FROM change_records WHERE record_key = ?",
                  action.recordKey())) {
            throw new IllegalArgumentException(
                "the store holds no change record " + action.recordKey());
          }
          String previous = RunChain.GENESIS;
          try (PreparedStatement last =
                  writer.prepareStatement(
                      "SELECT row_sha256 FROM triage_actions ORDER BY id DESC LIMIT 1");
              ResultSet rows = last.executeQuery()) {
            if (rows.next()) {
              previous = rows.getString(1);
            }
          }
          String actedAt = action.actedAt().toString();
          try (PreparedStatement insert =
              writer.prepareStatement(
                  "INSERT INTO triage_actions (event_key, decision, reason, by_person, record_key,"
                      + " ticket, acted_at, row_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                  new String[] {"id"})) {
            insert.setString(1, action.eventKey());
            insert.setString(2, action.decision().name());
            insert.setString(3, action.reason());
            insert.setString(4, action.by());
            insert.setString(5, action.recordKey());
            insert.setString(6, action.ticket());
            insert.setString(7, actedAt);
            insert.setString(
                8,
                triageRowHash(
                    previous,
                    action.eventKey(),
                    action.decision().name(),
                    action.reason(),
                    action.by(),
                    action.recordKey(),
                    action.ticket(),
                    actedAt));
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
              if (!keys.next()) {
                throw new SQLException("the database returned no id for the triage action");
              }
              return new TriageAction(
                  keys.getLong(1),
                  action.eventKey(),
                  action.decision(),
                  action.reason(),
                  action.by(),
                  action.recordKey(),
                  action.ticket(),
                  action.actedAt());
            }
          }
        });
  }

  private static boolean exists(Connection connection, String sql, String... values)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(sql + " LIMIT 1")) {
      for (int i = 0; i < values.length; i++) {
        select.setString(i + 1, values[i]);
      }
      try (ResultSet rows = select.executeQuery()) {
        return rows.next();
      }
    }
  }

  /**
   * The hash of a triage_actions row: its columns but the id, and the hash of the row appended
   * before it (64 zeros for the first). Triage actions belong to no run's link; chaining them row
   * to row means a row edited, inserted or removed in the middle breaks a hash that verify checks.
   */
  static String triageRowHash(
      String previous,
      String eventKey,
      String decision,
      String reason,
      String by,
      @Nullable String recordKey,
      @Nullable String ticket,
      String actedAt) {
    return RowHash.of(
        "triage_actions", previous, eventKey, decision, reason, by, recordKey, ticket, actedAt);
  }

  private static final String TRIAGE_COLUMNS =
      "SELECT id, event_key, decision, reason, by_person, record_key, ticket, acted_at"
          + " FROM triage_actions";

  private static TriageAction triageAction(ResultSet rows) throws SQLException {
    return new TriageAction(
        rows.getLong(1),
        rows.getString(2),
        TriageDecision.valueOf(rows.getString(3)),
        rows.getString(4),
        rows.getString(5),
        rows.getString(6),
        rows.getString(7),
        Instant.parse(rows.getString(8)));
  }

  @Override
  public List<TriageAction> triageHistory(String eventKey) {
    return connections.read(
        "read the triage of " + eventKey,
        reader -> {
          List<TriageAction> actions = new ArrayList<>();
          try (PreparedStatement select =
              reader.prepareStatement(TRIAGE_COLUMNS + " WHERE event_key = ? ORDER BY id")) {
            select.setString(1, eventKey);
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                actions.add(triageAction(rows));
              }
            }
          }
          return List.copyOf(actions);
        });
  }

  @Override
  public Map<String, TriageAction> currentTriage() {
    return connections.read(
        "read the current triage",
        reader -> {
          // In id order, so each change's later action replaces its earlier one.
          Map<String, TriageAction> current = new LinkedHashMap<>();
          stream(
              reader,
              TRIAGE_COLUMNS + " ORDER BY id",
              select -> {},
              rows -> {
                TriageAction action = triageAction(rows);
                current.put(action.eventKey(), action);
              });
          return Collections.unmodifiableMap(current);
        });
  }

  // ------------------------------------------------------------------------------- verification

  @Override
  public Verification verify() {
    return connections.read(
        "verify the store",
        reader -> {
          // One read transaction where the database has them (PostgreSQL): its rows stream
          // instead of being loaded whole, and every query sees the same snapshot, so a run that
          // finishes meanwhile cannot look like a broken link.
          Dialect dialect = connections.dialect();
          dialect.beginStreaming(reader);
          try {
            return verify(reader);
          } finally {
            dialect.endStreaming(reader);
          }
        });
  }

  private static Verification verify(Connection reader) throws SQLException {
    List<String> mismatches = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    long[] rowsChecked = {0};
    long runsChecked = 0;
    String previous = RunChain.GENESIS;
    long expectedSeq = 1;
    String head = null;
    RunChain.PopulationDigests population = RunChain.PopulationDigests.scan(reader, null);
    try (PreparedStatement select =
            reader.prepareStatement(
                "SELECT id, window_start, window_end, started_at, finished_at, status,"
                    + " config_sha256, summary_json, chain_seq, prev_chain_sha256,"
                    + " chain_sha256, scope FROM runs WHERE chain_seq IS NOT NULL"
                    + " ORDER BY chain_seq");
        ResultSet runs = select.executeQuery()) {
      while (runs.next()) {
        long id = runs.getLong(1);
        long seq = runs.getLong(9);
        if (seq != expectedSeq) {
          mismatches.add(
              "the hash chain skips from position "
                  + (expectedSeq - 1)
                  + " to "
                  + seq
                  + " (at run "
                  + id
                  + "): a run was removed");
        }
        expectedSeq = seq + 1;
        if (!previous.equals(runs.getString(10))) {
          mismatches.add(
              "run "
                  + id
                  + ": its link does not follow the previous run's (the chain was cut or"
                  + " rebuilt)");
        }
        RunChain.RunRow row =
            new RunChain.RunRow(
                id,
                runs.getString(2),
                runs.getString(3),
                runs.getString(4),
                runs.getString(5),
                runs.getString(6),
                runs.getString(7),
                runs.getString(8),
                runs.getString(12));
        String link =
            RunChain.link(reader, runs.getString(10), row, mismatches, rowsChecked, population);
        if (!link.equals(runs.getString(11))) {
          mismatches.add(
              "run "
                  + id
                  + ": its link no longer matches; the run or the evidence it added was"
                  + " changed, added to or removed after it finished");
        }
        previous = runs.getString(11);
        head = previous;
        runsChecked++;
      }
    }
    try (PreparedStatement select =
        reader.prepareStatement(
            "SELECT COUNT(*) FROM runs WHERE chain_seq IS NULL AND status <> ?")) {
      select.setString(1, RUNNING);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        long legacy = rows.getLong(1);
        if (legacy > 0) {
          notes.add(
              legacy
                  + " run(s) finished before the store kept a hash chain (schema version 2):"
                  + " their evidence was checked against its SHA-256 where recorded only");
        }
      }
    }
    rowsChecked[0] += verifyUnchainedPayloads(reader, mismatches);
    rowsChecked[0] += verifyTriage(reader, mismatches);
    return new Verification(rowsChecked[0], runsChecked, mismatches, notes, head);
  }

  /**
   * Recomputes the hash of every triage action, each over its columns and the hash recorded on the
   * row before it, and names each that no longer matches: the row was edited, or the one before it
   * was edited, inserted or removed.
   */
  private static long verifyTriage(Connection reader, List<String> mismatches) throws SQLException {
    long checked = 0;
    String previous = RunChain.GENESIS;
    try (PreparedStatement select =
            reader.prepareStatement(
                "SELECT id, event_key, decision, reason, by_person, record_key, ticket, acted_at,"
                    + " row_sha256 FROM triage_actions ORDER BY id");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        checked++;
        String recorded = rows.getString(9);
        String hash =
            triageRowHash(
                previous,
                rows.getString(2),
                rows.getString(3),
                rows.getString(4),
                rows.getString(5),
                rows.getString(6),
                rows.getString(7),
                rows.getString(8));
        if (!hash.equals(recorded)) {
          mismatches.add(
              "triage_actions row "
                  + rows.getLong(1)
                  + " ("
                  + rows.getString(2)
                  + ") no longer matches its hash (it was edited, or the row before it was"
                  + " edited, inserted or removed)");
        }
        previous = recorded == null ? "" : recorded;
      }
    }
    return checked;
  }

  /** Raw payloads of events stored by runs without a link are still checked against their hash. */
  private static long verifyUnchainedPayloads(Connection reader, List<String> mismatches)
      throws SQLException {
    long checked = 0;
    try (PreparedStatement select =
            reader.prepareStatement(
                "SELECT e.id, e.event_key, e.raw_json, e.raw_sha256 FROM change_events e"
                    + " JOIN runs r ON r.id = e.first_run_id WHERE r.chain_seq IS NULL"
                    + " AND r.status <> 'RUNNING'");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        checked++;
        if (!ChangeEvent.sha256Hex(rows.getString(3)).equals(rows.getString(4))) {
          mismatches.add(
              "change_events row "
                  + rows.getLong(1)
                  + " ("
                  + rows.getString(2)
                  + "): the raw payload no longer matches its SHA-256");
        }
      }
    }
    return checked;
  }

  // ---------------------------------------------------------------------------------- plumbing

  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  @FunctionalInterface
  private interface RowHandler {
    void handle(ResultSet row) throws SQLException;
  }

  /** Streams a query's rows with the dialect's fetch size instead of loading them all. */
  private Void stream(Connection reader, String sql, Binder binder, RowHandler handler)
      throws SQLException {
    Dialect dialect = connections.dialect();
    dialect.beginStreaming(reader);
    try (PreparedStatement select =
        reader.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
      select.setFetchSize(dialect.fetchSize());
      binder.bind(select);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          handler.handle(rows);
        }
      }
    } finally {
      dialect.endStreaming(reader);
    }
    return null;
  }

  @Override
  public void close() {
    connections.close();
  }

  @Override
  public String toString() {
    return "JdbcStore[" + connections.dialect() + "]";
  }
}
