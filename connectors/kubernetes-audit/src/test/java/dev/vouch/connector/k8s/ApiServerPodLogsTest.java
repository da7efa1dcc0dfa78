package dev.vouch.connector.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1PodList;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ApiServerPodLogs} against a local fake API server that speaks the real REST protocol: the
 * pod list and the pod log endpoints, with the kubelet's {@code sinceTime} and {@code previous}
 * semantics.
 */
class ApiServerPodLogsTest {
  private static final String NS = "kube-system";
  private static final String TOKEN = "test-token";
  private static final String NODE1 = "kube-apiserver-node1";
  private static final String NODE2 = "kube-apiserver-node2";
  private static final String UID1 = "6c1d0e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f";
  private static final String UID2 = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a";
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-20T10:05:00Z"), ZoneOffset.UTC);

  private static final String KLOG =
      "I1120 10:00:00.100000       1 options.go:228] external host was not specified, using"
          + " 10.0.0.11";

  private MockWebServer server;
  private FakeApiServer fake;
  private final List<Delivered> delivered = new ArrayList<>();
  private @Nullable ApiClient client;

  record Delivered(String json, String location) {}

  @BeforeEach
  void startFakeApiServer() throws IOException {
    fake = new FakeApiServer();
    fake.pods.put(
        NODE1,
        new FakePod(NODE1, UID1, "node1", "2026-11-20T09:00:02Z")
            .log(
                "2026-11-20T10:00:00.100000001Z " + KLOG,
                "2026-11-20T10:00:01.5Z " + audit("create_configmap"),
                "2026-11-20T10:00:02.25Z " + audit("create_deployment"),
                "2026-11-20T10:00:02.75Z " + audit("exec_pod")));
    fake.pods.put(
        NODE2,
        new FakePod(NODE2, UID2, "node2", "2026-11-20T09:00:03Z")
            .log(
                "2026-11-20T10:00:01.2Z " + audit("create_service"),
                "2026-11-20T10:00:03.123456789Z " + audit("delete_secret")));
    server = new MockWebServer();
    server.setDispatcher(fake);
    server.start();
  }

  @AfterEach
  void stopFakeApiServer() throws IOException {
    server.shutdown();
  }

  @Test
  void firstReadListsThePodsStreamsEachLogAndReturnsACursor() throws IOException {
    ApiServerPodLogs logs = reader();

    ApiServerPodLogs.Result result = logs.read(null, this::collect);

    assertThat(delivered)
        .containsExactly(
            new Delivered(
                audit("create_configmap"), "pod/" + NODE1 + ":line 2@2026-11-20T10:00:01.5Z"),
            new Delivered(
                audit("create_deployment"), "pod/" + NODE1 + ":line 3@2026-11-20T10:00:02.25Z"),
            new Delivered(audit("exec_pod"), "pod/" + NODE1 + ":line 4@2026-11-20T10:00:02.75Z"),
            new Delivered(
                audit("create_service"), "pod/" + NODE2 + ":line 1@2026-11-20T10:00:01.2Z"),
            new Delivered(
                audit("delete_secret"), "pod/" + NODE2 + ":line 2@2026-11-20T10:00:03.123456789Z"));
    assertThat(result.cursor())
        .isEqualTo(
            "{\"pods\":{"
                + "\"kube-apiserver-node1/"
                + UID1
                + "\":{\"lastTimestamp\":\"2026-11-20T10:00:02.750Z\","
                + "\"linesAtLastTimestamp\":1,\"restartCount\":0},"
                + "\"kube-apiserver-node2/"
                + UID2
                + "\":{\"lastTimestamp\":\"2026-11-20T10:00:03.123456789Z\","
                + "\"linesAtLastTimestamp\":1,\"restartCount\":0}}}");
    assertThat(result.podsRead()).isEqualTo(2);
    assertThat(result.linesRead()).isEqualTo(6);
    assertThat(result.linesDelivered()).isEqualTo(5);
    assertThat(result.bytesRead()).isEqualTo(fake.logBytesServed);
    assertThat(result.warnings()).isEmpty();
    assertThat(result.readAt()).isEqualTo(CLOCK.instant());
    assertThat(result.detail())
        .startsWith(
            "kube-apiserver pod logs at "
                + logs.apiUrl()
                + " (kube-system, component=kube-apiserver): 2 pods read, 6 lines (5 audit events,"
                + " 0 already read, 1 other)");

    assertThat(client.getHttpClient().connectionPool().connectionCount()).isPositive();
    assertThat(fake.requests).hasSize(3);
    RecordedRequest list = fake.requests.get(0);
    assertThat(list.getMethod()).isEqualTo("GET");
    assertThat(list.getRequestUrl().encodedPath()).isEqualTo("/api/v1/namespaces/kube-system/pods");
    assertThat(list.getPath()).contains("labelSelector=component%3Dkube-apiserver");
    assertThat(list.getRequestUrl().queryParameter("labelSelector"))
        .isEqualTo("component=kube-apiserver");
    assertThat(list.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
    for (int i = 1; i <= 2; i++) {
      RecordedRequest log = fake.requests.get(i);
      String pod = i == 1 ? NODE1 : NODE2;
      assertThat(log.getMethod()).isEqualTo("GET");
      assertThat(log.getRequestUrl().encodedPath())
          .isEqualTo("/api/v1/namespaces/kube-system/pods/" + pod + "/log");
      assertThat(query(log))
          .containsExactlyInAnyOrderEntriesOf(
              Map.of("container", "kube-apiserver", "timestamps", "true"));
      assertThat(log.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
    }
    assertNoConnectionLeft();
  }

  @Test
  void secondReadAsksSinceTheCursorsSecondAndDeliversOnlyNewLines() throws IOException {
    ApiServerPodLogs logs = reader();
    String cursor = logs.read(null, this::collect).cursor();
    delivered.clear();
    fake.requests.clear();
    fake.pods
        .get(NODE1)
        .log(
            "2026-11-20T10:00:02.9Z " + audit("delete_configmap"),
            "2026-11-20T10:00:04Z " + audit("create_serviceaccount"));

    ApiServerPodLogs.Result second = logs.read(cursor, this::collect);

    assertThat(delivered)
        .containsExactly(
            new Delivered(
                audit("delete_configmap"), "pod/" + NODE1 + ":line 3@2026-11-20T10:00:02.9Z"),
            new Delivered(
                audit("create_serviceaccount"), "pod/" + NODE1 + ":line 4@2026-11-20T10:00:04Z"));
    assertThat(query(fake.requests.get(1)))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "container", "kube-apiserver",
                "timestamps", "true",
                "sinceTime", "2026-11-20T10:00:02Z"));
    assertThat(query(fake.requests.get(2))).containsEntry("sinceTime", "2026-11-20T10:00:03Z");
    assertThat(second.linesRead()).isEqualTo(5); // 4 lines of node1 since :02, 1 of node2 since :03
    assertThat(second.detail()).contains("2 audit events, 3 already read, 0 other");
    assertThat(second.warnings()).isEmpty();
    assertThat(second.cursor())
        .contains(
            "\"kube-apiserver-node1/"
                + UID1
                + "\":{\"lastTimestamp\":\"2026-11-20T10:00:04Z\",\"linesAtLastTimestamp\":1");

    delivered.clear();
    ApiServerPodLogs.Result third = logs.read(second.cursor(), this::collect);

    assertThat(delivered).isEmpty();
    assertThat(third.cursor()).isEqualTo(second.cursor());
    assertThat(third.warnings()).isEmpty();
  }

  @Test
  void linesSharingTheLastTimestampAreNotDeliveredTwice() throws IOException {
    fake.pods
        .get(NODE1)
        .log(
            "2026-11-20T10:00:05.5Z " + audit("create_service"),
            "2026-11-20T10:00:05.5Z " + audit("create_serviceaccount"));
    ApiServerPodLogs logs = reader();
    ApiServerPodLogs.Result first = logs.read(null, this::collect);
    assertThat(first.cursor())
        .contains(
            "{\"lastTimestamp\":\"2026-11-20T10:00:05.500Z\",\"linesAtLastTimestamp\":2,"
                + "\"restartCount\":0}");
    delivered.clear();
    fake.pods
        .get(NODE1)
        .log(
            "2026-11-20T10:00:05.5Z " + audit("delete_secret"),
            "2026-11-20T10:00:06Z " + audit("attach_pod"));

    ApiServerPodLogs.Result second = logs.read(first.cursor(), this::collect);

    assertThat(delivered)
        .extracting(Delivered::json)
        .containsExactly(audit("delete_secret"), audit("attach_pod"));
    assertThat(second.warnings()).isEmpty();
    assertThat(second.cursor())
        .contains("{\"lastTimestamp\":\"2026-11-20T10:00:06Z\",\"linesAtLastTimestamp\":1");
  }

  @Test
  void aRestartMakesThePreviousLogBeReadOnce() throws IOException {
    ApiServerPodLogs logs = reader();
    String cursor = logs.read(null, this::collect).cursor();
    delivered.clear();
    fake.requests.clear();
    FakePod node1 = fake.pods.get(NODE1);
    node1.previousLog = new ArrayList<>(node1.currentLog);
    node1.previousLog.add("2026-11-20T10:00:03.5Z " + audit("create_serviceaccount"));
    node1.previousLog.add("2026-11-20T10:00:04Z " + audit("delete_configmap"));
    node1.lastStartedAt = node1.startedAt;
    node1.startedAt = "2026-11-20T10:00:09Z";
    node1.restartCount = 1;
    node1.currentLog.clear();
    node1.log(
        "2026-11-20T10:00:10Z I1120 10:00:10.000000       1 server.go:150] Version: v1.36.0",
        "2026-11-20T10:00:11Z " + audit("attach_pod"));

    ApiServerPodLogs.Result result = logs.read(cursor, this::collect);

    assertThat(delivered)
        .containsExactly(
            new Delivered(
                audit("create_serviceaccount"),
                "pod/" + NODE1 + "[previous]:line 3@2026-11-20T10:00:03.5Z"),
            new Delivered(
                audit("delete_configmap"),
                "pod/" + NODE1 + "[previous]:line 4@2026-11-20T10:00:04Z"),
            new Delivered(audit("attach_pod"), "pod/" + NODE1 + ":line 2@2026-11-20T10:00:11Z"));
    assertThat(fake.requests).hasSize(4);
    assertThat(query(fake.requests.get(1)))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "container", "kube-apiserver",
                "timestamps", "true",
                "previous", "true",
                "sinceTime", "2026-11-20T10:00:02Z"));
    assertThat(query(fake.requests.get(2)))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "container", "kube-apiserver",
                "timestamps", "true",
                "sinceTime", "2026-11-20T10:00:04Z"));
    assertThat(result.warnings()).isEmpty();
    assertThat(result.detail()).contains("1 previous log(s) after a restart");
    assertThat(result.cursor())
        .contains(
            "\"kube-apiserver-node1/"
                + UID1
                + "\":{\"lastTimestamp\":\"2026-11-20T10:00:11Z\",\"linesAtLastTimestamp\":1,"
                + "\"restartCount\":1}");

    delivered.clear();
    fake.requests.clear();
    ApiServerPodLogs.Result again = logs.read(result.cursor(), this::collect);

    assertThat(delivered).isEmpty();
    assertThat(fake.requests)
        .extracting(r -> r.getRequestUrl().queryParameter("previous"))
        .containsOnlyNulls();
    assertThat(again.cursor()).isEqualTo(result.cursor());
  }

  @Test
  void restartsWhoseLogsAreGoneAreReportedAndReadingGoesOn() throws IOException {
    ApiServerPodLogs logs = reader();
    String cursor = logs.read(null, this::collect).cursor();
    delivered.clear();
    FakePod node1 = fake.pods.get(NODE1);
    node1.restartCount = 2;
    node1.lastStartedAt = "2026-11-20T10:00:20Z";
    node1.startedAt = "2026-11-20T10:00:40Z";
    node1.previousLog = null; // the kubelet answers 400: no previous terminated container
    node1.currentLog.clear();
    node1.log("2026-11-20T10:00:41Z " + audit("attach_pod"));

    ApiServerPodLogs.Result result = logs.read(cursor, this::collect);

    assertThat(delivered).extracting(Delivered::json).containsExactly(audit("attach_pod"));
    assertThat(result.warnings())
        .anySatisfy(w -> assertThat(w).contains(NODE1).contains("restarted 2 times"))
        .anySatisfy(
            w ->
                assertThat(w)
                    .contains(NODE1)
                    .contains("no longer kept")
                    .contains("HTTP 400")
                    .contains("previous terminated container"));
    assertThat(result.cursor()).contains("\"restartCount\":2");
  }

  @Test
  void linesRotatedAwayBetweenTwoReadsAreReportedAsAGap() throws IOException {
    ApiServerPodLogs logs = reader();
    String cursor = logs.read(null, this::collect).cursor();
    delivered.clear();
    FakePod node1 = fake.pods.get(NODE1);
    node1.currentLog.clear(); // the kubelet rotated the file: the old lines are no longer served
    node1.log("2026-11-20T10:03:00Z " + audit("attach_pod"));

    ApiServerPodLogs.Result result = logs.read(cursor, this::collect);

    assertThat(delivered).extracting(Delivered::json).containsExactly(audit("attach_pod"));
    assertThat(result.warnings())
        .singleElement()
        .satisfies(
            w ->
                assertThat(w)
                    .startsWith("pod/" + NODE1 + ": the log no longer holds the last line")
                    .contains("2026-11-20T10:00:02.750Z")
                    .contains("2026-11-20T10:03:00Z")
                    .contains("rotated away"));
    assertThat(result.detail()).contains("1 warning: pod/" + NODE1);
  }

  @Test
  void aWaitingContainersLastInstanceIsReadThroughThePreviousLog() throws IOException {
    ApiServerPodLogs logs = reader();
    String cursor = logs.read(null, this::collect).cursor();
    delivered.clear();
    fake.requests.clear();
    FakePod node1 = fake.pods.get(NODE1);
    node1.previousLog = new ArrayList<>(node1.currentLog);
    node1.previousLog.add("2026-11-20T10:00:03Z " + audit("delete_configmap"));
    node1.lastStartedAt = node1.startedAt;
    node1.startedAt = null;
    node1.waitingReason = "CrashLoopBackOff";

    ApiServerPodLogs.Result result = logs.read(cursor, this::collect);

    assertThat(delivered).extracting(Delivered::json).containsExactly(audit("delete_configmap"));
    assertThat(fake.requests)
        .filteredOn(r -> r.getRequestUrl().encodedPath().contains(NODE1))
        .singleElement()
        .satisfies(r -> assertThat(query(r)).containsEntry("previous", "true"));
    assertThat(result.warnings())
        .singleElement()
        .satisfies(w -> assertThat(w).contains(NODE1).contains("waiting (CrashLoopBackOff)"));
  }

  @Test
  void linesLongerThanTheLimitAreSkippedWithAWarningButMoveTheCursor() throws IOException {
    ApiServerPodLogs logs =
        new ApiServerPodLogs(
            ApiServerPodLogs.apiClient(settings()), settings().withMaxLineBytes(1024));

    ApiServerPodLogs.Result result = logs.read(null, this::collect);

    assertThat(delivered)
        .extracting(Delivered::json)
        .doesNotContain(audit("create_deployment"), audit("create_configmap"))
        .contains(audit("exec_pod"));
    assertThat(result.warnings())
        .anySatisfy(
            w ->
                assertThat(w)
                    .startsWith("pod/" + NODE1 + ":line 3@2026-11-20T10:00:02.25Z is ")
                    .contains("more than maxLineBytes (1024)"));
    assertThat(result.cursor()).contains("2026-11-20T10:00:02.750Z");
  }

  @Test
  void podListFieldsUnknownToClientJava27DoNotBreakTheRead() throws Exception {
    ApiClient client = ApiServerPodLogs.apiClient(settings());
    V1PodList asTheClientSeesIt =
        new CoreV1Api(client)
            .listNamespacedPod(NS)
            .labelSelector("component=kube-apiserver")
            .execute();
    assertThat(asTheClientSeesIt.getItems())
        .extracting(p -> p.getStatus().getContainerStatuses().get(0).getRestartCount())
        .containsExactly(0, 0);

    fake.unknownField = true; // as a newer API server might send
    assertThatThrownBy(
            () ->
                new CoreV1Api(client)
                    .listNamespacedPod(NS)
                    .labelSelector("component=kube-apiserver")
                    .execute())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not defined in the `V1ContainerStatus` properties");

    ApiServerPodLogs.Result result =
        new ApiServerPodLogs(client, settings()).read(null, this::collect);

    assertThat(result.linesDelivered()).isEqualTo(5);
  }

  @Nested
  class Failures {

    @Test
    void forbiddenPodListNamesTheRbacNeeded() {
      fake.listError =
          status(
              403,
              "Forbidden",
              "pods is forbidden: User \"system:serviceaccount:vouch:vouch\" cannot list resource"
                  + " \"pods\" in API group \"\" in the namespace \"kube-system\"");

      ApiServerPodLogsException e = readFails();

      assertThat(e.httpStatus()).isEqualTo(403);
      assertThat(e.pod()).isNull();
      assertThat(e.apiUrl()).isEqualTo(apiUrl());
      assertThat(e)
          .hasMessageStartingWith(
              "Cannot list the API server pods in namespace kube-system with labelSelector"
                  + " component=kube-apiserver: the Kubernetes API at "
                  + apiUrl()
                  + " answered HTTP 403 Forbidden (pods is forbidden: User"
                  + " \"system:serviceaccount:vouch:vouch\" cannot list resource")
          .hasMessageContaining("needs RBAC `list` on `pods` and `get` on `pods/log`")
          .hasMessageContaining("in namespace kube-system");
      assertThat(delivered).isEmpty();
    }

    @Test
    void unauthorizedSaysTheCredentialsWereRefused() {
      fake.listError = status(401, "Unauthorized", "Unauthorized");

      ApiServerPodLogsException e = readFails();

      assertThat(e.httpStatus()).isEqualTo(401);
      assertThat(e)
          .hasMessageContaining("HTTP 401 Unauthorized")
          .hasMessageContaining("credentials were not accepted")
          .hasMessageContaining("`get` on `pods/log`");
    }

    @Test
    void forbiddenLogNamesThePod() {
      fake.pods.get(NODE2).logError =
          status(
              403,
              "Forbidden",
              "pods \"kube-apiserver-node2\" is forbidden: User \"system:serviceaccount:vouch:vouch\""
                  + " cannot get resource \"pods/log\" in API group \"\" in the namespace"
                  + " \"kube-system\"");

      ApiServerPodLogsException e = readFails();

      assertThat(e.httpStatus()).isEqualTo(403);
      assertThat(e.pod()).isEqualTo(NODE2);
      assertThat(e)
          .hasMessageStartingWith(
              "Cannot read the log of container kube-apiserver in pod"
                  + " kube-system/kube-apiserver-node2: the Kubernetes API at "
                  + apiUrl()
                  + " answered HTTP 403 Forbidden")
          .hasMessageContaining("cannot get resource \"pods/log\"")
          .hasMessageContaining("needs RBAC `list` on `pods` and `get` on `pods/log`");
    }

    @Test
    void serverErrorOnALogIsAFailureNotAnEmptyResult() {
      fake.pods.get(NODE2).logError =
          status(
              500,
              "InternalError",
              "Get \"https://10.0.0.12:10250/containerLogs/kube-system/kube-apiserver-node2/"
                  + "kube-apiserver?timestamps=true\": dial tcp 10.0.0.12:10250: connect:"
                  + " connection refused");

      ApiServerPodLogsException e = readFails();

      assertThat(e.httpStatus()).isEqualTo(500);
      assertThat(e.pod()).isEqualTo(NODE2);
      assertThat(e)
          .hasMessageContaining("kube-system/kube-apiserver-node2")
          .hasMessageContaining(apiUrl())
          .hasMessageContaining("HTTP 500 Internal Server Error (Get \"https://10.0.0.12:10250/");
    }

    @Test
    void aPodGoneBetweenListAndLogIsNamed() {
      fake.pods.get(NODE2).logError =
          status(404, "NotFound", "pods \"kube-apiserver-node2\" not found");

      ApiServerPodLogsException e = readFails();

      assertThat(e.httpStatus()).isEqualTo(404);
      assertThat(e.pod()).isEqualTo(NODE2);
      assertThat(e)
          .hasMessageContaining("HTTP 404 Not Found (pods \"kube-apiserver-node2\" not found)")
          .hasMessageContaining("The pod is gone");
    }

    @Test
    void connectionRefusedNamesTheApiUrl() throws IOException {
      MockWebServer closed = new MockWebServer();
      closed.start();
      URI url = closed.url("/").uri();
      closed.shutdown();
      ApiServerPodLogs logs =
          ApiServerPodLogs.create(
              ApiServerPodLogs.Settings.from(null, null, null, null, null, url, TOKEN, CLOCK));

      ApiServerPodLogsException e =
          catchThrowableOfType(
              ApiServerPodLogsException.class,
              () -> logs.read(null, ApiServerPodLogsTest.this::collect));

      assertThat(e.httpStatus()).isEqualTo(ApiServerPodLogsException.NO_HTTP_STATUS);
      assertThat(e.apiUrl()).isEqualTo(logs.apiUrl());
      assertThat(e)
          .hasMessageStartingWith(
              "Cannot list the API server pods in namespace kube-system with labelSelector"
                  + " component=kube-apiserver: cannot connect to the Kubernetes API at "
                  + logs.apiUrl());
    }

    @Test
    void noMatchingPodIsAFailureThatMentionsManagedClusters() {
      fake.pods.clear();

      ApiServerPodLogsException e = readFails();

      assertThat(e)
          .hasMessageStartingWith(
              "No pod in namespace kube-system matches labelSelector component=kube-apiserver at"
                  + " the Kubernetes API "
                  + apiUrl())
          .hasMessageContaining("managed clusters (EKS, GKE, AKS)");
    }

    @Test
    void aWrongContainerNameIsAFailure() throws IOException {
      ApiServerPodLogs logs =
          ApiServerPodLogs.create(
              ApiServerPodLogs.Settings.from(
                  null, null, null, null, "apiserver", server.url("/").uri(), TOKEN, CLOCK));

      assertThatThrownBy(() -> logs.read(null, ApiServerPodLogsTest.this::collect))
          .isInstanceOf(ApiServerPodLogsException.class)
          .hasMessageContaining("Pod kube-system/kube-apiserver-node1")
          .hasMessageContaining(
              "has no container named apiserver (its containers: kube-apiserver)");
    }

    @Test
    void anAnswerThatIsNotAPodListIsAFailure() {
      fake.listError =
          new MockResponse()
              .setResponseCode(200)
              .setHeader("Content-Type", "text/html")
              .setBody("<html><body>Sign in</body></html>");

      ApiServerPodLogsException e = readFails();

      assertThat(e)
          .hasMessageContaining("Cannot list the API server pods")
          .hasMessageContaining(apiUrl());
    }

    @Test
    void aCorruptCursorIsRefused() {
      assertThatThrownBy(() -> reader().read("{\"pods\":[]}", ApiServerPodLogsTest.this::collect))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("Invalid kube-apiserver pod log cursor");
      assertThat(fake.requests).isEmpty();
    }

    @Test
    void aConsumerFailureEndsTheReadAndLeavesNoConnectionInUse() throws IOException {
      ApiServerPodLogs logs = reader();

      assertThatThrownBy(
              () ->
                  logs.read(
                      null,
                      (json, location) -> {
                        throw new UncheckedIOException(new IOException("sink is full"));
                      }))
          .isInstanceOf(UncheckedIOException.class);
      assertNoConnectionLeft();
    }

    private ApiServerPodLogsException readFails() {
      ApiServerPodLogsException e =
          catchThrowableOfType(
              ApiServerPodLogsException.class,
              () -> reader().read(null, ApiServerPodLogsTest.this::collect));
      assertThat(e).as("the read must fail").isNotNull();
      return e;
    }
  }

  @Nested
  class Kubeconfig {
    @TempDir Path dir;

    @Test
    void theNamedContextsClusterAndTokenAreUsed() throws IOException {
      Path kubeconfig = writeKubeconfig();
      ApiServerPodLogs logs =
          ApiServerPodLogs.create(
              ApiServerPodLogs.Settings.from(
                  kubeconfig, "vouch", null, null, null, null, null, CLOCK));

      ApiServerPodLogs.Result result = logs.read(null, ApiServerPodLogsTest.this::collect);

      assertThat(result.linesDelivered()).isEqualTo(5);
      assertThat(logs.apiUrl()).isEqualTo(apiUrl());
      assertThat(fake.requests)
          .extracting(r -> r.getHeader("Authorization"))
          .containsOnly("Bearer kubeconfig-token");
    }

    @Test
    void anUnknownContextIsRefused() throws IOException {
      Path kubeconfig = writeKubeconfig();

      assertThatThrownBy(
              () ->
                  ApiServerPodLogs.create(
                      ApiServerPodLogs.Settings.from(
                          kubeconfig, "prod", null, null, null, null, null, CLOCK)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("has no context named prod");
    }

    @Test
    void aMissingKubeconfigIsRefused() {
      Path missing = dir.resolve("nope.yaml");

      assertThatThrownBy(
              () ->
                  ApiServerPodLogs.create(
                      ApiServerPodLogs.Settings.from(
                          missing, null, null, null, null, null, null, CLOCK)))
          .isInstanceOf(IOException.class)
          .hasMessage("kubeconfig " + missing + " does not exist");
    }

    private Path writeKubeconfig() throws IOException {
      String text =
          "apiVersion: v1\n"
              + "kind: Config\n"
              + "current-context: other\n"
              + "clusters:\n"
              + "- name: fake\n"
              + "  cluster:\n"
              + "    server: "
              + apiUrl()
              + "\n"
              + "- name: elsewhere\n"
              + "  cluster:\n"
              + "    server: https://192.0.2.1:6443\n"
              + "users:\n"
              + "- name: vouch\n"
              + "  user:\n"
              + "    token: kubeconfig-token\n"
              + "- name: admin\n"
              + "  user:\n"
              + "    token: admin-token\n"
              + "contexts:\n"
              + "- name: vouch\n"
              + "  context:\n"
              + "    cluster: fake\n"
              + "    user: vouch\n"
              + "- name: other\n"
              + "  context:\n"
              + "    cluster: elsewhere\n"
              + "    user: admin\n";
      Path file = dir.resolve("kubeconfig.yaml");
      Files.writeString(file, text);
      return file;
    }
  }

  // --- helpers -------------------------------------------------------------------------------

  private void collect(String json, String location) {
    delivered.add(new Delivered(json, location));
  }

  private ApiServerPodLogs.Settings settings() {
    return ApiServerPodLogs.Settings.from(
        null, null, null, null, null, server.url("/").uri(), TOKEN, CLOCK);
  }

  private ApiServerPodLogs reader() throws IOException {
    client = ApiServerPodLogs.apiClient(settings());
    return new ApiServerPodLogs(client, settings());
  }

  private String apiUrl() {
    String url = server.url("/").toString();
    return url.substring(0, url.length() - 1);
  }

  /** Every connection the reader's client opened is back in the pool: all streams were closed. */
  private void assertNoConnectionLeft() {
    assertThat(client).isNotNull();
    ConnectionPool pool = client.getHttpClient().connectionPool();
    assertThat(pool.idleConnectionCount()).isEqualTo(pool.connectionCount());
  }

  private static Map<String, String> query(RecordedRequest request) {
    HttpUrl url = request.getRequestUrl();
    Map<String, String> params = new TreeMap<>();
    for (String name : url.queryParameterNames()) {
      params.put(name, url.queryParameter(name));
    }
    return params;
  }

  /** One of the Falco audit events in {@code src/test/resources/podlogs}, as its single line. */
  static String audit(String name) {
    try (InputStream in =
        ApiServerPodLogsTest.class.getResourceAsStream("/podlogs/" + name + ".json")) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static MockResponse status(int code, String reason, String message) {
    String body =
        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
            + "\"message\":"
            + jsonString(message)
            + ",\"reason\":\""
            + reason
            + "\",\"code\":"
            + code
            + "}";
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(body);
  }

  static String jsonString(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** One API server static pod as the fake serves it. */
  static final class FakePod {
    final String name;
    final String uid;
    final String node;
    @Nullable String startedAt;
    @Nullable String lastStartedAt;
    @Nullable String waitingReason;
    int restartCount;
    List<String> currentLog = new ArrayList<>();
    @Nullable List<String> previousLog;
    @Nullable MockResponse logError;

    FakePod(String name, String uid, String node, String startedAt) {
      this.name = name;
      this.uid = uid;
      this.node = node;
      this.startedAt = startedAt;
    }

    FakePod log(String... lines) {
      currentLog.addAll(List.of(lines));
      return this;
    }
  }

  /**
   * The two endpoints of the API server that {@link ApiServerPodLogs} calls. The log endpoint
   * behaves as the kubelet's: {@code sinceTime} is cut to the second and keeps lines whose
   * timestamp is not before it; {@code previous=true} serves the previous instance's log or fails
   * with 400 as the kubelet does when there is none.
   */
  static final class FakeApiServer extends Dispatcher {
    final Map<String, FakePod> pods = new TreeMap<>();
    final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    volatile @Nullable MockResponse listError;
    volatile boolean unknownField;
    volatile long logBytesServed;

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      requests.add(request);
      HttpUrl url = request.getRequestUrl();
      List<String> path = url.pathSegments();
      if (!"GET".equals(request.getMethod())
          || path.size() < 5
          || !path.subList(0, 5).equals(List.of("api", "v1", "namespaces", NS, "pods"))) {
        return status(404, "NotFound", "the server could not find the requested resource");
      }
      if (path.size() == 5) {
        if (listError != null) {
          return listError;
        }
        return podList(url.queryParameter("labelSelector"));
      }
      if (path.size() == 7 && path.get(6).equals("log")) {
        return log(path.get(5), url);
      }
      return status(404, "NotFound", "the server could not find the requested resource");
    }

    private MockResponse podList(@Nullable String labelSelector) {
      List<String> items = new ArrayList<>();
      if ("component=kube-apiserver".equals(labelSelector)) {
        for (FakePod pod : pods.values()) {
          items.add(podJson(pod));
        }
      }
      String body =
          "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"48213\"},"
              + "\"items\":["
              + String.join(",", items)
              + "]}";
      return new MockResponse()
          .setResponseCode(200)
          .setHeader("Content-Type", "application/json")
          .setBody(body);
    }

    private MockResponse log(String name, HttpUrl url) {
      FakePod pod = pods.get(name);
      if (pod == null) {
        return status(404, "NotFound", "pods \"" + name + "\" not found");
      }
      if (pod.logError != null) {
        return pod.logError;
      }
      String container = url.queryParameter("container");
      if (!"kube-apiserver".equals(container)) {
        return status(
            400, "BadRequest", "container " + container + " is not valid for pod " + name);
      }
      if (url.queryParameter("sinceTime") != null && url.queryParameter("sinceSeconds") != null) {
        return status(
            422, "Invalid", "at most one of `sinceTime` or `sinceSeconds` may be specified");
      }
      boolean previous = "true".equals(url.queryParameter("previous"));
      List<String> lines;
      if (previous) {
        if (pod.previousLog == null) {
          return status(
              400,
              "BadRequest",
              "previous terminated container \"kube-apiserver\" in pod \"" + name + "\" not found");
        }
        lines = pod.previousLog;
      } else {
        if (pod.waitingReason != null) {
          return status(
              400,
              "BadRequest",
              "container \"kube-apiserver\" in pod \""
                  + name
                  + "\" is waiting to start: "
                  + pod.waitingReason);
        }
        lines = pod.currentLog;
      }
      String sinceTime = url.queryParameter("sinceTime");
      Instant since =
          sinceTime == null
              ? null
              : OffsetDateTime.parse(sinceTime).toInstant().truncatedTo(ChronoUnit.SECONDS);
      boolean timestamps = "true".equals(url.queryParameter("timestamps"));
      StringBuilder body = new StringBuilder();
      for (String line : lines) {
        int space = line.indexOf(' ');
        Instant time = OffsetDateTime.parse(line.substring(0, space)).toInstant();
        if (since != null && time.isBefore(since)) {
          continue;
        }
        body.append(timestamps ? line : line.substring(space + 1)).append('\n');
      }
      byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
      logBytesServed += bytes.length;
      return new MockResponse()
          .setResponseCode(200)
          .setHeader("Content-Type", "text/plain")
          .setChunkedBody(body.toString(), 512);
    }

    private String podJson(FakePod pod) {
      String state =
          pod.waitingReason != null
              ? "{\"waiting\":{\"reason\":\""
                  + pod.waitingReason
                  + "\",\"message\":\"back-off 20s"
                  + " restarting failed container\"}}"
              : "{\"running\":{\"startedAt\":\"" + pod.startedAt + "\"}}";
      String lastState =
          pod.lastStartedAt == null
              ? "{}"
              : "{\"terminated\":{\"exitCode\":1,\"reason\":\"Error\",\"startedAt\":\""
                  + pod.lastStartedAt
                  + "\",\"finishedAt\":\"2026-11-20T10:00:08Z\",\"containerID\":"
                  + "\"containerd://1f2e3d4c5b6a\"}}";
      return "{\"metadata\":{\"name\":\""
          + pod.name
          + "\",\"namespace\":\"kube-system\",\"uid\":\""
          + pod.uid
          + "\",\"resourceVersion\":\"48102\",\"creationTimestamp\":\"2026-11-20T09:00:05Z\","
          + "\"labels\":{\"component\":\"kube-apiserver\",\"tier\":\"control-plane\"},"
          + "\"annotations\":{"
          + "\"kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint\":\"10.0.0.11:6443\","
          + "\"kubernetes.io/config.hash\":\"3f1c2a9d8e7b6a5f4e3d2c1b0a9f8e7d\","
          + "\"kubernetes.io/config.mirror\":\"3f1c2a9d8e7b6a5f4e3d2c1b0a9f8e7d\","
          + "\"kubernetes.io/config.seen\":\"2026-11-20T09:00:01.123456789Z\","
          + "\"kubernetes.io/config.source\":\"file\"},"
          + "\"ownerReferences\":[{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"name\":\""
          + pod.node
          + "\",\"uid\":\"0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d\",\"controller\":true}]},"
          + "\"spec\":{\"containers\":[{\"name\":\"kube-apiserver\","
          + "\"image\":\"registry.k8s.io/kube-apiserver:v1.36.0\","
          + "\"command\":[\"kube-apiserver\",\"--advertise-address=10.0.0.11\","
          + "\"--audit-log-path=-\",\"--audit-policy-file=/etc/kubernetes/audit-policy.yaml\","
          + "\"--authorization-mode=Node,RBAC\",\"--secure-port=6443\"],"
          + "\"resources\":{\"requests\":{\"cpu\":\"250m\"}},"
          + "\"terminationMessagePath\":\"/dev/termination-log\","
          + "\"terminationMessagePolicy\":\"File\",\"imagePullPolicy\":\"IfNotPresent\"}],"
          + "\"restartPolicy\":\"Always\",\"terminationGracePeriodSeconds\":30,"
          + "\"dnsPolicy\":\"ClusterFirst\",\"nodeName\":\""
          + pod.node
          + "\",\"hostNetwork\":true,"
          + "\"securityContext\":{\"seccompProfile\":{\"type\":\"RuntimeDefault\"}},"
          + "\"schedulerName\":\"default-scheduler\","
          + "\"tolerations\":[{\"operator\":\"Exists\",\"effect\":\"NoExecute\"}],"
          + "\"priorityClassName\":\"system-node-critical\",\"priority\":2000001000,"
          + "\"enableServiceLinks\":true,\"preemptionPolicy\":\"PreemptLowerPriority\"},"
          + "\"status\":{\"phase\":\"Running\","
          + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"lastProbeTime\":null,"
          + "\"lastTransitionTime\":\"2026-11-20T09:00:12Z\"}],"
          + "\"hostIP\":\"10.0.0.11\",\"hostIPs\":[{\"ip\":\"10.0.0.11\"}],"
          + "\"podIP\":\"10.0.0.11\",\"podIPs\":[{\"ip\":\"10.0.0.11\"}],"
          + "\"startTime\":\"2026-11-20T09:00:01Z\","
          + "\"containerStatuses\":[{\"name\":\"kube-apiserver\",\"state\":"
          + state
          + ",\"lastState\":"
          + lastState
          + ",\"ready\":"
          + (pod.waitingReason == null)
          + ",\"restartCount\":"
          + pod.restartCount
          + ",\"image\":\"registry.k8s.io/kube-apiserver:v1.36.0\","
          + "\"imageID\":\"registry.k8s.io/kube-apiserver@sha256:"
          + "4b8e1f0c2d3a5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f\","
          + "\"containerID\":\"containerd://8d7c6b5a4f3e2d1c\",\"started\":"
          + (pod.waitingReason == null)
          + (unknownField ? ",\"futureStatusField\":\"added after Kubernetes 1.36\"" : "")
          + "}],\"qosClass\":\"Burstable\"}}";
    }
  }
}
