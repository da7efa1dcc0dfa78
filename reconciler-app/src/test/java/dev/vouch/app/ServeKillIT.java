package dev.vouch.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.core.run.Reconciler;
import dev.vouch.core.run.RunControl;
import dev.vouch.core.run.RunListener;
import dev.vouch.core.run.RunStatus;
import dev.vouch.core.run.RunSummary;
import dev.vouch.core.store.Store;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code vouch.jar} running {@code vouch serve} as its own process, killed with
 * SIGKILL in the middle of a scheduled run and started again: the killed run is recorded
 * INTERRUPTED, the next run covers its window, and the store ends with exactly the findings an
 * uninterrupted run gives, none lost and none doubled. Then SIGTERM stops it cleanly.
 */
class ServeKillIT {
  private static final Path JAR = Path.of("target", "vouch.jar");

  @TempDir Path work;

  /** A {@code vouch serve} process and the lines it prints. */
  private static final class Child implements AutoCloseable {
    final Process process;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final StringBuilder all = new StringBuilder();
    final Thread reader;

    Child(Path config) throws IOException {
      process =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx256m",
                  "-jar",
                  JAR.toAbsolutePath().toString(),
                  "serve",
                  "--config",
                  config.toString())
              .redirectErrorStream(true)
              .start();
      reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line = in.readLine(); line != null; line = in.readLine()) {
                    synchronized (all) {
                      all.append(line).append('\n');
                    }
                    lines.add(line);
                  }
                } catch (IOException e) {
                  // The process is gone.
                }
              });
      reader.setDaemon(true);
      reader.start();
    }

    /** Waits for a line containing {@code text}; fails with everything printed so far. */
    String await(String text) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (System.nanoTime() < deadline) {
        String line = lines.poll(200, TimeUnit.MILLISECONDS);
        if (line != null && line.contains(text)) {
          return line;
        }
        if (line == null && !process.isAlive() && lines.isEmpty()) {
          break;
        }
      }
      throw new AssertionError("no line with '" + text + "'; the service printed:\n" + output());
    }

    /** Waits for the process to exit and for its last line to be read. */
    int awaitExit() throws InterruptedException {
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(output()).isTrue();
      reader.join(10_000);
      return process.exitValue();
    }

    String output() {
      synchronized (all) {
        return all.toString();
      }
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }

  @Test
  void killedMidRunAndRestartedItLosesAndDoublesNothing() throws Exception {
    assertThat(JAR).as("run through `./mvnw verify`, which packages vouch.jar first").exists();
    Path config = DemoRunTest.copyDemo(work);
    // Reach back far enough, from today, for the demo week to be inside every run's window.
    long days =
        ChronoUnit.DAYS.between(LocalDate.of(2026, 11, 16), LocalDate.now(ZoneOffset.UTC)) + 2;
    Files.writeString(
        config,
        "\nschedule: {cron: \"* * * * * ?\", initialLookback: "
            + days
            + "d, reports: "
            + work.resolve("reports")
            + "}\nserver: {port: 0}\n",
        StandardOpenOption.APPEND);

    try (Child first = new Child(config)) {
      first.await("started (review)");
      // Somewhere inside the run: it takes seconds in a fresh JVM.
      Thread.sleep(300);
      first.process.toHandle().destroyForcibly(); // SIGKILL: no hook, no cleanup
      first.awaitExit();
    }

    String finished;
    try (Child second = new Child(config)) {
      finished = second.await(" need review; reports in ");
      // SIGTERM through the handle: Process.destroy() would also close our end of its output.
      second.process.toHandle().destroy();
      int exit = second.awaitExit();
      assertThat(second.output()).as("exit " + exit).contains("stopping:").contains("stopped");
      assertThat(exit).as("the JVM's status after SIGTERM").isEqualTo(143);
    }

    Map<String, String> afterKill;
    RunSummary reconciled;
    try (Store store = Workspace.load(config, Clock.systemUTC()).openStore()) {
      RunSummary killed = store.run(1).orElseThrow();
      // A first run in a fresh JVM takes about a second here; the kill came 0.3 s into it.
      assertThat(killed.status())
          .as("the run cut by SIGKILL, marked when the next run started: " + finished)
          .isEqualTo(RunStatus.INTERRUPTED);
      reconciled = store.lastRun().orElseThrow();
      assertThat(reconciled.runId()).isGreaterThan(1);
      afterKill = ServeCommandTest.latestVerdicts(store);
      long changeFindings =
          afterKill.keySet().stream()
              .filter(key -> !key.startsWith(Reconciler.UNREADABLE_KEY_PREFIX))
              .count();
      assertThat(changeFindings)
          .as("every stored change has one latest finding")
          .isEqualTo(store.eventCount());
    }

    // The same window reconciled once, without interruption, in a store of its own.
    Path fresh = work.resolve("fresh");
    Files.createDirectories(fresh);
    Path freshConfig = DemoRunTest.copyDemo(fresh);
    Workspace reference = Workspace.load(freshConfig, Clock.systemUTC());
    try (Store store = reference.openStore()) {
      Review review = new Review(reference, store, Clock.systemUTC());
      review.reconcile(
          review.decide(reconciled.window().start(), reconciled.window().end(), Duration.ZERO),
          new RunListener() {},
          new RunControl());
      Map<String, String> uninterrupted = ServeCommandTest.latestVerdicts(store);
      assertThat(uninterrupted).isNotEmpty();
      assertThat(afterKill).isEqualTo(uninterrupted);
    }
  }
}
