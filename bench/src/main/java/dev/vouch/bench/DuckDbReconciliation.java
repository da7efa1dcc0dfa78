package dev.vouch.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

/**
 * The reconciliation of a generated CloudTrail month written as the SQL a user would run in DuckDB
 * over the same files: {@code read_json_objects} over every gzip log file, the {@code Records}
 * array unnested with {@code from_json}, the changes picked out, and a join of each change with the
 * approved windows of its system and implementer. (The same files read with {@code read_json(...,
 * columns = {Records: 'STRUCT(...)[]'})} take DuckDB 2.0 about eight times as long: it is slow to
 * turn a log file's one large object into rows. The faster form is measured, so that Vouch is set
 * against the best SQL, not a weak one.) It gives every change the verdict {@link VerdictOracle}
 * defines, so its answer can be checked exactly like Vouch's, and its time set beside Vouch's.
 *
 * <p>Usage: {@code DuckDbReconciliation --data DIR [--month YYYY-MM] [--threads N]}; prints the
 * elapsed time (connection, query and reading the answer), the verdict check, and a last line
 * {@code duckdb.seconds=S} for the run script. Exit status 0 when every verdict is as expected, 1
 * otherwise, 2 for bad arguments or a failed query.
 */
public final class DuckDbReconciliation {

  static final String USAGE =
      "usage: DuckDbReconciliation --data DIR [--month YYYY-MM (2026-10)] [--threads N (cores)]";

  /** Services that act on their own; Vouch's built-in rules exclude their calls (see README). */
  static final List<String> SELF_ACTING_SERVICES =
      List.of(
          "autoscaling.amazonaws.com",
          "application-autoscaling.amazonaws.com",
          "elasticloadbalancing.amazonaws.com",
          "eks.amazonaws.com",
          "eks-nodegroup.amazonaws.com",
          "ecs.amazonaws.com",
          "rds.amazonaws.com",
          "dynamodb.amazonaws.com",
          "kms.amazonaws.com",
          "config.amazonaws.com",
          "backup.amazonaws.com",
          "dlm.amazonaws.com");

  /**
   * The fields of a record the query reads, as a {@code from_json} structure; DuckDB skips the rest
   * of each record.
   */
  static final String RECORD_STRUCTURE =
      "[{\"eventID\": \"VARCHAR\", \"eventTime\": \"VARCHAR\", \"eventSource\": \"VARCHAR\","
          + " \"eventName\": \"VARCHAR\", \"eventType\": \"VARCHAR\", \"eventCategory\":"
          + " \"VARCHAR\", \"readOnly\": \"BOOLEAN\", \"errorCode\": \"VARCHAR\","
          + " \"recipientAccountId\": \"VARCHAR\", \"userIdentity\": {\"type\": \"VARCHAR\","
          + " \"userName\": \"VARCHAR\", \"arn\": \"VARCHAR\", \"invokedBy\": \"VARCHAR\","
          + " \"sessionContext\": {\"sessionIssuer\": {\"userName\": \"VARCHAR\"}}}}]";

  /**
   * The reconciliation. Parameters: the log files' glob, the change log, the window (from, to),
   * grace before and after, proximity and the emergency deadline, in seconds.
   */
  static final String QUERY =
      """
      WITH records AS (
        SELECT unnest(from_json(json -> 'Records', '%s')) AS r
        FROM read_json_objects(?, maximum_object_size = 67108864)
      ),
      changes AS (
        SELECT r.eventID AS event_id,
               r.eventTime::TIMESTAMPTZ AS t,
               s.system,
               r.userIdentity.type = 'AWSService'
                 OR r.userIdentity.invokedBy IN (%s) AS automation,
               CASE
                 WHEN r.userIdentity.type = 'IAMUser' THEN r.userIdentity.userName
                 WHEN r.userIdentity.type = 'AssumedRole'
                      AND r.userIdentity.sessionContext.sessionIssuer.userName
                          LIKE 'AWSReservedSSO!_%%' ESCAPE '!'
                   THEN split_part(r.userIdentity.arn, '/', 3)
               END AS principal
        FROM records
        LEFT JOIN systems s ON s.account = r.recipientAccountId
        WHERE r.errorCode IS NULL
          AND r.eventType IN ('AwsApiCall', 'AwsConsoleAction')
          AND coalesce(r.eventCategory, 'Management') = 'Management'
          AND NOT coalesce(r.readOnly, regexp_matches(r.eventName, '^(Describe|Get|List)'))
          AND r.eventTime::TIMESTAMPTZ >= ?::TIMESTAMPTZ
          AND r.eventTime::TIMESTAMPTZ < ?::TIMESTAMPTZ
      ),
      people AS (
        SELECT c.*, a.person FROM changes c LEFT JOIN aliases a ON a.alias = c.principal
      ),
      log AS (
        SELECT id, type,
               string_split(systems, ';') AS systems,
               window_start::TIMESTAMPTZ AS window_start,
               window_end::TIMESTAMPTZ AS window_end,
               string_split(implementer, ';') AS implementers,
               CASE WHEN approved_by = '' OR approved_by IS NULL THEN []
                    ELSE string_split(approved_by, ';') END AS approvers,
               nullif(approved_at, '')::TIMESTAMPTZ AS approved_at
        FROM read_csv(?, header = true, all_varchar = true)
        WHERE state IN ('approved', 'implemented', 'closed')
      ),
      candidates AS (
        SELECT p.event_id, l.*,
               p.t BETWEEN l.window_start - to_seconds(?) AND l.window_end + to_seconds(?)
                 AS covers
        FROM people p
        JOIN log l ON list_contains(l.systems, p.system)
                  AND list_contains(l.implementers, p.person)
                  AND p.t BETWEEN l.window_start - to_seconds(?) AND l.window_end + to_seconds(?)
      ),
      covering AS (SELECT * FROM candidates WHERE covers),
      near AS (SELECT DISTINCT event_id FROM candidates WHERE NOT covers)
      SELECT p.event_id,
             CASE
               WHEN p.automation THEN 'EXCLUDED'
               WHEN p.person IS NULL OR p.system IS NULL THEN 'UNAUTHORIZED'
               WHEN c.id IS NOT NULL THEN
                 CASE
                   WHEN len(c.approvers) > 0
                        AND len(list_filter(c.approvers,
                                            lambda a: NOT list_contains(c.implementers, a))) = 0
                     THEN 'SELF_APPROVED'
                   WHEN c.type = 'emergency' THEN
                     CASE WHEN c.approved_at IS NULL
                               OR c.approved_at > p.t + to_seconds(?)
                          THEN 'EMERGENCY_UNDOCUMENTED' ELSE 'AUTHORIZED' END
                   WHEN c.approved_at > p.t THEN 'APPROVED_AFTER_CHANGE'
                   ELSE 'AUTHORIZED'
                 END
               WHEN n.event_id IS NOT NULL THEN 'OUTSIDE_WINDOW'
               ELSE 'UNAUTHORIZED'
             END AS verdict
      FROM people p
      LEFT JOIN covering c ON c.event_id = p.event_id
      LEFT JOIN near n ON n.event_id = p.event_id
      """
          .formatted(
              RECORD_STRUCTURE,
              String.join(", ", SELF_ACTING_SERVICES.stream().map(s -> "'" + s + "'").toList()));

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Path data = null;
    YearMonth month = YearMonth.of(2026, 10);
    int threads = Runtime.getRuntime().availableProcessors();
    try {
      OptionReader o = new OptionReader(args);
      while (o.next()) {
        switch (o.name()) {
          case "--data" -> data = Path.of(o.value());
          case "--month" -> month = o.parse(YearMonth::parse);
          case "--threads" -> threads = o.intValue();
          default -> throw o.unknown();
        }
      }
      data = OptionReader.required("--data", data);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    Instant from = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    Instant to = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    try {
      FindingsChecker.Tally tally =
          new FindingsChecker.Tally(
              FindingsChecker.readExpected(data.resolve(DataSetOutput.EXPECTED)));
      long started = System.nanoTime();
      long changes = reconcile(data, from, to, threads, tally);
      double seconds = (System.nanoTime() - started) / 1e9;
      out.printf(
          Locale.ROOT,
          "DuckDB %s: %,d changes reconciled in %.2f s (%d threads)%n",
          DuckDbVersion.get(),
          changes,
          seconds,
          threads);
      FindingsChecker.Result result = tally.result();
      FindingsChecker.print(result, "the DuckDB query's verdicts", out);
      out.printf(Locale.ROOT, "duckdb.seconds=%.2f%n", seconds);
      return result.passed() ? 0 : 1;
    } catch (SQLException | java.io.IOException e) {
      err.println("error: the DuckDB reconciliation failed: " + e.getMessage());
      return 2;
    }
  }

  /** Runs the query and hands every change's verdict to the tally; returns the number of rows. */
  static long reconcile(
      Path data, Instant from, Instant to, int threads, FindingsChecker.Tally tally)
      throws SQLException {
    VerdictOracle.Policy policy = VerdictOracle.NOMINAL;
    String glob = data.resolve("cloudtrail").toAbsolutePath() + "/**/*.json.gz";
    Path changeLog = data.resolve(ChangeLogCsv.FILE).toAbsolutePath();
    if (!Files.isRegularFile(changeLog)) {
      throw new SQLException("no change log at " + changeLog);
    }
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:")) {
      try (Statement s = db.createStatement()) {
        s.execute("SET threads = " + threads);
        s.execute("SET TimeZone = 'UTC'");
        s.execute("CREATE TABLE systems (account VARCHAR, system VARCHAR)");
        s.execute("CREATE TABLE aliases (alias VARCHAR, person VARCHAR)");
      }
      try (PreparedStatement insert = db.prepareStatement("INSERT INTO systems VALUES (?, ?)")) {
        for (Catalog.Account a : Catalog.ACCOUNTS) {
          insert.setString(1, a.id());
          insert.setString(2, a.system());
          insert.addBatch();
        }
        insert.executeBatch();
      }
      // The identities the generated vouch.yaml lists: each person's SSO session name and id.
      try (PreparedStatement insert = db.prepareStatement("INSERT INTO aliases VALUES (?, ?)")) {
        for (Catalog.Person p : Catalog.PEOPLE) {
          for (String alias : List.of(p.ssoSession(), p.id())) {
            insert.setString(1, alias);
            insert.setString(2, p.id());
            insert.addBatch();
          }
        }
        insert.executeBatch();
      }
      long rows = 0;
      try (PreparedStatement query = db.prepareStatement(QUERY)) {
        int i = 1;
        query.setString(i++, glob);
        query.setString(i++, from.toString());
        query.setString(i++, to.toString());
        query.setString(i++, changeLog.toString());
        query.setLong(i++, policy.graceBefore());
        query.setLong(i++, policy.graceAfter());
        query.setLong(i++, policy.proximity());
        query.setLong(i++, policy.proximity());
        query.setLong(i, policy.emergencyDeadline());
        try (ResultSet answer = query.executeQuery()) {
          while (answer.next()) {
            tally.add(answer.getString(1), answer.getString(2));
            rows++;
          }
        }
      }
      return rows;
    }
  }

  /** The DuckDB library's version, for the printed result. */
  static final class DuckDbVersion {
    static String get() {
      try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
          Statement s = db.createStatement();
          ResultSet r = s.executeQuery("SELECT version()")) {
        return r.next() ? r.getString(1) : "?";
      } catch (SQLException e) {
        return "?";
      }
    }

    private DuckDbVersion() {}
  }

  private DuckDbReconciliation() {}
}
