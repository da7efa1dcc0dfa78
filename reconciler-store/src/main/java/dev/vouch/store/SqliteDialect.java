package dev.vouch.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * SQLite in WAL mode: one writer and any number of readers at the same time, from this process or
 * another. Write transactions are {@code BEGIN IMMEDIATE}, so a writer waits (up to the busy
 * timeout) for another process's writer at the start of its transaction instead of failing half-way
 * through it.
 */
public final class SqliteDialect implements Dialect {

  /** How long a connection waits for a lock held by another connection, in milliseconds. */
  public static final int BUSY_TIMEOUT_MILLIS = 10_000;

  private final Path dbFile;
  private final String url;

  public SqliteDialect(Path dbFile) {
    this.dbFile = dbFile.toAbsolutePath();
    this.url = "jdbc:sqlite:" + this.dbFile;
    Path parent = this.dbFile.getParent();
    if (parent != null) {
      try {
        Files.createDirectories(parent);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the directory of the store " + dbFile, e);
      }
    }
    createWithPageSize();
  }

  /**
   * Creates a new database with {@link #PAGE_SIZE} pages before anything else opens it: the page
   * size is fixed when the file is first written, and a database in WAL mode cannot change it.
   */
  private void createWithPageSize() {
    try {
      if (Files.exists(dbFile) && Files.size(dbFile) > 0) {
        return;
      }
    } catch (IOException e) {
      return; // whoever opens it next reports what is wrong
    }
    try (Connection connection = new SQLiteConfig().createConnection(url)) {
      Dialect.execute(connection, "PRAGMA page_size = " + PAGE_SIZE);
      Dialect.execute(connection, "PRAGMA journal_mode = WAL");
    } catch (SQLException e) {
      // Left to the first real connection, which reports it with the store's own message.
    }
  }

  public Path dbFile() {
    return dbFile;
  }

  @Override
  public String name() {
    return "sqlite";
  }

  @Override
  public String migrationLocation() {
    return "classpath:dev/vouch/store/migration/sqlite";
  }

  /**
   * Migrations run with foreign keys off: SQLite cannot alter a table's checks in place, so a
   * migration rebuilds the table, and dropping the old one must not trip the references to it (the
   * rows keep their ids, so every reference still holds afterwards).
   */
  @Override
  public DataSource migrationDataSource() {
    SQLiteConfig config = config();
    config.enforceForeignKeys(false);
    SQLiteDataSource dataSource = new SQLiteDataSource(config);
    dataSource.setUrl(url);
    return dataSource;
  }

  @Override
  public Connection openWriter() throws SQLException {
    // Left in auto-commit mode: sqlite-jdbc begins a new transaction as soon as auto-commit is
    // turned off and again right after every commit, which would hold the write lock between our
    // transactions. begin/commit/rollback below issue the statements themselves instead.
    return config().createConnection(url);
  }

  @Override
  public Connection openReader() throws SQLException {
    Connection connection = config().createConnection(url);
    Dialect.execute(connection, "PRAGMA query_only = ON");
    return connection;
  }

  @Override
  public void begin(Connection writer) throws SQLException {
    Dialect.execute(writer, "BEGIN IMMEDIATE");
  }

  @Override
  public void commit(Connection writer) throws SQLException {
    Dialect.execute(writer, "COMMIT");
  }

  @Override
  public void rollback(Connection writer) throws SQLException {
    if (!writer.isClosed()) {
      Dialect.execute(writer, "ROLLBACK");
    }
  }

  @Override
  public String jsonText(String jsonColumn, String field) {
    return "json_extract(" + jsonColumn + ", '$." + field + "')";
  }

  @Override
  public String indexOf(String text, String search) {
    return "instr(" + text + ", " + search + ")";
  }

  @Override
  public void beginStreaming(Connection reader) {
    // A single SELECT in SQLite reads one snapshot and steps through rows lazily: nothing to do.
  }

  @Override
  public void endStreaming(Connection reader) {}

  /**
   * The page size of a new database. Change events are kept whole (a CloudTrail record and its
   * normalised form take about 3 KB), which on SQLite's default 4 KB pages spill into overflow
   * pages; 16 KB pages hold them in the B-tree, and a month's ingest writes about a third faster.
   * An existing database keeps the size it has.
   */
  static final int PAGE_SIZE = 16_384;

  /** Page cache per connection, in KiB (SQLite's default is 2 MiB, too small for the indexes). */
  static final int CACHE_KIB = 65_536;

  /**
   * Pages the write-ahead log may hold before SQLite copies them into the database: 64 MiB, so that
   * a large ingest checkpoints (and syncs) a few times rather than every 4 MiB.
   */
  static final int WAL_AUTOCHECKPOINT_PAGES = 4_096;

  private static SQLiteConfig config() {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.setCacheSize(-CACHE_KIB);
    config.setWalAutocheckpoint(WAL_AUTOCHECKPOINT_PAGES);
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    config.enforceForeignKeys(true);
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    return config;
  }

  @Override
  public String toString() {
    return "sqlite:" + dbFile;
  }

  /**
   * An exclusive lock on {@code <database>.run-lock} beside the database: the operating system
   * releases it when the process ends, however it ends.
   */
  @Override
  public java.util.Optional<dev.vouch.core.store.Store.RunLock> tryLockRuns() throws SQLException {
    Path lockFile = dbFile.resolveSibling(dbFile.getFileName() + ".run-lock");
    java.nio.channels.FileChannel channel;
    try {
      channel =
          java.nio.channels.FileChannel.open(
              lockFile,
              java.nio.file.StandardOpenOption.CREATE,
              java.nio.file.StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new SQLException("cannot open the run lock " + lockFile + ": " + e.getMessage(), e);
    }
    java.nio.channels.FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      lock = null; // held by another store of this process
    } catch (IOException e) {
      closeQuietly(channel);
      throw new SQLException("cannot lock " + lockFile + ": " + e.getMessage(), e);
    }
    if (lock == null) {
      closeQuietly(channel);
      return java.util.Optional.empty();
    }
    java.nio.channels.FileLock held = lock;
    return java.util.Optional.of(
        () -> {
          try {
            held.release();
          } catch (IOException e) {
            // Closing the channel releases it as well.
          }
          closeQuietly(channel);
        });
  }

  private static void closeQuietly(java.nio.channels.FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing more to release.
    }
  }
}
