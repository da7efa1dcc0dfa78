/**
 * The JDBC store: SQLite by default, versioned migrations with Flyway. Start with {@link
 * dev.vouch.store.SqliteStore#open(java.nio.file.Path)}.
 */
@NullMarked
package dev.vouch.store;

import org.jspecify.annotations.NullMarked;
