package dev.vouch.connector.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.connector.k8s.ApiServerPodLogsCursor.Position;
import dev.vouch.connector.k8s.ApiServerPodLogsPods.ContainerStatus;
import dev.vouch.connector.k8s.ApiServerPodLogsPods.Pod;
import dev.vouch.core.json.Json;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.kubernetes.client.util.credentials.AccessTokenAuthentication;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.Reader;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

/**
 * Reads Kubernetes audit events from the kube-apiserver's own log, for self-managed control planes
 * whose API server runs with {@code --audit-log-path=-} (audit events printed as JSON lines on the
 * container's stdout), through the official Java client.
 *
 * <p>Each {@link #read} lists the API server pods ({@code GET
 * /api/v1/namespaces/{namespace}/pods?labelSelector=...}), then streams each pod's container log
 * with {@code timestamps=true} ({@code GET .../pods/{name}/log?container=...&timestamps=true}),
 * from the second of the last line read before ({@code sinceTime}, which the kubelet honours
 * inclusively and to the second). It hands every audit line, without its timestamp, to a {@link
 * LineConsumer}, and returns a new cursor. Lines already delivered are skipped by comparing their
 * timestamps with the cursor's; lines sharing the cursor's last timestamp are skipped by count.
 * When a container restarted since the cursor was written, its previous instance's log ({@code
 * previous=true}) is read once first, while the kubelet still keeps it.
 *
 * <p>Only what the kubelet still serves can be read: it serves the current log file of the current
 * and of the previous container instance, and rotates that file at {@code containerLogMaxSize}
 * (10Mi by default). Lines rotated away between two reads are lost; {@link Result#warnings()} says
 * so when the last line read before is no longer there. Managed control planes (EKS, GKE, AKS) have
 * no API server pod to read.
 *
 * <p>Logs are streamed and never held whole: memory is bounded by one line, at most {@link
 * Settings#maxLineBytes()}. Instances are immutable and thread-safe.
 */
@NullMarked
public final class ApiServerPodLogs {

  /** Where kubeadm runs the API server static pods. */
  public static final String DEFAULT_NAMESPACE = "kube-system";

  /** The label kubeadm puts on the API server static pods. */
  public static final String DEFAULT_LABEL_SELECTOR = "component=kube-apiserver";

  /** The container name in the kubeadm API server static pods. */
  public static final String DEFAULT_CONTAINER = "kube-apiserver";

  /**
   * The longest log line read, 16 MiB. An audit event at {@code RequestResponse} level carries a
   * request and a response object, each up to the 1.5 MiB etcd limit; longer lines are skipped and
   * reported in {@link Result#warnings()}.
   */
  public static final int DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

  /** The smallest {@link Settings#maxLineBytes()} accepted. */
  public static final int MIN_MAX_LINE_BYTES = 1024;

  /**
   * The read timeout of clients built by {@link #apiClient}: the longest silence tolerated while a
   * log streams. (client-java's own default is none, for watches.)
   */
  public static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final int MAX_WARNINGS = 20;
  private static final int ERROR_BODY_BYTES = 16 * 1024;
  private static final int ERROR_MESSAGE_CHARS = 300;
  private static final int MAX_TIMESTAMP_CHARS = 64;

  /** Receives the audit lines, in log order per pod, pods in name order. */
  @FunctionalInterface
  public interface LineConsumer {
    /**
     * One audit line.
     *
     * @param json the line without the kubelet's timestamp prefix: one JSON object with {@code
     *     "kind":"Event"}, as the API server printed it
     * @param location where it was read, such as {@code pod/kube-apiserver-node1:line
     *     12@2026-11-20T10:15:30.123456789Z}; for the log of the container instance before a
     *     restart {@code pod/kube-apiserver-node1[previous]:line 3@...}. The line number counts
     *     from the first line of that log answer (which starts at the cursor's second), the
     *     timestamp is the kubelet's.
     */
    void line(String json, String location);
  }

  /**
   * What one {@link #read} did.
   *
   * @param cursor the cursor to pass to the next read (see {@link ApiServerPodLogsCursor})
   * @param detail one line for the run report: pods, lines, bytes, warnings
   * @param podsRead pods whose log was read
   * @param linesRead log lines received, including lines already delivered before and lines that
   *     are not audit events (klog)
   * @param linesDelivered lines handed to the consumer
   * @param bytesRead log bytes received
   * @param warnings what may be missing: log rotated away between reads, restarts whose logs are
   *     gone, containers not readable now, lines too long; at most 20 and a count of the others
   * @param skippedLines the warnings among {@code warnings} that are each about one line skipped
   *     (too long), reading going on after it; every other warning is about a stretch of log that
   *     was not seen
   * @param readAt when the read started, by the settings' clock
   */
  public record Result(
      String cursor,
      String detail,
      int podsRead,
      long linesRead,
      long linesDelivered,
      long bytesRead,
      List<String> warnings,
      List<String> skippedLines,
      Instant readAt) {
    public Result {
      Objects.requireNonNull(cursor, "cursor");
      Objects.requireNonNull(detail, "detail");
      warnings = List.copyOf(warnings);
      skippedLines = List.copyOf(skippedLines);
      Objects.requireNonNull(readAt, "readAt");
    }
  }

  /**
   * How to reach the cluster and which pods to read. Build it with {@link #from}.
   *
   * <p>The cluster is reached through exactly one of: a kubeconfig file (optionally a context in
   * it), an explicit API URL (with an optional bearer token, for tests), or, when neither is set,
   * the in-cluster service account of the pod Vouch runs in.
   *
   * @param kubeconfig a kubeconfig file, or null
   * @param context the kubeconfig context to use, or null for its current context
   * @param namespace the namespace of the API server pods
   * @param labelSelector the label selector that picks the API server pods
   * @param container the container of the API server in those pods
   * @param apiUrl the API server base URL, or null
   * @param bearerToken the bearer token sent to {@code apiUrl}, or null for none
   * @param clock the clock for {@link Result#readAt()}
   * @param maxLineBytes the longest log line read; longer lines are skipped with a warning
   */
  public record Settings(
      @Nullable Path kubeconfig,
      @Nullable String context,
      String namespace,
      String labelSelector,
      String container,
      @Nullable URI apiUrl,
      @Nullable String bearerToken,
      Clock clock,
      int maxLineBytes) {

    /** How the cluster is reached. */
    public enum Connection {
      KUBECONFIG,
      API_URL,
      IN_CLUSTER
    }

    public Settings {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(labelSelector, "labelSelector");
      Objects.requireNonNull(container, "container");
      Objects.requireNonNull(clock, "clock");
      if (kubeconfig != null && apiUrl != null) {
        throw new IllegalArgumentException("set either kubeconfig or apiUrl, not both");
      }
      if (context != null && kubeconfig == null) {
        throw new IllegalArgumentException("context needs kubeconfig");
      }
      if (bearerToken != null && apiUrl == null) {
        throw new IllegalArgumentException("bearerToken is only used with apiUrl");
      }
      if (!DNS_LABEL.matcher(namespace).matches()) {
        throw new IllegalArgumentException("namespace is not a Kubernetes name: " + namespace);
      }
      if (!DNS_LABEL.matcher(container).matches()) {
        throw new IllegalArgumentException("container is not a Kubernetes name: " + container);
      }
      if (labelSelector.isBlank()) {
        throw new IllegalArgumentException(
            "labelSelector must not be blank: it would select every pod in " + namespace);
      }
      if (apiUrl != null) {
        String scheme = apiUrl.getScheme();
        if (!apiUrl.isAbsolute()
            || apiUrl.getHost() == null
            || !("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))) {
          throw new IllegalArgumentException("apiUrl must be an http(s) URL: " + apiUrl);
        }
      }
      if (maxLineBytes < MIN_MAX_LINE_BYTES) {
        throw new IllegalArgumentException(
            "maxLineBytes must be at least " + MIN_MAX_LINE_BYTES + ", not " + maxLineBytes);
      }
    }

    /**
     * Settings from already-parsed values. Null or blank {@code namespace}, {@code labelSelector}
     * and {@code container} take the kubeadm defaults ({@code kube-system}, {@code
     * component=kube-apiserver}, {@code kube-apiserver}); a blank context or token counts as none.
     *
     * @throws IllegalArgumentException when the values contradict each other (kubeconfig and apiUrl
     *     both set, a context without kubeconfig, a token without apiUrl) or are malformed
     */
    public static Settings from(
        @Nullable Path kubeconfig,
        @Nullable String context,
        @Nullable String namespace,
        @Nullable String labelSelector,
        @Nullable String container,
        @Nullable URI apiUrl,
        @Nullable String bearerToken,
        Clock clock) {
      return new Settings(
          kubeconfig,
          blankToNull(context),
          orDefault(namespace, DEFAULT_NAMESPACE),
          orDefault(labelSelector, DEFAULT_LABEL_SELECTOR),
          orDefault(container, DEFAULT_CONTAINER),
          apiUrl,
          blankToNull(bearerToken),
          clock,
          DEFAULT_MAX_LINE_BYTES);
    }

    /** These settings with another line limit. */
    public Settings withMaxLineBytes(int max) {
      return new Settings(
          kubeconfig,
          context,
          namespace,
          labelSelector,
          container,
          apiUrl,
          bearerToken,
          clock,
          max);
    }

    /** How the cluster is reached with these settings. */
    public Connection connection() {
      if (kubeconfig != null) {
        return Connection.KUBECONFIG;
      }
      return apiUrl != null ? Connection.API_URL : Connection.IN_CLUSTER;
    }

    /** The settings without the bearer token's value. */
    @Override
    public String toString() {
      return "Settings[kubeconfig="
          + kubeconfig
          + ", context="
          + context
          + ", namespace="
          + namespace
          + ", labelSelector="
          + labelSelector
          + ", container="
          + container
          + ", apiUrl="
          + apiUrl
          + ", bearerToken="
          + (bearerToken == null ? "null" : "(hidden)")
          + ", clock="
          + clock
          + ", maxLineBytes="
          + maxLineBytes
          + "]";
    }

    private static String orDefault(@Nullable String value, String fallback) {
      return value == null || value.isBlank() ? fallback : value.strip();
    }

    private static @Nullable String blankToNull(@Nullable String value) {
      return value == null || value.isBlank() ? null : value.strip();
    }
  }

  private final ApiClient client;
  private final CoreV1Api core;
  private final Settings settings;

  /**
   * A reader over a client of the caller's; {@link #create} builds one from the settings. The
   * settings' connection fields are then not used.
   */
  public ApiServerPodLogs(ApiClient client, Settings settings) {
    this.client = Objects.requireNonNull(client, "client");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.core = new CoreV1Api(client);
  }

  /**
   * A reader with a client built by {@link #apiClient}.
   *
   * @throws IOException when the kubeconfig or the in-cluster configuration cannot be loaded
   */
  public static ApiServerPodLogs create(Settings settings) throws IOException {
    return new ApiServerPodLogs(apiClient(settings), settings);
  }

  /**
   * Builds a client from the settings: {@code ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(
   * reader))} for a kubeconfig (relative certificate paths resolve against its directory), {@code
   * ClientBuilder.cluster()} in-cluster, or the explicit URL and bearer token. Read timeout {@link
   * #READ_TIMEOUT}.
   *
   * @throws IOException when the kubeconfig cannot be read, has no such context, or the in-cluster
   *     service account is not there
   */
  public static ApiClient apiClient(Settings settings) throws IOException {
    ClientBuilder builder =
        switch (settings.connection()) {
          case KUBECONFIG ->
              kubeconfigBuilder(Objects.requireNonNull(settings.kubeconfig()), settings.context());
          case API_URL ->
              apiUrlBuilder(Objects.requireNonNull(settings.apiUrl()), settings.bearerToken());
          case IN_CLUSTER -> inClusterBuilder();
        };
    return builder.setReadTimeout(READ_TIMEOUT).build();
  }

  /** The settings this reader was made with. */
  public Settings settings() {
    return settings;
  }

  /** The base URL of the cluster API this reader calls. */
  public String apiUrl() {
    return client.getBasePath();
  }

  /**
   * Reads what the API server pods logged since the cursor and hands each audit line to {@code
   * consumer}.
   *
   * <p>If this throws, lines may already have been handed to the consumer; the cursor to keep is
   * then the one passed in, and the next read hands those lines again (ingest idempotently, on
   * {@code (auditID, stage)}).
   *
   * @param cursorJson the cursor of the last successful read, or null (or blank) for the first: the
   *     first read of a pod starts at the beginning of the log the kubelet still holds
   * @param consumer receives the lines; a runtime exception it throws ends the read
   * @return the new cursor and what was read
   * @throws ApiServerPodLogsException when the Kubernetes API refuses or fails a call (401/403 with
   *     the RBAC needed, 404 when a pod went away, 5xx, connection refused, timeouts), when no pod
   *     matches the selector, or when a pod has no container of that name; the message names the
   *     API URL and the pod
   * @throws IOException when {@code cursorJson} is not a cursor of this reader
   */
  public Result read(@Nullable String cursorJson, LineConsumer consumer) throws IOException {
    Objects.requireNonNull(consumer, "consumer");
    Instant readAt = settings.clock().instant();
    SortedMap<String, Position> before = ApiServerPodLogsCursor.parse(cursorJson);
    List<Pod> pods = listPods();
    if (pods.isEmpty()) {
      throw new ApiServerPodLogsException(
          "No pod in namespace "
              + settings.namespace()
              + " matches labelSelector "
              + settings.labelSelector()
              + " at the Kubernetes API "
              + apiUrl()
              + ". Self-managed (kubeadm) control planes run the API server as static pods"
              + " labelled component=kube-apiserver; managed clusters (EKS, GKE, AKS) do not show"
              + " the API server as a pod at all: read their audit log from the cloud log service.",
          apiUrl(),
          null,
          ApiServerPodLogsException.NO_HTTP_STATUS,
          null);
    }
    Run run = new Run(consumer);
    SortedMap<String, Position> after = new TreeMap<>();
    for (Pod pod : pods) {
      String key = ApiServerPodLogsCursor.key(pod.name(), pod.uid());
      Position position = readPod(pod, before.get(key), run);
      if (position != null) {
        after.put(key, position);
      }
    }
    for (Map.Entry<String, Position> gone : before.entrySet()) {
      if (!after.containsKey(gone.getKey())) {
        Instant last = gone.getValue().lastTimestamp();
        run.warn(
            "pod "
                + gone.getKey()
                + " is no longer listed (deleted, or its static pod manifest changed); what it"
                + " logged"
                + (last == null ? "" : " after " + last)
                + " can no longer be read");
      }
    }
    String cursor = ApiServerPodLogsCursor.format(after);
    String where =
        "kube-apiserver pod logs at "
            + apiUrl()
            + " ("
            + settings.namespace()
            + ", "
            + settings.labelSelector()
            + "): ";
    return new Result(
        cursor,
        where + run.detail(),
        run.podsRead,
        run.linesRead,
        run.delivered,
        run.bytes,
        run.warnings(),
        run.skippedLines,
        readAt);
  }

  private @Nullable Position readPod(Pod pod, @Nullable Position old, Run run) throws IOException {
    String container = settings.container();
    if (!pod.containers().contains(container)) {
      throw new ApiServerPodLogsException(
          "Pod "
              + podRef(pod.name())
              + " at the Kubernetes API "
              + apiUrl()
              + " has no container named "
              + container
              + " (its containers: "
              + String.join(", ", pod.containers())
              + "); check the container setting",
          apiUrl(),
          pod.name(),
          ApiServerPodLogsException.NO_HTTP_STATUS,
          null);
    }
    ContainerStatus status = pod.statuses().get(container);
    if (status == null) {
      run.warn(
          "pod "
              + pod.name()
              + ": container "
              + container
              + " has no status yet (pod phase "
              + pod.phase()
              + "); not read this time");
      return old;
    }
    run.podsRead++;
    Position position = old != null ? old : Position.start(status.restartCount());
    boolean restarted = old != null && status.restartCount() > old.restartCount();
    if (restarted) {
      int lost = status.restartCount() - old.restartCount() - 1;
      if (lost > 0) {
        run.warn(
            "pod "
                + pod.name()
                + ": container "
                + container
                + " restarted "
                + (lost + 1)
                + " times since the last read; the kubelet keeps only the log of the instance"
                + " before the current one, so what the "
                + lost
                + " instance(s) before that logged after "
                + old.lastTimestamp()
                + " is lost");
      }
      position =
          readLog(pod, true, position, expectsCursorLines(position, status.lastStartedAt()), run);
      run.previousLogs++;
    }
    if (status.state() == ApiServerPodLogsPods.State.WAITING) {
      run.warn(
          "pod "
              + pod.name()
              + ": container "
              + container
              + " is waiting ("
              + status.waitingReason()
              + "); its current log cannot be read now");
      if (!restarted && old != null && status.lastTerminated()) {
        position = readLog(pod, true, position, false, run);
        run.previousLogs++;
      }
    } else {
      position =
          readLog(pod, false, position, expectsCursorLines(position, status.startedAt()), run);
    }
    return position.withRestartCount(status.restartCount());
  }

  /**
   * Whether the log of a container instance started at {@code instanceStartedAt} must still hold
   * the lines at the cursor's last timestamp: only if the instance started before that second (the
   * cursor's lines were then written by it).
   */
  private static boolean expectsCursorLines(
      Position position, @Nullable Instant instanceStartedAt) {
    Instant last = position.lastTimestamp();
    return last != null
        && position.linesAtLastTimestamp() > 0
        && instanceStartedAt != null
        && instanceStartedAt.isBefore(last.truncatedTo(ChronoUnit.SECONDS));
  }

  private List<Pod> listPods() throws IOException {
    String what =
        "list the API server pods in namespace "
            + settings.namespace()
            + " with labelSelector "
            + settings.labelSelector();
    Request request;
    try {
      request =
          core.listNamespacedPod(settings.namespace())
              .labelSelector(settings.labelSelector())
              .buildCall(null)
              .request();
    } catch (ApiException e) {
      throw new ApiServerPodLogsException(
          "Cannot " + what + " at the Kubernetes API " + apiUrl() + ": " + e.getMessage(),
          apiUrl(),
          null,
          ApiServerPodLogsException.NO_HTTP_STATUS,
          e);
    }
    try (Response response = execute(request, what, null)) {
      if (!response.isSuccessful()) {
        throw httpError(what, null, response.code(), statusMessage(response));
      }
      try (InputStream in = response.body().byteStream()) {
        return ApiServerPodLogsPods.parse(in);
      } catch (IOException e) {
        throw transportError(what, null, e);
      }
    }
  }

  private Position readLog(
      Pod pod, boolean previous, Position from, boolean expectCursorLines, Run run)
      throws IOException {
    String what =
        "read the "
            + (previous ? "previous " : "")
            + "log of container "
            + settings.container()
            + " in pod "
            + podRef(pod.name());
    Request request = logRequest(pod.name(), previous, from.lastTimestamp(), what);
    try (Response response = execute(request, what, pod.name())) {
      if (!response.isSuccessful()) {
        int code = response.code();
        String message = statusMessage(response);
        if (previous && (code == 400 || code == 404)) {
          run.warn(
              "pod "
                  + pod.name()
                  + ": the log of the container instance before the restart is no longer kept"
                  + " (HTTP "
                  + code
                  + (message == null ? "" : ": " + message)
                  + "); what it logged"
                  + (from.lastTimestamp() == null ? "" : " after " + from.lastTimestamp())
                  + " is lost");
          return from;
        }
        throw httpError(what, pod.name(), code, message);
      }
      try (InputStream in = response.body().byteStream()) {
        return deliver(pod.name(), previous, in, from, expectCursorLines, run);
      } catch (IOException e) {
        throw transportError(what + " (the log stream broke off)", pod.name(), e);
      }
    }
  }

  private Request logRequest(String podName, boolean previous, @Nullable Instant since, String what)
      throws ApiServerPodLogsException {
    CoreV1Api.APIreadNamespacedPodLogRequest builder =
        core.readNamespacedPodLog(podName, settings.namespace())
            .container(settings.container())
            .timestamps(true);
    if (previous) {
      builder = builder.previous(true);
    }
    Request request;
    try {
      request = builder.buildCall(null).request();
    } catch (ApiException e) {
      throw new ApiServerPodLogsException(
          "Cannot " + what + " at the Kubernetes API " + apiUrl() + ": " + e.getMessage(),
          apiUrl(),
          podName,
          ApiServerPodLogsException.NO_HTTP_STATUS,
          e);
    }
    if (since == null) {
      return request;
    }
    // client-java's request builder has no sinceTime (the OpenAPI document of pods/log does not
    // list it), but PodLogOptions has it and the API server passes it on to the kubelet, which
    // keeps lines whose timestamp is not before it. It is absolute, unlike sinceSeconds, so the
    // clocks of Vouch and of the node do not matter. One-second resolution, like the kubelet's.
    HttpUrl url =
        request
            .url()
            .newBuilder()
            .addQueryParameter(
                "sinceTime",
                DateTimeFormatter.ISO_INSTANT.format(since.truncatedTo(ChronoUnit.SECONDS)))
            .build();
    return request.newBuilder().url(url).build();
  }

  private Position deliver(
      String podName,
      boolean previous,
      InputStream in,
      Position from,
      boolean expectCursorLines,
      Run run)
      throws IOException {
    ApiServerPodLogsLineReader reader = new ApiServerPodLogsLineReader(in, settings.maxLineBytes());
    String source = "pod/" + podName + (previous ? "[previous]" : "");
    Instant cursorTime = from.lastTimestamp();
    int cursorLines = from.linesAtLastTimestamp();
    Instant last = cursorTime;
    int atLast = cursorLines;
    int seenAtCursor = 0;
    boolean checked = !expectCursorLines;
    long lineNumber = 0;
    try {
      while (reader.next()) {
        lineNumber++;
        run.linesRead++;
        int space = reader.indexOf((byte) ' ', 0, MAX_TIMESTAMP_CHARS);
        String stamp = space > 0 ? reader.ascii(0, space) : "";
        Instant time = parseTimestamp(stamp);
        if (time == null) {
          run.untimed++;
          continue;
        }
        if (cursorTime != null) {
          int order = time.compareTo(cursorTime);
          if (order < 0 || (order == 0 && ++seenAtCursor <= cursorLines)) {
            run.alreadyRead++;
            continue;
          }
          if (!checked) {
            checked = true;
            if (seenAtCursor < cursorLines) {
              run.warn(gap(source, cursorTime, cursorLines, seenAtCursor, time));
            }
          }
        }
        if (last == null || time.isAfter(last)) {
          last = time;
          atLast = 1;
        } else if (time.equals(last)) {
          atLast++;
        }
        if (reader.truncated()) {
          run.tooLong++;
          run.skipLine(
              source
                  + ":line "
                  + lineNumber
                  + "@"
                  + stamp
                  + " is "
                  + reader.fullLength()
                  + " bytes long, more than maxLineBytes ("
                  + settings.maxLineBytes()
                  + "); skipped");
          continue;
        }
        int start = space + 1;
        if (start >= reader.length() || reader.byteAt(start) != '{') {
          run.otherLines++;
          continue;
        }
        String json = reader.utf8(start);
        if (!isAuditEvent(json)) {
          run.otherLines++;
          continue;
        }
        run.consumer.line(json, source + ":line " + lineNumber + "@" + stamp);
        run.delivered++;
      }
    } finally {
      run.bytes += reader.bytesRead();
    }
    if (!checked && seenAtCursor < cursorLines) {
      run.warn(gap(source, cursorTime, cursorLines, seenAtCursor, null));
    }
    return new Position(last, last == null ? 0 : atLast, from.restartCount());
  }

  /**
   * The API server prints audit events as compact JSON; its klog lines are text, or JSON without
   * {@code "kind":"Event"} with {@code --logging-format=json}.
   */
  private static boolean isAuditEvent(String json) {
    return json.contains("\"kind\":\"Event\"") || json.contains("\"kind\": \"Event\"");
  }

  private static String gap(
      String source,
      @Nullable Instant cursorTime,
      int expected,
      int seen,
      @Nullable Instant firstNew) {
    return source
        + ": the log no longer holds the last line"
        + (expected == 1 ? "" : "s")
        + " read before ("
        + (seen == 0 ? "" : seen + " of " + expected + " ")
        + "at "
        + cursorTime
        + "): lines logged between then and "
        + (firstNew == null ? "now" : firstNew.toString())
        + " were probably rotated away by the kubelet (containerLogMaxSize) and are lost;"
        + " read more often, or use the audit log file or webhook backend";
  }

  private static @Nullable Instant parseTimestamp(String text) {
    if (text.isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private Response execute(Request request, String what, @Nullable String pod)
      throws ApiServerPodLogsException {
    try {
      return client.getHttpClient().newCall(request).execute();
    } catch (IOException e) {
      throw transportError(what, pod, e);
    }
  }

  private ApiServerPodLogsException transportError(
      String what, @Nullable String pod, IOException e) {
    String problem;
    if (hasCause(e, ConnectException.class) || hasCause(e, NoRouteToHostException.class)) {
      problem = "cannot connect to the Kubernetes API at " + apiUrl() + " (connection refused?)";
    } else if (hasCause(e, UnknownHostException.class)) {
      problem = "the host of the Kubernetes API at " + apiUrl() + " is unknown";
    } else if (hasCause(e, SSLException.class)) {
      problem =
          "the TLS handshake with the Kubernetes API at "
              + apiUrl()
              + " failed (wrong certificate authority or server name?)";
    } else if (hasCause(e, InterruptedIOException.class)) {
      problem = "the Kubernetes API at " + apiUrl() + " did not answer in time";
    } else {
      problem = "the call to the Kubernetes API at " + apiUrl() + " failed";
    }
    return new ApiServerPodLogsException(
        "Cannot " + what + ": " + problem + ": " + e,
        apiUrl(),
        pod,
        ApiServerPodLogsException.NO_HTTP_STATUS,
        e);
  }

  private ApiServerPodLogsException httpError(
      String what, @Nullable String pod, int code, @Nullable String message) {
    StringBuilder text =
        new StringBuilder("Cannot ")
            .append(what)
            .append(": the Kubernetes API at ")
            .append(apiUrl())
            .append(" answered HTTP ")
            .append(code)
            .append(reason(code));
    if (message != null) {
      text.append(" (").append(message).append(')');
    }
    text.append('.');
    if (code == 401) {
      text.append(
          " The credentials were not accepted (expired or wrong token, or a client certificate"
              + " the cluster does not trust).");
    }
    if (code == 401 || code == 403) {
      text.append(" The identity Vouch uses (for example its service account) needs RBAC `list`")
          .append(" on `pods` and `get` on `pods/log` in namespace ")
          .append(settings.namespace())
          .append('.');
    }
    if (code == 404 && pod != null) {
      text.append(" The pod is gone (deleted or replaced since it was listed).");
    }
    return new ApiServerPodLogsException(text.toString(), apiUrl(), pod, code, null);
  }

  private static String reason(int code) {
    return switch (code) {
      case 400 -> " Bad Request";
      case 401 -> " Unauthorized";
      case 403 -> " Forbidden";
      case 404 -> " Not Found";
      case 429 -> " Too Many Requests";
      case 500 -> " Internal Server Error";
      case 502 -> " Bad Gateway";
      case 503 -> " Service Unavailable";
      case 504 -> " Gateway Timeout";
      default -> "";
    };
  }

  /** The {@code message} of a Kubernetes {@code Status} answer, or the start of the body. */
  private static @Nullable String statusMessage(Response response) {
    String body;
    try {
      body = response.peekBody(ERROR_BODY_BYTES).string();
    } catch (IOException e) {
      return null;
    }
    if (body.isBlank()) {
      return null;
    }
    try {
      JsonNode status = Json.mapper().readTree(body);
      if (status != null && status.path("message").isTextual()) {
        return shorten(status.get("message").asText());
      }
    } catch (IOException e) {
      // not JSON: use the text
    }
    return shorten(body);
  }

  private static String shorten(String text) {
    String oneLine = text.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= ERROR_MESSAGE_CHARS
        ? oneLine
        : oneLine.substring(0, ERROR_MESSAGE_CHARS) + "...";
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  private String podRef(String podName) {
    return settings.namespace() + "/" + podName;
  }

  private static ClientBuilder kubeconfigBuilder(Path path, @Nullable String context)
      throws IOException {
    KubeConfig config;
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      config = KubeConfig.loadKubeConfig(reader);
    } catch (NoSuchFileException e) {
      throw new IOException("kubeconfig " + path + " does not exist", e);
    } catch (RuntimeException e) {
      throw new IOException("kubeconfig " + path + " is not a valid kubeconfig: " + e, e);
    }
    if (config == null) {
      throw new IOException("kubeconfig " + path + " is empty");
    }
    config.setFile(path.toAbsolutePath().toFile());
    if (context != null && !config.setContext(context)) {
      throw new IOException("kubeconfig " + path + " has no context named " + context);
    }
    if (config.getServer() == null) {
      throw new IOException(
          "kubeconfig "
              + path
              + " names no cluster server for context "
              + config.getCurrentContext());
    }
    try {
      return ClientBuilder.kubeconfig(config);
    } catch (RuntimeException e) {
      throw new IOException("kubeconfig " + path + " cannot be used: " + e, e);
    }
  }

  private static ClientBuilder apiUrlBuilder(URI apiUrl, @Nullable String bearerToken) {
    String base = apiUrl.toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    ClientBuilder builder = new ClientBuilder().setBasePath(base);
    if (bearerToken != null) {
      builder.setAuthentication(new AccessTokenAuthentication(bearerToken));
    }
    return builder;
  }

  private static ClientBuilder inClusterBuilder() throws IOException {
    if (System.getenv("KUBERNETES_SERVICE_HOST") == null) {
      throw new IOException(
          "No kubeconfig or apiUrl is set and Vouch does not run in a Kubernetes pod"
              + " (KUBERNETES_SERVICE_HOST is not set): set kubeconfig");
    }
    try {
      return ClientBuilder.cluster();
    } catch (IOException e) {
      throw new IOException(
          "Cannot load the in-cluster service account (token and CA under"
              + " /var/run/secrets/kubernetes.io/serviceaccount): "
              + e,
          e);
    }
  }

  /** Counts and warnings of one read. */
  private static final class Run {
    final LineConsumer consumer;
    final List<String> warnings = new ArrayList<>();
    final List<String> skippedLines = new ArrayList<>();
    int warningsDropped;
    int podsRead;
    int previousLogs;
    long linesRead;
    long delivered;
    long alreadyRead;
    long otherLines;
    long untimed;
    long tooLong;
    long bytes;

    Run(LineConsumer consumer) {
      this.consumer = consumer;
    }

    void warn(String warning) {
      if (warnings.size() < MAX_WARNINGS) {
        warnings.add(warning);
      } else {
        warningsDropped++;
      }
    }

    /** A warning about one line skipped, reading going on after it. */
    void skipLine(String warning) {
      if (warnings.size() < MAX_WARNINGS) {
        skippedLines.add(warning);
      }
      warn(warning);
    }

    List<String> warnings() {
      if (warningsDropped == 0) {
        return warnings;
      }
      List<String> all = new ArrayList<>(warnings);
      all.add("... and " + warningsDropped + " more warnings");
      return all;
    }

    String detail() {
      StringBuilder text = new StringBuilder();
      text.append(podsRead).append(podsRead == 1 ? " pod" : " pods").append(" read");
      if (previousLogs > 0) {
        text.append(" (").append(previousLogs).append(" previous log(s) after a restart)");
      }
      text.append(", ")
          .append(linesRead)
          .append(" lines (")
          .append(delivered)
          .append(" audit events, ")
          .append(alreadyRead)
          .append(" already read, ")
          .append(otherLines)
          .append(" other");
      if (untimed > 0) {
        text.append(", ").append(untimed).append(" without timestamp");
      }
      if (tooLong > 0) {
        text.append(", ").append(tooLong).append(" too long");
      }
      text.append("), ").append(bytes(bytes));
      int count = warnings.size() + warningsDropped;
      if (count > 0) {
        text.append("; ")
            .append(count)
            .append(count == 1 ? " warning: " : " warnings, first: ")
            .append(warnings.get(0));
      }
      return text.toString();
    }

    private static String bytes(long n) {
      if (n < 1024) {
        return n + " B";
      }
      if (n < 1024 * 1024) {
        return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
      }
      return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024.0));
    }
  }
}
