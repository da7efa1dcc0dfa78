package dev.vouch.store;

import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.EventClass;
import dev.vouch.core.store.UnitTally;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The hash chain over runs. When a run finishes (or is marked interrupted), its link is computed
 * over the previous link, the run's own row, and every row the run added to the evidence tables,
 * each row hashed from its columns. Editing, adding or deleting any such row, or a run, changes
 * that run's link and so every later one: the head printed with each run, kept outside the store,
 * then no longer matches. {@code vouch verify} recomputes every link the same way.
 */
final class RunChain {
  /** The link before the first run. */
  static final String GENESIS = "0".repeat(64);

  private static final String VERSION = "vouch-run-link-1";

  private RunChain() {}

  /**
   * The values of a run's row that its link covers.
   *
   * @param id the run id
   * @param windowStart the window start as stored
   * @param windowEnd the window end as stored
   * @param startedAt when it started, as stored
   * @param finishedAt when it finished, as stored
   * @param status its final status
   * @param configSha256 the configuration hash
   * @param summaryJson the stored summary
   */
  record RunRow(
      long id,
      String windowStart,
      String windowEnd,
      String startedAt,
      String finishedAt,
      String status,
      String configSha256,
      String summaryJson,
      String scope) {}

  /**
   * Computes a run's link from the rows in the database, recomputing each row's hash from its
   * columns. A row whose recorded hash differs from the recomputed one is named in {@code
   * mismatches}; the link uses the recomputed hash, so it matches the recorded link only when the
   * rows are as they were when the run finished.
   */
  static String link(
      Connection c,
      String previous,
      RunRow run,
      List<String> mismatches,
      long[] rowsChecked,
      PopulationDigests population)
      throws SQLException {
    return link(c, previous, run, mismatches, rowsChecked, population, true);
  }

  /**
   * Computes a run's link. With {@code recompute} false (sealing a run that just wrote its rows)
   * each row contributes the hash recorded when it was written, read without its other columns;
   * {@code vouch verify} recomputes every hash from the columns instead, and both give the same
   * link as long as no row changed.
   */
  static String link(
      Connection c,
      String previous,
      RunRow run,
      List<String> mismatches,
      long[] rowsChecked,
      PopulationDigests population,
      boolean recompute)
      throws SQLException {
    RowHash link = new RowHash();
    link.add(VERSION)
        .add(previous)
        .add(run.id())
        .add(run.windowStart())
        .add(run.windowEnd())
        .add(run.startedAt())
        .add(run.finishedAt())
        .add(run.status())
        .add(run.configSha256())
        .add(run.summaryJson());
    if (!run.scope().isEmpty()) {
      // Only runs of an extra job have a scope; a review's link stays as before version 4.
      link.add("scope").add(run.scope());
    }
    for (Section section :
        List.of(
            recompute
                ? changeEvents(c, run.id(), mismatches)
                : recorded(c, "change_events", "first_run_id", "id", run.id(), mismatches),
            recompute
                ? conflicts(c, run.id(), mismatches)
                : recorded(c, "event_conflicts", "first_run_id", "id", run.id(), mismatches),
            population.of(run.id()),
            records(c, run.id(), mismatches),
            recompute
                ? findings(c, run.id(), mismatches)
                : recorded(c, "findings", "run_id", "id", run.id(), mismatches),
            recompute
                ? rejections(c, run.id(), mismatches)
                : recorded(c, "rejected_inputs", "run_id", "id", run.id(), mismatches),
            recompute
                ? coverage(c, run.id(), mismatches)
                : recorded(
                    c,
                    "coverage",
                    "run_id",
                    "source, partition_key, day_utc",
                    run.id(),
                    mismatches))) {
      link.add(section.hex());
      rowsChecked[0] += section.rows;
    }
    // Runs stored before population was counted per unit have no units, and their links stay as
    // they were; a run with units has them in its link after every other section.
    Section units =
        recompute
            ? units(c, run.id(), mismatches)
            : recorded(c, "population_units", "first_run_id", "id", run.id(), mismatches);
    if (units.rows > 0) {
      link.add("population_units").add(units.hex());
      rowsChecked[0] += units.rows;
    }
    return link.hex();
  }

  /**
   * The units a run counted, each hashed with its counts; one query over the run's units and their
   * count rows.
   */
  private static Section units(Connection c, long runId, List<String> mismatches)
      throws SQLException {
    Section section = new Section();
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT u.id, u.source, u.unit_key, u.content_sha256, u.observations, u.row_sha256,"
                + " c.system_name, c.day_utc, c.event_class, c.observations"
                + " FROM population_units u LEFT JOIN population_counts c ON c.unit_id = u.id"
                + " WHERE u.first_run_id = ? ORDER BY u.id")) {
      select.setLong(1, runId);
      try (ResultSet rows = select.executeQuery()) {
        UnitRows unit = null;
        while (rows.next()) {
          long id = rows.getLong(1);
          if (unit == null || unit.id != id) {
            if (unit != null) {
              section.add(unit.hash(runId, mismatches));
            }
            unit =
                new UnitRows(
                    id,
                    rows.getString(2),
                    rows.getString(3),
                    rows.getString(4),
                    rows.getLong(5),
                    rows.getString(6));
          }
          String day = rows.getString(8);
          if (day != null) {
            unit.counts.put(
                new UnitTally.Key(
                    rows.getString(7), LocalDate.parse(day), EventClass.valueOf(rows.getString(9))),
                rows.getLong(10));
          }
        }
        if (unit != null) {
          section.add(unit.hash(runId, mismatches));
        }
      }
    }
    return section;
  }

  /** One stored unit and its count rows, as read back. */
  private static final class UnitRows {
    final long id;
    final String source;
    final String key;
    final String contentSha256;
    final long observations;
    final @Nullable String recorded;
    final Map<UnitTally.Key, Long> counts = new HashMap<>();

    UnitRows(
        long id,
        String source,
        String key,
        String contentSha256,
        long observations,
        @Nullable String recorded) {
      this.id = id;
      this.source = source;
      this.key = key;
      this.contentSha256 = contentSha256;
      this.observations = observations;
      this.recorded = recorded;
    }

    String hash(long runId, List<String> mismatches) {
      String hash =
          JdbcIngestWriter.unitRowHash(
              source,
              key,
              contentSha256,
              observations,
              runId,
              JdbcIngestWriter.countRows(new UnitTally(key, contentSha256, counts)));
      if (!hash.equals(recorded)) {
        mismatches.add(
            "population_units row "
                + id
                + " ("
                + key
                + ") "
                + (recorded == null ? "has lost its hash" : "no longer matches its hash")
                + " (the unit or its counts were edited)");
      }
      return hash;
    }
  }

  /** The hashes a table's rows of one run recorded when they were written, in the given order. */
  private static Section recorded(
      Connection c, String table, String runColumn, String order, long runId, List<String> missing)
      throws SQLException {
    Section section = new Section();
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT row_sha256 FROM " + table + " WHERE " + runColumn + " = ? ORDER BY " + order)) {
      select.setLong(1, runId);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          String hash = rows.getString(1);
          if (hash == null) {
            missing.add("a row of " + table + " written by run " + runId + " has no hash");
            continue;
          }
          section.add(hash);
        }
      }
    }
    return section;
  }

  /** Computes one row's hash from its columns, noting any mismatch with what was recorded. */
  @FunctionalInterface
  private interface RowHasher {
    String hash(ResultSet row) throws SQLException;
  }

  /** Runs a query for one run's rows of a table and hashes each row, in the query's order. */
  private static Section scan(Connection c, String sql, long runId, RowHasher hasher)
      throws SQLException {
    Section section = new Section();
    try (PreparedStatement select = c.prepareStatement(sql)) {
      select.setLong(1, runId);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          section.add(hasher.hash(rows));
        }
      }
    }
    return section;
  }

  private static Section changeEvents(Connection c, long runId, List<String> mismatches)
      throws SQLException {
    return scan(
        c,
        "SELECT id, source_type, native_id, event_key, source, system_name, occurred_s,"
            + " occurred_ns, day_utc, event_json, raw_json, raw_sha256, first_run_id, row_sha256"
            + " FROM change_events WHERE first_run_id = ? ORDER BY id",
        runId,
        rows -> {
          String rawJson = rows.getString(11);
          String rawSha = rows.getString(12);
          checkPayload(
              mismatches, "change_events", rows.getLong(1), rows.getString(4), rawJson, rawSha);
          String hash =
              JdbcIngestWriter.changeRowHash(
                  rows.getString(2),
                  rows.getString(3),
                  rows.getString(4),
                  rows.getString(5),
                  rows.getString(6),
                  rows.getLong(7),
                  rows.getInt(8),
                  rows.getString(9),
                  rows.getString(10),
                  rawJson,
                  rawSha,
                  rows.getLong(13));
          check(mismatches, "change_events", rows.getLong(1), rows.getString(4), hash, rows, 14);
          return hash;
        });
  }

  private static Section conflicts(Connection c, long runId, List<String> mismatches)
      throws SQLException {
    return scan(
        c,
        "SELECT id, source_type, native_id, event_key, source, event_class, event_json, raw_json,"
            + " raw_sha256, first_run_id, row_sha256 FROM event_conflicts"
            + " WHERE first_run_id = ? ORDER BY id",
        runId,
        rows -> {
          String rawJson = rows.getString(8);
          String rawSha = rows.getString(9);
          if (rawJson != null) {
            checkPayload(
                mismatches, "event_conflicts", rows.getLong(1), rows.getString(4), rawJson, rawSha);
          }
          String hash =
              JdbcIngestWriter.conflictRowHash(
                  rows.getString(2),
                  rows.getString(3),
                  rows.getString(4),
                  rows.getString(5),
                  rows.getString(6),
                  rows.getString(7),
                  rawJson,
                  rawSha,
                  rows.getLong(10));
          check(mismatches, "event_conflicts", rows.getLong(1), rows.getString(4), hash, rows, 11);
          return hash;
        });
  }

  /**
   * The population section of every run's link. Population rows have no hash of their own (there
   * are hundreds of thousands a month) and no index by run (keeping one would slow every insert by
   * a third): one scan of the table in key order hashes each row into its run's section, so the
   * sections of all runs cost one pass.
   */
  static final class PopulationDigests {
    private final Map<Long, Section> sections;

    private PopulationDigests(Map<Long, Section> sections) {
      this.sections = sections;
    }

    /** Scans the population once for the sections of the given runs, or of every run if null. */
    static PopulationDigests scan(Connection c, @Nullable Set<Long> runs) throws SQLException {
      Map<Long, Section> sections = new HashMap<>();
      try (PreparedStatement select =
          c.prepareStatement(
              "SELECT source_type, native_id, source, system_name, day_utc, event_class,"
                  + " first_run_id FROM population ORDER BY source_type, native_id")) {
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            long run = rows.getLong(7);
            if (runs != null && !runs.contains(run)) {
              continue;
            }
            sections
                .computeIfAbsent(run, r -> new Section())
                .add(
                    RowHash.of(
                        "population",
                        rows.getString(1),
                        rows.getString(2),
                        rows.getString(3),
                        rows.getString(4),
                        rows.getString(5),
                        rows.getString(6),
                        run));
          }
        }
      }
      return new PopulationDigests(sections);
    }

    Section of(long runId) {
      return sections.getOrDefault(runId, new Section());
    }
  }

  private static Section records(Connection c, long runId, List<String> mismatches)
      throws SQLException {
    return scan(
        c,
        "SELECT id, source, record_key, version, content_sha256, record_json, seen_at,"
            + " approvals_sha256, approvals_seen_run_id FROM change_records"
            + " WHERE first_seen_run_id = ? ORDER BY id",
        runId,
        rows -> {
          String json = rows.getString(6);
          if (!ChangeEvent.sha256Hex(json).equals(rows.getString(5))) {
            mismatches.add(
                "change_records row "
                    + rows.getLong(1)
                    + " ("
                    + rows.getString(2)
                    + "/"
                    + rows.getString(3)
                    + " version "
                    + rows.getInt(4)
                    + "): the record no longer matches its content hash");
          }
          return RowHash.of(
              "change_records",
              rows.getString(2),
              rows.getString(3),
              rows.getInt(4),
              ChangeEvent.sha256Hex(json),
              json,
              runId,
              rows.getString(7),
              rows.getString(8),
              rows.getObject(9) == null ? null : rows.getLong(9));
        });
  }

  private static Section findings(Connection c, long runId, List<String> mismatches)
      throws SQLException {
    return scan(
        c,
        "SELECT id, event_key, occurred_s, occurred_ns, system_name, verdict, record_id,"
            + " finding_json, row_sha256 FROM findings WHERE run_id = ? ORDER BY id",
        runId,
        rows -> {
          String hash =
              JdbcFindingWriter.rowHash(
                  runId,
                  rows.getString(2),
                  rows.getLong(3),
                  rows.getInt(4),
                  rows.getString(5),
                  rows.getString(6),
                  rows.getString(7),
                  rows.getString(8));
          check(mismatches, "findings", rows.getLong(1), rows.getString(2), hash, rows, 9);
          return hash;
        });
  }

  private static Section rejections(Connection c, long runId, List<String> mismatches)
      throws SQLException {
    return scan(
        c,
        "SELECT id, source, location, message, extent, fields_json, row_sha256"
            + " FROM rejected_inputs WHERE run_id = ? ORDER BY id",
        runId,
        rows -> {
          String hash =
              JdbcIngestWriter.rejectionRowHash(
                  runId,
                  rows.getString(2),
                  rows.getString(3),
                  rows.getString(4),
                  rows.getString(5),
                  rows.getString(6));
          check(mismatches, "rejected_inputs", rows.getLong(1), rows.getString(3), hash, rows, 7);
          return hash;
        });
  }

  private static Section coverage(Connection c, long runId, List<String> mismatches)
      throws SQLException {
    return scan(
        c,
        "SELECT source, partition_key, day_utc, observations, proven_complete, status,"
            + " row_sha256 FROM coverage WHERE run_id = ? ORDER BY source, partition_key, day_utc",
        runId,
        rows -> {
          String hash =
              coverageRowHash(
                  runId,
                  rows.getString(1),
                  rows.getString(2),
                  rows.getString(3),
                  rows.getLong(4),
                  rows.getInt(5) == 1,
                  rows.getString(6));
          if (!hash.equals(rows.getString(7))) {
            mismatches.add(
                "coverage row of run "
                    + runId
                    + " ("
                    + rows.getString(2)
                    + " on "
                    + rows.getString(3)
                    + ") no longer matches its hash");
          }
          return hash;
        });
  }

  private static void checkPayload(
      List<String> mismatches, String table, long id, String key, String rawJson, String rawSha) {
    if (!ChangeEvent.sha256Hex(rawJson).equals(rawSha)) {
      mismatches.add(
          table + " row " + id + " (" + key + "): the raw payload no longer matches its SHA-256");
    }
  }

  /** The hash of a coverage row. */
  static String coverageRowHash(
      long runId,
      String source,
      String partition,
      String day,
      long observations,
      boolean provenComplete,
      String status) {
    return RowHash.of(
        "coverage", runId, source, partition, day, observations, provenComplete ? 1 : 0, status);
  }

  private static void check(
      List<String> mismatches,
      String table,
      long id,
      String what,
      String recomputed,
      ResultSet rows,
      int hashColumn)
      throws SQLException {
    @Nullable String recorded = rows.getString(hashColumn);
    if (!Objects.equals(recomputed, recorded)) {
      mismatches.add(
          table
              + " row "
              + id
              + " ("
              + what
              + ") "
              + (recorded == null ? "has lost its hash" : "no longer matches its hash"));
    }
  }

  /** A running SHA-256 over the row hashes of one table's rows of a run, in order. */
  private static final class Section {
    private final MessageDigest digest;
    long rows;

    Section() {
      try {
        digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JDK provides SHA-256", e);
      }
    }

    void add(String rowHash) {
      digest.update(HexFormat.of().parseHex(rowHash));
      rows++;
    }

    String hex() {
      return HexFormat.of().formatHex(digest.digest());
    }
  }
}
