package dev.vouch.store;

import dev.vouch.core.config.StoreSettings;

/** Opens the store the configuration describes, whichever database it is on. */
public final class Stores {
  private Stores() {}

  /** Opens the store and brings its schema up to date; see {@link JdbcStore#open(Dialect)}. */
  public static JdbcStore open(StoreSettings settings) {
    if (settings instanceof StoreSettings.Sqlite sqlite) {
      return SqliteStore.open(sqlite.path());
    }
    if (settings instanceof StoreSettings.Postgres postgres) {
      return PostgresStore.open(postgres);
    }
    // Unreachable while StoreSettings is sealed to the two; a third type must be added here.
    throw new IllegalArgumentException("no store for type " + settings.type());
  }
}
