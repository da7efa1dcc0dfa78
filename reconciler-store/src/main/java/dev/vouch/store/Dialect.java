package dev.vouch.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * What differs between the databases the store runs on. Everything else — every query the store
 * issues — is portable SQL ({@code INSERT ... ON CONFLICT DO NOTHING}, {@code LIMIT}), so a new
 * database needs a dialect and a migration folder, not a new store. The few SQL functions that have
 * no common spelling are written by the dialect ({@link #jsonText}, {@link #indexOf}).
 */
public interface Dialect extends AutoCloseable {

  /** A short name for messages, such as {@code sqlite}. */
  String name();

  /** Where this database's Flyway migrations live, such as {@code classpath:...}. */
  String migrationLocation();

  /** The data source Flyway migrates through. */
  DataSource migrationDataSource();

  /** Opens the single connection every write goes through, ready for {@link #begin}. */
  Connection openWriter() throws SQLException;

  /** Opens a connection for reads; several may be open while the writer writes. */
  Connection openReader() throws SQLException;

  /** Starts a write transaction on the writer connection. */
  default void begin(Connection writer) throws SQLException {
    writer.setAutoCommit(false);
  }

  /** Commits the transaction {@link #begin} started. */
  default void commit(Connection writer) throws SQLException {
    writer.commit();
    writer.setAutoCommit(true);
  }

  /** Abandons the transaction {@link #begin} started. */
  default void rollback(Connection writer) throws SQLException {
    writer.rollback();
    writer.setAutoCommit(true);
  }

  /**
   * Prepares a reader connection to stream a large result. Drivers such as PostgreSQL's only honour
   * the fetch size inside a transaction.
   */
  default void beginStreaming(Connection reader) throws SQLException {
    reader.setAutoCommit(false);
  }

  /** Ends what {@link #beginStreaming} started. */
  default void endStreaming(Connection reader) throws SQLException {
    reader.rollback();
    reader.setAutoCommit(true);
  }

  /**
   * Serialises the extension of the hash chain between stores on one database. Called first in the
   * transaction that finishes a run (or marks abandoned runs interrupted), before the chain's head
   * is read, and holds until that transaction ends: two processes that both read the same head
   * would otherwise both try to append after it. Nothing to do where a write transaction already
   * excludes every other writer (SQLite's {@code BEGIN IMMEDIATE}).
   */
  default void lockChain(Connection writer) throws SQLException {}

  /**
   * Takes the lock that lets one reconciliation at a time run on this database, across processes,
   * released when the returned handle is closed or the process ends; empty when another holds it.
   */
  java.util.Optional<dev.vouch.core.store.Store.RunLock> tryLockRuns() throws SQLException;

  /**
   * An SQL expression for the text of a top-level member of a JSON text column, or NULL when the
   * member is absent or null; {@code field} is a plain member name written by Vouch, not input.
   */
  String jsonText(String jsonColumn, String field);

  /**
   * An SQL expression for the 1-based position of {@code search} in {@code text}, 0 when absent;
   * both arguments are SQL expressions.
   */
  String indexOf(String text, String search);

  /** Rows fetched per round trip when streaming. */
  default int fetchSize() {
    return 500;
  }

  /** Releases what the dialect holds (a pool, for example). Connections are closed by the store. */
  @Override
  default void close() {}

  /** Runs a statement that returns nothing. */
  static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
