package dev.vouch.connector.k8s;

import static dev.vouch.connector.k8s.ApiServerPodLogsTest.audit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.connector.k8s.ApiServerPodLogsTest.FakeApiServer;
import dev.vouch.connector.k8s.ApiServerPodLogsTest.FakePod;
import dev.vouch.core.model.EventClass;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.spi.ChangeSource;
import dev.vouch.core.spi.ConfigProblem;
import dev.vouch.core.spi.InputProblem;
import dev.vouch.core.spi.InputProblem.Extent;
import dev.vouch.core.spi.PullRequest;
import dev.vouch.core.spi.PullResult;
import dev.vouch.core.spi.SettingsNode;
import dev.vouch.core.spi.SourceContext;
import dev.vouch.core.spi.SourceException;
import dev.vouch.testkit.CollectingObservationSink;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@code kubernetes-apiserver-log} source against a fake API server speaking REST. */
class KubernetesApiServerLogSourceTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-20T12:00:00Z"), ZoneOffset.UTC);
  private static final TimeWindow WINDOW =
      new TimeWindow(Instant.parse("2026-11-20T00:00:00Z"), Instant.parse("2026-11-21T00:00:00Z"));

  private MockWebServer server;
  private FakeApiServer fake;
  private FakePod pod;

  @BeforeEach
  void start() throws IOException {
    fake = new FakeApiServer();
    pod =
        new FakePod(
                "kube-apiserver-node1",
                "6c1d0e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f",
                "node1",
                "2026-11-20T09:00:02Z")
            .log(
                "2026-11-20T10:00:00.1Z I1120 10:00:00.100000 1 options.go:228] started",
                "2026-11-20T10:00:01.5Z " + audit("create_configmap"),
                "2026-11-20T10:00:02.25Z " + audit("create_deployment"),
                "2026-11-20T10:00:02.75Z " + audit("exec_pod"));
    fake.pods.put(pod.name, pod);
    server = new MockWebServer();
    server.setDispatcher(fake);
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private ChangeSource source(List<ConfigProblem> problems) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("cluster", "prod-eu");
    node.put("apiUrl", server.url("/").toString());
    node.put("token", "env:KUBE_TOKEN");
    SettingsNode settings =
        new SettingsNode(node, "sources[0]", problems, Map.of("KUBE_TOKEN", "test-token")::get);
    return new KubernetesApiServerLogSourceFactory()
        .create("prod-eu-apiserver", settings, new SourceContext(CLOCK, Path.of("."), 1));
  }

  @Test
  void deliversTheCountedEventsOfThePodLogsAndResumesFromTheCursor() throws Exception {
    List<ConfigProblem> problems = new ArrayList<>();
    ChangeSource source = source(problems);
    assertThat(problems).isEmpty();
    CollectingObservationSink sink = new CollectingObservationSink();

    PullResult first = source.pull(new PullRequest(WINDOW, null), sink);

    // exec_pod is a session as it opened (stage ResponseStarted): a change too.
    assertThat(sink.events()).hasSize(3);
    assertThat(sink.events())
        .allSatisfy(
            e -> {
              assertThat(e.sourceType()).isEqualTo("kubernetes-audit");
              assertThat(e.source()).isEqualTo("prod-eu-apiserver");
              assertThat(e.coordinates().scope()).isEqualTo("prod-eu");
              assertThat(e.eventClass()).isEqualTo(EventClass.CHANGE);
            });
    assertThat(sink.rejections()).isEmpty();
    assertThat(first.cursor()).contains("kube-apiserver-node1");
    assertThat(first.detail()).contains("3 delivered").contains("0 at other stages skipped");
    assertThat(fake.requests.get(0).getHeader("Authorization")).isEqualTo("Bearer test-token");

    sink.clear();
    source.pull(new PullRequest(WINDOW, first.cursor()), sink);
    assertThat(sink.events()).isEmpty();

    pod.log("2026-11-20T11:00:00.5Z " + audit("delete_secret"));
    source.pull(new PullRequest(WINDOW, first.cursor()), sink);
    assertThat(sink.events())
        .singleElement()
        .satisfies(e -> assertThat(e.action()).startsWith("delete"));
  }

  @Test
  void skipsALineRepeatedExactlyButDeliversAnotherRecordOfTheSameRequest() throws Exception {
    String configmap = audit("create_configmap");
    ObjectNode otherUser = (ObjectNode) Json.MAPPER.readTree(configmap);
    ((ObjectNode) otherUser.get("user")).put("username", "mallory");
    pod.log(
        "2026-11-20T10:00:03.5Z " + configmap, // the same line printed again
        "2026-11-20T10:00:04.5Z " + Json.MAPPER.writeValueAsString(otherUser));
    CollectingObservationSink sink = new CollectingObservationSink();

    PullResult result = source(new ArrayList<>()).pull(new PullRequest(WINDOW, null), sink);

    String key = TestSupport.nativeId("prod-eu", Json.MAPPER.readTree(configmap));
    assertThat(sink.nativeIds())
        .containsExactly(
            key,
            TestSupport.nativeId("prod-eu", Json.MAPPER.readTree(audit("create_deployment"))),
            TestSupport.nativeId("prod-eu", Json.MAPPER.readTree(audit("exec_pod"))),
            key);
    assertThat(sink.events())
        .extracting(e -> e.actor().raw())
        .containsExactly("minikube-user", "minikube-user", "minikube-user", "mallory");
    assertThat(result.detail())
        .endsWith("4 delivered, 0 at other stages skipped, 1 repeated events skipped");
  }

  @Test
  void rejectsAnUnusableEventWithWhatCanStillBeReadOfIt() throws Exception {
    ObjectNode noVerb = (ObjectNode) Json.MAPPER.readTree(audit("create_configmap"));
    noVerb.remove("verb");
    pod.log("2026-11-20T10:00:03.5Z " + Json.MAPPER.writeValueAsString(noVerb));
    CollectingObservationSink sink = new CollectingObservationSink();

    source(new ArrayList<>()).pull(new PullRequest(WINDOW, null), sink);

    assertThat(sink.rejections())
        .containsExactly(
            new InputProblem(
                "pod/kube-apiserver-node1:line 5@2026-11-20T10:00:03.5Z",
                "audit Event (auditID 155b887c-c27c-4fdb-9667-999f74512d0a): no verb",
                Extent.RECORD,
                Map.of(
                    InputProblem.ACTOR, "minikube-user",
                    InputProblem.TIME, "2018-10-26T13:13:03.544952Z",
                    InputProblem.EVENT_ID, "155b887c-c27c-4fdb-9667-999f74512d0a")));
  }

  @Test
  void reportsLinesRotatedAwayAsLogNotReadSoThatTheSourceIsPartial() throws Exception {
    ChangeSource source = source(new ArrayList<>());
    PullResult first = source.pull(new PullRequest(WINDOW, null), new CollectingObservationSink());
    pod.currentLog
        .clear(); // the kubelet rotated its file: what was logged after the cursor is gone
    pod.log("2026-11-20T10:03:00Z " + audit("delete_secret"));
    CollectingObservationSink sink = new CollectingObservationSink();

    source.pull(new PullRequest(WINDOW, first.cursor()), sink);

    assertThat(sink.events()).hasSize(1);
    assertThat(sink.rejections())
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.location()).isEqualTo("cluster prod-eu API server log");
              assertThat(problem.message())
                  .startsWith("pod/kube-apiserver-node1: the log no longer holds the last line");
              assertThat(problem.extent()).isEqualTo(Extent.REST_OF_UNIT);
            });
  }

  @Test
  void reportsALineTooLongAsOneRecordSkipped() throws Exception {
    ApiServerPodLogs.Settings settings =
        ApiServerPodLogs.Settings.from(
                null, null, null, null, null, server.url("/").uri(), "test-token", CLOCK)
            .withMaxLineBytes(1024);
    CollectingObservationSink sink = new CollectingObservationSink();

    new KubernetesApiServerLogSource("prod-eu-apiserver", "prod-eu", settings)
        .pull(new PullRequest(WINDOW, null), sink);

    // The log lines of create_configmap and create_deployment (with the kubelet's timestamp) are
    // longer than 1 KiB; the lines after them are read.
    assertThat(sink.rejections())
        .extracting(InputProblem::message, InputProblem::extent)
        .containsExactly(
            tuple(
                "pod/kube-apiserver-node1:line 2@2026-11-20T10:00:01.5Z is "
                    + ("2026-11-20T10:00:01.5Z " + audit("create_configmap")).length()
                    + " bytes long, more than maxLineBytes (1024); skipped",
                Extent.RECORD),
            tuple(
                "pod/kube-apiserver-node1:line 3@2026-11-20T10:00:02.25Z is "
                    + ("2026-11-20T10:00:02.25Z " + audit("create_deployment")).length()
                    + " bytes long, more than maxLineBytes (1024); skipped",
                Extent.RECORD));
  }

  @Test
  void anApiServerThatRefusesIsAFailedSourceNotAnEmptyOne() {
    fake.listError = ApiServerPodLogsTest.status(403, "Forbidden", "pods is forbidden");

    assertThatThrownBy(
            () ->
                source(new ArrayList<>())
                    .pull(new PullRequest(WINDOW, null), new CollectingObservationSink()))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("prod-eu")
        .hasMessageContaining("pods/log");
  }

  @Test
  void settingsThatContradictEachOtherAreConfigurationProblems() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("cluster", "prod-eu");
    node.put("kubeconfig", "kubeconfig.yaml");
    node.put("apiUrl", "https://10.0.0.1:6443");
    node.put("colour", "blue");
    List<ConfigProblem> problems = new ArrayList<>();

    new KubernetesApiServerLogSourceFactory()
        .create(
            "x",
            new SettingsNode(node, "sources[0]", problems, name -> null),
            new SourceContext(CLOCK, Path.of("."), 1));

    assertThat(problems)
        .extracting(ConfigProblem::toString)
        .anyMatch(p -> p.startsWith("sources[0]: ") && p.contains("apiUrl"))
        .contains(
            "sources[0].colour: unknown setting (known here: cluster, kubeconfig, context, namespace,"
                + " labelSelector, container, apiUrl, token)");
  }
}
