package dev.vouch.connector.k8s;

import static dev.vouch.connector.k8s.TestSupport.atStage;
import static dev.vouch.connector.k8s.TestSupport.event;
import static dev.vouch.connector.k8s.TestSupport.eventList;
import static dev.vouch.connector.k8s.TestSupport.json;
import static dev.vouch.connector.k8s.TestSupport.pull;
import static dev.vouch.connector.k8s.TestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.connector.k8s.TestSupport.Pulled;
import dev.vouch.core.spi.ConfigProblem;
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
    assertThat(pulled.ids()).containsExactly("e1", "e2");
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
    assertThat(push(eventList(event("e1"), json("{\"kind\": 0}"))).message())
        .isEqualTo(
            "item 2 of 2 of the EventList: not a Kubernetes audit Event: kind is a number (0),"
                + " expected the text Event");
    assertThat(push("").message()).isEqualTo("the body is empty; expected an audit EventList");
    assertThat(push(eventList(event("e1")) + " {}").message()).startsWith("the body is not JSON");
    assertThat(push(eventList(event("e1"))).status()).isEqualTo(200);
    assertThat(spoolLines()).hasSize(before.size() + 1);
  }

  @Test
  void shouldStoreAResentBatchTwiceAndDeliverItOncePerPull() throws Exception {
    String batch = eventList(event("e1"), event("e2"));

    push(batch);
    push(batch);
    Pulled pulled = pull(source, null);

    assertThat(spoolLines()).hasSize(4);
    assertThat(pulled.ids()).containsExactly("e1", "e2");
    assertThat(pulled.result().detail()).contains("2 duplicate auditIDs skipped");
  }

  @Test
  void shouldDeliverABatchResentAfterAPullAgainForTheStoreToDeduplicate() throws Exception {
    String batch = eventList(event("e1"));
    push(batch);
    Pulled first = pull(source, null);

    push(batch);
    Pulled second = pull(source, first.cursor());

    assertThat(first.ids()).containsExactly("e1");
    assertThat(second.ids()).containsExactly("e1");
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
    assertThat(pulled.ids()).containsExactly("day1", "day2");
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

    assertThat(pulled.ids()).containsExactly("e1", "e2");
    assertThat(pulled.sink().rejections())
        .singleElement()
        .satisfies(p -> assertThat(p.location()).endsWith("spool-20261001.log:2:23"));
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
