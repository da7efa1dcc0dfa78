package dev.vouch.store;

import dev.vouch.core.config.StoreSettings;
import dev.vouch.core.spi.SettingsNode.Secret;

/** The store on a PostgreSQL database, for production and for several Vouch processes. */
public final class PostgresStore {
  private PostgresStore() {}

  /**
   * Connects to the database the settings name and brings its schema up to date. The database must
   * exist; Vouch creates its tables in the user's default schema.
   */
  public static JdbcStore open(StoreSettings.Postgres settings) {
    Secret password = settings.password();
    return JdbcStore.open(
        new PostgresDialect(
            settings.url(),
            settings.user(),
            password == null ? null : password.value(),
            settings.maxPoolSize()));
  }
}
