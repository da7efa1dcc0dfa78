package dev.vouch.app;

import dev.vouch.core.spi.ChangeSource;
import dev.vouch.core.spi.PushEndpoint;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "receive",
    description = {
      "Receive pushed audit events: serve every configured change source that can be pushed to"
          + " (such as the Kubernetes API server's audit webhook, source type kubernetes-webhook)"
          + " over HTTPS, and store each accepted batch durably for the next `vouch run`.",
      "",
      "Prints one line per endpoint ('listening on URL for source NAME'), logs one line per"
          + " request, and runs until stopped. On SIGTERM or SIGINT (Ctrl-C) it stops accepting,"
          + " finishes the requests in flight and exits with the signal's status (143 or 130).",
      "",
      "Exit codes: 0 stopped cleanly; 64 usage error; 70 a listen address could not be bound (in"
          + " use or not permitted) or an internal error; 78 configuration problems, including no"
          + " source that can receive pushes and conflicting listener settings."
    },
    mixinStandardHelpOptions = true)
final class ReceiveCommand implements Callable<Integer> {
  /**
   * The change source types that implement {@link PushEndpoint}, named when the configuration has
   * none. Keep in step with the connectors.
   */
  static final List<String> RECEIVING_TYPES = List.of("kubernetes-webhook");

  @Spec CommandSpec spec;

  @Mixin ConfigOption config = new ConfigOption();

  private final Clock clock;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch started = new CountDownLatch(1);
  private volatile @Nullable PushServer server;

  ReceiveCommand() {
    this(Clock.systemUTC());
  }

  ReceiveCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<Workspace> loaded = config.load(clock, err);
    if (loaded.isEmpty()) {
      return ExitCodes.CONFIG;
    }
    Workspace workspace = loaded.get();
    return serve(workspace.sources().changes(), out, err);
  }

  /**
   * Serves the sources that are push endpoints until {@link #stop()} is called, the thread is
   * interrupted or the JVM shuts down; returns the exit code.
   */
  int serve(List<ChangeSource> sources, PrintWriter out, PrintWriter err) {
    List<PushEndpoint> endpoints = pushEndpoints(sources);
    if (endpoints.isEmpty()) {
      err.println(
          "error: no configured change source can receive pushes; add a source of type "
              + String.join(" or ", RECEIVING_TYPES)
              + " (configured change sources: "
              + (sources.isEmpty()
                  ? "none"
                  : sources.stream()
                      .map(s -> s.name() + " (" + s.type() + ")")
                      .collect(Collectors.joining(", ")))
              + ")");
      return ExitCodes.CONFIG;
    }
    showRequestLog();
    PushServer running;
    try {
      running = PushServer.start(endpoints);
    } catch (PushServer.StartException e) {
      err.println("error: " + e.getMessage());
      return e.configurationProblem() ? ExitCodes.CONFIG : ExitCodes.INTERNAL;
    }
    server = running;
    Thread hook =
        new Thread(
            () -> {
              running.close();
              stopRequested.countDown();
            },
            "vouch-receive-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      announce(running, out, err);
      out.flush();
      err.flush();
      started.countDown();
      stopRequested.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      running.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or has run: it closes the server.
      }
    }
    out.println("stopped");
    out.flush();
    return ExitCodes.OK;
  }

  /** Asks a running {@link #serve} to stop gracefully (what the shutdown hook does on a signal). */
  void stop() {
    stopRequested.countDown();
  }

  /** The running server once {@link #serve} has started it (for tests), waiting for the start. */
  @Nullable PushServer awaitStarted(Duration timeout) throws InterruptedException {
    started.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return server;
  }

  /** The sources of change that can be pushed to. */
  static List<PushEndpoint> pushEndpoints(List<ChangeSource> sources) {
    return sources.stream()
        .filter(PushEndpoint.class::isInstance)
        .map(PushEndpoint.class::cast)
        .toList();
  }

  /** One line per listen address, and a warning for each that is plain HTTP off loopback. */
  static void announce(PushServer running, PrintWriter out, PrintWriter err) {
    for (PushServer.Binding binding : running.bindings()) {
      out.println("listening on " + binding.url() + " for source " + name(binding.endpoint()));
      if (!"https".equals(binding.url().getScheme()) && !loopback(binding.url().getHost())) {
        err.println(
            "warning: "
                + binding.url()
                + " is plain HTTP on a network interface: tokens and audit events cross the"
                + " network unencrypted; configure a key store");
      }
    }
  }

  private static String name(PushEndpoint endpoint) {
    return endpoint instanceof ChangeSource source ? source.name() : endpoint.path();
  }

  private static boolean loopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * The request log lines are this command's output, but the bundled logback configuration shows
   * only warnings: turn them on unless the configuration set a level for them.
   */
  private static void showRequestLog() {
    if (LoggerFactory.getLogger(PushServer.class) instanceof ch.qos.logback.classic.Logger logger
        && logger.getLevel() == null) {
      logger.setLevel(ch.qos.logback.classic.Level.INFO);
    }
  }
}
