package dev.vouch.core.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
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
            baseDirectory.resolve(Schedule.DEFAULT_REPORTS).normalize(),
            Schedule.DEFAULT_KEEP_REPORTS,
            List.of()),
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
   * @param keepReports how long a scheduled run's reports are kept there (the store keeps its
   *     findings for good; reports can be written again from it)
   * @param jobs extra jobs, each reviewing some sources on a schedule of its own
   */
  public record Schedule(
      String cron,
      ZoneId timezone,
      Duration initialLookback,
      Path reports,
      Duration keepReports,
      List<Job> jobs) {
    /** Relative to the configuration file. */
    public static final String DEFAULT_REPORTS = "vouch-out/scheduled";

    public static final Duration DEFAULT_KEEP_REPORTS = Duration.ofDays(30);

    public Schedule {
      Objects.requireNonNull(cron, "cron");
      Objects.requireNonNull(timezone, "timezone");
      Objects.requireNonNull(initialLookback, "initialLookback");
      Objects.requireNonNull(reports, "reports");
      Objects.requireNonNull(keepReports, "keepReports");
      jobs = List.copyOf(jobs);
    }
  }

  /**
   * An extra scheduled job: a review of some sources only, more often than the periodic review
   * (say, an API server log that rotates within hours). Its runs have a scope of their own ({@link
   * #scope}): they decide their windows from their own complete runs and never count as a review of
   * every source, while what they store (events, findings, coverage) serves every later run.
   *
   * @param name a short name, unique among the jobs
   * @param cron a Quartz cron expression, read in the schedule's time zone
   * @param sources the names of the sources of change it reads (records are always all read); none
   *     for a job that reads the change records and matches what is already stored: the changes of
   *     its window that other runs stored, and open findings again when records changed
   */
  public record Job(String name, String cron, List<String> sources) {
    public Job {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(cron, "cron");
      sources = List.copyOf(sources);
    }

    /** The scope its runs are recorded under in the store. */
    public String scope() {
      return "job:" + name;
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
