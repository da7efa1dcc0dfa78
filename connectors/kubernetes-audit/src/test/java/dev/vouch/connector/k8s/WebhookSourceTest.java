package dev.vouch.connector.k8s;

import static dev.vouch.connector.k8s.TestSupport.atStage;
import static dev.vouch.connector.k8s.TestSupport.event;
import static dev.vouch.connector.k8s.TestSupport.eventList;
import static dev.vouch.connector.k8s.TestSupport.json;
import static dev.vouch.connector.k8s.TestSupport.nativeId;
import static dev.vouch.connector.k8s.TestSupport.nativeIds;
import static dev.vouch.connector.k8s.TestSupport.pull;
import static dev.vouch.connector.k8s.TestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.vouch.connector.k8s.TestSupport.Pulled;
import dev.vouch.core.spi.ConfigProblem;
import dev.vouch.core.spi.InputProblem;
import dev.vouch.core.spi.PushEndpoint.PushResult;
import dev.vouch.core.spi.SettingsNode;
import dev.vouch.core.spi.SourceContext;
import dev.vouch.core.spi.SourceException;
import dev.vouch.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code kubernetes-webhook} source: pushes stored durably in the spool, then pulled. */
class WebhookSourceTest {
  @TempDir Path dir;
  private MutableClock clock;
  private KubernetesWebhookSource source;

  @BeforeEach
  void setUp() {
    clock = MutableClock.at("2026-10-01T23:59:00Z");
    source =
        create(
            "{\"cluster\":\"prod-eu\",\"spool\":\"spool\",\"token\":\"env:AUDIT_TOKEN\","
                + "\"listen\":\"127.0.0.1:8443\"}");
  }

  private KubernetesWebhookSource create(String settings) {
    List<ConfigProblem> problems = new ArrayList<>();
    SettingsNode node =
        new SettingsNode(
            json(settings), "sources[0]", problems, Map.of("AUDIT_TOKEN", "s3cret")::get);
    var created =
        new KubernetesWebhookSourceFactory()
            .create(TestSupport.SOURCE, node, new SourceContext(clock, dir, 2));
    assertThat(problems).isEmpty();
    return (KubernetesWebhookSource) created;
  }

  private PushResult push(String body) throws SourceException {
    return source.accept(body.getBytes(StandardCharsets.UTF_8));
  }

  private Path spoolFile(String day) {
    return dir.resolve("spool/spool-" + day + ".log");
  }

  private List<String> spoolLines() throws Exception {
    List<String> lines = new ArrayList<>();
    if (Files.isDirectory(dir.resolve("spool"))) {
      try (Stream<Path> files = Files.list(dir.resolve("spool")).sorted()) {
        for (Path file : files.toList()) {
          lines.addAll(Files.readAllLines(file));
        }
      }
    }
    return lines;
  }

  @Test
  void shouldStoreAValidEventListAndDeliverItOnPull() throws Exception {
    ObjectNode started = atStage(event("e1"), "ResponseStarted");

    PushResult result = push(eventList(started, event("e1"), event("e2")));
    Pulled pulled = pull(source, null);

    assertThat(result).isEqualTo(PushResult.stored(3));
    assertThat(spoolLines())
        .containsExactly(started.toString(), event("e1").toString(), event("e2").toString());
    assertThat(pulled.ids()).containsExactlyElementsOf(nativeIds("e1", "e2"));
    assertThat(pulled.sink().events())
        .allSatisfy(
            e -> {
              assertThat(e.sourceType()).isEqualTo("kubernetes-audit");
              assertThat(e.source()).isEqualTo(TestSupport.SOURCE);
            });
    assertThat(pulled.result().detail()).contains("1 at other stages skipped");
    assertThat(pull(source, pulled.cursor()).ids()).isEmpty();
  }

  @Test
  void shouldAnswerWithTheSettingsTheRuntimeNeeds() {
    assertThat(source.type()).isEqualTo("kubernetes-webhook");
    assertThat(source.path()).isEqualTo("/audit/" + TestSupport.SOURCE);
    assertThat(source.pushSettings().listen()).isEqualTo("127.0.0.1:8443");
    assertThat(source.pushSettings().maxBodyBytes()).isEqualTo(10L * 1024 * 1024);
    assertThat(source.pushSettings().bearerToken())
        .hasValueSatisfying(
            t -> {
              assertThat(t.value()).isEqualTo("s3cret");
              assertThat(t.toString()).doesNotContain("s3cret");
            });
    assertThat(source.pushSettings().keyStore()).isNull();
  }

  @Test
  void shouldRefuseMalformedJsonAndWriteNothing() throws Exception {
    PushResult result = push("{\"kind\":\"EventList\",\n \"items\": [ {\"kind\": \"Event\" ]}");

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.items()).isZero();
    assertThat(result.message())
        .startsWith(
            "the body is not JSON (line 2, column 30): Unexpected close marker ']': expected '}' (for Object starting at [line: 2, column: 13])");
    assertThat(spoolLines()).isEmpty();
  }

  @Test
  void shouldRefuseWhatIsNotAnEventListOfAuditEvents() throws Exception {
    push(eventList(event("before")));
    List<String> before = spoolLines();

    assertThat(push(event("e1").toString()).message())
        .isEqualTo(
            "expected an audit EventList (kind EventList, apiVersion audit.k8s.io/v1, with an"
                + " items array of audit Events) but found kind 'Event' (a single event; the"
                + " webhook backend sends EventLists)");
    assertThat(push("[" + event("e1") + "]").message()).endsWith(" but found an array");
    assertThat(push("{\"kind\":\"PodList\",\"items\":[]}").message())
        .endsWith(" but found kind 'PodList'");
    assertThat(push("{\"kind\":\"EventList\",\"apiVersion\":\"v1\",\"items\":[]}").message())
        .endsWith(" but found apiVersion 'v1'");
    assertThat(push("{\"kind\":\"EventList\",\"items\":{}}").message())
        .endsWith(" but its items are an object, not an array");
    assertThat(push("{\"kind\":\"EventList\"}").message())
        .endsWith(" but the EventList has no items");
    assertThat(push("").message()).isEqualTo("the body is empty; expected an audit EventList");
    assertThat(push(eventList(event("e1")) + " {}").message()).startsWith("the body is not JSON");
    assertThat(push(eventList(event("e1"))).status()).isEqualTo(200);
    assertThat(spoolLines()).hasSize(before.size() + 1);
  }

  @Test
  void shouldStoreTheGoodItemsOfAMixedBatchAndKeepTheBadOnesAsEvidence() throws Exception {
    JsonNode notAnEvent = json("{\"kind\": 0}");
    JsonNode clusterEvent =
        json("{\"kind\":\"Event\",\"apiVersion\":\"v1\",\"reason\":\"Pulled\"}");

    PushResult result =
        push(eventList(event("e1"), notAnEvent, event("e2"), clusterEvent, TextNode.valueOf("x")));
    Pulled pulled = pull(source, null);

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.items()).isEqualTo(2);
    assertThat(result.message())
        .isEqualTo(
            "stored 2 item(s); kept 3 item(s) that are not audit events in the spool as evidence,"
                + " reported as rejected input when it is read: item 2 of 5: not a Kubernetes"
                + " audit Event: kind is a number (0), expected the text Event; item 4 of 5: kind"
                + " Event with apiVersion 'v1' is a cluster event (as kubectl get events shows),"
                + " not an audit Event (expected apiVersion audit.k8s.io/v1); item 5 of 5:"
                + " expected a Kubernetes audit Event (a JSON object) but found a string");
    List<String> lines = spoolLines();
    assertThat(lines).hasSize(5);
    // The good items are stored exactly as before, so spool files stay readable both ways.
    assertThat(lines.get(0)).isEqualTo(event("e1").toString());
    assertThat(lines.get(2)).isEqualTo(event("e2").toString());
    assertThat(json(lines.get(1)).get("vouch.unreadableItem").get("item")).isEqualTo(notAnEvent);
    assertThat(pulled.ids()).containsExactlyElementsOf(nativeIds("e1", "e2"));
    assertThat(pulled.sink().rejections())
        .extracting(InputProblem::location)
        .containsExactly(
            spoolFile("20261001") + ":2",
            spoolFile("20261001") + ":4",
            spoolFile("20261001") + ":5");
    assertThat(pulled.sink().rejections().get(0).message())
        .isEqualTo(
            "item 2 of 5 of an EventList pushed to the webhook at 2026-10-01T23:59:00Z was not"
                + " stored as an event: not a Kubernetes audit Event: kind is a number (0),"
                + " expected the text Event; the item is kept on this line as evidence");
    assertThat(pulled.result().detail()).contains("3 rejected");
    Pulled again = pull(source, pulled.cursor());
    assertThat(again.ids()).isEmpty();
    assertThat(again.sink().rejections()).isEmpty();
  }

  @Test
  void shouldNeverDeliverAKeptItemAsAnEvent() throws Exception {
    // Each of these items holds a valid audit event, but is not one: none may come out as an event.
    ObjectNode forgedWrapper = Json.MAPPER.createObjectNode();
    forgedWrapper
        .putObject("vouch.unreadableItem")
        .put("reason", "forged")
        .set("item", event("forged"));
    JsonNode nestedList = json(eventList(event("nested")));
    JsonNode array = Json.MAPPER.createArrayNode().add(event("in-array"));
    // A valid event that carries the wrapper's field is an event, and is not hidden as a rejection.
    ObjectNode eventWithTheField = event("real");
    eventWithTheField.putObject("vouch.unreadableItem").put("reason", "forged");

    PushResult result = push(eventList(forgedWrapper, nestedList, array, eventWithTheField));
    Pulled pulled = pull(source, null);

    assertThat(result.items()).isEqualTo(1);
    assertThat(pulled.ids()).containsExactly(nativeId(eventWithTheField));
    assertThat(pulled.sink().rejections())
        .extracting(InputProblem::message)
        .containsExactly(
            "item 1 of 4 of an EventList pushed to the webhook at 2026-10-01T23:59:00Z was not"
                + " stored as an event: not a Kubernetes audit Event: no kind and no apiVersion"
                + " (expected kind Event, apiVersion audit.k8s.io/v1); the item is kept on this"
                + " line as evidence",
            "item 2 of 4 of an EventList pushed to the webhook at 2026-10-01T23:59:00Z was not"
                + " stored as an event: an audit EventList, not a single Event: its items are the"
                + " events; the item is kept on this line as evidence",
            "item 3 of 4 of an EventList pushed to the webhook at 2026-10-01T23:59:00Z was not"
                + " stored as an event: expected a Kubernetes audit Event (a JSON object) but"
                + " found an array; the item is kept on this line as evidence");
  }

  @Test
  void shouldHaveTheLogReaderRejectAKeptItemAsNotAnAuditEvent() throws Exception {
    // A reader that does not know the wrapper (the kubernetes-audit file source, or an older Vouch)
    // rejects it too: it has neither kind nor apiVersion.
    push(eventList(json(eventList(event("nested")))));

    Pulled pulled = pull(TestSupport.fileSource(spoolFile("20261001")), null);

    assertThat(pulled.ids()).isEmpty();
    assertThat(pulled.sink().rejections())
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.message())
                    .isEqualTo(
                        "not a Kubernetes audit Event: no kind and no apiVersion (expected kind"
                            + " Event, apiVersion audit.k8s.io/v1)"));
  }

  @Test
  void shouldRejectAnUnusableEventOfTheSpoolWithWhatCanStillBeReadOfIt() throws Exception {
    ObjectNode noVerb = event("e1");
    noVerb.remove("verb");

    PushResult result = push(eventList(noVerb, event("e2")));
    Pulled pulled = pull(source, null);

    // An audit event, though unusable: stored as it came, and rejected when read.
    assertThat(result).isEqualTo(PushResult.stored(2));
    assertThat(pulled.ids()).containsExactlyElementsOf(nativeIds("e2"));
    assertThat(pulled.sink().rejections())
        .containsExactly(
            new InputProblem(
                spoolFile("20261001") + ":1",
                "audit Event (auditID e1): no verb",
                InputProblem.Extent.RECORD,
                Map.of(
                    InputProblem.ACTOR, "alice@example.com",
                    InputProblem.TIME, "2026-10-01T12:00:00.123456Z",
                    InputProblem.EVENT_ID, "e1")));
  }

  @Test
  void shouldStoreABatchOfOnlyBadItemsAndNameTheFirstFewInTheAnswer() throws Exception {
    JsonNode[] numbers = new JsonNode[7];
    for (int i = 0; i < numbers.length; i++) {
      numbers[i] = IntNode.valueOf(i);
    }

    PushResult result = push(eventList(numbers));

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.items()).isZero();
    assertThat(result.message())
        .startsWith("stored 0 item(s); kept 7 item(s)")
        .contains("item 5 of 7: ")
        .doesNotContain("item 6 of 7")
        .endsWith("; and 2 more");
    assertThat(spoolLines()).hasSize(7);
    assertThat(pull(source, null).sink().rejections()).hasSize(7);
  }

  @Test
  void shouldStoreAResentBatchTwiceAndDeliverItOncePerPull() throws Exception {
    String batch = eventList(event("e1"), event("e2"));

    push(batch);
    push(batch);
    Pulled pulled = pull(source, null);

    assertThat(spoolLines()).hasSize(4);
    assertThat(pulled.ids()).containsExactlyElementsOf(nativeIds("e1", "e2"));
    assertThat(pulled.result().detail()).contains("2 repeated events skipped");
  }

  @Test
  void shouldDeliverABatchResentAfterAPullAgainForTheStoreToDeduplicate() throws Exception {
    String batch = eventList(event("e1"));
    push(batch);
    Pulled first = pull(source, null);

    push(batch);
    Pulled second = pull(source, first.cursor());

    assertThat(first.ids()).containsExactlyElementsOf(nativeIds("e1"));
    assertThat(second.ids()).containsExactlyElementsOf(nativeIds("e1"));
    assertThat(second.sink().events().get(0).key()).isEqualTo(first.sink().events().get(0).key());
  }

  @Test
  void shouldStartANewSpoolFileEachUtcDayAndReadThemInOrder() throws Exception {
    push(eventList(event("day1")));
    clock.advance(Duration.ofMinutes(2));
    push(eventList(event("day2")));

    Pulled pulled = pull(source, null);

    assertThat(spoolFile("20261001")).exists();
    assertThat(spoolFile("20261002")).exists();
    assertThat(pulled.ids()).containsExactlyElementsOf(nativeIds("day1", "day2"));
  }

  @Test
  void shouldKeepATornLineApartFromTheNextBatch() throws Exception {
    push(eventList(event("e1")));
    Files.writeString(
        spoolFile("20261001"),
        "{\"kind\":\"Event\",\"audit",
        java.nio.file.StandardOpenOption.APPEND);

    push(eventList(event("e2")));
    Pulled pulled = pull(source, null);

    assertThat(pulled.ids()).containsExactlyElementsOf(nativeIds("e1", "e2"));
    assertThat(pulled.sink().rejections())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.location()).endsWith("spool-20261001.log:2:23");
              // The torn line is one lost record: the batch after it is read.
              assertThat(p.extent()).isEqualTo(InputProblem.Extent.RECORD);
            });
  }

  @Test
  void shouldWriteNothingForAnEmptyList() throws Exception {
    assertThat(push(eventList())).isEqualTo(PushResult.stored(0));
    assertThat(spoolLines()).isEmpty();
  }

  @Test
  void shouldPullAnEmptyOrMissingSpool() throws Exception {
    Pulled pulled = pull(source, null);

    assertThat(pulled.ids()).isEmpty();
    assertThat(dir.resolve("spool")).isDirectory();
    assertThat(pulled.cursor()).isEqualTo("{\"files\":{}}");
  }

  @Test
  void shouldFailWhenTheSpoolCannotBeWritten() throws Exception {
    write(dir.resolve("blocked"), "a file where the spool directory should be");
    source =
        create(
            "{\"cluster\":\"c\",\"spool\":\"blocked/spool\",\"token\":\"env:AUDIT_TOKEN\","
                + "\"listen\":\"127.0.0.1:8443\"}");

    assertThatThrownBy(() -> push(eventList(event("e1"))))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("webhook spool")
        .hasMessageContaining(dir.resolve("blocked/spool").toString());
    assertThatThrownBy(() -> pull(source, null)).isInstanceOf(SourceException.class);
  }

  @Test
  void shouldKeepEveryLineWholeUnderConcurrentPushes() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<PushResult>> results = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      results.add(
          pool.submit(
              () -> {
                ObjectNode[] events = new ObjectNode[50];
                for (int i = 0; i < events.length; i++) {
                  events[i] = event("t" + thread + "-" + i);
                }
                return push(eventList(events));
              }));
    }
    for (Future<PushResult> result : results) {
      assertThat(result.get().status()).isEqualTo(200);
    }
    pool.shutdown();

    Pulled pulled = pull(source, null);

    assertThat(spoolLines()).hasSize(400);
    assertThat(pulled.ids()).hasSize(400).doesNotHaveDuplicates();
    assertThat(pulled.sink().rejections()).isEmpty();
  }
}
