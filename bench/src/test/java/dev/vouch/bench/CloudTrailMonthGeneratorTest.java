package dev.vouch.bench;

import static dev.vouch.bench.GeneratedDataAssertions.assertCheckerAcceptsTheExpectations;
import static dev.vouch.bench.GeneratedDataAssertions.assertEveryOutputFileExists;
import static dev.vouch.bench.GeneratedDataAssertions.assertRefusesToOverwrite;
import static dev.vouch.bench.GeneratedDataAssertions.assertSameTextFiles;
import static dev.vouch.bench.GeneratedDataAssertions.changeLogRows;
import static dev.vouch.bench.GeneratedDataAssertions.readSummary;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloudTrailMonthGeneratorTest {

  private static final int RECORDS = 5_000;
  private static final Pattern FILE_NAME =
      Pattern.compile(
          "(\\d{12})_CloudTrail_([a-z0-9-]+)_(\\d{8}T\\d{4}Z)_[A-Za-z0-9]{16}\\.json\\.gz");
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  private static Path out;
  private static List<LogFile> files;
  private static Map<String, String> expected;

  /** One delivery file, parsed. */
  private record LogFile(
      Path path, String account, String region, LocalDateTime delivery, List<JsonNode> records) {}

  @BeforeAll
  static void generate() throws IOException {
    out = dir.resolve("month");
    new CloudTrailMonthGenerator(GeneratorOptions.parse(args(out))).generate();
    files = readLogs(out.resolve("cloudtrail"));
    expected = FindingsChecker.readExpected(out.resolve(DataSetOutput.EXPECTED));
  }

  private static String[] args(Path target) {
    return new String[] {
      "--out",
      target.toString(),
      "--records",
      Integer.toString(RECORDS),
      "--month",
      "2026-10",
      "--seed",
      "7",
      "--change-records",
      "40"
    };
  }

  @Test
  void writesEveryOutputFile() {
    assertEveryOutputFileExists(out, "cloudtrail");
    assertThat(files).isNotEmpty();
  }

  @Test
  void writesExactlyTheRequestedNumberOfParseableRecordsWithUniqueIds() {
    Set<String> ids = new HashSet<>();
    for (LogFile f : files) {
      assertThat(f.records()).isNotEmpty();
      for (JsonNode r : f.records()) {
        assertThat(r.path("eventVersion").asText()).isEqualTo("1.11");
        assertThat(ids.add(r.path("eventID").asText())).as("unique eventID").isTrue();
        assertThat(r.path("recipientAccountId").asText()).isEqualTo(f.account());
        assertThat(r.path("awsRegion").asText()).isEqualTo(f.region());
      }
    }
    assertThat(ids).hasSize(RECORDS);
  }

  @Test
  void expectedCsvListsExactlyTheSuccessfulMutatingManagementCalls() {
    Map<String, Boolean> changes = new HashMap<>();
    for (LogFile f : files) {
      for (JsonNode r : f.records()) {
        if (isChange(r)) {
          JsonNode who = r.path("userIdentity");
          // The built-in rules exclude AWS service principals and the services that act on
          // their own; of those, the generator writes Auto Scaling and EKS node groups.
          boolean automation =
              who.path("type").asText().equals("AWSService")
                  || Set.of("autoscaling.amazonaws.com", "eks-nodegroup.amazonaws.com")
                      .contains(who.path("invokedBy").asText());
          changes.put(r.path("eventID").asText(), automation);
        }
      }
    }
    assertThat(expected.keySet()).isEqualTo(changes.keySet());
    changes.forEach(
        (id, automation) ->
            assertThat(expected.get(id).equals("EXCLUDED")).as(id).isEqualTo(automation));
    assertThat(EnumSet.copyOf(expected.values().stream().map(ExpectedVerdict::valueOf).toList()))
        .as("every verdict is exercised")
        .isEqualTo(EnumSet.allOf(ExpectedVerdict.class));
  }

  @Test
  void summaryCountsAgreeWithTheFiles() throws IOException {
    Properties summary = readSummary(out);
    assertThat(summary.getProperty("records")).isEqualTo(Integer.toString(RECORDS));
    assertThat(summary.getProperty("files")).isEqualTo(Integer.toString(files.size()));
    assertThat(Long.parseLong(summary.getProperty("class.CHANGE"))).isEqualTo(expected.size());
    long verdicts = 0;
    for (ExpectedVerdict v : ExpectedVerdict.values()) {
      long n = Long.parseLong(summary.getProperty("verdict." + v));
      assertThat(n).isEqualTo(expected.values().stream().filter(v.name()::equals).count());
      verdicts += n;
    }
    assertThat(verdicts).isEqualTo(expected.size());
    long classes = 0;
    for (EventClass c : EventClass.values()) {
      classes += Long.parseLong(summary.getProperty("class." + c));
    }
    assertThat(classes).isEqualTo(RECORDS);
  }

  @Test
  void everyFileSitsUnderItsDeliveryDateAndHoldsOnlyEarlierEvents() {
    for (LogFile f : files) {
      Path day = f.path().getParent();
      assertThat(day.getFileName().toString())
          .isEqualTo(String.format("%02d", f.delivery().getDayOfMonth()));
      assertThat(day.getParent().getFileName().toString())
          .isEqualTo(String.format("%02d", f.delivery().getMonthValue()));
      assertThat(day.getParent().getParent().getFileName().toString())
          .isEqualTo(Integer.toString(f.delivery().getYear()));
      Path region = day.getParent().getParent().getParent();
      assertThat(region.getFileName().toString()).isEqualTo(f.region());
      assertThat(region.getParent().getFileName().toString()).isEqualTo("CloudTrail");
      assertThat(region.getParent().getParent().getFileName().toString()).isEqualTo(f.account());
      assertThat(region.getParent().getParent().getParent().getFileName().toString())
          .isEqualTo(Catalog.ORG_ID);

      long delivered = f.delivery().toEpochSecond(ZoneOffset.UTC);
      long newest = Long.MIN_VALUE;
      long oldest = Long.MAX_VALUE;
      for (JsonNode r : f.records()) {
        long t = Instant.parse(r.path("eventTime").asText()).getEpochSecond();
        newest = Math.max(newest, t);
        oldest = Math.min(oldest, t);
      }
      assertThat(newest).as(f.path().toString()).isLessThan(delivered + 60);
      assertThat(newest - oldest).as("one 5-minute slot").isLessThan(300);
    }
  }

  @Test
  void someFilesAreDeliveredHoursLateAndMidnightEventsLandInTheNextDay() {
    int late = 0;
    int nextDay = 0;
    for (LogFile f : files) {
      long delivered = f.delivery().toEpochSecond(ZoneOffset.UTC);
      boolean isLate = false;
      for (JsonNode r : f.records()) {
        Instant t = Instant.parse(r.path("eventTime").asText());
        if (delivered - t.getEpochSecond() >= 3600) {
          isLate = true;
        }
        if (!LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC)
            .toLocalDate()
            .equals(f.delivery().toLocalDate())) {
          nextDay++;
        }
      }
      if (isLate) {
        late++;
        assertThat(f.records())
            .allMatch(r -> r.path("addendum").path("reason").asText().equals("DELIVERY_DELAY"));
      } else {
        assertThat(f.records()).noneMatch(r -> r.has("addendum"));
      }
    }
    assertThat(late).isPositive();
    assertThat(nextDay).isPositive();
  }

  @Test
  void readOnlyIsSometimesAbsentButOnlyWhereTheNameTellsIt() {
    int absent = 0;
    for (LogFile f : files) {
      for (JsonNode r : f.records()) {
        if (!r.has("readOnly")) {
          absent++;
          assertThat(r.path("eventName").asText()).matches("(Describe|Get|List).*");
        }
      }
    }
    assertThat(absent).isPositive();
  }

  @Test
  void changeLogRowsAreWellFormed() throws IOException {
    for (List<String> row : changeLogRows(out, 40)) {
      String type = row.get(2);
      String state = row.get(3);
      assertThat(type).isIn("standard", "normal", "emergency");
      assertThat(state).isIn("approved", "implemented", "closed", "rejected", "cancelled");
      assertThat(row.get(7)).isNotEmpty();
      if (!type.equals("emergency")
          && Set.of("approved", "implemented", "closed").contains(state)) {
        assertThat(row.get(8)).as(row.get(0) + " approved_by").isNotEmpty();
        assertThat(row.get(9)).as(row.get(0) + " approved_at").isNotEmpty();
      }
    }
  }

  @Test
  void sameSeedGivesIdenticalOutput() throws IOException {
    Path again = dir.resolve("again");
    new CloudTrailMonthGenerator(GeneratorOptions.parse(args(again))).generate();
    assertSameTextFiles(again, out);
    assertThat(relativeFiles(again.resolve("cloudtrail")))
        .isEqualTo(relativeFiles(out.resolve("cloudtrail")));
  }

  @Test
  void longerFilesHoldTheSameActivityInFewerFilesEachSpanningItsMinutes() throws IOException {
    Path longer = dir.resolve("longer");
    String[] options = java.util.Arrays.copyOf(args(longer), args(longer).length + 2);
    options[options.length - 2] = "--file-minutes";
    options[options.length - 1] = "480";
    new CloudTrailMonthGenerator(GeneratorOptions.parse(options)).generate();
    List<LogFile> eightHours = readLogs(longer.resolve("cloudtrail"));
    assertThat(eightHours.size()).isLessThanOrEqualTo(31 * 3 * CloudTrailMonthGenerator.PARTITIONS);
    assertThat(eightHours.size()).isLessThan(files.size() / 4);
    long records = 0;
    for (LogFile f : eightHours) {
      records += f.records().size();
      long newest = Long.MIN_VALUE;
      long oldest = Long.MAX_VALUE;
      for (JsonNode r : f.records()) {
        long t = Instant.parse(r.path("eventTime").asText()).getEpochSecond();
        newest = Math.max(newest, t);
        oldest = Math.min(oldest, t);
        assertThat(t / (480 * 60)).as("one 8-hour span").isEqualTo(oldest / (480 * 60));
      }
      assertThat(newest).isLessThan(f.delivery().toEpochSecond(ZoneOffset.UTC) + 60);
    }
    assertThat(records).isEqualTo(RECORDS);
    Properties summary = readSummary(longer);
    assertThat(summary.getProperty("params")).endsWith("file-minutes=480");
    assertThat(FindingsChecker.readExpected(longer.resolve(DataSetOutput.EXPECTED)))
        .hasSameSizeAs(expected);
  }

  @Test
  void fileMinutesMustTileADay() {
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> GeneratorOptions.parse("--out", "x", "--file-minutes", "7"))
        .withMessageContaining("multiple of 5");
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> GeneratorOptions.parse("--out", "x", "--file-minutes", "35"))
        .withMessageContaining("divides a day");
  }

  @Test
  void refusesToOverwriteGeneratedData() {
    assertRefusesToOverwrite(
        () -> new CloudTrailMonthGenerator(GeneratorOptions.parse(args(out))).generate());
  }

  @Test
  void checkerPassesTheExpectationsBackToItself() throws IOException {
    assertCheckerAcceptsTheExpectations(
        out, expected, dir.resolve("self-findings.json"), "eventId", "");
  }

  // --------------------------------------------------------------------------------- helpers

  static boolean isChange(JsonNode r) {
    return r.path("managementEvent").asBoolean(false)
        && r.path("eventType").asText().equals("AwsApiCall")
        && !r.has("errorCode")
        && r.has("readOnly")
        && !r.path("readOnly").asBoolean();
  }

  private static List<LogFile> readLogs(Path cloudtrail) throws IOException {
    List<LogFile> result = new ArrayList<>();
    try (Stream<Path> s = Files.walk(cloudtrail)) {
      for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
        Matcher m = FILE_NAME.matcher(p.getFileName().toString());
        assertThat(m.matches()).as(p.toString()).isTrue();
        JsonNode root;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
          root = JSON.readTree(in);
        }
        List<JsonNode> records = new ArrayList<>();
        root.path("Records").forEach(records::add);
        result.add(
            new LogFile(
                p, m.group(1), m.group(2), LocalDateTime.parse(m.group(3), STAMP), records));
      }
    }
    return result;
  }

  private static Set<String> relativeFiles(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString())
          .collect(Collectors.toSet());
    }
  }
}
