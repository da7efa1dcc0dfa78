package dev.vouch.store;

import dev.vouch.core.model.Finding;
import dev.vouch.core.store.FindingWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Appends the findings of one run in batches, one transaction per batch. A run holds one finding
 * per event: a second finding for the same event in the same run is refused, because two verdicts
 * on one change would be ambiguous evidence.
 */
final class JdbcFindingWriter implements FindingWriter {

  static final String INSERT_FINDING =
      "INSERT INTO findings (run_id, event_key, occurred_s, occurred_ns, system_name, verdict,"
          + " record_id, finding_json, row_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (run_id, event_key) DO NOTHING";

  /** Adds a finding or replaces the run's finding on the same event (allowed while RUNNING). */
  static final String UPSERT_FINDING =
      "INSERT INTO findings (run_id, event_key, occurred_s, occurred_ns, system_name, verdict,"
          + " record_id, finding_json, row_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (run_id, event_key) DO UPDATE SET occurred_s = excluded.occurred_s,"
          + " occurred_ns = excluded.occurred_ns, system_name = excluded.system_name,"
          + " verdict = excluded.verdict, record_id = excluded.record_id,"
          + " finding_json = excluded.finding_json, row_sha256 = excluded.row_sha256";

  /** The hash of a findings row, over every column but its id and the hash itself. */
  static String rowHash(
      long runId,
      String eventKey,
      long occurredS,
      int occurredNs,
      @Nullable String system,
      String verdict,
      @Nullable String recordId,
      String json) {
    return RowHash.of(
        "findings", runId, eventKey, occurredS, occurredNs, system, verdict, recordId, json);
  }

  /** A finding encoded for its row, with the row's hash, ready to bind. */
  record Row(
      long runId,
      String eventKey,
      Instant occurredAt,
      @Nullable String system,
      String verdict,
      @Nullable String recordId,
      String json,
      String rowSha256,
      boolean replacing) {

    /** Encodes and hashes a finding of a run; thread-safe. */
    static Row of(long runId, Finding finding, boolean replacing) {
      String json = Codec.toJson(finding);
      return new Row(
          runId,
          finding.eventKey(),
          finding.occurredAt(),
          finding.system(),
          finding.verdict().name(),
          finding.recordId(),
          json,
          rowHash(
              runId,
              finding.eventKey(),
              finding.occurredAt().getEpochSecond(),
              finding.occurredAt().getNano(),
              finding.system(),
              finding.verdict().name(),
              finding.recordId(),
              json),
          replacing);
    }

    void bind(PreparedStatement insert) throws SQLException {
      insert.setLong(1, runId);
      insert.setString(2, eventKey);
      insert.setLong(3, occurredAt.getEpochSecond());
      insert.setInt(4, occurredAt.getNano());
      JdbcIngestWriter.setNullableString(insert, 5, system);
      insert.setString(6, verdict);
      JdbcIngestWriter.setNullableString(insert, 7, recordId);
      insert.setString(8, json);
      insert.setString(9, rowSha256);
    }
  }

  /**
   * Inserts findings, refusing (and so rolling back the transaction) a second finding on one event
   * of the run unless it was meant to replace the first.
   */
  static void insert(Connection writer, List<Row> rows) throws SQLException {
    List<Row> adding = new ArrayList<>();
    List<Row> replacing = new ArrayList<>();
    for (Row row : rows) {
      (row.replacing() ? replacing : adding).add(row);
    }
    if (!replacing.isEmpty()) {
      try (PreparedStatement upsert = writer.prepareStatement(UPSERT_FINDING)) {
        for (Row row : replacing) {
          row.bind(upsert);
          upsert.addBatch();
        }
        upsert.executeBatch();
      }
    }
    if (adding.isEmpty()) {
      return;
    }
    try (PreparedStatement insert = writer.prepareStatement(INSERT_FINDING)) {
      for (Row row : adding) {
        row.bind(insert);
        insert.addBatch();
      }
      int[] counts = insert.executeBatch();
      List<String> duplicates = new ArrayList<>();
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] == 0) {
          duplicates.add(adding.get(i).eventKey());
        } else if (counts[i] != 1) {
          throw new StoreException(
              "the JDBC driver reported update count "
                  + counts[i]
                  + " for a finding; exact per-row counts are required");
        }
      }
      if (!duplicates.isEmpty()) {
        // Thrown inside the transaction, so the whole batch is rolled back.
        throw new IllegalStateException(
            "run "
                + adding.get(0).runId()
                + " already has a finding for "
                + (duplicates.size() <= 5
                    ? String.join(", ", duplicates)
                    : String.join(", ", duplicates.subList(0, 5))
                        + " and "
                        + (duplicates.size() - 5)
                        + " more")
                + "; a run holds one finding per event");
      }
    }
  }

  private final Connections connections;
  private final long runId;
  private final int batchSize;
  private final List<Row> rows = new ArrayList<>();
  private boolean closed;

  JdbcFindingWriter(Connections connections, long runId, int batchSize) {
    this.connections = connections;
    this.runId = runId;
    this.batchSize = batchSize;
  }

  @Override
  public void write(Finding finding) {
    add(finding, false);
  }

  @Override
  public void replace(Finding finding) {
    add(finding, true);
  }

  private void add(Finding finding, boolean replacing) {
    if (closed) {
      throw new IllegalStateException("the finding writer of run " + runId + " is closed");
    }
    rows.add(Row.of(runId, finding, replacing));
    if (rows.size() >= batchSize) {
      flush();
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    flush();
    closed = true;
  }

  private void flush() {
    if (rows.isEmpty()) {
      return;
    }
    connections.write(
        "append findings to run " + runId,
        writer -> {
          insert(writer, rows);
          return null;
        });
    rows.clear();
  }

  @Override
  public String toString() {
    return "FindingWriter[run " + runId + "]";
  }
}
