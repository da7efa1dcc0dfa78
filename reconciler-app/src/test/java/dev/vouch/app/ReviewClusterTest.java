package dev.vouch.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.core.config.ServiceSettings;
import dev.vouch.core.config.StoreSettings;
import dev.vouch.testkit.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;

/**
 * Two {@code vouch serve} schedulers in one JVM on one PostgreSQL database form a Quartz cluster:
 * each firing of the review runs once, on one node, never two at once; and when the node running
 * the review dies, the other runs it again. Skipped without a PostgreSQL server, required in CI
 * (see {@link TestPostgres}).
 */
class ReviewClusterTest {
  private static final Duration CHECKIN = Duration.ofSeconds(1);
  private static final ServiceSettings.Schedule EVERY_SECOND =
      new ServiceSettings.Schedule(
          "* * * * * ?",
          ZoneId.of("UTC"),
          Duration.ofDays(7),
          Path.of("reports"),
          Duration.ofDays(30),
          List.of());

  @RegisterExtension final TestPostgres postgres = new TestPostgres();

  private final List<Scheduler> schedulers = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  /** A review as the test sees it: which node ran which firing, from when to when. */
  private record Execution(String node, ScheduledReview.Firing firing, long start, long end) {}

  private final List<Execution> executions = new ArrayList<>();

  @AfterEach
  void stopEverything() throws SchedulerException {
    release.countDown();
    for (Scheduler scheduler : schedulers) {
      if (!scheduler.isShutdown()) {
        scheduler.shutdown(true);
      }
    }
  }

  private StoreSettings.Postgres store(TestPostgres.Database database) {
    return new StoreSettings.Postgres(database.url(), database.user(), null, 4);
  }

  private Scheduler node(StoreSettings store, String name, ScheduledReview.Service service)
      throws Exception {
    Scheduler scheduler = ReviewScheduler.start(store, EVERY_SECOND, service, CHECKIN);
    schedulers.add(scheduler);
    Thread.sleep(5); // AUTO instance ids are made of the host and the time in milliseconds
    return scheduler;
  }

  /** A review that takes {@code millis} and records itself. */
  private ScheduledReview.Service working(String node, long millis) {
    return firing -> {
      long start = System.nanoTime();
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      synchronized (executions) {
        executions.add(new Execution(node, firing, start, System.nanoTime()));
      }
    };
  }

  @Test
  void eachFiringRunsOnceOnOneNodeAndNeverTwoAtOnce() throws Exception {
    TestPostgres.Database database = postgres.newDatabase();
    StoreSettings store = store(database);
    // Each review takes longer than the interval between firings: the cluster must hold back.
    node(store, "a", working("a", 1_500));
    node(store, "b", working("b", 1_500));

    long nodes = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && executionCount() < 6) {
      nodes = Math.max(nodes, count(database, "SELECT count(*) FROM qrtz_scheduler_state"));
      Thread.sleep(100);
    }
    for (Scheduler scheduler : schedulers) {
      scheduler.shutdown(true);
    }

    assertThat(nodes).as("both nodes checked in to one cluster").isEqualTo(2);
    List<Execution> done;
    synchronized (executions) {
      done = new ArrayList<>(executions);
    }
    assertThat(done).hasSizeGreaterThanOrEqualTo(6);
    Set<Instant> firings = new HashSet<>();
    for (Execution execution : done) {
      assertThat(firings.add(execution.firing().scheduledFor()))
          .as("firing " + execution.firing() + " ran once")
          .isTrue();
    }
    done.sort((x, y) -> Long.compare(x.start(), y.start()));
    for (int i = 1; i < done.size(); i++) {
      assertThat(done.get(i).start())
          .as("review " + i + " began after review " + (i - 1) + " ended, across the nodes")
          .isGreaterThanOrEqualTo(done.get(i - 1).end());
    }
  }

  @Test
  void whenTheNodeRunningTheReviewDiesTheOtherRunsItAgain() throws Exception {
    TestPostgres.Database database = postgres.newDatabase();
    StoreSettings store = store(database);
    CountDownLatch stuck = new CountDownLatch(1);
    Scheduler dying =
        node(
            store,
            "dying",
            firing -> {
              stuck.countDown();
              try {
                release.await(); // hangs until the test ends: this node is gone
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    assertThat(stuck.await(30, TimeUnit.SECONDS)).as("the first node began a review").isTrue();
    // The node stops checking in without finishing its review or releasing it, as a killed
    // process would.
    dying.shutdown(false);

    node(store, "survivor", working("survivor", 10));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && recovered() == null) {
      Thread.sleep(200);
    }

    Execution recovered = recovered();
    assertThat(recovered)
        .as("the survivor ran the dead node's review again; it ran: " + executionsText())
        .isNotNull();
    assertThat(recovered.node()).isEqualTo("survivor");
  }

  private Execution recovered() {
    synchronized (executions) {
      return executions.stream().filter(e -> e.firing().recovering()).findFirst().orElse(null);
    }
  }

  private String executionsText() {
    synchronized (executions) {
      return executions.toString();
    }
  }

  private long executionCount() {
    synchronized (executions) {
      return executions.size();
    }
  }

  private static long count(TestPostgres.Database database, String sql) throws Exception {
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
