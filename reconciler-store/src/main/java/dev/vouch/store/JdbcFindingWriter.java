package dev.vouch.store;

import dev.vouch.core.model.Finding;
import dev.vouch.core.store.FindingWriter;
import java.sql.PreparedStatement;
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

  private record Row(
      String eventKey,
      Instant occurredAt,
      @Nullable String system,
      String verdict,
      @Nullable String recordId,
      String json) {}

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
    if (closed) {
      throw new IllegalStateException("the finding writer of run " + runId + " is closed");
    }
    rows.add(
        new Row(
            finding.eventKey(),
            finding.occurredAt(),
            finding.system(),
            finding.verdict().name(),
            finding.recordId(),
            Codec.toJson(finding)));
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
          try (PreparedStatement insert = writer.prepareStatement(INSERT_FINDING)) {
            for (Row row : rows) {
              insert.setLong(1, runId);
              insert.setString(2, row.eventKey());
              insert.setLong(3, row.occurredAt().getEpochSecond());
              insert.setInt(4, row.occurredAt().getNano());
              JdbcIngestWriter.setNullableString(insert, 5, row.system());
              insert.setString(6, row.verdict());
              JdbcIngestWriter.setNullableString(insert, 7, row.recordId());
              insert.setString(8, row.json());
              insert.setString(
                  9,
                  rowHash(
                      runId,
                      row.eventKey(),
                      row.occurredAt().getEpochSecond(),
                      row.occurredAt().getNano(),
                      row.system(),
                      row.verdict(),
                      row.recordId(),
                      row.json()));
              insert.addBatch();
            }
            int[] counts = insert.executeBatch();
            List<String> duplicates = new ArrayList<>();
            for (int i = 0; i < counts.length; i++) {
              if (counts[i] == 0) {
                duplicates.add(rows.get(i).eventKey());
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
                      + runId
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
          return null;
        });
    rows.clear();
  }

  @Override
  public String toString() {
    return "FindingWriter[run " + runId + "]";
  }
}
