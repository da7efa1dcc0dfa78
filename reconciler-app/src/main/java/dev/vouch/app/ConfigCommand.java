package dev.vouch.app;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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
            + " path.",
        "Exit codes: 0 valid; 78 problems found."
      },
      mixinStandardHelpOptions = true)
  static final class Check implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = {"-c", "--config"},
        required = true,
        paramLabel = "FILE",
        description = "The Vouch configuration file (YAML).")
    Path file;

    @Override
    public Integer call() {
      try {
        Workspace workspace = Workspace.load(file, Clock.systemUTC());
        spec.commandLine()
            .getOut()
            .printf(
                "%s: valid (%d system(s), %d source(s) of change, %d record source(s), %d rule(s))%n",
                file,
                workspace.config().catalog().systems().size(),
                workspace.sources().changes().size(),
                workspace.sources().records().size(),
                workspace.config().rules().rules().size());
        return ExitCodes.OK;
      } catch (Workspace.ConfigException e) {
        e.print(file, spec.commandLine().getErr());
        return ExitCodes.CONFIG;
      }
    }
  }
}
