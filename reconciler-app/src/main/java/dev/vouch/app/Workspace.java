package dev.vouch.app;

import dev.vouch.core.config.ConfigLoader;
import dev.vouch.core.config.VouchConfig;
import dev.vouch.core.run.Plugins;
import dev.vouch.core.spi.ConfigProblem;
import dev.vouch.core.spi.SourceContext;
import dev.vouch.core.store.Store;
import dev.vouch.store.SqliteStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * A loaded and checked configuration with its sources built: what every command starts from.
 * Loading reports every problem, the configuration's own and the connectors', in one list.
 */
record Workspace(VouchConfig config, Plugins.Sources sources) {

  static final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;
    final transient List<ConfigProblem> problems;

    ConfigException(List<ConfigProblem> problems) {
      super(problems.size() + " configuration problem(s)");
      this.problems = List.copyOf(problems);
    }

    void print(Path file, PrintWriter err) {
      err.println(file + ": " + problems.size() + " problem(s):");
      for (ConfigProblem problem : problems) {
        err.println("  " + problem.path() + ": " + problem.message());
      }
    }
  }

  static Workspace load(Path file, Clock clock) throws ConfigException {
    ConfigLoader.Result loaded = new ConfigLoader(System::getenv).load(file);
    // The connectors' settings report into the same list as the loader (their settings nodes
    // share it), so every problem of the file is listed together.
    List<ConfigProblem> problems = loaded.problems();
    if (loaded.config() == null) {
      throw new ConfigException(problems);
    }
    VouchConfig config = loaded.config();
    SourceContext context =
        new SourceContext(
            clock, config.baseDirectory(), Runtime.getRuntime().availableProcessors());
    Plugins.Sources sources = Plugins.discover().create(config, context, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new Workspace(config, sources);
  }

  Store openStore() {
    return openStore(config);
  }

  static Store openStore(VouchConfig config) {
    return SqliteStore.open(config.store().path());
  }

  /**
   * Loads the configuration alone, without building its sources: for commands that only read the
   * store, which must not need a source's credentials or files.
   */
  static VouchConfig loadConfig(Path file) throws ConfigException {
    ConfigLoader.Result loaded = new ConfigLoader(System::getenv).load(file);
    if (!loaded.ok()) {
      throw new ConfigException(loaded.problems());
    }
    return loaded.config();
  }
}
