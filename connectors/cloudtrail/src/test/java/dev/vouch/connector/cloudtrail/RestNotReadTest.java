package dev.vouch.connector.cloudtrail;

import static dev.vouch.connector.cloudtrail.TestSupport.ALL_TIME;
import static dev.vouch.connector.cloudtrail.TestSupport.after;
import static dev.vouch.connector.cloudtrail.TestSupport.corpus;
import static dev.vouch.connector.cloudtrail.TestSupport.gzip;
import static dev.vouch.connector.cloudtrail.TestSupport.id;
import static dev.vouch.connector.cloudtrail.TestSupport.pull;
import static dev.vouch.connector.cloudtrail.TestSupport.readableBeforeTheCut;
import static dev.vouch.connector.cloudtrail.TestSupport.window;
import static dev.vouch.connector.cloudtrail.TestSupport.write;
import static dev.vouch.connector.cloudtrail.TestSupport.writeBytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.connector.cloudtrail.TestSupport.Pulled;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.spi.InputProblem;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What ends a file before its end, or stands for a whole file, is one {@link
 * InputProblem.Extent#REST_OF_UNIT} rejection naming where: what came before is delivered, the
 * other files are read, and what went unread never passes for a quiet stretch of the trail. Within
 * JSON lines, a line that cannot be read is one {@link InputProblem.Extent#RECORD}.
 */
class RestNotReadTest {
  /** A real object of a trail, named as CloudTrail names them (trailscraper's test data). */
  private static final String TRAILSCRAPER =
      "111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U";

  private static final List<String> TRAILSCRAPER_IDS =
      List.of(
          id("111111111111", "a0ed971f-389f-406a-9fcf-887c5ca6903a"),
          id("111111111111", "b25ff7e3-f1cf-4b7f-883d-b09168c454d5"));

  /** 34 records of one Stratus Red Team detonation: a bare array over 1,581 lines. */
  private static final String STRATUS =
      "stratus-red-team/aws.credential-access.ec2-get-password-data.json";

  private static final TimeWindow DECEMBER_11_2017 =
      window("2017-12-11T00:00:00Z", "2017-12-12T00:00:00Z");

  // Jackson's default StreamReadConstraints, which the source leaves as they are: in Jackson 2.23,
  // a nesting depth of at most 1000 and strings of at most 20,000,000 characters.
  private static final int MAX_DEPTH = StreamReadConstraints.DEFAULT_MAX_DEPTH;
  private static final int MAX_STRING = StreamReadConstraints.DEFAULT_MAX_STRING_LEN;

  @TempDir Path bucket;

  /** The day folder of the trail copy, holding the real log file. */
  private Path day;

  @BeforeEach
  void copyTheRealLogFile() throws Exception {
    day = bucket.resolve("AWSLogs/111111111111/CloudTrail/eu-central-1/2017/12/11");
    Files.createDirectories(day);
    Files.copy(
        corpus("trailscraper/" + TRAILSCRAPER + ".json.gz"),
        day.resolve(TRAILSCRAPER + ".json.gz"));
  }

  /** The Stratus records, in file order. */
  private static List<JsonNode> stratus() {
    List<JsonNode> records = new ArrayList<>();
    TestSupport.readJson(corpus(STRATUS)).forEach(records::add);
    return records;
  }

  private static String nativeIdOf(JsonNode record) {
    return id(record.get("recipientAccountId").asText(), record.get("eventID").asText());
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  @Test
  void shouldReportAnEmptyGzipAndAnEmptyJsonFileAsUnreadAndReadTheOtherFiles() throws Exception {
    // What an interrupted sync leaves: CloudTrail itself never delivers 0 bytes.
    Path emptyGzip =
        writeBytes(
            day.resolve(
                "111111111111_CloudTrail_eu-central-1_20171211T1510Z_Empty00000000001.json.gz"),
            new byte[0]);
    Path emptyJson = writeBytes(bucket.resolve("exports/lookup-2017-12-11.json"), new byte[0]);

    Pulled pulled = pull(bucket, DECEMBER_11_2017);

    assertThat(pulled.ids()).containsExactlyInAnyOrderElementsOf(TRAILSCRAPER_IDS);
    String why =
        "the file is empty (0 bytes); a CloudTrail log file always holds records, so this one was"
            + " cut short (an interrupted copy or sync); nothing of it could be read";
    assertThat(pulled.sink().rejections())
        .containsExactlyInAnyOrder(
            InputProblem.restNotRead(emptyGzip.toString(), why),
            InputProblem.restNotRead(emptyJson.toString(), why));
    assertThat(pulled.result().unitsRead()).isEqualTo(3);
    assertThat(pulled.result().detail())
        .contains("2 files not read to the end")
        .endsWith("2 events, 2 rejected, 0 records outside the window");
  }

  @Test
  void shouldDeliverWhatCameBeforeTheCutOfATruncatedGzipAndReportTheRestUnread(@TempDir Path dir)
      throws Exception {
    byte[] whole = gzip(Files.readString(corpus(STRATUS)));
    byte[] truncated = Arrays.copyOf(whole, whole.length / 2);
    Path cut = writeBytes(dir.resolve("ec2-get-password-data.json.gz"), truncated);

    Pulled pulled = pull(cut, ALL_TIME);

    // The records wholly before the cut, in file order.
    List<JsonNode> records = stratus();
    int delivered = pulled.ids().size();
    assertThat(delivered).isPositive().isLessThan(records.size());
    assertThat(pulled.ids())
        .containsExactlyInAnyOrderElementsOf(
            records.subList(0, delivered).stream().map(RestNotReadTest::nativeIdOf).toList());
    assertThat(pulled.sink().rejections())
        .containsExactly(
            InputProblem.restNotRead(
                after(cut, readableBeforeTheCut(truncated)),
                "corrupt gzip data: Unexpected end of ZLIB input stream (EOFException); the rest"
                    + " of the file was not read ("
                    + delivered
                    + " records before this point were read)"));
  }

  @Test
  void shouldReportAGzipMemberWithCorruptDataAfterDeliveringTheMemberBefore(@TempDir Path dir)
      throws Exception {
    // Two members, as `cat a.json.gz b.json.gz` makes; the second's first deflate block claims
    // the reserved block type.
    String first = Files.readString(corpus("trailscraper/" + TRAILSCRAPER + ".json"));
    byte[] second = gzip(Files.readString(corpus(STRATUS)));
    second[10] = 0x07;
    Path file = writeBytes(dir.resolve("members.json.gz"), concat(gzip(first), second));

    Pulled pulled = pull(file, ALL_TIME);

    assertThat(pulled.ids()).containsExactlyInAnyOrderElementsOf(TRAILSCRAPER_IDS);
    assertThat(pulled.sink().rejections())
        .containsExactly(
            InputProblem.restNotRead(
                after(file, first),
                "corrupt gzip data: invalid block type (ZipException); the rest of the file was not"
                    + " read (2 records before this point were read)"));
  }

  @Test
  void shouldReportAGzipMemberWithACorruptHeaderAfterDeliveringTheMemberBefore(@TempDir Path dir)
      throws Exception {
    // GZIPInputStream alone ends the stream without a word at a member whose header it cannot
    // read, and what that member held would be unseen.
    String first = Files.readString(corpus("trailscraper/" + TRAILSCRAPER + ".json"));
    byte[] second = gzip(Files.readString(corpus(STRATUS)));
    second[2] = 0x07; // compression method 7, reserved
    Path file = writeBytes(dir.resolve("members.json.gz"), concat(gzip(first), second));

    Pulled pulled = pull(file, ALL_TIME);

    assertThat(pulled.ids()).containsExactlyInAnyOrderElementsOf(TRAILSCRAPER_IDS);
    assertThat(pulled.sink().rejections())
        .containsExactly(
            InputProblem.restNotRead(
                after(file, first),
                "corrupt gzip data: the bytes after gzip member 1 are not a gzip member:"
                    + " Unsupported compression method (ZipException); the rest of the file was not"
                    + " read (2 records before this point were read)"));
  }

  @Test
  void shouldReportBytesAfterTheLastGzipMemberThatAreNoMember(@TempDir Path dir) throws Exception {
    // Too few to be read as a member header at all: GZIPInputStream alone ignores them.
    String first = Files.readString(corpus("trailscraper/" + TRAILSCRAPER + ".json"));
    Path file =
        writeBytes(
            dir.resolve("trailing.json.gz"),
            concat(gzip(first), new byte[] {0x1f, (byte) 0x8b, 0x08, 0, 0}));

    Pulled pulled = pull(file, ALL_TIME);

    assertThat(pulled.ids()).containsExactlyInAnyOrderElementsOf(TRAILSCRAPER_IDS);
    assertThat(pulled.sink().rejections())
        .containsExactly(
            InputProblem.restNotRead(
                after(file, first),
                "corrupt gzip data: the bytes after gzip member 1 are not a gzip member: they end"
                    + " within a member header (ZipException); the rest of the file was not read (2"
                    + " records before this point were read)"));
  }

  @Test
  void shouldReadEveryMemberOfAWholeMultiMemberGzip(@TempDir Path dir) throws Exception {
    String first = Files.readString(corpus("trailscraper/" + TRAILSCRAPER + ".json"));
    String second = Files.readString(corpus(STRATUS));
    Path file = writeBytes(dir.resolve("members.json.gz"), concat(gzip(first), gzip(second)));

    Pulled pulled = pull(file, ALL_TIME);

    List<String> expected = new ArrayList<>(TRAILSCRAPER_IDS);
    stratus().forEach(record -> expected.add(nativeIdOf(record)));
    assertThat(pulled.ids()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(pulled.sink().rejections()).isEmpty();
  }

  @Test
  void shouldReportADanglingLinkToALogFileOrToARegionFolderNamingItsTarget() throws Exception {
    // A log file linked to a volume that is not mounted, and a region folder linked to another.
    Path fileLink =
        day.resolve("111111111111_CloudTrail_eu-central-1_20171211T1510Z_Link000000000001.json.gz");
    Path fileTarget = bucket.resolve("archive-volume").resolve(fileLink.getFileName());
    Files.createSymbolicLink(fileLink, fileTarget);
    Path regionLink = bucket.resolve("AWSLogs/111111111111/CloudTrail/eu-west-1");
    Files.createSymbolicLink(regionLink, Path.of("../../../region-volume/eu-west-1"));

    Pulled pulled = pull(bucket, DECEMBER_11_2017);

    assertThat(pulled.ids()).containsExactlyInAnyOrderElementsOf(TRAILSCRAPER_IDS);
    assertThat(pulled.sink().rejections())
        .containsExactlyInAnyOrder(
            InputProblem.restNotRead(
                fileLink.toString(),
                "dangling symbolic link to "
                    + fileTarget
                    + ": what it names is missing, so whatever it held is unseen"),
            InputProblem.restNotRead(
                regionLink.toString(),
                "dangling symbolic link to ../../../region-volume/eu-west-1: what it names is"
                    + " missing, so whatever it held is unseen"));
    assertThat(pulled.result().unitsRead()).isEqualTo(1);
    assertThat(pulled.result().detail())
        .isEqualTo(
            "1 file (0 digest files skipped, 0 other files ignored, 2 files not read to the end);"
                + " 2 events, 2 rejected, 0 records outside the window");
  }

  /**
   * A real record whose {@code requestParameters} are replaced by {@code json}, joined as text:
   * Jackson would not write what it will not read.
   */
  private static String withRequestParameters(JsonNode record, String json) {
    ObjectNode copy = record.deepCopy();
    copy.put("requestParameters", "@@PARAMETERS@@");
    return copy.toString().replace("\"@@PARAMETERS@@\"", json);
  }

  /** Twice as deep as Jackson reads, in arrays, as a filter expression might nest. */
  private static String tooDeep(JsonNode record) {
    int depth = 2 * MAX_DEPTH;
    return withRequestParameters(
        record, "{\"filters\":" + "[".repeat(depth) + "]".repeat(depth) + "}");
  }

  /** A policy document one character longer than Jackson reads. */
  private static String tooLong(JsonNode record) {
    return withRequestParameters(
        record, "{\"policyDocument\":\"" + "A".repeat(MAX_STRING + 1) + "\"}");
  }

  /**
   * Where the parser stops in a line holding {@link #tooDeep}: right after the bracket one level
   * deeper than it reads, {@code enclosing} being the levels open before the first bracket.
   */
  private static int tooDeepColumn(String line, int enclosing) {
    return line.indexOf("[[") + (MAX_DEPTH + 1 - enclosing) + 1;
  }

  /** Where the parser stops in a line holding {@link #tooLong}: right after the string. */
  private static int tooLongColumn(String line) {
    return line.indexOf("\"AAAA") + (MAX_STRING + 1) + 3;
  }

  private static final String DEPTH_MESSAGE =
      "Document nesting depth ("
          + (MAX_DEPTH + 1)
          + ") exceeds the maximum allowed ("
          + MAX_DEPTH
          + ", from `StreamReadConstraints.getMaxNestingDepth()`)";

  private static final String LENGTH_MESSAGE =
      "String value length ("
          + (MAX_STRING + 1)
          + ") exceeds the maximum allowed ("
          + MAX_STRING
          + ", from `StreamReadConstraints.getMaxStringLength()`)";

  @Test
  void shouldEndARecordsFileAtARecordNestedDeeperThanJacksonReads(@TempDir Path dir)
      throws Exception {
    List<JsonNode> records = stratus();
    String content =
        "{\"Records\":["
            + records.get(0)
            + ","
            + tooDeep(records.get(1))
            + ","
            + records.get(2)
            + "]}";
    Path file = write(dir.resolve("deep.json"), content);

    Pulled pulled = pull(file, ALL_TIME);

    // The file's object and array, the record and its requestParameters enclose the brackets.
    assertThat(pulled.ids()).containsExactly(nativeIdOf(records.get(0)));
    assertThat(pulled.sink().rejections())
        .containsExactly(
            InputProblem.restNotRead(
                file + ":1:" + tooDeepColumn(content, 4),
                "malformed JSON: "
                    + DEPTH_MESSAGE
                    + "; the rest of the file was not read (1 record before this point was"
                    + " read)"));
  }

  @Test
  void shouldEndARecordsFileAtAStringLongerThanJacksonReads(@TempDir Path dir) throws Exception {
    List<JsonNode> records = stratus();
    String content =
        "{\"Records\":["
            + records.get(0)
            + ","
            + tooLong(records.get(1))
            + ","
            + records.get(2)
            + "]}";
    Path file = write(dir.resolve("long.json"), content);

    Pulled pulled = pull(file, ALL_TIME);

    assertThat(pulled.ids()).containsExactly(nativeIdOf(records.get(0)));
    assertThat(pulled.sink().rejections())
        .containsExactly(
            InputProblem.restNotRead(
                file + ":1:" + tooLongColumn(content),
                "malformed JSON: "
                    + LENGTH_MESSAGE
                    + "; the rest of the file was not read (1 record before this point was"
                    + " read)"));
  }

  @Test
  void shouldRejectOnlyTheLinesOfAJsonLinesFileThatJacksonDoesNotRead(@TempDir Path dir)
      throws Exception {
    List<JsonNode> records = stratus();
    String deep = tooDeep(records.get(1));
    String tooLong = tooLong(records.get(3));
    Path file =
        write(
            dir.resolve("limits.jsonl"),
            String.join(
                "\n",
                records.get(0).toString(),
                deep,
                records.get(2).toString(),
                tooLong,
                records.get(4).toString()));

    Pulled pulled = pull(file, ALL_TIME);

    // The record and its requestParameters enclose the brackets.
    assertThat(pulled.ids())
        .containsExactlyInAnyOrder(
            nativeIdOf(records.get(0)), nativeIdOf(records.get(2)), nativeIdOf(records.get(4)));
    assertThat(pulled.sink().rejections())
        .containsExactly(
            new InputProblem(
                file + ":2:" + tooDeepColumn(deep, 2), "malformed JSON line: " + DEPTH_MESSAGE),
            new InputProblem(
                file + ":4:" + tooLongColumn(tooLong), "malformed JSON line: " + LENGTH_MESSAGE));
  }
}
