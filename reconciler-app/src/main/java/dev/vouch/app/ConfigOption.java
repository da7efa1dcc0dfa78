package dev.vouch.app;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config} option, shared by every command that reads a configuration. */
final class ConfigOption {
  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "FILE",
      description = "The Vouch configuration file (YAML).")
  Path file;
}
