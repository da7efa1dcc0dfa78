package dev.vouch.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.opentest4j.TestAbortedException;

class TestPostgresTest {

  /** Nothing listens on port 1 of this machine: refused at once. */
  private static final String NOWHERE = "jdbc:postgresql://127.0.0.1:1/postgres";

  @RegisterExtension final TestPostgres postgres = new TestPostgres();

  @Test
  void withoutAServerTheTestIsSkippedAndToldWhyAndHowToRequireIt() {
    TestPostgres absent = new TestPostgres(Map.of(TestPostgres.URL_VARIABLE, NOWHERE));

    assertThatThrownBy(absent::newDatabase)
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("no PostgreSQL server at " + NOWHERE + " as user postgres")
        .hasMessageContaining("VOUCH_TEST_PG_URL")
        .hasMessageContaining("Set VOUCH_REQUIRE_POSTGRES=1 to make this a failure");
  }

  @Test
  void withoutAServerTheTestFailsWhenPostgresIsRequired() {
    TestPostgres required =
        new TestPostgres(
            Map.of(
                TestPostgres.URL_VARIABLE, NOWHERE,
                TestPostgres.USER_VARIABLE, "ci",
                TestPostgres.REQUIRE_VARIABLE, "1"));

    assertThatThrownBy(required::newDatabase)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("no PostgreSQL server at " + NOWHERE + " as user ci")
        .hasMessageContaining("VOUCH_REQUIRE_POSTGRES=1 is set, so this is a failure");
  }

  @Test
  void aNewDatabaseIsEmptyUsableAndDroppedWhenClosed() throws SQLException {
    TestPostgres.Database database = postgres.newDatabase();
    TestPostgres.Database other = postgres.newDatabase();

    assertThat(database.name()).startsWith("vouch_test_").isNotEqualTo(other.name());
    assertThat(database.url()).endsWith("/" + database.name());
    try (Connection connection = database.connect()) {
      assertThat(connection.getCatalog()).isEqualTo(database.name());
      assertThat(count(connection, "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'"))
          .isZero();
      // Left open on purpose: closing the database must end it rather than fail.
      Connection leaked = database.connect();
      assertThat(leaked.isValid(5)).isTrue();
      database.close();
      assertThat(leaked.isValid(5)).isFalse();
    }
    try (Connection connection = other.connect()) {
      assertThat(exists(connection, database.name())).isFalse();
      assertThat(exists(connection, other.name())).isTrue();
    }
  }

  private static boolean exists(Connection connection, String database) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("SELECT COUNT(*) FROM pg_database WHERE datname = ?")) {
      select.setString(1, database);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getLong(1) == 1;
      }
    }
  }

  private static long count(Connection connection, String sql) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(sql);
        ResultSet rows = select.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
