/**
 * The JDBC store: SQLite by default, PostgreSQL in production, versioned migrations with Flyway.
 * Start with {@link dev.vouch.store.Stores#open(dev.vouch.core.config.StoreSettings)}, or {@link
 * dev.vouch.store.SqliteStore#open(java.nio.file.Path)} for a file.
 */
@NullMarked
package dev.vouch.store;

import org.jspecify.annotations.NullMarked;
