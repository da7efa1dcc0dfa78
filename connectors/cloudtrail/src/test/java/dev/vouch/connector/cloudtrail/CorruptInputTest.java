package dev.vouch.connector.cloudtrail;

import static dev.vouch.connector.cloudtrail.TestSupport.ALL_TIME;
import static dev.vouch.connector.cloudtrail.TestSupport.JSON;
import static dev.vouch.connector.cloudtrail.TestSupport.after;
import static dev.vouch.connector.cloudtrail.TestSupport.gzip;
import static dev.vouch.connector.cloudtrail.TestSupport.id;
import static dev.vouch.connector.cloudtrail.TestSupport.pantherLine;
import static dev.vouch.connector.cloudtrail.TestSupport.pull;
import static dev.vouch.connector.cloudtrail.TestSupport.readableBeforeTheCut;
import static dev.vouch.connector.cloudtrail.TestSupport.record;
import static dev.vouch.connector.cloudtrail.TestSupport.recordsFile;
import static dev.vouch.connector.cloudtrail.TestSupport.window;
import static dev.vouch.connector.cloudtrail.TestSupport.write;
import static dev.vouch.connector.cloudtrail.TestSupport.writeBytes;
import static dev.vouch.connector.cloudtrail.TestSupport.writeGzip;
import static dev.vouch.core.spi.InputProblem.ACTOR;
import static dev.vouch.core.spi.InputProblem.EVENT_ID;
import static dev.vouch.core.spi.InputProblem.EVENT_NAME;
import static dev.vouch.core.spi.InputProblem.TIME;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.connector.cloudtrail.TestSupport.Pulled;
import dev.vouch.core.spi.InputProblem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A corrupt or truncated file is rejected with file, line and column; the rest is still read. */
class CorruptInputTest {
  @TempDir Path dir;

  private static InputProblem only(Pulled pulled, Path file) {
    List<InputProblem> problems =
        pulled.sink().rejections().stream()
            .filter(p -> p.location().startsWith(file + ":"))
            .toList();
    assertThat(problems).as("problems of %s", file).hasSize(1);
    return problems.get(0);
  }

  @Test
  void shouldReportACorruptGzipByLocationAndReadTheOtherFiles() throws Exception {
    writeGzip(
        dir.resolve("good-1.json.gz"),
        recordsFile(record("a1", "2024-03-14T10:00:00Z"), record("a2", "2024-03-14T10:00:01Z")));
    List<JsonNode> many = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      many.add(record("cut-" + i, "2024-03-14T11:00:00Z"));
    }
    byte[] whole = gzip(recordsFile(many.toArray(JsonNode[]::new)));
    byte[] truncated = Arrays.copyOf(whole, whole.length / 2);
    Path cut = writeBytes(dir.resolve("cut.json.gz"), truncated);
    Path garbage =
        writeBytes(dir.resolve("garbage.json.gz"), new byte[] {0x1f, (byte) 0x8b, 0x07, 0, 0, 0});
    write(dir.resolve("good-2.json"), recordsFile(record("b1", "2024-03-14T12:00:00Z")));

    Pulled pulled = pull(dir, ALL_TIME);

    List<String> fromCut =
        pulled.ids().stream().filter(nativeId -> nativeId.startsWith(id("cut-"))).toList();
    assertThat(fromCut).isNotEmpty().hasSizeLessThan(400);
    // What came before the cut, in file order: the first records, none skipped.
    assertThat(fromCut)
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, fromCut.size()).mapToObj(i -> id("cut-" + i)).toList());
    List<String> expected = new ArrayList<>(List.of(id("a1"), id("a2"), id("b1")));
    expected.addAll(fromCut);
    assertThat(pulled.ids()).containsExactlyInAnyOrderElementsOf(expected);
    InputProblem cutProblem = only(pulled, cut);
    assertThat(cutProblem.extent()).isEqualTo(InputProblem.Extent.REST_OF_UNIT);
    assertThat(cutProblem.fields()).isEmpty();
    // Right after the last byte the gzip data gave before the cut, on the file's one line.
    assertThat(cutProblem.location()).isEqualTo(after(cut, readableBeforeTheCut(truncated)));
    assertThat(cutProblem.message())
        .startsWith("corrupt gzip data: Unexpected end of ZLIB input stream (EOFException)")
        .endsWith(
            "; the rest of the file was not read ("
                + fromCut.size()
                + " records before this point were read)");
    assertThat(only(pulled, garbage))
        .isEqualTo(
            InputProblem.restNotRead(
                garbage + ":1",
                "corrupt gzip data: Unsupported compression method (ZipException); nothing of the"
                    + " file was read"));
    assertThat(pulled.result().unitsRead()).isEqualTo(4);
    assertThat(pulled.result().detail()).contains("2 files not read to the end");
  }

  @Test
  void shouldReportTruncatedJsonWithLineAndColumnAndKeepWhatCameBefore() throws Exception {
    ObjectNode file = JSON.createObjectNode();
    file.putArray("Records")
        .add(record("first", "2024-03-14T10:00:00Z"))
        .add(record("second", "2024-03-14T10:00:01Z"));
    String pretty = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(file);
    String truncated = pretty.substring(0, pretty.indexOf("\"second\"") + 4);
    Path path = write(dir.resolve("truncated.json"), truncated);
    write(dir.resolve("after.json"), recordsFile(record("after", "2024-03-14T12:00:00Z")));
    String[] lines = truncated.split("\n", -1);

    Pulled pulled = pull(dir, ALL_TIME);

    assertThat(pulled.ids()).containsExactlyInAnyOrder(id("first"), id("after"));
    InputProblem problem = only(pulled, path);
    assertThat(problem.extent()).isEqualTo(InputProblem.Extent.REST_OF_UNIT);
    assertThat(problem.fields()).isEmpty();
    assertThat(problem.location())
        .isEqualTo(path + ":" + lines.length + ":" + (lines[lines.length - 1].length() + 1));
    assertThat(problem.message())
        .startsWith("malformed JSON: Unexpected end-of-input in VALUE_STRING")
        .doesNotContain("Source:")
        .endsWith("; the rest of the file was not read (1 record before this point was read)");
  }

  @Test
  void shouldRejectElementsThatAreNotRecordsAndKeepTheOthers() throws Exception {
    Path path =
        write(
            dir.resolve("mixed.json"),
            "{\"Records\": [42,\n \"text\",\n " + record("c", "2024-03-14T10:00:00Z") + "]}");
    Path scalar = write(dir.resolve("scalar.json"), "\"just a string\"");

    Pulled pulled = pull(dir, ALL_TIME);

    assertThat(pulled.ids()).containsExactly(id("c"));
    assertThat(pulled.sink().rejections())
        .containsExactlyInAnyOrder(
            new InputProblem(
                path + ":1:14",
                "expected a CloudTrail record (a JSON object) but found a number (record 1 in the"
                    + " file)"),
            new InputProblem(
                path + ":2:2",
                "expected a CloudTrail record (a JSON object) but found a string (record 2 in the"
                    + " file)"),
            new InputProblem(
                scalar + ":1:1",
                "expected a CloudTrail record, an array of records or {\"Records\": [...]} but"
                    + " found a string"));
  }

  @Test
  void shouldRejectRecordsWithABadIdOrTimeByFileAndLine() throws Exception {
    ObjectNode noTime = record("no-time", "x");
    noTime.remove("eventTime");
    ObjectNode badTime = record("bad-time", "yesterday");
    ObjectNode objectId = record("x", "2024-03-14T10:00:00Z");
    objectId.putObject("eventID").put("value", "x");
    ObjectNode emptyId = record("", "2024-03-14T10:00:00Z");
    ObjectNode numericTime = record("numeric-time", "x");
    numericTime.put("eventTime", 1710410400);
    Path path =
        write(
            dir.resolve("bad.jsonl"),
            String.join(
                "\n",
                noTime.toString(),
                badTime.toString(),
                objectId.toString(),
                emptyId.toString(),
                numericTime.toString()));

    Pulled pulled = pull(dir, ALL_TIME);

    // Each rejection keeps what could still be read of its record, for whoever triages it.
    String name = "iam.amazonaws.com:CreateRole";
    String alice = "arn:aws:iam::111122223333:user/alice";
    assertThat(pulled.ids()).isEmpty();
    assertThat(pulled.sink().rejections())
        .containsExactly(
            new InputProblem(
                path + ":1",
                "CloudTrail record iam.amazonaws.com:CreateRole: no eventTime (record 1 in the"
                    + " file)",
                InputProblem.Extent.RECORD,
                Map.of(EVENT_NAME, name, ACTOR, alice, EVENT_ID, "no-time")),
            new InputProblem(
                path + ":2",
                "CloudTrail record iam.amazonaws.com:CreateRole: eventTime 'yesterday' is not a"
                    + " timestamp (expected ISO-8601 UTC such as 2024-11-30T08:43:17Z) (record 2 in"
                    + " the file)",
                InputProblem.Extent.RECORD,
                Map.of(EVENT_NAME, name, ACTOR, alice, TIME, "yesterday", EVENT_ID, "bad-time")),
            new InputProblem(
                path + ":3",
                "CloudTrail record iam.amazonaws.com:CreateRole: eventID is an object, not a text"
                    + " value (record 3 in the file)",
                InputProblem.Extent.RECORD,
                Map.of(EVENT_NAME, name, ACTOR, alice, TIME, "2024-03-14T10:00:00Z")),
            new InputProblem(
                path + ":4",
                "CloudTrail record iam.amazonaws.com:CreateRole: eventID is empty (record 4 in the"
                    + " file)",
                InputProblem.Extent.RECORD,
                Map.of(EVENT_NAME, name, ACTOR, alice, TIME, "2024-03-14T10:00:00Z")),
            new InputProblem(
                path + ":5",
                "CloudTrail record iam.amazonaws.com:CreateRole: eventTime is a number, not a"
                    + " timestamp (record 5 in the file)",
                InputProblem.Extent.RECORD,
                Map.of(
                    EVENT_NAME, name, ACTOR, alice, TIME, "1710410400", EVENT_ID, "numeric-time")));
  }

  @Test
  void shouldRejectARealRecordWithoutEventIdKeepingItsNameActorAndTime() throws Exception {
    // A Panther rule-test record of an IAM Identity Center service role's CreateSAMLProvider,
    // trimmed of its eventID, in a CloudTrail log file among a good record.
    ObjectNode noId = pantherLine(366);
    assertThat(noId.has("eventID")).isFalse();
    Path file =
        write(
            dir.resolve(
                "AWSLogs/123412341234/CloudTrail/us-east-1/2022/12/12/"
                    + "123412341234_CloudTrail_us-east-1_20221212T2150Z_NoEventId0000001.json"),
            recordsFile(noId, record("good", "2022-12-12T21:47:00Z")));

    Pulled pulled = pull(dir, window("2022-12-12T00:00:00Z", "2022-12-13T00:00:00Z"));

    assertThat(pulled.ids()).containsExactly(id("good"));
    assertThat(pulled.sink().rejections())
        .containsExactly(
            new InputProblem(
                file + ":1",
                "CloudTrail record iam.amazonaws.com:CreateSAMLProvider: no eventID (record 1 in"
                    + " the file)",
                InputProblem.Extent.RECORD,
                Map.of(
                    EVENT_NAME,
                    "iam.amazonaws.com:CreateSAMLProvider",
                    ACTOR,
                    "arn:aws:sts::123412341234:assumed-role/AWSServiceRoleForSSO/AWS-SSO",
                    TIME,
                    "2022-12-12 21:46:17.000000000")));
  }

  @Test
  void shouldCountADigestFoundByItsContentAsADigest() throws Exception {
    write(
        dir.resolve("some-digest.json"),
        "{\"awsAccountId\": \"111122223333\", \"digestStartTime\": \"2024-03-14T10:00:00Z\","
            + " \"logFiles\": []}");

    Pulled pulled = pull(dir, ALL_TIME);

    assertThat(pulled.sink().rejections()).isEmpty();
    assertThat(pulled.result().unitsRead()).isZero();
    assertThat(pulled.result().detail()).startsWith("0 files (1 digest file skipped");
  }
}
