package dev.vouch.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.vouch.bench.Catalog.Account;
import dev.vouch.bench.Catalog.Person;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * Generates a deterministic month of organisation-trail CloudTrail logs, the change log that goes
 * with it, a Vouch configuration, and the verdict Vouch must give every change.
 *
 * <p>Layout under {@code --out DIR}:
 *
 * <ul>
 *   <li>{@code cloudtrail/AWSLogs/o-bench12345/<account>/CloudTrail/<region>/YYYY/MM/DD/
 *       <account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16 alnum>.json.gz}: one gzip {@code
 *       {"Records":[...]}} file per account, region and span of {@code --file-minutes} (5, as
 *       CloudTrail delivers) with events, named and foldered by its delivery time (span end plus a
 *       short delay; about 1% of files 1-30 h late);
 *   <li>{@code changes.csv}: the change log; {@code vouch.yaml}: the configuration;
 *   <li>{@code expected.csv}: {@code eventID,verdict} for every change; {@code
 *       expected-summary.txt}: counts per verdict and per non-change class, written last.
 * </ul>
 *
 * <p>Files are written slot by slot as they are generated; only the change plan (about a tenth of
 * the records, without payloads) is held in memory.
 */
public final class CloudTrailMonthGenerator {

  static final int SLOT_SECONDS = 300;
  static final int PARTITIONS = Catalog.ACCOUNTS.size() * Catalog.REGIONS.size();

  static final double FAILED_SHARE = 0.05;
  static final double SERVICE_CHANGE_SHARE = 0.03;
  static final double DATA_SHARE = 0.02;
  static final double SIGN_IN_SHARE = 0.01;
  static final double LATE_FILE_SHARE = 0.01;

  private static final String ALNUM =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  /** Relative activity per UTC hour: European and American working days are busiest. */
  private static final double[] HOUR_WEIGHTS = {
    0.35, 0.35, 0.35, 0.35, 0.35, 0.4, 0.6, 1.2, 1.2, 1.6, 1.6, 1.6, 1.6, 1.6, 1.6, 1.6, 1.6, 1.1,
    1.1, 1.1, 0.6, 0.6, 0.6, 0.4
  };

  private static final double WEEKEND_WEIGHT = 0.45;

  private final GeneratorOptions options;
  private final long monthStart;
  private final long monthEnd;

  CloudTrailMonthGenerator(GeneratorOptions options) {
    this.options = options;
    this.monthStart = options.month().atDay(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    this.monthEnd =
        options.month().plusMonths(1).atDay(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
  }

  public static void main(String[] args) {
    DataSetOutput.main(
        args,
        GeneratorOptions::parse,
        GeneratorOptions.USAGE,
        (options, started) -> {
          Summary s = new CloudTrailMonthGenerator(options).generate();
          System.out.printf(
              "Generated %,d records in %,d files (%,d late, %,d records) = %,.1f MiB into %s in"
                  + " %.1f s%n",
              s.records,
              s.files,
              s.lateFiles,
              s.lateRecords,
              s.bytes / 1048576.0,
              options.out(),
              DataSetOutput.secondsSince(started));
          System.out.println(DataSetOutput.indented(s.render(options)));
        });
  }

  /** Counts of what was generated; rendered into expected-summary.txt. */
  static final class Summary {
    long records;
    long files;
    long lateFiles;
    long lateRecords;
    long bytes;
    long boundaryChanges;
    final Map<EventClass, Long> classes = new EnumMap<>(EventClass.class);
    final Map<ExpectedVerdict, Long> verdicts = new EnumMap<>(ExpectedVerdict.class);
    final Map<String, Long> recordStats = new TreeMap<>();

    Summary() {
      for (EventClass c : EventClass.values()) {
        classes.put(c, 0L);
      }
      for (ExpectedVerdict v : ExpectedVerdict.values()) {
        verdicts.put(v, 0L);
      }
    }

    String render(GeneratorOptions options) {
      StringBuilder sb = new StringBuilder();
      sb.append("# Expected outcome of the Vouch CloudTrail month benchmark (generated).\n");
      sb.append("params=").append(options.describe()).append('\n');
      sb.append("records=").append(records).append('\n');
      sb.append("files=").append(files).append('\n');
      sb.append("files.late=").append(lateFiles).append('\n');
      sb.append("records.late=").append(lateRecords).append('\n');
      sb.append("bytes.gz=").append(bytes).append('\n');
      classes.forEach((k, v) -> sb.append("class.").append(k).append('=').append(v).append('\n'));
      verdicts.forEach(
          (k, v) -> sb.append("verdict.").append(k).append('=').append(v).append('\n'));
      sb.append("changes.boundary=").append(boundaryChanges).append('\n');
      recordStats.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
      return sb.toString();
    }
  }

  Summary generate() throws IOException {
    Path out = options.out();
    Path cloudtrail = out.resolve("cloudtrail");
    DataSetOutput.prepare(options, cloudtrail);

    int total = options.records();
    int humanTarget = (int) Math.round(total * ChangePlanner.HUMAN_CHANGE_SHARE);
    ChangePlanner.Plan plan =
        new ChangePlanner(
                monthStart,
                monthEnd,
                options.changeRecords(),
                humanTarget,
                new SplittableRandom(options.seed()))
            .plan();

    int failed = (int) Math.round(total * FAILED_SHARE);
    int service = (int) Math.round(total * SERVICE_CHANGE_SHARE);
    int data = (int) Math.round(total * DATA_SHARE);
    int signIn = (int) Math.round(total * SIGN_IN_SHARE);
    int background = total - plan.changes().size();
    int readOnly = background - failed - service - data - signIn;
    if (readOnly < total / 2) {
      throw DataSetOutput.tooSmall(
          "--records", total, options.changeRecords(), plan.changes().size());
    }

    ChangeLogCsv.write(out.resolve(ChangeLogCsv.FILE), plan.records());
    writeConfig(out.resolve("vouch.yaml"));

    Summary summary = new Summary();
    DataSetOutput.countRecords(plan.records(), summary.recordStats);
    for (PlannedChange c : plan.changes()) {
      if (c.boundary()) {
        summary.boundaryChanges++;
      }
    }

    SplittableRandom rng = new SplittableRandom(options.seed() * 0x9E3779B97F4A7C15L + 0x51ED);
    int[] counts = sampleCounts(background, rng);
    EventSpec.Kind[] kinds = shuffledKinds(readOnly, failed, signIn, data, service, rng);
    writeLogs(cloudtrail, plan.changes(), counts, kinds, rng, summary);

    if (summary.records != total) {
      throw new IllegalStateException(
          "generator bug: wrote " + summary.records + " records, wanted " + total);
    }
    DataSetOutput.writeSummary(out, summary.render(options));
    return summary;
  }

  // ------------------------------------------------------------------------------- logs

  private void writeLogs(
      Path cloudtrail,
      List<PlannedChange> changes,
      int[] counts,
      EventSpec.Kind[] kinds,
      SplittableRandom rng,
      Summary summary)
      throws IOException {
    long fileSeconds = options.fileMinutes() * 60L;
    int slotsPerFile = (int) (fileSeconds / SLOT_SECONDS);
    List<PlannedChange> planned = new ArrayList<>(changes);
    planned.sort(
        Comparator.comparingLong((PlannedChange c) -> c.fileKey(monthStart, fileSeconds))
            .thenComparingLong(PlannedChange::time));
    Path root = cloudtrail.resolve("AWSLogs").resolve(Catalog.ORG_ID);
    JsonFactory factory = new JsonFactory();
    CloudTrailRecordWriter writer = new CloudTrailRecordWriter(rng);
    Set<Path> dirs = new HashSet<>();
    int kindIndex = 0;
    int plannedIndex = 0;
    int slots = (int) ((monthEnd - monthStart) / SLOT_SECONDS);
    int files = slots / slotsPerFile;
    List<EventSpec> batch = new ArrayList<>();
    try (Writer expected =
        Files.newBufferedWriter(
            cloudtrail.resolveSibling(DataSetOutput.EXPECTED), StandardCharsets.UTF_8)) {
      expected.write("eventID,verdict\n");
      for (int file = 0; file < files; file++) {
        long fileStart = monthStart + file * fileSeconds;
        for (int partition = 0; partition < PARTITIONS; partition++) {
          int account = partition / Catalog.REGIONS.size();
          int region = partition % Catalog.REGIONS.size();
          long key = (long) file * PARTITIONS + partition;
          batch.clear();
          // Background records are sampled per 5-minute slot whatever span a file has, so that the
          // same seed gives the same activity over the day.
          for (int slot = file * slotsPerFile; slot < (file + 1) * slotsPerFile; slot++) {
            long slotStart = monthStart + (long) slot * SLOT_SECONDS;
            for (int i = counts[slot * PARTITIONS + partition]; i > 0; i--) {
              batch.add(
                  new EventSpec(
                      slotStart + rng.nextInt(SLOT_SECONDS),
                      account,
                      region,
                      kinds[kindIndex++],
                      null));
            }
          }
          while (plannedIndex < planned.size()
              && planned.get(plannedIndex).fileKey(monthStart, fileSeconds) == key) {
            batch.add(EventSpec.of(planned.get(plannedIndex++)));
          }
          if (batch.isEmpty()) {
            continue;
          }
          batch.sort(Comparator.comparingLong(EventSpec::time));
          boolean late = rng.nextDouble() < LATE_FILE_SHARE;
          long delivery =
              fileStart
                  + fileSeconds
                  + (late ? 3600 + rng.nextInt(29 * 3600 + 1) : 20 + rng.nextInt(341));
          writeFile(
              root, dirs, account, region, delivery, late, batch, writer, factory, rng, expected,
              summary);
        }
      }
    }
    if (plannedIndex != planned.size()) {
      throw new IllegalStateException(
          "generator bug: " + (planned.size() - plannedIndex) + " changes not written");
    }
  }

  private void writeFile(
      Path root,
      Set<Path> dirs,
      int account,
      int region,
      long delivery,
      boolean late,
      List<EventSpec> batch,
      CloudTrailRecordWriter writer,
      JsonFactory factory,
      SplittableRandom rng,
      Writer expected,
      Summary summary)
      throws IOException {
    Account acct = Catalog.ACCOUNTS.get(account);
    String regionName = Catalog.REGIONS.get(region);
    LocalDateTime at = LocalDateTime.ofEpochSecond(delivery, 0, ZoneOffset.UTC);
    Path dir =
        root.resolve(acct.id())
            .resolve("CloudTrail")
            .resolve(regionName)
            .resolve(String.format("%04d", at.getYear()))
            .resolve(String.format("%02d", at.getMonthValue()))
            .resolve(String.format("%02d", at.getDayOfMonth()));
    if (dirs.add(dir)) {
      Files.createDirectories(dir);
    }
    char[] unique = new char[16];
    for (int i = 0; i < unique.length; i++) {
      unique[i] = ALNUM.charAt(rng.nextInt(ALNUM.length()));
    }
    String name =
        String.format(
            "%s_CloudTrail_%s_%04d%02d%02dT%02d%02dZ_%s.json.gz",
            acct.id(),
            regionName,
            at.getYear(),
            at.getMonthValue(),
            at.getDayOfMonth(),
            at.getHour(),
            at.getMinute(),
            new String(unique));
    Path file = dir.resolve(name);
    try (OutputStream os = Files.newOutputStream(file);
        GZIPOutputStream gz = new GZIPOutputStream(os, 1 << 16);
        JsonGenerator g = factory.createGenerator(gz)) {
      g.writeStartObject();
      g.writeArrayFieldStart("Records");
      for (EventSpec e : batch) {
        String eventId = writer.write(g, e, late);
        EventClass eventClass = e.kind().eventClass();
        summary.classes.merge(eventClass, 1L, Long::sum);
        if (eventClass == EventClass.CHANGE) {
          ExpectedVerdict v =
              e.planned() != null ? e.planned().verdict() : ExpectedVerdict.EXCLUDED;
          summary.verdicts.merge(v, 1L, Long::sum);
          expected.write(eventId);
          expected.write(',');
          expected.write(v.name());
          expected.write('\n');
        }
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    summary.records += batch.size();
    summary.files++;
    summary.bytes += Files.size(file);
    if (late) {
      summary.lateFiles++;
      summary.lateRecords += batch.size();
    }
  }

  /** Spreads the background records over slots and partitions by time of day and account. */
  private int[] sampleCounts(int background, SplittableRandom rng) {
    int slots = (int) ((monthEnd - monthStart) / SLOT_SECONDS);
    double[] cumulative = new double[slots * PARTITIONS];
    double sum = 0;
    for (int slot = 0; slot < slots; slot++) {
      double w =
          Sampling.activity(monthStart + (long) slot * SLOT_SECONDS, HOUR_WEIGHTS, WEEKEND_WEIGHT);
      for (int p = 0; p < PARTITIONS; p++) {
        double pw =
            Catalog.ACCOUNTS.get(p / Catalog.REGIONS.size()).weight()
                * Catalog.REGION_WEIGHTS[p % Catalog.REGIONS.size()];
        sum += w * pw;
        cumulative[slot * PARTITIONS + p] = sum;
      }
    }
    return Sampling.counts(cumulative, sum, background, rng);
  }

  private static EventSpec.Kind[] shuffledKinds(
      int readOnly, int failed, int signIn, int data, int service, SplittableRandom rng) {
    EventSpec.Kind[] kinds = new EventSpec.Kind[readOnly + failed + signIn + data + service];
    int i = 0;
    i = fill(kinds, i, readOnly, EventSpec.Kind.READ_ONLY);
    i = fill(kinds, i, failed, EventSpec.Kind.FAILED);
    i = fill(kinds, i, signIn, EventSpec.Kind.SIGN_IN);
    i = fill(kinds, i, data, EventSpec.Kind.DATA);
    fill(kinds, i, service, EventSpec.Kind.SERVICE_CHANGE);
    for (int j = kinds.length - 1; j > 0; j--) {
      int k = rng.nextInt(j + 1);
      EventSpec.Kind tmp = kinds[j];
      kinds[j] = kinds[k];
      kinds[k] = tmp;
    }
    return kinds;
  }

  private static int fill(EventSpec.Kind[] kinds, int from, int n, EventSpec.Kind kind) {
    Arrays.fill(kinds, from, from + n, kind);
    return from + n;
  }

  // ------------------------------------------------------------------------------- config

  private void writeConfig(Path file) throws IOException {
    StringBuilder y = DataSetOutput.configHead("CloudTrail month", options);
    for (Account a : Catalog.ACCOUNTS) {
      y.append("  - name: ").append(a.system()).append('\n');
      y.append("    aws: {accounts: [\"").append(a.id()).append("\"]}\n");
    }
    y.append("identities:\n");
    for (Person p : Catalog.PEOPLE) {
      y.append("  - person: ").append(p.id()).append('\n');
      y.append("    aliases: [").append(p.ssoSession()).append(", ").append(p.id()).append("]\n");
    }
    y.append("sources:\n");
    y.append("  - {type: cloudtrail, name: org-trail, path: ./cloudtrail}\n");
    DataSetOutput.configRecordsAndMatching(y);
    Files.writeString(file, y.toString(), StandardCharsets.UTF_8);
  }
}
