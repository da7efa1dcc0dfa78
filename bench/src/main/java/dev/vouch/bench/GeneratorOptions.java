package dev.vouch.bench;

import java.nio.file.Path;
import java.time.YearMonth;

/**
 * Command-line options of {@link CloudTrailMonthGenerator}.
 *
 * @param out the output directory
 * @param records how many CloudTrail records to write in total
 * @param month the month the events fall in (UTC)
 * @param seed the random seed; the same options give byte-identical output
 * @param changeRecords how many change records to write to changes.csv
 * @param fileMinutes how much time one log file spans per account and region: CloudTrail's own 5
 *     minutes by default; longer spans make fewer, larger files
 */
record GeneratorOptions(
    Path out, int records, YearMonth month, long seed, int changeRecords, int fileMinutes)
    implements DataSetOptions {

  static final String USAGE =
      "usage: CloudTrailMonthGenerator --out DIR [--records N (200000)] [--month YYYY-MM (2026-10)]"
          + " [--seed S (42)] [--change-records R (300)] [--file-minutes M (5)]";

  static final int DEFAULT_FILE_MINUTES = CloudTrailMonthGenerator.SLOT_SECONDS / 60;

  GeneratorOptions {
    OptionReader.atLeast("--records", records, 1000);
    OptionReader.atLeast("--change-records", changeRecords, 1);
    OptionReader.atLeast("--file-minutes", fileMinutes, DEFAULT_FILE_MINUTES);
    if (fileMinutes % DEFAULT_FILE_MINUTES != 0 || 1440 % fileMinutes != 0) {
      throw new IllegalArgumentException(
          "--file-minutes must be a multiple of 5 that divides a day (1440), not " + fileMinutes);
    }
  }

  /** Parses {@code --name value} pairs; throws IllegalArgumentException naming the bad option. */
  static GeneratorOptions parse(String... args) {
    Path out = null;
    int records = 200_000;
    YearMonth month = YearMonth.of(2026, 10);
    long seed = 42;
    int changeRecords = 300;
    int fileMinutes = DEFAULT_FILE_MINUTES;
    OptionReader o = new OptionReader(args);
    while (o.next()) {
      switch (o.name()) {
        case "--out" -> out = Path.of(o.value());
        case "--records" -> records = o.intValue();
        case "--month" -> month = o.parse(YearMonth::parse);
        case "--seed" -> seed = o.longValue();
        case "--change-records" -> changeRecords = o.intValue();
        case "--file-minutes" -> fileMinutes = o.intValue();
        default -> throw o.unknown();
      }
    }
    return new GeneratorOptions(
        OptionReader.required("--out", out), records, month, seed, changeRecords, fileMinutes);
  }

  @Override
  public String describe() {
    return "records="
        + records
        + " month="
        + month
        + " seed="
        + seed
        + " change-records="
        + changeRecords
        + " file-minutes="
        + fileMinutes;
  }
}
