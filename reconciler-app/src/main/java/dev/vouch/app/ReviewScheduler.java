package dev.vouch.app;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.vouch.core.config.ServiceSettings;
import dev.vouch.core.config.StoreSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * The Quartz scheduler of {@code vouch serve}. With a SQLite store, the schedule lives in memory
 * ({@code RAMJobStore}), rebuilt from the configuration at every start: one service per store. With
 * a PostgreSQL store, Quartz keeps it in the same database ({@code JobStoreTX}, clustered): every
 * {@code vouch serve} on that database joins one cluster, each firing runs on one of them, never
 * two runs of the review at once across the cluster, and when a node dies in the middle of a run
 * another one runs the review again ({@code requestsRecovery}). Either way the window of a run
 * comes from the store, so which node runs it, and when, changes nothing in what is reconciled.
 */
final class ReviewScheduler {
  /** The name of the periodic review's job and trigger. */
  static final String REVIEW = "review";

  /** Every node of one store's cluster uses this name: it is the cluster's identity in QRTZ_*. */
  static final String INSTANCE_NAME = "vouch";

  /**
   * How often a clustered node checks in; another node takes over its jobs some intervals later.
   */
  static final Duration CLUSTER_CHECKIN = Duration.ofMillis(7_500);

  /** Where Quartz's own DDL for PostgreSQL ships, inside the Quartz jar. */
  static final String POSTGRES_TABLES = "org/quartz/impl/jdbcjobstore/tables_postgres.sql";

  private ReviewScheduler() {}

  /**
   * Creates and starts the scheduler for the store, with the review's job and cron trigger.
   *
   * @param checkin how often a clustered node checks in (shorter in tests)
   */
  static Scheduler start(
      StoreSettings store,
      ServiceSettings.Schedule schedule,
      ScheduledReview.Service service,
      Duration checkin)
      throws SchedulerException {
    Properties properties = new Properties();
    properties.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, INSTANCE_NAME);
    properties.setProperty("org.quartz.threadPool.threadCount", "1");
    properties.setProperty("org.quartz.threadPool.threadNamePrefix", "vouch-review");
    properties.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
    if (store instanceof StoreSettings.Postgres postgres) {
      String dataSource = "vouch-" + UUID.randomUUID();
      DBConnectionManager.getInstance()
          .addConnectionProvider(dataSource, new Pool(postgres, checkin));
      properties.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_ID, "AUTO");
      properties.setProperty(
          StdSchedulerFactory.PROP_JOB_STORE_CLASS, "org.quartz.impl.jdbcjobstore.JobStoreTX");
      properties.setProperty(
          "org.quartz.jobStore.driverDelegateClass",
          "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
      properties.setProperty("org.quartz.jobStore.dataSource", dataSource);
      properties.setProperty("org.quartz.jobStore.isClustered", "true");
      properties.setProperty(
          "org.quartz.jobStore.clusterCheckinInterval", Long.toString(checkin.toMillis()));
      // Job data as strings, never serialized Java objects (the job needs none anyway).
      properties.setProperty("org.quartz.jobStore.useProperties", "true");
    } else {
      properties.setProperty(
          StdSchedulerFactory.PROP_JOB_STORE_CLASS, "org.quartz.simpl.RAMJobStore");
    }
    Scheduler scheduler = new StdSchedulerFactory(properties).getScheduler();
    // The factory hands out one scheduler per name in a JVM; Vouch makes its own, so that several
    // (tests, or a restart in the same JVM) never share one by accident.
    SchedulerRepository.getInstance().remove(INSTANCE_NAME);
    scheduler.getContext().put(ScheduledReview.SERVICE, service);
    JobDetail job =
        JobBuilder.newJob(ScheduledReview.class)
            .withIdentity(REVIEW)
            .withDescription("the periodic review of every source")
            .storeDurably()
            .requestRecovery()
            .build();
    // Every trigger fires the one job: Quartz then never runs two reviews at once, across a
    // cluster too, which the store needs (one run at a time). An extra job's trigger names it.
    Map<TriggerKey, Trigger> triggers = new LinkedHashMap<>();
    triggers.put(
        TriggerKey.triggerKey(REVIEW), trigger(job, REVIEW, schedule.cron(), schedule, null));
    for (ServiceSettings.Job extra : schedule.jobs()) {
      Trigger trigger = trigger(job, extra.scope(), extra.cron(), schedule, extra.name());
      triggers.put(trigger.getKey(), trigger);
    }
    boolean unchanged = scheduler.checkExists(job.getKey());
    for (Trigger trigger : triggers.values()) {
      unchanged &= sameSchedule(scheduler.getTrigger(trigger.getKey()), trigger);
    }
    for (Trigger stored : scheduler.getTriggersOfJob(job.getKey())) {
      unchanged &= triggers.containsKey(stored.getKey());
    }
    if (!unchanged) {
      // What an earlier start stored (of this node or another) gives way to the configuration.
      // The same schedule is left alone: replacing it would restart its clock, and a firing
      // another node has just run could come due again.
      scheduler.scheduleJob(job, Set.copyOf(triggers.values()), true);
    }
    scheduler.start();
    return scheduler;
  }

  /** The job's cron trigger; an extra job's carries its name in the trigger's data. */
  private static Trigger trigger(
      JobDetail job,
      String name,
      String cron,
      ServiceSettings.Schedule schedule,
      @Nullable String extraJob) {
    TriggerBuilder<Trigger> builder = TriggerBuilder.newTrigger().withIdentity(name).forJob(job);
    if (extraJob != null) {
      builder = builder.usingJobData(ScheduledReview.JOB, extraJob);
    }
    return builder
        .withSchedule(
            CronScheduleBuilder.cronSchedule(cron)
                .inTimeZone(TimeZone.getTimeZone(schedule.timezone()))
                // After downtime, run once now rather than once per missed firing: the window
                // comes from the store, so one run covers everything that was missed.
                .withMisfireHandlingInstructionFireAndProceed())
        .build();
  }

  private static boolean sameSchedule(@Nullable Trigger stored, Trigger wanted) {
    return stored instanceof CronTrigger cron
        && wanted instanceof CronTrigger want
        && cron.getCronExpression().equals(want.getCronExpression())
        && cron.getTimeZone().getID().equals(want.getTimeZone().getID())
        && cron.getJobDataMap().equals(want.getJobDataMap());
  }

  /** Quartz's connections to the store's PostgreSQL database: a small pool of its own. */
  private static final class Pool implements ConnectionProvider {
    private final HikariDataSource pool;

    Pool(StoreSettings.Postgres settings, Duration checkin) {
      HikariConfig config = new HikariConfig();
      config.setPoolName("vouch-quartz");
      config.setJdbcUrl(settings.url());
      if (settings.user() != null) {
        config.setUsername(settings.user());
      }
      if (settings.password() != null) {
        config.setPassword(settings.password().value());
      }
      // The review's thread, the cluster manager, the misfire handler, and one to spare.
      config.setMaximumPoolSize(4);
      config.setMinimumIdle(1);
      config.setConnectionTimeout(Math.max(1_000, checkin.toMillis()));
      pool = new HikariDataSource(config);
      try {
        createTables(pool);
      } catch (SQLException e) {
        pool.close();
        throw new IllegalStateException(
            "cannot create Quartz's tables in " + settings.url() + ": " + e.getMessage(), e);
      }
    }

    @Override
    public Connection getConnection() throws SQLException {
      return pool.getConnection();
    }

    @Override
    public void shutdown() {
      pool.close();
    }

    @Override
    public void initialize() {
      // Ready once constructed.
    }
  }

  /**
   * Creates Quartz's tables from the DDL in Quartz's own jar, once: under a lock, so that nodes
   * starting together do not race, and only when they are missing (the script begins by dropping
   * them, which is skipped here: a running cluster's schedule is never thrown away).
   */
  static void createTables(javax.sql.DataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.execute("SELECT pg_advisory_xact_lock(hashtext('vouch.quartz.tables'))");
        boolean present;
        try (ResultSet rows = statement.executeQuery("SELECT to_regclass('qrtz_locks')")) {
          present = rows.next() && rows.getString(1) != null;
        }
        if (!present) {
          for (String ddl : statements(postgresTables())) {
            if (!ddl.regionMatches(true, 0, "DROP ", 0, 5)) {
              statement.execute(ddl);
            }
          }
        }
      }
      connection.commit();
    }
  }

  private static String postgresTables() {
    try (InputStream in = Scheduler.class.getClassLoader().getResourceAsStream(POSTGRES_TABLES)) {
      if (in == null) {
        throw new IllegalStateException("the Quartz jar holds no " + POSTGRES_TABLES);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The statements of a script: comment lines dropped, split at semicolons. */
  static List<String> statements(String script) {
    StringBuilder text = new StringBuilder();
    for (String line : script.split("\n")) {
      if (!line.strip().startsWith("--")) {
        text.append(line).append('\n');
      }
    }
    List<String> statements = new ArrayList<>();
    for (String statement : text.toString().split(";")) {
      if (!statement.isBlank()) {
        statements.add(statement.strip());
      }
    }
    return statements;
  }
}
