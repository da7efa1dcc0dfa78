package dev.vouch.bench;

import java.nio.file.Path;
import java.time.Instant;

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
    Path out, int events, Instant start, int days, long seed, int changeRecords, int maxSizeMb)
    implements DataSetOptions {

  static final int DEFAULT_MAX_SIZE_MB = 50;

  static final String USAGE =
      "usage: KubernetesAuditGenerator --out DIR [--events N (1000000)]"
          + " [--start 2026-10-01T00:00:00Z] [--days 30] [--seed 42] [--change-records 200]"
          + " [--max-size-mb 50]";

  KubernetesAuditOptions {
    OptionReader.atLeast("--events", events, 10_000);
    if (days < 5 || days > 366) {
      throw new IllegalArgumentException("--days must be between 5 and 366, was " + days);
    }
    if (start.getNano() != 0) {
      throw new IllegalArgumentException("--start must be a whole second, was " + start);
    }
    OptionReader.atLeast("--change-records", changeRecords, 1);
    OptionReader.atLeast("--max-size-mb", maxSizeMb, 1);
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
    OptionReader o = new OptionReader(args);
    while (o.next()) {
      switch (o.name()) {
        case "--out" -> out = Path.of(o.value());
        case "--events" -> events = o.intValue();
        case "--start" -> start = o.parse(Instant::parse);
        case "--days" -> days = o.intValue();
        case "--seed" -> seed = o.longValue();
        case "--change-records" -> changeRecords = o.intValue();
        case "--max-size-mb" -> maxSizeMb = o.intValue();
        default -> throw o.unknown();
      }
    }
    return new KubernetesAuditOptions(
        OptionReader.required("--out", out), events, start, days, seed, changeRecords, maxSizeMb);
  }

  long startSecond() {
    return start.getEpochSecond();
  }

  long endSecond() {
    return start.getEpochSecond() + days * 86_400L;
  }

  @Override
  public String describe() {
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
