package dev.vouch.connector.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

/**
 * Reads the few fields {@link ApiServerPodLogs} needs from a {@code v1 PodList}, ignoring all the
 * others.
 *
 * <p>Why not the client's own {@code V1PodList}: the models generated in client-java reject any
 * field they do not know ({@code IllegalArgumentException: The field `x` in the JSON string is not
 * defined in the `V1PodStatus` properties}), so client-java 27 (Kubernetes 1.36) fails on the pod
 * list of the first newer cluster that adds a pod field (kubernetes-client/java#4809, #3980). Pods
 * are listed through the client's own request builder; only the answer is read here.
 */
@NullMarked
final class ApiServerPodLogsPods {
  private ApiServerPodLogsPods() {}

  /** What the container being read looks like in the pod status. */
  enum State {
    RUNNING,
    TERMINATED,
    WAITING,
    UNKNOWN
  }

  /**
   * One listed pod.
   *
   * @param containers the names of the pod's containers, from its spec
   * @param statuses the container statuses by container name (empty while the pod is pending)
   */
  record Pod(
      String name,
      String uid,
      @Nullable String phase,
      List<String> containers,
      Map<String, ContainerStatus> statuses) {
    Pod {
      containers = List.copyOf(containers);
      statuses = Map.copyOf(statuses);
    }
  }

  /**
   * The status of one container.
   *
   * @param startedAt when the current instance started (running or terminated state), if known
   * @param waitingReason why it waits, when {@code state} is {@link State#WAITING}
   * @param lastTerminated whether the status holds a terminated previous instance
   * @param lastStartedAt when that previous instance started, if known
   */
  record ContainerStatus(
      String name,
      int restartCount,
      State state,
      @Nullable Instant startedAt,
      @Nullable String waitingReason,
      boolean lastTerminated,
      @Nullable Instant lastStartedAt) {}

  /**
   * Parses a {@code PodList} answer, pods sorted by name.
   *
   * @throws IOException when the answer is not a pod list
   */
  static List<Pod> parse(InputStream in) throws IOException {
    JsonNode root = Json.mapper().readTree(in);
    if (root == null || !root.isObject() || !root.path("items").isArray()) {
      throw new IOException(
          "the answer is not a PodList (kind "
              + (root == null ? "none" : root.path("kind").asText("none"))
              + ")");
    }
    List<Pod> pods = new ArrayList<>();
    for (JsonNode item : root.get("items")) {
      pods.add(pod(item));
    }
    pods.sort(Comparator.comparing(Pod::name));
    return pods;
  }

  private static Pod pod(JsonNode item) throws IOException {
    JsonNode metadata = item.path("metadata");
    String name = metadata.path("name").asText("");
    if (name.isEmpty()) {
      throw new IOException("a pod in the PodList has no metadata.name");
    }
    String uid = metadata.path("uid").asText("");
    List<String> containers = new ArrayList<>();
    for (JsonNode container : item.path("spec").path("containers")) {
      containers.add(container.path("name").asText(""));
    }
    Map<String, ContainerStatus> statuses = new TreeMap<>();
    JsonNode status = item.path("status");
    for (JsonNode cs : status.path("containerStatuses")) {
      ContainerStatus parsed = containerStatus(cs);
      statuses.put(parsed.name(), parsed);
    }
    return new Pod(name, uid, text(status.get("phase")), containers, statuses);
  }

  private static ContainerStatus containerStatus(JsonNode cs) {
    JsonNode stateNode = cs.path("state");
    State state;
    Instant startedAt = null;
    String waitingReason = null;
    if (stateNode.hasNonNull("running")) {
      state = State.RUNNING;
      startedAt = instant(stateNode.get("running").get("startedAt"));
    } else if (stateNode.hasNonNull("terminated")) {
      state = State.TERMINATED;
      startedAt = instant(stateNode.get("terminated").get("startedAt"));
    } else if (stateNode.hasNonNull("waiting")) {
      state = State.WAITING;
      waitingReason = text(stateNode.get("waiting").get("reason"));
    } else {
      state = State.UNKNOWN;
    }
    JsonNode lastTerminated = cs.path("lastState").path("terminated");
    boolean hasLast = lastTerminated.isObject();
    return new ContainerStatus(
        cs.path("name").asText(""),
        Math.max(0, cs.path("restartCount").asInt(0)),
        state,
        startedAt,
        waitingReason,
        hasLast,
        hasLast ? instant(lastTerminated.get("startedAt")) : null);
  }

  private static @Nullable String text(@Nullable JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }

  private static @Nullable Instant instant(@Nullable JsonNode node) {
    String text = text(node);
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
