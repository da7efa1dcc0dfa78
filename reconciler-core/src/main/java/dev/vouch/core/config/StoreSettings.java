package dev.vouch.core.config;

import dev.vouch.core.spi.SettingsNode.Secret;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Where Vouch keeps its memory: a SQLite file (the default) or a PostgreSQL database. The store
 * module opens either; the core only describes them, so it needs no JDBC.
 */
public sealed interface StoreSettings permits StoreSettings.Sqlite, StoreSettings.Postgres {

  /** The {@code store.type} setting: {@code sqlite} or {@code postgres}. */
  String type();

  /** Where the store is, for messages and logs; never holds a secret. */
  String location();

  /**
   * One SQLite file, created with its directory when missing.
   *
   * @param path the database file
   */
  record Sqlite(Path path) implements StoreSettings {
    @Override
    public String type() {
      return "sqlite";
    }

    @Override
    public String location() {
      return path.toString();
    }
  }

  /**
   * A PostgreSQL database reached through a pool of connections.
   *
   * @param url the JDBC URL, {@code jdbc:postgresql://host:port/database}; holds no password (the
   *     configuration refuses one there)
   * @param user the user to connect as, or null for the driver's default (the URL's {@code user}
   *     parameter, else the operating system user)
   * @param password the password, resolved from its reference; null for trust or certificate
   *     authentication. Its {@code toString} shows only the reference.
   * @param maxPoolSize the most connections the store opens: one writer and the readers
   */
  record Postgres(String url, @Nullable String user, @Nullable Secret password, int maxPoolSize)
      implements StoreSettings {

    /** Connections when {@code store.pool.maxSize} is not set. */
    public static final int DEFAULT_MAX_POOL_SIZE = 10;

    /** The fewest that work: the writer, and a reader for the events a run streams. */
    public static final int MIN_POOL_SIZE = 2;

    @Override
    public String type() {
      return "postgres";
    }

    @Override
    public String location() {
      return url;
    }
  }
}
