package dev.vouch.connector.recordsfile;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** The formats a change log may be written in. */
enum FileFormat {
  CSV,
  YAML,
  JSON;

  /**
   * The name used in the configuration and in messages: {@code csv}, {@code yaml}, {@code json}.
   */
  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The format named in the configuration; {@code yml} is accepted for YAML. */
  static Optional<FileFormat> named(String text) {
    String name = text.strip().toLowerCase(Locale.ROOT);
    return switch (name) {
      case "csv" -> Optional.of(CSV);
      case "yaml", "yml" -> Optional.of(YAML);
      case "json" -> Optional.of(JSON);
      default -> Optional.empty();
    };
  }

  /** The format a file's extension implies: .csv, .yaml, .yml or .json, in any case. */
  static Optional<FileFormat> ofExtension(Path file) {
    Path name = file.getFileName();
    if (name == null) {
      return Optional.empty();
    }
    String text = name.toString();
    int dot = text.lastIndexOf('.');
    return dot < 0 ? Optional.empty() : named(text.substring(dot + 1));
  }
}
