package dev.vouch.app;

import dev.vouch.core.catalog.SystemCatalog;
import dev.vouch.core.config.ConfigLoader;
import dev.vouch.core.config.ServiceSettings;
import dev.vouch.core.config.VouchConfig;
import dev.vouch.core.run.Plugins;
import dev.vouch.core.spi.ChangeSource;
import dev.vouch.core.spi.ConfigProblem;
import dev.vouch.core.spi.RecordSource;
import dev.vouch.core.spi.SourceContext;
import dev.vouch.core.store.Store;
import dev.vouch.store.Stores;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A loaded and checked configuration with its sources built: what every command starts from.
 * Loading reports every problem, the configuration's own and the connectors', in one list, each
 * list entry named after its path ({@code systems[1] (payments-prod).aws.accounts}).
 *
 * @param config the configuration, with its systems' scopes as the sources name them
 * @param sources the sources built from it
 * @param warnings what is allowed but probably not meant (an account id that is not 12 digits)
 * @param loaded what the loader read, to name list entries in later messages
 */
record Workspace(
    VouchConfig config,
    Plugins.Sources sources,
    List<ConfigProblem> warnings,
    ConfigLoader.Result loaded) {

  static final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;
    final transient List<ConfigProblem> problems;
    final transient List<ConfigProblem> warnings;

    ConfigException(List<ConfigProblem> problems) {
      this(problems, List.of());
    }

    ConfigException(List<ConfigProblem> problems, List<ConfigProblem> warnings) {
      super(problems.size() + " configuration problem(s)");
      this.problems = List.copyOf(problems);
      this.warnings = List.copyOf(warnings);
    }

    void print(Path file, PrintWriter err) {
      err.println(file + ": " + problems.size() + " problem(s):");
      for (ConfigProblem problem : problems) {
        err.println("  " + problem.path() + ": " + problem.message());
      }
      for (ConfigProblem warning : warnings) {
        err.println("warning: " + warning.path() + ": " + warning.message());
      }
    }
  }

  static Workspace load(Path file, Clock clock) throws ConfigException {
    ConfigLoader.Result loaded = new ConfigLoader(System::getenv).load(file);
    // The connectors' settings report into the same list as the loader (their settings nodes
    // share it), so every problem of the file is listed together.
    List<ConfigProblem> problems = loaded.problems();
    if (loaded.config() == null) {
      throw new ConfigException(loaded.named(problems));
    }
    VouchConfig config = loaded.config();
    SourceContext context =
        new SourceContext(
            clock, config.baseDirectory(), Runtime.getRuntime().availableProcessors());
    Plugins plugins = Plugins.discover();
    Plugins.Sources sources = plugins.create(config, context, problems);
    problems.addAll(config.rules().unknownFields(plugins.attributes()));
    cronProblem("schedule.cron", config.service().schedule().cron()).ifPresent(problems::add);
    List<ServiceSettings.Job> jobs = config.service().schedule().jobs();
    for (int i = 0; i < jobs.size(); i++) {
      if (!jobs.get(i).cron().isEmpty()) {
        cronProblem("schedule.jobs[" + i + "].cron", jobs.get(i).cron()).ifPresent(problems::add);
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(loaded.named(problems), loaded.named(loaded.warnings()));
    }
    return new Workspace(
        config.withCatalog(scopeNames(config, sources)),
        sources,
        loaded.named(loaded.warnings()),
        loaded);
  }

  /**
   * The catalog with every scope a system wrote as its source was given (a repository's URL or
   * path) renamed to the scope the source's events carry.
   */
  private static SystemCatalog scopeNames(VouchConfig config, Plugins.Sources sources) {
    Map<String, Map<String, String>> byPlatform = new HashMap<>();
    for (ChangeSource source : sources.changes()) {
      byPlatform
          .computeIfAbsent(source.platform(), p -> new HashMap<>())
          .putAll(source.scopeNames());
    }
    SystemCatalog catalog = config.catalog();
    for (Map.Entry<String, Map<String, String>> platform : byPlatform.entrySet()) {
      catalog =
          catalog.withScopeNames(platform.getKey(), platform.getValue(), config.baseDirectory());
    }
    return catalog;
  }

  /** A problem when {@code schedule.cron} is not a Quartz cron expression. */
  static Optional<ConfigProblem> cronProblem(String path, String cron) {
    try {
      org.quartz.CronExpression.validateExpression(cron);
      return Optional.empty();
    } catch (java.text.ParseException e) {
      return Optional.of(
          new ConfigProblem(
              path,
              "'"
                  + cron
                  + "' is not a Quartz cron expression ("
                  + e.getMessage()
                  + "); it has six or seven fields, seconds first, and ? in day-of-month or"
                  + " day-of-week, e.g. \"0 0 2 * * ?\" for 02:00 every day"));
    }
  }

  /**
   * What would fail the sources' next pull that can be seen now (a missing trail directory or
   * change log), each under its source's path.
   */
  List<ConfigProblem> preflight() {
    List<ConfigProblem> problems = new ArrayList<>();
    List<ChangeSource> changes = sources.changes();
    for (int i = 0; i < changes.size(); i++) {
      for (String problem : changes.get(i).preflight()) {
        problems.add(at("sources[" + i + "]", problem));
      }
    }
    List<RecordSource> records = sources.records();
    for (int i = 0; i < records.size(); i++) {
      for (String problem : records.get(i).preflight()) {
        problems.add(at("records[" + i + "]", problem));
      }
    }
    return loaded.named(problems);
  }

  /** A preflight line ("path: ...") as a problem at that setting of a source. */
  private static ConfigProblem at(String entry, String problem) {
    int colon = problem.indexOf(": ");
    boolean setting = colon > 0 && problem.substring(0, colon).matches("[A-Za-z.]+");
    return setting
        ? new ConfigProblem(entry + "." + problem.substring(0, colon), problem.substring(colon + 2))
        : new ConfigProblem(entry, problem);
  }

  /** Prints the configuration's warnings, one line each. */
  void printWarnings(PrintWriter err) {
    for (ConfigProblem warning : warnings) {
      err.println("warning: " + warning.path() + ": " + warning.message());
    }
  }

  Store openStore() {
    return openStore(config);
  }

  static Store openStore(VouchConfig config) {
    return Stores.open(config.store());
  }

  /**
   * Loads the configuration alone, without building its sources: for commands that only read the
   * store, which must not need a source's credentials or files.
   */
  static VouchConfig loadConfig(Path file) throws ConfigException {
    ConfigLoader.Result loaded = new ConfigLoader(System::getenv).load(file);
    if (!loaded.ok()) {
      throw new ConfigException(loaded.named(loaded.problems()));
    }
    return loaded.config();
  }
}
