package dev.vouch.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.core.json.Json;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.EventClass;
import dev.vouch.core.model.Finding;
import dev.vouch.core.spi.InputProblem;
import dev.vouch.core.store.IngestWriter;
import dev.vouch.core.store.UnitTally;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Buffers what one source reads and writes it in batches. Each batch is one transaction; the batch
 * that {@link #commit} flushes carries the cursor in the same transaction. A crash between batches
 * leaves the cursor where the last commit put it: the source reads the rows again and they are
 * skipped as duplicates, so nothing is lost and nothing is doubled.
 *
 * <p>An observation whose id is already stored is a duplicate only when its content is the same
 * (compared as JSON, so key order and spacing do not matter). Different content under one id is
 * kept beside the first copy in {@code event_conflicts}: a reused or forged id must never hide a
 * second record, and which copy arrived first must not decide anything.
 */
final class JdbcIngestWriter implements IngestWriter {

  static final String INSERT_CHANGE =
      "INSERT INTO change_events (source_type, native_id, event_key, source, system_name,"
          + " occurred_s, occurred_ns, day_utc, event_json, raw_json, raw_sha256, first_run_id,"
          + " row_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (source_type, native_id) DO NOTHING";
  static final String INSERT_POPULATION =
      "INSERT INTO population (source_type, native_id, source, system_name, day_utc, event_class,"
          + " first_run_id) VALUES (?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (source_type, native_id) DO NOTHING";
  static final String INSERT_CONFLICT =
      "INSERT INTO event_conflicts (source_type, native_id, event_key, source, event_class,"
          + " event_json, raw_json, raw_sha256, first_run_id, row_sha256)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (source_type, native_id, event_class, raw_sha256) DO NOTHING";

  static final String INSERT_REJECTION =
      "INSERT INTO rejected_inputs (run_id, source, location, message, extent, fields_json,"
          + " row_sha256) VALUES (?, ?, ?, ?, ?, ?, ?)";

  /**
   * A rejection of an earlier window's input already kept by an earlier run (the same source, place
   * and reason: a late-delivery re-read of a file) is not kept again.
   */
  static final String INSERT_REJECTION_ONCE =
      "INSERT INTO rejected_inputs (run_id, source, location, message, extent, fields_json,"
          + " row_sha256) SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM"
          + " rejected_inputs WHERE source = ? AND location = ? AND message = ? AND run_id <> ?)";

  static final String UPSERT_CURSOR =
      "INSERT INTO cursors (source_name, cursor_value, updated_run_id) VALUES (?, ?, ?)"
          + " ON CONFLICT (source_name) DO UPDATE"
          + " SET cursor_value = excluded.cursor_value, updated_run_id = excluded.updated_run_id";

  /** Ids looked up per statement when checking a batch against what is stored. */
  private static final int IDS_PER_LOOKUP = 400;

  /** A change encoded and hashed for its row, with the run's finding on it if there is one. */
  private record ChangeRow(
      ChangeEvent event,
      @Nullable String system,
      String eventJson,
      String day,
      String rawSha256,
      String rowSha256,
      JdbcFindingWriter.@Nullable Row finding)
      implements Prepared {}

  private record PopulationRow(ChangeEvent event, @Nullable String system) implements Prepared {}

  private final Connections connections;
  private final long runId;
  private final String sourceName;
  private final int batchSize;
  private final List<ChangeRow> changes = new ArrayList<>();
  private final List<PopulationRow> population = new ArrayList<>();

  private record Rejection(InputProblem problem, boolean keepOnce) {}

  private final List<Rejection> rejections = new ArrayList<>();
  private final List<UnitTally> units = new ArrayList<>();
  private final List<InputProblem> changedUnits = new ArrayList<>();
  private long newChanges;
  private long duplicateChanges;
  private long newPopulation;
  private long duplicatePopulation;
  private long conflicts;
  private boolean closed;

  JdbcIngestWriter(Connections connections, long runId, String sourceName, int batchSize) {
    this.connections = connections;
    this.runId = runId;
    this.sourceName = sourceName;
    this.batchSize = batchSize;
  }

  /** The hash of a change_events row, over every column but its id and the hash itself. */
  static String changeRowHash(
      String sourceType,
      String nativeId,
      String eventKey,
      String source,
      @Nullable String system,
      long occurredS,
      int occurredNs,
      String day,
      String eventJson,
      String rawJson,
      String rawSha256,
      long firstRunId) {
    return RowHash.of(
        "change_events",
        sourceType,
        nativeId,
        eventKey,
        source,
        system,
        occurredS,
        occurredNs,
        day,
        eventJson,
        rawJson,
        rawSha256,
        firstRunId);
  }

  /** The hash of an event_conflicts row. */
  static String conflictRowHash(
      String sourceType,
      String nativeId,
      String eventKey,
      String source,
      String eventClass,
      @Nullable String eventJson,
      @Nullable String rawJson,
      @Nullable String rawSha256,
      long firstRunId) {
    return RowHash.of(
        "event_conflicts",
        sourceType,
        nativeId,
        eventKey,
        source,
        eventClass,
        eventJson,
        rawJson,
        rawSha256,
        firstRunId);
  }

  /** The hash of a rejected_inputs row. */
  static String rejectionRowHash(
      long runId, String source, String location, String message, String extent, String fields) {
    return RowHash.of("rejected_inputs", runId, source, location, message, extent, fields);
  }

  @Override
  public Prepared prepare(ChangeEvent event, @Nullable String system, @Nullable Finding finding) {
    if (event.eventClass() != EventClass.CHANGE) {
      return new PopulationRow(event, system);
    }
    Instant at = event.occurredAt();
    String eventJson = Codec.eventJson(event);
    String day = Codec.day(at);
    String rawSha = event.rawSha256();
    return new ChangeRow(
        event,
        system,
        eventJson,
        day,
        rawSha,
        changeRowHash(
            event.sourceType(),
            event.nativeId(),
            event.key(),
            event.source(),
            system,
            at.getEpochSecond(),
            at.getNano(),
            day,
            eventJson,
            event.rawJson(),
            rawSha,
            runId),
        finding == null ? null : JdbcFindingWriter.Row.of(runId, finding, false));
  }

  @Override
  public void write(Prepared observation) {
    ensureOpen();
    if (observation instanceof ChangeRow change) {
      changes.add(change);
    } else if (observation instanceof PopulationRow counted) {
      population.add(counted);
    } else {
      throw new IllegalArgumentException(
          "not prepared by this writer: " + observation.getClass().getName());
    }
    flushIfFull();
  }

  @Override
  public void reject(InputProblem problem, boolean keepOnce) {
    ensureOpen();
    rejections.add(new Rejection(problem, keepOnce));
    flushIfFull();
  }

  @Override
  public void unit(UnitTally tally) {
    ensureOpen();
    units.add(tally);
    flushIfFull();
  }

  private void flushIfFull() {
    if (changes.size() + population.size() + rejections.size() + units.size() >= batchSize) {
      flush(false, null);
    }
  }

  @Override
  public void commit(@Nullable String cursor) {
    ensureOpen();
    flush(true, cursor);
  }

  /** Exact counts: rows still buffered are flushed first, since only the database knows. */
  @Override
  public IngestCounts counts() {
    if (!closed) {
      flush(false, null);
    }
    return new IngestCounts(
        newChanges, duplicateChanges, newPopulation, duplicatePopulation, conflicts, changedUnits);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    flush(false, null);
    closed = true;
  }

  private void flush(boolean withCursor, @Nullable String cursor) {
    if (changes.isEmpty()
        && population.isEmpty()
        && rejections.isEmpty()
        && units.isEmpty()
        && !withCursor) {
      return;
    }
    List<InputProblem> changed = new ArrayList<>();
    long[] counts =
        connections.write(
            withCursor
                ? "store the batch and cursor of source " + sourceName
                : "store a batch of source " + sourceName,
            writer -> {
              long[] result = new long[5];
              changed.clear();
              insertChanges(writer, result);
              insertPopulation(writer, result);
              insertUnits(writer, result, changed);
              insertRejections(writer, changed);
              if (withCursor) {
                saveCursor(writer, cursor);
              }
              return result;
            });
    // Counted only once the transaction committed, so a failed batch is not counted as stored.
    newChanges += counts[0];
    duplicateChanges += counts[1];
    newPopulation += counts[2];
    duplicatePopulation += counts[3];
    conflicts += counts[4];
    changedUnits.addAll(changed);
    changes.clear();
    population.clear();
    rejections.clear();
    units.clear();
  }

  private void insertChanges(Connection writer, long[] result) throws SQLException {
    if (changes.isEmpty()) {
      return;
    }
    int[] updateCounts;
    try (PreparedStatement insert = writer.prepareStatement(INSERT_CHANGE)) {
      for (ChangeRow row : changes) {
        ChangeEvent event = row.event();
        Instant at = event.occurredAt();
        insert.setString(1, event.sourceType());
        insert.setString(2, event.nativeId());
        insert.setString(3, event.key());
        insert.setString(4, event.source());
        setNullableString(insert, 5, row.system());
        insert.setLong(6, at.getEpochSecond());
        insert.setInt(7, at.getNano());
        insert.setString(8, row.day());
        insert.setString(9, row.eventJson());
        insert.setString(10, event.rawJson());
        insert.setString(11, row.rawSha256());
        insert.setLong(12, runId);
        insert.setString(13, row.rowSha256());
        insert.addBatch();
      }
      updateCounts = insert.executeBatch();
    }
    tally(updateCounts, result, 0, "change_events");
    List<ChangeRow> stored = new ArrayList<>();
    List<ChangeRow> repeated = new ArrayList<>();
    for (int i = 0; i < updateCounts.length; i++) {
      (updateCounts[i] == 1 ? stored : repeated).add(changes.get(i));
    }
    // The run's findings on the changes stored for the first time; a change stored before is
    // matched from the store (Store.forEachEventToMatch), so its finding here is dropped.
    List<JdbcFindingWriter.Row> findings = new ArrayList<>();
    for (ChangeRow row : stored) {
      if (row.finding() != null) {
        findings.add(row.finding());
      }
    }
    JdbcFindingWriter.insert(writer, findings);
    // A repeated id is a duplicate only if its content is the same as the stored copy's.
    Map<String, List<ChangeRow>> repeatedByType = byType(repeated, r -> r.event().sourceType());
    for (Map.Entry<String, List<ChangeRow>> group : repeatedByType.entrySet()) {
      Map<String, String[]> storedCopies =
          lookup(
              writer,
              "SELECT native_id, raw_sha256, raw_json FROM change_events WHERE source_type = ?",
              group.getKey(),
              group.getValue().stream().map(r -> r.event().nativeId()).toList(),
              2);
      for (ChangeRow row : group.getValue()) {
        String[] first = storedCopies.get(row.event().nativeId());
        if (first != null && !sameContent(first[0], first[1], row.rawSha256(), row.event())) {
          result[4] += insertConflict(writer, row.event(), row.eventJson());
        }
      }
    }
    // A new change whose id was counted before as another class (read-only, failed) conflicts
    // with that observation, of which only the class was kept.
    Map<String, List<ChangeRow>> storedByType = byType(stored, r -> r.event().sourceType());
    for (Map.Entry<String, List<ChangeRow>> group : storedByType.entrySet()) {
      Map<String, String[]> counted =
          lookup(
              writer,
              "SELECT native_id, event_class FROM population WHERE source_type = ?",
              group.getKey(),
              group.getValue().stream().map(r -> r.event().nativeId()).toList(),
              1);
      for (ChangeRow row : group.getValue()) {
        String[] other = counted.get(row.event().nativeId());
        if (other != null) {
          result[4] += insertCountedConflict(writer, row.event(), other[0]);
        }
      }
    }
  }

  private void insertPopulation(Connection writer, long[] result) throws SQLException {
    if (population.isEmpty()) {
      return;
    }
    int[] updateCounts;
    try (PreparedStatement insert = writer.prepareStatement(INSERT_POPULATION)) {
      for (PopulationRow row : population) {
        ChangeEvent event = row.event();
        insert.setString(1, event.sourceType());
        insert.setString(2, event.nativeId());
        insert.setString(3, event.source());
        setNullableString(insert, 4, row.system());
        insert.setString(5, Codec.day(event.occurredAt()));
        insert.setString(6, event.eventClass().name());
        insert.setLong(7, runId);
        insert.addBatch();
      }
      updateCounts = insert.executeBatch();
    }
    tally(updateCounts, result, 2, "population");
    // An observation whose id is stored as a change conflicts with it: keep this copy whole.
    List<PopulationRow> counted = new ArrayList<>();
    for (int i = 0; i < updateCounts.length; i++) {
      if (updateCounts[i] == 1) {
        counted.add(population.get(i));
      }
    }
    for (Map.Entry<String, List<PopulationRow>> group :
        byType(counted, r -> r.event().sourceType()).entrySet()) {
      Map<String, String[]> asChange =
          lookup(
              writer,
              "SELECT native_id, raw_sha256 FROM change_events WHERE source_type = ?",
              group.getKey(),
              group.getValue().stream().map(r -> r.event().nativeId()).toList(),
              1);
      for (PopulationRow row : group.getValue()) {
        if (asChange.containsKey(row.event().nativeId())) {
          result[4] += insertConflict(writer, row.event(), Codec.eventJson(row.event()));
        }
      }
    }
  }

  static final String INSERT_UNIT =
      "INSERT INTO population_units (source, unit_key, content_sha256, observations, first_run_id,"
          + " row_sha256) VALUES (?, ?, ?, ?, ?, ?) RETURNING id";
  static final String INSERT_UNIT_COUNT =
      "INSERT INTO population_counts (unit_id, system_name, day_utc, event_class, observations)"
          + " VALUES (?, ?, ?, ?, ?)";

  /** The hash of a population_units row together with its counts, in {@link UnitTally}'s order. */
  static String unitRowHash(
      String source,
      String unitKey,
      String contentSha256,
      long observations,
      long firstRunId,
      List<String[]> counts) {
    RowHash hash = new RowHash();
    hash.add("population_units")
        .add(source)
        .add(unitKey)
        .add(contentSha256)
        .add(observations)
        .add(firstRunId);
    for (String[] count : counts) {
      for (String value : count) {
        hash.add(value);
      }
    }
    return hash.hex();
  }

  /** The count rows of a tally as stored: system, day, class and observations. */
  static List<String[]> countRows(UnitTally tally) {
    List<String[]> rows = new ArrayList<>(tally.counts().size());
    tally
        .counts()
        .forEach(
            (key, n) ->
                rows.add(
                    new String[] {
                      key.system(), key.day().toString(), key.eventClass().name(), Long.toString(n)
                    }));
    return rows;
  }

  /**
   * Keeps each unit's counts unless the same content was counted before; a key counted before with
   * other content becomes a problem of this run.
   */
  private void insertUnits(Connection writer, long[] result, List<InputProblem> changed)
      throws SQLException {
    if (units.isEmpty()) {
      return;
    }
    // What is stored under each key of the batch: content hash to the run that counted it.
    Map<String, Map<String, Long>> stored = new HashMap<>();
    List<String> keys = units.stream().map(UnitTally::unitKey).distinct().toList();
    for (int from = 0; from < keys.size(); from += IDS_PER_LOOKUP) {
      List<String> chunk = keys.subList(from, Math.min(keys.size(), from + IDS_PER_LOOKUP));
      try (PreparedStatement select =
          writer.prepareStatement(
              "SELECT unit_key, content_sha256, first_run_id FROM population_units"
                  + " WHERE source = ? AND unit_key IN ("
                  + String.join(",", chunk.stream().map(k -> "?").toList())
                  + ") ORDER BY id")) {
        select.setString(1, sourceName);
        for (int i = 0; i < chunk.size(); i++) {
          select.setString(i + 2, chunk.get(i));
        }
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            stored
                .computeIfAbsent(rows.getString(1), k -> new LinkedHashMap<>())
                .put(rows.getString(2), rows.getLong(3));
          }
        }
      }
    }
    try (PreparedStatement insert = writer.prepareStatement(INSERT_UNIT);
        PreparedStatement counts = writer.prepareStatement(INSERT_UNIT_COUNT)) {
      for (UnitTally unit : units) {
        Map<String, Long> versions =
            stored.computeIfAbsent(unit.unitKey(), k -> new LinkedHashMap<>());
        long observations = unit.observations();
        if (versions.containsKey(unit.contentSha256())) {
          result[3] += observations;
          continue;
        }
        if (!versions.isEmpty()) {
          changed.add(changedUnit(unit, versions));
        }
        List<String[]> rows = countRows(unit);
        insert.setString(1, sourceName);
        insert.setString(2, unit.unitKey());
        insert.setString(3, unit.contentSha256());
        insert.setLong(4, observations);
        insert.setLong(5, runId);
        insert.setString(
            6,
            unitRowHash(
                sourceName, unit.unitKey(), unit.contentSha256(), observations, runId, rows));
        long unitId;
        try (ResultSet id = insert.executeQuery()) {
          if (!id.next()) {
            throw new StoreException("the store returned no id for unit " + unit.unitKey());
          }
          unitId = id.getLong(1);
        }
        for (String[] row : rows) {
          counts.setLong(1, unitId);
          setNullableString(counts, 2, row[0]);
          counts.setString(3, row[1]);
          counts.setString(4, row[2]);
          counts.setLong(5, Long.parseLong(row[3]));
          counts.addBatch();
        }
        versions.put(unit.contentSha256(), runId);
        result[2] += observations;
      }
      counts.executeBatch();
    }
  }

  private InputProblem changedUnit(UnitTally unit, Map<String, Long> versions) {
    Map.Entry<String, Long> last = null;
    for (Map.Entry<String, Long> version : versions.entrySet()) {
      last = version;
    }
    Objects.requireNonNull(last);
    return new InputProblem(
        unit.unitKey(),
        "the content changed since run "
            + last.getValue()
            + " counted it (SHA-256 "
            + last.getKey().substring(0, 12)
            + "... then, "
            + unit.contentSha256().substring(0, 12)
            + "... now): a delivered log file never changes, so this one was altered or replaced;"
            + " it was read again, its changes are matched, and its counts replace the earlier"
            + " ones");
  }

  private void insertRejections(Connection writer, List<InputProblem> changed) throws SQLException {
    if (rejections.isEmpty() && changed.isEmpty()) {
      return;
    }
    List<Rejection> all = new ArrayList<>(rejections);
    changed.forEach(problem -> all.add(new Rejection(problem, false)));
    try (PreparedStatement always = writer.prepareStatement(INSERT_REJECTION);
        PreparedStatement once = writer.prepareStatement(INSERT_REJECTION_ONCE)) {
      boolean anyAlways = false;
      boolean anyOnce = false;
      for (Rejection rejection : all) {
        InputProblem problem = rejection.problem();
        PreparedStatement insert = rejection.keepOnce() ? once : always;
        String fields = Codec.toJson(problem.fields());
        insert.setLong(1, runId);
        insert.setString(2, sourceName);
        insert.setString(3, problem.location());
        insert.setString(4, problem.message());
        insert.setString(5, problem.extent().name());
        insert.setString(6, fields);
        insert.setString(
            7,
            rejectionRowHash(
                runId,
                sourceName,
                problem.location(),
                problem.message(),
                problem.extent().name(),
                fields));
        if (rejection.keepOnce()) {
          insert.setString(8, sourceName);
          insert.setString(9, problem.location());
          insert.setString(10, problem.message());
          insert.setLong(11, runId);
          anyOnce = true;
        } else {
          anyAlways = true;
        }
        insert.addBatch();
      }
      if (anyAlways) {
        always.executeBatch();
      }
      if (anyOnce) {
        once.executeBatch();
      }
    }
  }

  /** Stores a conflicting copy kept whole; returns 1 when it was new, 0 when seen before. */
  private int insertConflict(Connection writer, ChangeEvent event, String eventJson)
      throws SQLException {
    String rawSha = event.rawSha256();
    try (PreparedStatement insert = writer.prepareStatement(INSERT_CONFLICT)) {
      insert.setString(1, event.sourceType());
      insert.setString(2, event.nativeId());
      insert.setString(3, event.key());
      insert.setString(4, event.source());
      insert.setString(5, event.eventClass().name());
      insert.setString(6, eventJson);
      insert.setString(7, event.rawJson());
      insert.setString(8, rawSha);
      insert.setLong(9, runId);
      insert.setString(
          10,
          conflictRowHash(
              event.sourceType(),
              event.nativeId(),
              event.key(),
              event.source(),
              event.eventClass().name(),
              eventJson,
              event.rawJson(),
              rawSha,
              runId));
      return insert.executeUpdate();
    }
  }

  /** Records that a new change's id was counted before as another class; once per class. */
  private int insertCountedConflict(Connection writer, ChangeEvent change, String eventClass)
      throws SQLException {
    try (PreparedStatement select =
        writer.prepareStatement(
            "SELECT 1 FROM event_conflicts WHERE source_type = ? AND native_id = ?"
                + " AND event_class = ? AND raw_sha256 IS NULL")) {
      select.setString(1, change.sourceType());
      select.setString(2, change.nativeId());
      select.setString(3, eventClass);
      try (ResultSet rows = select.executeQuery()) {
        if (rows.next()) {
          return 0;
        }
      }
    }
    try (PreparedStatement insert = writer.prepareStatement(INSERT_CONFLICT)) {
      insert.setString(1, change.sourceType());
      insert.setString(2, change.nativeId());
      insert.setString(3, change.key());
      insert.setString(4, change.source());
      insert.setString(5, eventClass);
      insert.setNull(6, Types.VARCHAR);
      insert.setNull(7, Types.VARCHAR);
      insert.setNull(8, Types.VARCHAR);
      insert.setLong(9, runId);
      insert.setString(
          10,
          conflictRowHash(
              change.sourceType(),
              change.nativeId(),
              change.key(),
              change.source(),
              eventClass,
              null,
              null,
              null,
              runId));
      return insert.executeUpdate();
    }
  }

  /**
   * Whether a delivery has the same content as the stored copy: the same bytes, or the same JSON
   * value (members in another order, other spacing).
   */
  private static boolean sameContent(
      String storedSha, String storedRaw, String deliveredSha, ChangeEvent delivered) {
    if (storedSha.equals(deliveredSha)) {
      return true;
    }
    try {
      JsonNode a = Json.mapper().readTree(storedRaw);
      JsonNode b = Json.mapper().readTree(delivered.rawJson());
      return Objects.equals(a, b);
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  /**
   * Looks up stored rows by native id, in chunks: native id to the next {@code columns} columns.
   */
  private static Map<String, String[]> lookup(
      Connection connection, String sqlPrefix, String sourceType, List<String> ids, int columns)
      throws SQLException {
    Map<String, String[]> found = new HashMap<>();
    for (int from = 0; from < ids.size(); from += IDS_PER_LOOKUP) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_LOOKUP));
      String sql =
          sqlPrefix
              + " AND native_id IN ("
              + String.join(",", chunk.stream().map(i -> "?").toList())
              + ")";
      try (PreparedStatement select = connection.prepareStatement(sql)) {
        select.setString(1, sourceType);
        for (int i = 0; i < chunk.size(); i++) {
          select.setString(i + 2, chunk.get(i));
        }
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            String[] values = new String[columns];
            for (int c = 0; c < columns; c++) {
              values[c] = rows.getString(c + 2);
            }
            found.put(rows.getString(1), values);
          }
        }
      }
    }
    return found;
  }

  private static <T> Map<String, List<T>> byType(
      List<T> rows, java.util.function.Function<T, String> type) {
    Map<String, List<T>> grouped = new LinkedHashMap<>();
    for (T row : rows) {
      grouped.computeIfAbsent(type.apply(row), k -> new ArrayList<>()).add(row);
    }
    return grouped;
  }

  private void saveCursor(Connection writer, @Nullable String cursor) throws SQLException {
    try (PreparedStatement upsert = writer.prepareStatement(UPSERT_CURSOR)) {
      upsert.setString(1, sourceName);
      setNullableString(upsert, 2, cursor);
      upsert.setLong(3, runId);
      upsert.executeUpdate();
    }
  }

  /** Counts inserted rows (update count 1) and skipped duplicates (update count 0). */
  private static void tally(int[] updateCounts, long[] result, int offset, String table) {
    for (int count : updateCounts) {
      if (count == 1) {
        result[offset]++;
      } else if (count == 0) {
        result[offset + 1]++;
      } else {
        // SUCCESS_NO_INFO (-2), for instance from a driver that rewrites batches: without exact
        // counts the run could not say how many events were new, so refuse rather than guess.
        throw new StoreException(
            "the JDBC driver reported update count "
                + count
                + " for an insert into "
                + table
                + "; exact per-row counts are required (disable batch rewriting)");
      }
    }
  }

  static void setNullableString(PreparedStatement statement, int index, @Nullable String value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.VARCHAR);
    } else {
      statement.setString(index, value);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException(
          "the ingest writer of source " + sourceName + " in run " + runId + " is closed");
    }
  }

  @Override
  public String toString() {
    return "IngestWriter[run " + runId + ", source " + sourceName + "]";
  }
}
