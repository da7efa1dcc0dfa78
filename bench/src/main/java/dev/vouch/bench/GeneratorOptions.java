package dev.vouch.bench;

import java.nio.file.Path;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;

/**
 * Command-line options of {@link CloudTrailMonthGenerator}.
 *
 * @param out the output directory
 * @param records how many CloudTrail records to write in total
 * @param month the month the events fall in (UTC)
 * @param seed the random seed; the same options give byte-identical output
 * @param changeRecords how many change records to write to changes.csv
 */
record GeneratorOptions(Path out, int records, YearMonth month, long seed, int changeRecords) {

  static final String USAGE =
      "usage: CloudTrailMonthGenerator --out DIR [--records N (200000)] [--month YYYY-MM (2026-10)]"
          + " [--seed S (42)] [--change-records R (300)]";

  GeneratorOptions {
    if (records < 1000) {
      throw new IllegalArgumentException("--records must be at least 1000, was " + records);
    }
    if (changeRecords < 1) {
      throw new IllegalArgumentException(
          "--change-records must be at least 1, was " + changeRecords);
    }
  }

  /** Parses {@code --name value} pairs; throws IllegalArgumentException naming the bad option. */
  static GeneratorOptions parse(String... args) {
    Path out = null;
    int records = 200_000;
    YearMonth month = YearMonth.of(2026, 10);
    long seed = 42;
    int changeRecords = 300;
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
          case "--records" -> records = Integer.parseInt(value);
          case "--month" -> month = YearMonth.parse(value);
          case "--seed" -> seed = Long.parseLong(value);
          case "--change-records" -> changeRecords = Integer.parseInt(value);
          default -> throw new IllegalArgumentException("unknown option " + name);
        }
      } catch (NumberFormatException | DateTimeParseException e) {
        throw new IllegalArgumentException("bad value for " + name + ": " + value, e);
      }
    }
    if (out == null) {
      throw new IllegalArgumentException("--out is required");
    }
    return new GeneratorOptions(out, records, month, seed, changeRecords);
  }

  /** The options as one line, recorded in expected-summary.txt to tell data sets apart. */
  String describe() {
    return "records="
        + records
        + " month="
        + month
        + " seed="
        + seed
        + " change-records="
        + changeRecords;
  }
}
