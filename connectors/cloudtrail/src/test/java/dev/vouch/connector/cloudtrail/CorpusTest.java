package dev.vouch.connector.cloudtrail;

import static dev.vouch.connector.cloudtrail.TestSupport.ALL_TIME;
import static dev.vouch.connector.cloudtrail.TestSupport.JSON;
import static dev.vouch.connector.cloudtrail.TestSupport.corpus;
import static dev.vouch.connector.cloudtrail.TestSupport.id;
import static dev.vouch.connector.cloudtrail.TestSupport.map;
import static dev.vouch.connector.cloudtrail.TestSupport.pantherLine;
import static dev.vouch.connector.cloudtrail.TestSupport.pull;
import static dev.vouch.connector.cloudtrail.TestSupport.readJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.connector.cloudtrail.TestSupport.Pulled;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.EventClass;
import dev.vouch.core.spi.InputProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every CloudTrail sample of the corpus (see {@code src/test/resources/corpus/README.md}) either
 * parses or is rejected for the reason it really has.
 */
class CorpusTest {
  private static final String PANTHER = "panther-analysis/cloudtrail-rule-test-events.jsonl";
  private static final Pattern TIMESTAMP =
      Pattern.compile("\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d.*");

  @Test
  void shouldReadTheWholeCorpusInOnePull() throws Exception {
    Pulled pulled = pull(corpus(""), ALL_TIME);

    assertThat(pulled.sink().events()).hasSize(727);
    assertThat(pulled.sink().rejections()).hasSize(63);
    assertThat(pulled.result().unitsRead()).isEqualTo(76);
    assertThat(pulled.sink().unitsDone()).hasSize(76).doesNotHaveDuplicates();
    // The Panther index and the corpus README are neither logs nor digests.
    assertThat(pulled.result().detail())
        .startsWith("76 files (0 digest files skipped, 2 other files ignored")
        .contains("727 events, 63 rejected");
    assertThat(pulled.result().cursor()).isEqualTo("{\"coveredThrough\":\"2100-01-01T00:00:00Z\"}");
  }

  @ParameterizedTest(name = "{0}: {1} events, {2} rejected")
  @CsvSource({
    "stratus-red-team, 310, 0",
    "cloud-custodian, 13, 1",
    "eventbridge-cloud-custodian, 10, 11",
    "trailscraper, 9, 0",
    "panther-analysis, 384, 51",
    "lookupevents, 1, 0"
  })
  void shouldReadEachSampleSet(String folder, int events, int rejections) throws Exception {
    Pulled pulled = pull(corpus(folder), ALL_TIME);

    assertThat(pulled.sink().events()).hasSize(events);
    assertThat(pulled.sink().rejections()).as("rejections").hasSize(rejections);
    for (ChangeEvent event : pulled.sink().events()) {
      assertThat(event.source()).isEqualTo("trail");
      assertThat(event.sourceType()).isEqualTo("cloudtrail");
      assertThat(event.rawJson()).startsWith("{").doesNotContain("\n");
      JsonNode raw = JSON.readTree(event.rawJson());
      assertThat(event.nativeId()).isEqualTo(accountOf(raw) + ":" + raw.get("eventID").asText());
    }
  }

  @Test
  void shouldRejectExactlyThePantherRecordsThatLackAnIdOrATimeAndSayWhich() throws Exception {
    Pulled pulled = pull(corpus(PANTHER), ALL_TIME);
    List<String> lines = Files.readAllLines(corpus(PANTHER));

    Set<Integer> expectedBad = new HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      JsonNode record = JSON.readTree(lines.get(i));
      if (!hasText(record, "eventID") || !hasTimestamp(record)) {
        expectedBad.add(i + 1);
      }
    }
    Map<Integer, String> reasons = new HashMap<>();
    for (InputProblem problem : pulled.sink().rejections()) {
      assertThat(problem.location()).startsWith(corpus(PANTHER) + ":");
      int line =
          Integer.parseInt(problem.location().substring(problem.location().lastIndexOf(':') + 1));
      reasons.put(line, problem.message());
      // One bad line is one lost record: the lines after it are read.
      assertThat(problem.extent()).as("line %s", line).isEqualTo(InputProblem.Extent.RECORD);
      JsonNode record = JSON.readTree(lines.get(line - 1));
      assertThat(problem.fields())
          .as("line %s", line)
          .containsEntry(
              InputProblem.EVENT_NAME,
              record.get("eventSource").asText() + ":" + record.get("eventName").asText());
    }

    assertThat(reasons.keySet()).containsExactlyInAnyOrderElementsOf(expectedBad);
    for (Map.Entry<Integer, String> rejected : reasons.entrySet()) {
      JsonNode record = JSON.readTree(lines.get(rejected.getKey() - 1));
      String reason = rejected.getValue();
      assertThat(reason.contains("no eventID"))
          .as("line %s: %s", rejected.getKey(), reason)
          .isEqualTo(!hasText(record, "eventID"));
      assertThat(reason.contains("no eventTime"))
          .as("line %s: %s", rejected.getKey(), reason)
          .isEqualTo(!record.hasNonNull("eventTime"));
      assertThat(reason.contains("is not a timestamp"))
          .as("line %s: %s", rejected.getKey(), reason)
          .isEqualTo(record.hasNonNull("eventTime") && !hasTimestamp(record));
      assertThat(reason).contains("(record " + rejected.getKey() + " in the file)");
    }
    assertThat(pulled.sink().rejections())
        .filteredOn(p -> p.location().equals(corpus(PANTHER) + ":306"))
        .containsExactly(
            new InputProblem(
                corpus(PANTHER) + ":306",
                "CloudTrail record signin.amazonaws.com:ExternalIdPDirectoryLogin: eventTime"
                    + " 'redacted' is not a timestamp (expected ISO-8601 UTC such as"
                    + " 2024-11-30T08:43:17Z) (record 306 in the file)",
                InputProblem.Extent.RECORD,
                // The blank ARN is passed over for the principal id, redacted as the rest.
                Map.of(
                    InputProblem.EVENT_NAME,
                    "signin.amazonaws.com:ExternalIdPDirectoryLogin",
                    InputProblem.ACTOR,
                    "redacted",
                    InputProblem.TIME,
                    "redacted",
                    InputProblem.EVENT_ID,
                    "redacted")));
    assertThat(pulled.sink().events()).hasSize(lines.size() - expectedBad.size());
  }

  @Test
  void shouldRejectNonCloudTrailEventBridgeEventsNamingTheirDetailType() throws Exception {
    Path folder = corpus("eventbridge-cloud-custodian");
    Pulled pulled = pull(folder, ALL_TIME);

    List<String> nonCloudTrail = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.toList()) {
        String detailType = readJson(file).get("detail-type").asText();
        if (!detailType.endsWith("via CloudTrail")) {
          nonCloudTrail.add(file + ":1");
          assertThat(pulled.sink().rejections())
              .filteredOn(p -> p.location().equals(file + ":1"))
              .singleElement()
              .extracting(InputProblem::message)
              .asString()
              .startsWith("EventBridge event with detail-type '" + detailType + "'")
              .endsWith("is not a CloudTrail event; only '... via CloudTrail' events are read");
        }
      }
    }
    assertThat(pulled.sink().rejections())
        .extracting(InputProblem::location)
        .containsExactlyInAnyOrderElementsOf(nonCloudTrail);
    assertThat(pulled.sink().rejections())
        .filteredOn(p -> p.location().endsWith("ec2-duty-event.json:1"))
        .singleElement()
        .extracting(InputProblem::message)
        .isEqualTo(
            "EventBridge event with detail-type 'GuardDuty Finding' (source 'aws.guardduty') is not"
                + " a CloudTrail event; only '... via CloudTrail' events are read");
  }

  @Test
  void shouldTakeTheRecordOfAnEventBridgeEnvelopeFromDetail() throws Exception {
    Path file = corpus("eventbridge-cloud-custodian/event-cloud-trail-appelb-add-tags.json");
    JsonNode envelope = readJson(file);

    Pulled pulled = pull(file, ALL_TIME);

    ChangeEvent event = pulled.event(id("123456789123", "e9f72371-5fc5-48fc-999d-462e13fdc6bd"));
    assertThat(JSON.readTree(event.rawJson())).isEqualTo(envelope.get("detail"));
    assertThat(event.rawJson()).isEqualTo(envelope.get("detail").toString());
    assertThat(event.action()).isEqualTo("elasticloadbalancing.amazonaws.com:AddTags");
    assertThat(event.referenceHints()).contains("Internal");
  }

  @Test
  void shouldRejectTheBedrockFixtureThatHasNeitherIdNorTime() throws Exception {
    Path file = corpus("cloud-custodian/event-cloud-trail-bedrock-create-customization-jobs.json");

    Pulled pulled = pull(file, ALL_TIME);

    assertThat(pulled.sink().events()).isEmpty();
    // Only its event name is left to say which record it was: no actor, no time, no id.
    assertThat(pulled.sink().rejections())
        .containsExactly(
            new InputProblem(
                file + ":1",
                "CloudTrail record bedrock.amazonaws.com:CreateModelCustomizationJob: no eventTime;"
                    + " no eventID (record 1 in the file)",
                InputProblem.Extent.RECORD,
                Map.of(
                    InputProblem.EVENT_NAME, "bedrock.amazonaws.com:CreateModelCustomizationJob")));
  }

  @Test
  void shouldReadTheGzippedTrailscraperLogLikeItsPlainTwin() throws Exception {
    String name = "111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U";

    Pulled gzipped = pull(corpus("trailscraper/" + name + ".json.gz"), ALL_TIME);
    Pulled plain = pull(corpus("trailscraper/" + name + ".json"), ALL_TIME);

    assertThat(gzipped.ids()).hasSize(2).containsExactlyInAnyOrderElementsOf(plain.ids());
    assertThat(gzipped.sink().events())
        .extracting(ChangeEvent::rawJson)
        .containsExactlyInAnyOrderElementsOf(
            plain.sink().events().stream().map(ChangeEvent::rawJson).toList());
    assertThat(gzipped.sink().rejections()).isEmpty();
  }

  @Test
  void shouldReadTheRecordInsideALookupEventsResponse() throws Exception {
    Pulled pulled = pull(corpus("lookupevents"), ALL_TIME);

    ChangeEvent event = pulled.event(id("123456789012", "654ccbc0-ba0d-486a-9076-dbf7274677a7"));
    assertThat(event.eventClass()).isEqualTo(EventClass.SIGN_IN);
    assertThat(event.actor().aliases()).isEmpty();
    assertThat(event.actor().unverified())
        .containsExactly("my-session-name", "my-role/my-session-name");
    assertThat(event.occurredAt()).hasToString("2016-01-26T21:42:12Z");
    assertThat(JSON.readTree(event.rawJson()).get("eventName").asText()).isEqualTo("ConsoleLogin");
  }

  @Test
  void shouldIgnorePantherEnrichmentKeys() {
    ObjectNode record = pantherLine(53);
    assertThat(record.fieldNames()).toIterable().anyMatch(name -> name.startsWith("p_"));
    ObjectNode stripped = record.deepCopy();
    List<String> enrichment = new ArrayList<>();
    record
        .fieldNames()
        .forEachRemaining(
            name -> {
              if (name.startsWith("p_")) {
                enrichment.add(name);
              }
            });
    stripped.remove(enrichment);

    ChangeEvent withKeys = map(record);
    ChangeEvent withoutKeys = map(stripped);

    assertThat(withoutKeys)
        .usingRecursiveComparison()
        .ignoringFields("rawJson")
        .isEqualTo(withKeys);
    // The evidence stays as delivered, enrichment included.
    assertThat(withKeys.rawJson()).contains("\"p_log_type\"");
  }

  // The AWS documentation samples are CC-BY-SA-4.0 / MIT-0 and are not copied into this repository;
  // they are read from the shared corpus when it is present (set -Dvouch.corpus to move it).

  private static Path sharedCorpus() {
    Path shared = Path.of(System.getProperty("vouch.corpus", "/work/shared/corpus"));
    assumeTrue(Files.isDirectory(shared), "shared corpus not present at " + shared);
    return shared;
  }

  @Test
  void shouldReadTheAwsDocumentationRecordsFiles() throws Exception {
    Path folder = sharedCorpus().resolve("cloudtrail/awsdocs/records-files");

    Pulled pulled = pull(folder, ALL_TIME);

    assertThat(pulled.result().unitsRead()).isEqualTo(21);
    assertThat(pulled.sink().events()).hasSize(22);
    // The oldest examples (eventVersion 1.0) predate eventID: each rejection still says what the
    // record was, who did it and when (each file is pretty-printed, its record on line 3).
    assertThat(pulled.sink().rejections())
        .hasSize(5)
        .allSatisfy(
            p -> {
              assertThat(p.location()).contains("cloudtrail-log-file-examples-");
              assertThat(p.message()).contains(": no eventID (record 1 in the file)");
              assertThat(p.extent()).isEqualTo(InputProblem.Extent.RECORD);
            });
    String alice = "arn:aws:iam::123456789012:user/Alice";
    assertThat(pulled.sink().rejections())
        .extracting(p -> Path.of(p.location()).getFileName().toString(), InputProblem::fields)
        .containsExactlyInAnyOrder(
            tuple(
                "aws-cloudtrail-user-guide-cloudtrail-log-file-examples-2.json:3",
                docFields("ec2.amazonaws.com:StartInstances", alice, "2014-03-06T21:22:54Z")),
            tuple(
                "aws-cloudtrail-user-guide-cloudtrail-log-file-examples-3.json:3",
                docFields("ec2.amazonaws.com:StopInstances", alice, "2014-03-06T21:01:59Z")),
            tuple(
                "aws-cloudtrail-user-guide-cloudtrail-log-file-examples-4.json:3",
                docFields("ec2.amazonaws.com:CreateKeyPair", alice, "2014-03-06T17:10:34Z")),
            tuple(
                "aws-cloudtrail-user-guide-cloudtrail-log-file-examples-5.json:3",
                docFields("iam.amazonaws.com:CreateUser", alice, "2014-03-24T21:11:59Z")),
            tuple(
                "aws-cloudtrail-user-guide-cloudtrail-log-file-examples-6.json:3",
                docFields("iam.amazonaws.com:AddUserToGroup", alice, "2014-03-25T21:08:14Z")));
  }

  @Test
  void shouldReadTheAwsDocumentationServiceEventEnvelopes() throws Exception {
    Path folder = sharedCorpus().resolve("eventbridge/awsdocs");

    Pulled pulled = pull(folder, ALL_TIME);

    assertThat(pulled.sink().rejections()).isEmpty();
    assertThat(pulled.sink().events())
        .hasSize(2)
        .allSatisfy(
            e -> {
              assertThat(e.eventClass()).isEqualTo(EventClass.OTHER);
              assertThat(e.actor().raw()).isEqualTo("s3.amazonaws.com");
              assertThat(e.attributes()).containsEntry("aws.invokedBy", "s3.amazonaws.com");
            });
  }

  /**
   * The account a corpus record is scoped to: its {@code recipientAccountId}, else its actor's
   * account, else {@code unknown}. No corpus folder is in the S3 layout, and every CloudTrail
   * envelope of the corpus carries a record that names its account, so nothing else fills in.
   */
  private static String accountOf(JsonNode record) {
    for (JsonNode account :
        List.of(record.path("recipientAccountId"), record.path("userIdentity").path("accountId"))) {
      if (account.isTextual() && !account.textValue().isBlank()) {
        return account.textValue();
      }
    }
    return "unknown";
  }

  private static Map<String, String> docFields(String eventName, String actor, String time) {
    return Map.of(
        InputProblem.EVENT_NAME, eventName, InputProblem.ACTOR, actor, InputProblem.TIME, time);
  }

  private static boolean hasText(JsonNode record, String field) {
    JsonNode value = record.get(field);
    return value != null && value.isValueNode() && !value.isNull() && !value.asText().isBlank();
  }

  private static boolean hasTimestamp(JsonNode record) {
    JsonNode time = record.get("eventTime");
    return time != null && time.isTextual() && TIMESTAMP.matcher(time.textValue()).matches();
  }
}
