package dev.vouch.app;

import dev.vouch.core.config.VouchConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The {@code --config} option, shared by every command that reads a configuration. */
final class ConfigOption {
  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "FILE",
      description = "The Vouch configuration file (YAML).")
  Path file;

  /**
   * Loads the configuration and builds its sources; on problems, prints every one of them to {@code
   * err} and returns empty (the command then exits with {@link ExitCodes#CONFIG}).
   */
  Optional<Workspace> load(Clock clock, PrintWriter err) {
    try {
      return Optional.of(Workspace.load(file, clock));
    } catch (Workspace.ConfigException e) {
      e.print(file, err);
      return Optional.empty();
    }
  }

  /** Like {@link #load}, but the configuration alone: its sources are not built. */
  Optional<VouchConfig> loadConfig(PrintWriter err) {
    try {
      return Optional.of(Workspace.loadConfig(file));
    } catch (Workspace.ConfigException e) {
      e.print(file, err);
      return Optional.empty();
    }
  }
}
