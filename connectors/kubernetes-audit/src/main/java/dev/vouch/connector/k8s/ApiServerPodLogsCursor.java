package dev.vouch.connector.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.core.json.Json;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

/**
 * The cursor of {@link ApiServerPodLogs}, as the small JSON text the runner stores:
 *
 * <pre>{@code
 * {"pods":{"<pod name>/<pod uid>":{"lastTimestamp":"2026-11-20T10:15:30.123456789Z",
 *                                  "linesAtLastTimestamp":2,"restartCount":0}}}
 * }</pre>
 *
 * <p>{@code lastTimestamp} is the kubelet timestamp of the last line read from that pod (absent
 * while none was read), {@code linesAtLastTimestamp} how many lines carried exactly that timestamp,
 * {@code restartCount} the container's restart count when it was read.
 */
@NullMarked
final class ApiServerPodLogsCursor {
  static final String PODS = "pods";
  static final String LAST_TIMESTAMP = "lastTimestamp";
  static final String LINES_AT_LAST_TIMESTAMP = "linesAtLastTimestamp";
  static final String RESTART_COUNT = "restartCount";

  private ApiServerPodLogsCursor() {}

  /**
   * Where reading of one pod stopped.
   *
   * @param lastTimestamp the timestamp of the last line read, or null when none was read yet
   * @param linesAtLastTimestamp how many lines read carry exactly {@code lastTimestamp}
   * @param restartCount the container's restart count at that read
   */
  record Position(@Nullable Instant lastTimestamp, int linesAtLastTimestamp, int restartCount) {
    Position {
      if (linesAtLastTimestamp < 0) {
        throw new IllegalArgumentException("linesAtLastTimestamp < 0: " + linesAtLastTimestamp);
      }
      if (restartCount < 0) {
        throw new IllegalArgumentException("restartCount < 0: " + restartCount);
      }
      if (lastTimestamp == null && linesAtLastTimestamp != 0) {
        throw new IllegalArgumentException("linesAtLastTimestamp without lastTimestamp");
      }
    }

    static Position start(int restartCount) {
      return new Position(null, 0, restartCount);
    }

    Position withRestartCount(int count) {
      return new Position(lastTimestamp, linesAtLastTimestamp, count);
    }
  }

  /** The pod key used in the cursor: {@code <name>/<uid>}. */
  static String key(String podName, String podUid) {
    return podName + "/" + podUid;
  }

  /**
   * Reads a cursor; null or blank means "no cursor yet".
   *
   * @throws IOException when the text is not a cursor of this reader
   */
  static SortedMap<String, Position> parse(@Nullable String json) throws IOException {
    SortedMap<String, Position> pods = new TreeMap<>();
    if (json == null || json.isBlank()) {
      return pods;
    }
    JsonNode root;
    try {
      root = Json.mapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw invalid("not JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject() || !root.path(PODS).isObject()) {
      throw invalid("expected an object with a \"pods\" object", null);
    }
    for (Map.Entry<String, JsonNode> field : root.get(PODS).properties()) {
      pods.put(field.getKey(), position(field.getKey(), field.getValue()));
    }
    return pods;
  }

  /** Writes a cursor, pods sorted by key so that equal cursors are equal strings. */
  static String format(Map<String, Position> pods) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ObjectNode podsNode = root.putObject(PODS);
    for (Map.Entry<String, Position> entry : new TreeMap<>(pods).entrySet()) {
      Position position = entry.getValue();
      ObjectNode node = podsNode.putObject(entry.getKey());
      if (position.lastTimestamp() != null) {
        node.put(LAST_TIMESTAMP, position.lastTimestamp().toString());
      }
      node.put(LINES_AT_LAST_TIMESTAMP, position.linesAtLastTimestamp());
      node.put(RESTART_COUNT, position.restartCount());
    }
    try {
      return Json.mapper().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }

  private static Position position(String key, JsonNode node) throws IOException {
    if (!node.isObject()) {
      throw invalid("pod " + key + " is not an object", null);
    }
    Instant last = null;
    JsonNode lastNode = node.get(LAST_TIMESTAMP);
    if (lastNode != null && !lastNode.isNull()) {
      if (!lastNode.isTextual()) {
        throw invalid("pod " + key + ": " + LAST_TIMESTAMP + " is not a string", null);
      }
      try {
        last = Instant.parse(lastNode.asText());
      } catch (DateTimeParseException e) {
        throw invalid("pod " + key + ": " + LAST_TIMESTAMP + " is not an instant", e);
      }
    }
    int lines = count(key, node, LINES_AT_LAST_TIMESTAMP);
    int restarts = count(key, node, RESTART_COUNT);
    try {
      return new Position(last, lines, restarts);
    } catch (IllegalArgumentException e) {
      throw invalid("pod " + key + ": " + e.getMessage(), e);
    }
  }

  private static int count(String key, JsonNode node, String field) throws IOException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return 0;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0) {
      throw invalid("pod " + key + ": " + field + " is not a count: " + value, null);
    }
    return value.intValue();
  }

  private static IOException invalid(String why, @Nullable Throwable cause) {
    return new IOException("Invalid kube-apiserver pod log cursor (" + why + ")", cause);
  }
}
