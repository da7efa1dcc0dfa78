package dev.vouch.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * PostgreSQL through a HikariCP pool. The store still writes through one connection, which it
 * keeps; the pool hands out the readers and Flyway's connections, and caps how many the store may
 * open.
 *
 * <p>Unlike SQLite, PostgreSQL lets several writers run at once, so two processes on one database
 * (a CLI next to {@code vouch serve}) interleave their transactions. Rows are safe with that (every
 * insert is {@code ON CONFLICT DO NOTHING} on its unique key, and each transaction sees what others
 * committed before its statements); the hash chain is not, so extending it takes a lock ({@link
 * #lockChain}).
 */
public final class PostgresDialect implements Dialect {

  /**
   * The advisory lock that serialises extending the hash chain, the same number in every Vouch
   * process: the first eight bytes of SHA-256("vouch run chain"), so that it is unlikely to collide
   * with another application's lock on the same database.
   */
  static final long CHAIN_LOCK = 0x8e19_027b_85e3_136dL;

  private final String url;
  private final HikariDataSource pool;

  /**
   * Opens the pool and its first connection, so that a wrong address or credential fails here.
   *
   * @param url a {@code jdbc:postgresql:} URL without a password
   * @param user the user, or null for the driver's default
   * @param password the password, or null for trust or certificate authentication
   * @param maxPoolSize the most connections open at once, at least 2 (the writer and a reader)
   */
  public PostgresDialect(
      String url, @Nullable String user, @Nullable String password, int maxPoolSize) {
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + redacted(url));
    }
    if (maxPoolSize < 2) {
      throw new IllegalArgumentException(
          "the pool needs at least 2 connections (the writer and a reader), not " + maxPoolSize);
    }
    this.url = url;
    HikariConfig config = new HikariConfig();
    config.setPoolName("vouch-store");
    config.setJdbcUrl(url);
    if (user != null) {
      config.setUsername(user);
    }
    if (password != null) {
      config.setPassword(password);
    }
    config.setMaximumPoolSize(maxPoolSize);
    // A CLI run needs the writer and a reader or two; the pool grows to the maximum on demand
    // instead of opening every connection at start.
    config.setMinimumIdle(Math.min(2, maxPoolSize));
    config.setAutoCommit(true);
    config.addDataSourceProperty("ApplicationName", "vouch");
    // The writer stays open for the store's life (a `vouch serve` process: days), mostly idle
    // between runs; keepalives stop a firewall from silently dropping it in between.
    config.addDataSourceProperty("tcpKeepAlive", "true");
    // Exact per-row update counts from executeBatch: rewriting a batch into multi-row inserts
    // reports SUCCESS_NO_INFO, and the store refuses a batch it cannot count.
    config.addDataSourceProperty("reWriteBatchedInserts", "false");
    // The driver loads a whole result into memory unless a fetch size is set and a transaction is
    // open. The store sets both when it streams; this also covers the queries that scan a table
    // inside a write transaction (the population, when a run is chained).
    config.addDataSourceProperty("defaultRowFetchSize", Integer.toString(fetchSize()));
    try {
      this.pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreException(
          "cannot connect to the PostgreSQL store at " + redacted(url) + ": " + reason(e), e);
    }
  }

  /** The innermost message of a failure to connect: the driver's, which says what was refused. */
  private static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  /** The URL without its query, if the query names a password; for messages. */
  static String redacted(String url) {
    int query = url.indexOf('?');
    return query >= 0 && url.toLowerCase(java.util.Locale.ROOT).indexOf("password", query) >= 0
        ? url.substring(0, query) + "?(parameters hidden)"
        : url;
  }

  @Override
  public String name() {
    return "postgres";
  }

  @Override
  public String migrationLocation() {
    return "classpath:dev/vouch/store/migration/postgres";
  }

  @Override
  public DataSource migrationDataSource() {
    return pool;
  }

  @Override
  public Connection openWriter() throws SQLException {
    return pool.getConnection();
  }

  /**
   * A reader is read-only, and its transactions (which {@link #beginStreaming} opens for a stream
   * or a verification) see one snapshot from their first query on: a long read is consistent while
   * the writer goes on.
   */
  @Override
  public Connection openReader() throws SQLException {
    Connection connection = pool.getConnection();
    try {
      connection.setReadOnly(true);
      connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    return connection;
  }

  /**
   * A transaction-scoped advisory lock: held until the transaction commits or rolls back, so a
   * crash cannot leave it behind. A second store waits here, then reads the head the first one
   * wrote (each statement of a READ COMMITTED transaction sees what committed before it).
   */
  @Override
  public void lockChain(Connection writer) throws SQLException {
    try (PreparedStatement lock = writer.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
      lock.setLong(1, CHAIN_LOCK);
      lock.execute();
    }
  }

  /**
   * The advisory lock one reconciliation holds for its whole run: the first eight bytes of
   * SHA-256("vouch run lock").
   */
  static final long RUN_LOCK = 0x5b0c_61a4_0f3e_97d2L;

  /**
   * A session-level advisory lock on a connection of the pool kept for the run: the server releases
   * it when the connection closes, including when the process dies.
   */
  @Override
  public java.util.Optional<dev.vouch.core.store.Store.RunLock> tryLockRuns() throws SQLException {
    Connection connection = pool.getConnection();
    boolean locked = false;
    try {
      connection.setAutoCommit(true);
      try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
        lock.setLong(1, RUN_LOCK);
        try (java.sql.ResultSet rows = lock.executeQuery()) {
          locked = rows.next() && rows.getBoolean(1);
        }
      }
    } finally {
      if (!locked) {
        connection.close();
      }
    }
    if (!locked) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        () -> {
          try (connection;
              PreparedStatement unlock =
                  connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            unlock.setLong(1, RUN_LOCK);
            unlock.execute();
          } catch (SQLException e) {
            // The connection is closed either way, and with it the lock.
          }
        });
  }

  /** {@code ->>} on the text cast to {@code json}, which parses it without re-encoding anything. */
  @Override
  public String jsonText(String jsonColumn, String field) {
    return "(" + jsonColumn + "::json ->> '" + field + "')";
  }

  @Override
  public String indexOf(String text, String search) {
    return "strpos(" + text + ", " + search + ")";
  }

  @Override
  public void close() {
    pool.close();
  }

  @Override
  public String toString() {
    return "postgres:" + redacted(url);
  }
}
