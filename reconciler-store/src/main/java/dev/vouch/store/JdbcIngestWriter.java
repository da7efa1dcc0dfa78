package dev.vouch.store;

import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.EventClass;
import dev.vouch.core.store.IngestWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Buffers what one source reads and writes it in batches. Each batch is one transaction; the batch
 * that {@link #commit} flushes carries the cursor in the same transaction. A crash between batches
 * leaves the cursor where the last commit put it: the source reads the rows again and they are
 * skipped as duplicates, so nothing is lost and nothing is doubled.
 */
final class JdbcIngestWriter implements IngestWriter {

  static final String INSERT_CHANGE =
      "INSERT INTO change_events (source_type, native_id, event_key, source, system_name,"
          + " occurred_s, occurred_ns, day_utc, event_json, raw_json, raw_sha256, first_run_id)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (source_type, native_id) DO NOTHING";
  static final String INSERT_POPULATION =
      "INSERT INTO population (source_type, native_id, source, system_name, day_utc, event_class,"
          + " first_run_id) VALUES (?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (source_type, native_id) DO NOTHING";
  static final String UPSERT_CURSOR =
      "INSERT INTO cursors (source_name, cursor_value, updated_run_id) VALUES (?, ?, ?)"
          + " ON CONFLICT (source_name) DO UPDATE"
          + " SET cursor_value = excluded.cursor_value, updated_run_id = excluded.updated_run_id";

  private record ChangeRow(
      String sourceType,
      String nativeId,
      String key,
      String source,
      @Nullable String system,
      Instant occurredAt,
      String day,
      String eventJson,
      String rawJson,
      String rawSha256) {}

  private record PopulationRow(
      String sourceType,
      String nativeId,
      String source,
      @Nullable String system,
      String day,
      EventClass eventClass) {}

  private final Connections connections;
  private final long runId;
  private final String sourceName;
  private final int batchSize;
  private final List<ChangeRow> changes = new ArrayList<>();
  private final List<PopulationRow> population = new ArrayList<>();
  private long newChanges;
  private long duplicateChanges;
  private long newPopulation;
  private long duplicatePopulation;
  private boolean closed;

  JdbcIngestWriter(Connections connections, long runId, String sourceName, int batchSize) {
    this.connections = connections;
    this.runId = runId;
    this.sourceName = sourceName;
    this.batchSize = batchSize;
  }

  @Override
  public void write(ChangeEvent event, @Nullable String system) {
    ensureOpen();
    String day = Codec.day(event.occurredAt());
    if (event.eventClass() == EventClass.CHANGE) {
      changes.add(
          new ChangeRow(
              event.sourceType(),
              event.nativeId(),
              event.key(),
              event.source(),
              system,
              event.occurredAt(),
              day,
              Codec.eventJson(event),
              event.rawJson(),
              event.rawSha256()));
    } else {
      population.add(
          new PopulationRow(
              event.sourceType(),
              event.nativeId(),
              event.source(),
              system,
              day,
              event.eventClass()));
    }
    if (changes.size() + population.size() >= batchSize) {
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
    return new IngestCounts(newChanges, duplicateChanges, newPopulation, duplicatePopulation);
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
    if (changes.isEmpty() && population.isEmpty() && !withCursor) {
      return;
    }
    long[] counts =
        connections.write(
            withCursor
                ? "store the batch and cursor of source " + sourceName
                : "store a batch of source " + sourceName,
            writer -> {
              long[] result = new long[4];
              insertChanges(writer, result);
              insertPopulation(writer, result);
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
    changes.clear();
    population.clear();
  }

  private void insertChanges(Connection writer, long[] result) throws SQLException {
    if (changes.isEmpty()) {
      return;
    }
    try (PreparedStatement insert = writer.prepareStatement(INSERT_CHANGE)) {
      for (ChangeRow row : changes) {
        insert.setString(1, row.sourceType());
        insert.setString(2, row.nativeId());
        insert.setString(3, row.key());
        insert.setString(4, row.source());
        setNullableString(insert, 5, row.system());
        insert.setLong(6, row.occurredAt().getEpochSecond());
        insert.setInt(7, row.occurredAt().getNano());
        insert.setString(8, row.day());
        insert.setString(9, row.eventJson());
        insert.setString(10, row.rawJson());
        insert.setString(11, row.rawSha256());
        insert.setLong(12, runId);
        insert.addBatch();
      }
      tally(insert.executeBatch(), result, 0, "change_events");
    }
  }

  private void insertPopulation(Connection writer, long[] result) throws SQLException {
    if (population.isEmpty()) {
      return;
    }
    try (PreparedStatement insert = writer.prepareStatement(INSERT_POPULATION)) {
      for (PopulationRow row : population) {
        insert.setString(1, row.sourceType());
        insert.setString(2, row.nativeId());
        insert.setString(3, row.source());
        setNullableString(insert, 4, row.system());
        insert.setString(5, row.day());
        insert.setString(6, row.eventClass().name());
        insert.setLong(7, runId);
        insert.addBatch();
      }
      tally(insert.executeBatch(), result, 2, "population");
    }
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
