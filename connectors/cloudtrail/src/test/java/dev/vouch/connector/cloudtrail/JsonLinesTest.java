package dev.vouch.connector.cloudtrail;

import static dev.vouch.connector.cloudtrail.TestSupport.ALL_TIME;
import static dev.vouch.connector.cloudtrail.TestSupport.envelope;
import static dev.vouch.connector.cloudtrail.TestSupport.id;
import static dev.vouch.connector.cloudtrail.TestSupport.pull;
import static dev.vouch.connector.cloudtrail.TestSupport.record;
import static dev.vouch.connector.cloudtrail.TestSupport.write;
import static dev.vouch.connector.cloudtrail.TestSupport.writeGzip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.connector.cloudtrail.TestSupport.Pulled;
import dev.vouch.core.model.Coordinates;
import dev.vouch.core.spi.InputProblem;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** JSON lines: one record or envelope per line; a bad line is rejected alone. */
class JsonLinesTest {
  @TempDir Path dir;

  private String lines() {
    ObjectNode bare = record("line-1", "2024-03-14T10:00:00Z");
    ObjectNode inEnvelope = record("line-2", "2024-03-14T11:00:00Z");
    inEnvelope.remove("recipientAccountId");
    ((ObjectNode) inEnvelope.get("userIdentity")).remove("accountId");
    ObjectNode guardDuty = TestSupport.JSON.createObjectNode();
    guardDuty.put("detail-type", "GuardDuty Finding").put("source", "aws.guardduty");
    guardDuty.putObject("detail").put("type", "Recon:EC2/PortProbeUnprotectedPort");
    return String.join(
        "\n",
        bare.toString(),
        envelope("AWS API Call via CloudTrail", inEnvelope).toString(),
        "",
        "{\"eventID\": \"broken\", \"eventTime\": ",
        record("line-5", "2024-03-14T12:00:00Z").toString(),
        guardDuty.toString(),
        "[" + record("line-7", "2024-03-14T13:00:00Z") + "]",
        "");
  }

  @ParameterizedTest
  @ValueSource(strings = {"events.jsonl", "events.jsonl.gz"})
  void shouldReadEveryGoodLineAndRejectTheBadOnesByLine(String name) throws Exception {
    Path file =
        name.endsWith(".gz")
            ? writeGzip(dir.resolve(name), lines())
            : write(dir.resolve(name), lines());

    Pulled pulled = pull(dir, ALL_TIME);

    // line-2 names no account: its envelope's account scopes it.
    assertThat(pulled.ids())
        .containsExactlyInAnyOrder(
            id("line-1"), id("444455556666", "line-2"), id("line-5"), id("line-7"));
    assertThat(pulled.sink().rejections())
        .extracting(InputProblem::location, InputProblem::extent)
        .containsExactly(
            tuple(file + ":4:36", InputProblem.Extent.RECORD),
            tuple(file + ":6", InputProblem.Extent.RECORD));
    assertThat(pulled.sink().rejections().get(0).message())
        .startsWith("malformed JSON line: Unexpected end-of-input")
        .doesNotContain("Source:")
        .doesNotContain("rest of the file");
    assertThat(pulled.sink().rejections().get(1).message())
        .contains("detail-type 'GuardDuty Finding'");
    assertThat(pulled.result().unitsRead()).isEqualTo(1);
  }

  @Test
  void shouldTakeTheAccountOfAnEnvelopeWhenTheRecordHasNone() throws Exception {
    write(dir.resolve("events.jsonl"), lines());

    Pulled pulled = pull(dir, ALL_TIME);

    assertThat(pulled.event(id("444455556666", "line-2")).coordinates())
        .isEqualTo(new Coordinates("aws", "444455556666", "us-east-1"));
  }

  @Test
  void shouldReadJsonLinesInAFileNamedJsonToo() throws Exception {
    String content =
        record("a", "2024-03-14T10:00:00Z") + "\n" + record("b", "2024-03-14T10:00:01Z") + "\n";
    write(dir.resolve("concatenated.json"), content);

    assertThat(pull(dir, ALL_TIME).ids()).containsExactlyInAnyOrder(id("a"), id("b"));
  }

  @Test
  void shouldAcceptEveryKnownCloudTrailDetailType() throws Exception {
    StringBuilder content = new StringBuilder();
    int n = 0;
    for (String detailType :
        new String[] {
          "AWS API Call via CloudTrail",
          "AWS Console Sign In via CloudTrail",
          "AWS Service Event via CloudTrail",
          "AWS Console Action via CloudTrail",
          "AWS Insight via CloudTrail"
        }) {
      content
          .append(envelope(detailType, record("dt-" + n++, "2024-03-14T10:00:00Z")))
          .append('\n');
    }
    write(dir.resolve("bridge.jsonl"), content.toString());

    Pulled pulled = pull(dir, ALL_TIME);

    assertThat(pulled.ids())
        .containsExactlyInAnyOrder(id("dt-0"), id("dt-1"), id("dt-2"), id("dt-3"), id("dt-4"));
    assertThat(pulled.sink().rejections()).isEmpty();
  }

  @Test
  void shouldRejectAnEnvelopeWithoutDetail() throws Exception {
    ObjectNode empty = TestSupport.JSON.createObjectNode();
    empty.put("detail-type", "AWS API Call via CloudTrail").put("source", "aws.s3");
    Path file = write(dir.resolve("empty.jsonl"), empty + "\n");

    assertThat(pull(dir, ALL_TIME).sink().rejections())
        .containsExactly(
            new InputProblem(
                file + ":1",
                "EventBridge event with detail-type 'AWS API Call via CloudTrail' has no CloudTrail"
                    + " record in 'detail'"));
  }

  @Test
  void shouldRejectAMalformedFirstLineAloneAndReadTheLinesAfterIt() throws Exception {
    // Line 1 is no different from line 4: only that line is lost.
    Path file =
        write(
            dir.resolve("events.jsonl"),
            "{\"eventID\": \"broken\", \"eventTime\": \n"
                + record("line-2", "2024-03-14T10:00:00Z")
                + "\n");

    Pulled pulled = pull(dir, ALL_TIME);

    assertThat(pulled.ids()).containsExactly(id("line-2"));
    assertThat(pulled.sink().rejections())
        .containsExactly(
            new InputProblem(
                file + ":1:36",
                "malformed JSON line: Unexpected end-of-input within/between Object entries"));
  }
}
