package dev.vouch.store;

import java.nio.file.Path;

/** The default store: one SQLite file. */
public final class SqliteStore {
  private SqliteStore() {}

  /**
   * Opens (creating it and its parent directories if needed) the SQLite store in {@code dbFile} and
   * brings its schema up to date.
   */
  public static JdbcStore open(Path dbFile) {
    return JdbcStore.open(new SqliteDialect(dbFile));
  }
}
