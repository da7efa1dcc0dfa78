package dev.vouch.testkit;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * The PostgreSQL server tests run against, and a fresh database on it for each use. Every test that
 * needs PostgreSQL finds the server here, so they all skip or fail the same way:
 *
 * <ul>
 *   <li>the server is {@value #URL_VARIABLE} (default {@value #DEFAULT_URL}), as {@value
 *       #USER_VARIABLE} (default {@code postgres}) with the password in {@value #PASSWORD_VARIABLE}
 *       if it needs one; that user must be allowed to create databases;
 *   <li>when the server cannot be reached, the tests are <b>skipped</b>, with a message saying why,
 *       so that a build on a machine without PostgreSQL still passes;
 *   <li>unless {@value #REQUIRE_VARIABLE}{@code =1}: then they <b>fail</b>, so that CI cannot pass
 *       by skipping them.
 * </ul>
 *
 * <p>Register it in a test class, then ask it for databases; each is created with a random name and
 * dropped after the test (or, asked for in {@code @BeforeAll}, after the class), whatever the test
 * left connected to it. Used without registering it, close each {@link Database} yourself.
 *
 * <pre>{@code
 * class SomeTest {
 *   static final @RegisterExtension TestPostgres POSTGRES = new TestPostgres();
 *
 *   void someTest() {
 *     TestPostgres.Database db = POSTGRES.newDatabase(); // db.url(), db.user(), db.password()
 *   }
 * }
 * }</pre>
 */
public final class TestPostgres implements BeforeEachCallback, AfterEachCallback, AfterAllCallback {

  /** The JDBC URL of a database on the test server that the user may connect to. */
  public static final String URL_VARIABLE = "VOUCH_TEST_PG_URL";

  public static final String USER_VARIABLE = "VOUCH_TEST_PG_USER";
  public static final String PASSWORD_VARIABLE = "VOUCH_TEST_PG_PASSWORD";

  /** Set to {@code 1} to make an unreachable server fail the tests instead of skipping them. */
  public static final String REQUIRE_VARIABLE = "VOUCH_REQUIRE_POSTGRES";

  public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

  /** Seconds to wait for the server to answer: a test machine's server is local or nowhere. */
  private static final int CONNECT_TIMEOUT_SECONDS = 5;

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Whether each server answered, asked once per JVM and address: every test would otherwise wait
   * for the same timeout.
   */
  private static final Map<String, Server> PROBED = new ConcurrentHashMap<>();

  private final Function<String, String> environment;
  private final boolean announce;
  private final List<Database> forTest = new ArrayList<>();
  private final List<Database> forClass = new ArrayList<>();
  private boolean inTest;

  /** The test server from the environment variables above. */
  public TestPostgres() {
    this(System::getenv, true);
  }

  /**
   * The test server from the given variables, without the banner on standard error: to test this
   * class itself, whose imaginary servers should not alarm anyone reading the build log.
   */
  TestPostgres(Map<String, String> environment) {
    this(environment::get, false);
  }

  private TestPostgres(Function<String, String> environment, boolean announce) {
    this.environment = environment;
    this.announce = announce;
  }

  /**
   * A new, empty database with a random name, dropped after the current test (or class). Skips the
   * calling test when the server cannot be reached, or fails it when {@value #REQUIRE_VARIABLE} is
   * {@code 1}.
   */
  public Database newDatabase() {
    return newDatabase("");
  }

  /**
   * As {@link #newDatabase()}, with options for {@code CREATE DATABASE} after {@code TEMPLATE
   * template0} (such as a locale); a server that refuses them skips the test.
   */
  public Database newDatabase(String createOptions) {
    Server reachable = reachableServer();
    String name = "vouch_test_" + Long.toUnsignedString(RANDOM.nextLong(), 36);
    try (Connection admin = reachable.connect(reachable.url());
        Statement statement = admin.createStatement()) {
      statement.execute(
          "CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8' " + createOptions);
    } catch (SQLException e) {
      if (createOptions.isBlank()) {
        throw new IllegalStateException(
            "the PostgreSQL test server at "
                + reachable.url()
                + " did not create a database (does "
                + reachable.user()
                + " have CREATEDB?): "
                + e.getMessage(),
            e);
      }
      Assumptions.abort(
          "the PostgreSQL test server cannot create a database with " + createOptions + ": " + e);
    }
    Database database = new Database(reachable, name);
    synchronized (this) {
      (inTest ? forTest : forClass).add(database);
    }
    return database;
  }

  /** The server if it answers; else the calling test is aborted (skipped) or fails. */
  private Server reachableServer() {
    String url = orDefault(environment.apply(URL_VARIABLE), DEFAULT_URL);
    String user = orDefault(environment.apply(USER_VARIABLE), "postgres");
    String password = environment.apply(PASSWORD_VARIABLE);
    boolean[] probedNow = {false};
    Server found =
        PROBED.computeIfAbsent(
            url + "\n" + user,
            key -> {
              probedNow[0] = true;
              return Server.probe(url, user, password);
            });
    if (found.unreachable() == null) {
      return found;
    }
    String message =
        found.unreachable()
            + (required()
                ? " " + REQUIRE_VARIABLE + "=1 is set, so this is a failure."
                : " Set "
                    + REQUIRE_VARIABLE
                    + "=1 to make this a failure instead of a skip (CI does).");
    if (probedNow[0] && announce) {
      // Once per JVM and server, on standard error, where a build log shows it among the results.
      System.err.println(
          "\n**********************************************************************\n"
              + "PostgreSQL TESTS "
              + (required() ? "FAIL" : "ARE SKIPPED")
              + ": "
              + message
              + "\n**********************************************************************\n");
    }
    if (required()) {
      throw new AssertionError(message);
    }
    throw new TestAbortedException(message);
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }

  private boolean required() {
    return "1".equals(environment.apply(REQUIRE_VARIABLE));
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    synchronized (this) {
      inTest = true;
    }
  }

  /** Runs after the test class's own {@code @AfterEach} methods, which close what they opened. */
  @Override
  public void afterEach(ExtensionContext context) {
    List<Database> created;
    synchronized (this) {
      inTest = false;
      created = new ArrayList<>(forTest);
      forTest.clear();
    }
    dropAll(created);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    List<Database> created;
    synchronized (this) {
      created = new ArrayList<>(forClass);
      forClass.clear();
    }
    dropAll(created);
  }

  private static void dropAll(List<Database> databases) {
    AssertionError failure = null;
    for (Database database : databases) {
      try {
        database.close();
      } catch (AssertionError e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** The server, and whether it answered: {@code unreachable} says why not. */
  private record Server(String url, String user, String password, String unreachable) {

    static Server probe(String url, String user, String password) {
      Server server = new Server(url, user, password, null);
      try (Connection connection = server.connect(url)) {
        connection.isValid(CONNECT_TIMEOUT_SECONDS);
        return server;
      } catch (SQLException | RuntimeException e) {
        return new Server(
            url,
            user,
            password,
            "no PostgreSQL server at "
                + url
                + " as user "
                + user
                + " ("
                + e.getMessage()
                + "). Start one (on Debian: pg_ctlcluster --skip-systemctl-redirect"
                + " $(ls /etc/postgresql) main start), or point "
                + URL_VARIABLE
                + " / "
                + USER_VARIABLE
                + " / "
                + PASSWORD_VARIABLE
                + " at one.");
      }
    }

    Connection connect(String databaseUrl) throws SQLException {
      Properties properties = new Properties();
      properties.setProperty("user", user);
      if (password != null) {
        properties.setProperty("password", password);
      }
      properties.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
      properties.setProperty("ApplicationName", "vouch-tests");
      return DriverManager.getConnection(databaseUrl, properties);
    }

    /** The URL of another database on the same server: the same URL with its path replaced. */
    String urlOf(String database) {
      int query = url.indexOf('?');
      String base = query < 0 ? url : url.substring(0, query);
      String parameters = query < 0 ? "" : url.substring(query);
      int slash = base.lastIndexOf('/');
      if (slash < "jdbc:postgresql://".length()) {
        // jdbc:postgresql:name or jdbc:postgresql://host without a database
        return base.startsWith("jdbc:postgresql://")
            ? base + "/" + database + parameters
            : "jdbc:postgresql:" + database + parameters;
      }
      return base.substring(0, slash + 1) + database + parameters;
    }
  }

  /**
   * A database created for a test. {@link #close()} drops it, first ending any connection still
   * open to it (a store the test did not close must not keep the database alive).
   */
  public static final class Database implements AutoCloseable {
    private final Server server;
    private final String name;
    private boolean dropped;

    private Database(Server server, String name) {
      this.server = server;
      this.name = name;
    }

    public String name() {
      return name;
    }

    /** The JDBC URL of this database. */
    public String url() {
      return server.urlOf(name);
    }

    public String user() {
      return server.user();
    }

    /** The password, or null when the server needs none. */
    public String password() {
      return server.password();
    }

    /** A new connection to this database, for a test to look at or tamper with its tables. */
    public Connection connect() throws SQLException {
      return server.connect(url());
    }

    /** Drops the database; a second call does nothing. */
    @Override
    public synchronized void close() {
      if (dropped) {
        return;
      }
      try (Connection admin = server.connect(server.url());
          Statement statement = admin.createStatement()) {
        // WITH (FORCE), PostgreSQL 13 and later, ends the connections a failed test left open.
        statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        dropped = true;
      } catch (SQLException e) {
        throw new AssertionError(
            "could not drop the test database " + name + " on " + server.url() + ": " + e, e);
      }
    }

    @Override
    public String toString() {
      return "test database " + name + " on " + server.url();
    }
  }
}
