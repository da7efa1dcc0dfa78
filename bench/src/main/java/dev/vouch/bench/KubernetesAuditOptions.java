package dev.vouch.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Command-line options of {@link KubernetesAuditGenerator}.
 *
 * @param out the output directory
 * @param events how many audit events (JSON lines, every stage counted) to write in total
 * @param start the first instant of the period (UTC, whole second)
 * @param days the length of the period in days
 * @param seed the random seed; the same options give byte-identical output
 * @param changeRecords how many change records to write to changes.csv
 * @param maxSizeMb the size at which the log rotates, in MiB, like {@code --audit-log-maxsize}
 */
record KubernetesAuditOptions(
    Path out, int events, Instant start, int days, long seed, int changeRecords, int maxSizeMb) {

  static final int DEFAULT_MAX_SIZE_MB = 50;

  static final String USAGE =
      "usage: KubernetesAuditGenerator --out DIR [--events N (1000000)]"
          + " [--start 2026-10-01T00:00:00Z] [--days 30] [--seed 42] [--change-records 200]"
          + " [--max-size-mb 50]";

  KubernetesAuditOptions {
    if (events < 10_000) {
      throw new IllegalArgumentException("--events must be at least 10000, was " + events);
    }
    if (days < 5 || days > 366) {
      throw new IllegalArgumentException("--days must be between 5 and 366, was " + days);
    }
    if (start.getNano() != 0) {
      throw new IllegalArgumentException("--start must be a whole second, was " + start);
    }
    if (changeRecords < 1) {
      throw new IllegalArgumentException(
          "--change-records must be at least 1, was " + changeRecords);
    }
    if (maxSizeMb < 1) {
      throw new IllegalArgumentException("--max-size-mb must be at least 1, was " + maxSizeMb);
    }
  }

  /** Parses {@code --name value} pairs; throws IllegalArgumentException naming the bad option. */
  static KubernetesAuditOptions parse(String... args) {
    Path out = null;
    int events = 1_000_000;
    Instant start = Instant.parse("2026-10-01T00:00:00Z");
    int days = 30;
    long seed = 42;
    int changeRecords = 200;
    int maxSizeMb = DEFAULT_MAX_SIZE_MB;
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (name.equals("--help") || name.equals("-h")) {
        throw new IllegalArgumentException("help requested");
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      String value = args[++i];
      try {
        switch (name) {
          case "--out" -> out = Path.of(value);
          case "--events" -> events = Integer.parseInt(value);
          case "--start" -> start = Instant.parse(value);
          case "--days" -> days = Integer.parseInt(value);
          case "--seed" -> seed = Long.parseLong(value);
          case "--change-records" -> changeRecords = Integer.parseInt(value);
          case "--max-size-mb" -> maxSizeMb = Integer.parseInt(value);
          default -> throw new IllegalArgumentException("unknown option " + name);
        }
      } catch (NumberFormatException | DateTimeParseException e) {
        throw new IllegalArgumentException("bad value for " + name + ": " + value, e);
      }
    }
    if (out == null) {
      throw new IllegalArgumentException("--out is required");
    }
    return new KubernetesAuditOptions(out, events, start, days, seed, changeRecords, maxSizeMb);
  }

  long startSecond() {
    return start.getEpochSecond();
  }

  long endSecond() {
    return start.getEpochSecond() + days * 86_400L;
  }

  /** The options as one line, recorded in expected-summary.txt to tell data sets apart. */
  String describe() {
    return "events="
        + events
        + " start="
        + start
        + " days="
        + days
        + " seed="
        + seed
        + " change-records="
        + changeRecords
        + " max-size-mb="
        + maxSizeMb;
  }
}
