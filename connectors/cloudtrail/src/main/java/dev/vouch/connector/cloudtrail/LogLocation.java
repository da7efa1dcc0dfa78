package dev.vouch.connector.cloudtrail;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a directory's place in CloudTrail's S3 layout says about the files in it.
 *
 * <p>Layouts: {@code AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/} and, for organization
 * trails, {@code AWSLogs/<o-id>/<account>/CloudTrail/<region>/YYYY/MM/DD/}; digests use {@code
 * CloudTrail-Digest} in place of {@code CloudTrail}, Insights events {@code CloudTrail-Insight}.
 * The last {@code AWSLogs} component of the absolute path anchors the layout, so the configured
 * path may point at the bucket copy, at {@code AWSLogs} or anywhere below it.
 *
 * @param kind what the folder holds
 * @param account the account folder, or null outside the layout
 * @param region the region folder, or null when not that deep
 * @param from the first delivery day the folder can hold (from its date folders), or null when it
 *     has none
 * @param to the last delivery day the folder can hold, or null when it has no date folders
 * @param dateLevel whether this directory itself is a year, month or day folder
 */
record LogLocation(
    Kind kind,
    @Nullable String account,
    @Nullable String region,
    @Nullable LocalDate from,
    @Nullable LocalDate to,
    DateLevel dateLevel) {

  /** What a folder holds. */
  enum Kind {
    /** Not inside an {@code AWSLogs/<account>/<service>} folder: any accepted file is read. */
    PLAIN,
    /** A CloudTrail log folder ({@code CloudTrail}, {@code CloudTrail-Insight}). */
    LOG,
    /** A {@code CloudTrail-Digest} folder: integrity digests, not logs. */
    DIGEST,
    /** Another service's logs under {@code AWSLogs} (Config, ELB, VPC flow logs): not ours. */
    OTHER_SERVICE
  }

  /** Which date folder a directory is. */
  enum DateLevel {
    NONE,
    YEAR,
    MONTH,
    DAY
  }

  static final String AWS_LOGS = "AWSLogs";
  static final String CLOUDTRAIL_FOLDER_PREFIX = "CloudTrail";
  static final String DIGEST_FOLDER = "CloudTrail-Digest";

  private static final Pattern YEAR = Pattern.compile("\\d{4}");
  private static final Pattern MONTH_OR_DAY = Pattern.compile("\\d{2}");

  /**
   * The delivery stamp in a CloudTrail file name: {@code
   * <account>_CloudTrail_<region>_YYYYMMDDTHHmmZ_<unique>.json.gz} (digests add seconds).
   */
  private static final Pattern STAMP =
      Pattern.compile("_CloudTrail(?:-[A-Za-z]+)?_.*?_(\\d{8})T(\\d{4}|\\d{6})Z(?:[_.]|$)");

  private static final List<String> LOG_SUFFIXES =
      List.of(".json", ".json.gz", ".jsonl", ".jsonl.gz");
  private static final List<String> JSON_LINES_SUFFIXES = List.of(".jsonl", ".jsonl.gz");

  static final LogLocation PLAIN_LOCATION =
      new LogLocation(Kind.PLAIN, null, null, null, null, DateLevel.NONE);

  /** Reads the layout from an absolute, normalised directory path. */
  static LogLocation ofDirectory(Path directory) {
    List<String> names = new ArrayList<>();
    for (Path name : directory) {
      names.add(name.toString());
    }
    int anchor = names.lastIndexOf(AWS_LOGS);
    if (anchor < 0) {
      return PLAIN_LOCATION;
    }
    int pos = anchor + 1;
    if (pos < names.size() && names.get(pos).startsWith("o-")) {
      pos++; // organization trail: AWSLogs/<o-id>/<account>/...
    }
    if (pos + 1 >= names.size()) {
      return PLAIN_LOCATION; // AWSLogs/<account> itself: no service folder yet
    }
    String account = names.get(pos++);
    String service = names.get(pos++);
    Kind kind;
    if (service.equals(DIGEST_FOLDER)) {
      kind = Kind.DIGEST;
    } else if (service.startsWith(CLOUDTRAIL_FOLDER_PREFIX)) {
      kind = Kind.LOG;
    } else {
      kind = Kind.OTHER_SERVICE;
    }
    String region = pos < names.size() ? names.get(pos++) : null;
    int remaining = names.size() - pos;
    if (remaining <= 0 || !YEAR.matcher(names.get(pos)).matches()) {
      return new LogLocation(kind, account, region, null, null, DateLevel.NONE);
    }
    int year = Integer.parseInt(names.get(pos));
    if (remaining == 1) {
      return new LogLocation(
          kind,
          account,
          region,
          LocalDate.of(year, 1, 1),
          LocalDate.of(year, 12, 31),
          DateLevel.YEAR);
    }
    Integer month = twoDigits(names.get(pos + 1), 12);
    if (month == null) {
      return new LogLocation(kind, account, region, null, null, DateLevel.NONE);
    }
    YearMonth yearMonth = YearMonth.of(year, month);
    if (remaining == 2) {
      return new LogLocation(
          kind, account, region, yearMonth.atDay(1), yearMonth.atEndOfMonth(), DateLevel.MONTH);
    }
    Integer day = twoDigits(names.get(pos + 2), yearMonth.lengthOfMonth());
    if (day == null) {
      return new LogLocation(kind, account, region, null, null, DateLevel.NONE);
    }
    LocalDate date = yearMonth.atDay(day);
    DateLevel level = remaining == 3 ? DateLevel.DAY : DateLevel.NONE;
    return new LogLocation(kind, account, region, date, date, level);
  }

  private static @Nullable Integer twoDigits(String text, int max) {
    if (!MONTH_OR_DAY.matcher(text).matches()) {
      return null;
    }
    int value = Integer.parseInt(text);
    return value >= 1 && value <= max ? value : null;
  }

  /** The day folder a file in this directory was delivered under, or null outside one. */
  @Nullable LocalDate deliveryDay() {
    return from != null && from.equals(to) ? from : null;
  }

  /** Whether a file of this name is a CloudTrail digest, wherever it lies. */
  static boolean isDigestName(String fileName) {
    return fileName.contains("_" + DIGEST_FOLDER + "_");
  }

  /** Whether a file of this name is one this connector reads ({@code .json[l][.gz]}). */
  static boolean isLogName(String fileName) {
    String lower = fileName.toLowerCase(Locale.ROOT);
    return LOG_SUFFIXES.stream().anyMatch(lower::endsWith);
  }

  /** Whether a file of this name holds JSON lines, read one line at a time. */
  static boolean isJsonLinesName(String fileName) {
    String lower = fileName.toLowerCase(Locale.ROOT);
    return JSON_LINES_SUFFIXES.stream().anyMatch(lower::endsWith);
  }

  /** The delivery time in a CloudTrail file name, or null when the name has none. */
  static @Nullable Instant deliveryStamp(String fileName) {
    Matcher matcher = STAMP.matcher(fileName);
    if (!matcher.find()) {
      return null;
    }
    String date = matcher.group(1);
    String time = matcher.group(2);
    try {
      return LocalDate.of(
              Integer.parseInt(date.substring(0, 4)),
              Integer.parseInt(date.substring(4, 6)),
              Integer.parseInt(date.substring(6, 8)))
          .atTime(
              Integer.parseInt(time.substring(0, 2)),
              Integer.parseInt(time.substring(2, 4)),
              time.length() == 6 ? Integer.parseInt(time.substring(4, 6)) : 0)
          .toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      return null;
    }
  }
}
