package dev.vouch.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.core.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest extends AbstractJdbcStoreTest {

  @TempDir Path dir;

  private Path dbFile() {
    return dir.resolve("state").resolve("nested").resolve("vouch.db");
  }

  @Override
  protected Store newStore() {
    return SqliteStore.open(dbFile());
  }

  @Override
  protected Store reopenStore() {
    return SqliteStore.open(dbFile());
  }

  @Override
  protected JdbcStore openStore(int batchSize) {
    return JdbcStore.open(new SqliteDialect(dbFile()), batchSize);
  }

  @Override
  protected Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + dbFile());
  }

  @Override
  protected String dropTrigger(String trigger, String table) {
    return "DROP TRIGGER " + trigger;
  }

  @Test
  void createsTheDatabaseAndItsDirectoriesInWalMode() throws Exception {
    assertThat(Files.isRegularFile(dbFile())).isTrue();
    assertThat(query("PRAGMA journal_mode")).containsExactly("wal");
    assertThat(query("PRAGMA page_size")).containsExactly("16384");
  }
}
