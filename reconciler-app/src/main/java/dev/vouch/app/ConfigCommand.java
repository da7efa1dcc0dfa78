package dev.vouch.app;

import dev.vouch.core.spi.ConfigProblem;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "config",
    description = "Work with configuration files.",
    mixinStandardHelpOptions = true,
    subcommands = {ConfigCommand.Check.class})
final class ConfigCommand {

  @Command(
      name = "check",
      description = {
        "Check a configuration file and every connector's settings; print every problem with its"
            + " path, and what would fail a run that can be seen without reading (a missing trail"
            + " directory or change log). Relative paths are resolved against the file's folder.",
        "Exit codes: 0 valid; 78 problems found."
      },
      mixinStandardHelpOptions = true)
  static final class Check implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ConfigOption config = new ConfigOption();

    @Override
    public Integer call() {
      Optional<Workspace> loaded = config.load(Clock.systemUTC(), spec.commandLine().getErr());
      if (loaded.isEmpty()) {
        return ExitCodes.CONFIG;
      }
      Workspace workspace = loaded.get();
      workspace.printWarnings(spec.commandLine().getErr());
      List<ConfigProblem> preflight = workspace.preflight();
      if (!preflight.isEmpty()) {
        new Workspace.ConfigException(preflight).print(config.file, spec.commandLine().getErr());
        return ExitCodes.CONFIG;
      }
      spec.commandLine()
          .getOut()
          .printf(
              "%s: valid (%d system(s), %d source(s) of change, %d record source(s), %d rule(s),"
                  + " %d notification(s), schedule '%s' %s with %d extra job(s))%n",
              config.file,
              workspace.config().catalog().systems().size(),
              workspace.sources().changes().size(),
              workspace.sources().records().size(),
              workspace.config().rules().rules().size(),
              workspace.config().notifications().notifications().size(),
              workspace.config().service().schedule().cron(),
              workspace.config().service().schedule().timezone().getId(),
              workspace.config().service().schedule().jobs().size());
      return ExitCodes.OK;
    }
  }
}
