package dev.vouch.core.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@code vouch serve} runs: the schedule of the periodic review ({@code schedule:} in the
 * YAML) and the HTTP server that answers health checks and metrics ({@code server:}). {@code vouch
 * run} ignores both.
 *
 * @param schedule when the review runs and how far a first run reaches back
 * @param server where the health, readiness and metrics endpoints listen
 */
public record ServiceSettings(Schedule schedule, Server server) {

  /** Quartz's cron syntax (seconds first): every night at 02:00. */
  public static final String DEFAULT_CRON = "0 0 2 * * ?";

  /** How far back a review reaches the first time, when no run has covered anything yet. */
  public static final Duration DEFAULT_INITIAL_LOOKBACK = Duration.ofDays(7);

  public static final String DEFAULT_BIND = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;

  public ServiceSettings {
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(server, "server");
  }

  /** The settings when the configuration says nothing about the service. */
  public static ServiceSettings defaults(Path baseDirectory) {
    return new ServiceSettings(
        new Schedule(
            DEFAULT_CRON,
            ZoneId.of("UTC"),
            DEFAULT_INITIAL_LOOKBACK,
            baseDirectory.resolve(Schedule.DEFAULT_REPORTS).normalize()),
        new Server(DEFAULT_BIND, DEFAULT_PORT));
  }

  /**
   * The review's schedule.
   *
   * @param cron a Quartz cron expression (checked by the application, which knows Quartz)
   * @param timezone the time zone the cron expression is read in
   * @param initialLookback how far back the first review reaches; later reviews start where
   *     complete coverage ends, so a night the service was down is reviewed by the next run
   * @param reports the folder every scheduled run writes its reports into, one subfolder per run
   */
  public record Schedule(String cron, ZoneId timezone, Duration initialLookback, Path reports) {
    /** Relative to the configuration file. */
    public static final String DEFAULT_REPORTS = "vouch-out/scheduled";

    public Schedule {
      Objects.requireNonNull(cron, "cron");
      Objects.requireNonNull(timezone, "timezone");
      Objects.requireNonNull(initialLookback, "initialLookback");
      Objects.requireNonNull(reports, "reports");
    }
  }

  /**
   * The service's own HTTP listener.
   *
   * @param bind the address to listen on (loopback by default: metrics are not for the world)
   * @param port the port; 0 picks a free one (for tests)
   * @param publicUrl where people reach what the service publishes (its reports), for the links in
   *     chat alerts; null when not configured, and alerts then carry no link
   */
  public record Server(String bind, int port, @Nullable URI publicUrl) {
    public Server {
      Objects.requireNonNull(bind, "bind");
    }

    /** A server without a public address. */
    public Server(String bind, int port) {
      this(bind, port, null);
    }
  }
}
