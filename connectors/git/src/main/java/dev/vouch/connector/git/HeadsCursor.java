package dev.vouch.connector.git;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.lib.ObjectId;
import org.jspecify.annotations.Nullable;

/**
 * The head each branch had after the last successful pull: {@code {"heads":{"main":"<sha>"}}}. It
 * is Vouch's own memory of the branches, which is what a history rewrite is detected against (a
 * server's reflog is not needed, and often not available).
 */
final class HeadsCursor {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private final Map<String, String> heads;

  private HeadsCursor(Map<String, String> heads) {
    this.heads = heads;
  }

  static HeadsCursor of(Map<String, String> heads) {
    return new HeadsCursor(new TreeMap<>(heads));
  }

  /**
   * Reads a cursor a previous pull returned; null or blank means none (the first pull).
   *
   * @throws IllegalArgumentException when the text is not such a cursor
   */
  static HeadsCursor parse(@Nullable String text) {
    if (text == null || text.isBlank()) {
      return of(Map.of());
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the cursor is not JSON: " + e.getOriginalMessage());
    }
    JsonNode heads = root == null ? null : root.get("heads");
    if (heads == null || !heads.isObject()) {
      throw new IllegalArgumentException(
          "the cursor has no \"heads\" object (expected {\"heads\": {\"<branch>\": \"<sha>\"}})");
    }
    Map<String, String> parsed = new TreeMap<>();
    for (Map.Entry<String, JsonNode> entry : heads.properties()) {
      JsonNode sha = entry.getValue();
      if (!sha.isTextual() || !ObjectId.isId(sha.textValue())) {
        throw new IllegalArgumentException(
            "the cursor entry \"" + entry.getKey() + "\": " + sha + " is not a commit SHA");
      }
      parsed.put(entry.getKey(), sha.textValue());
    }
    return new HeadsCursor(parsed);
  }

  /** The head recorded for a branch, or null when the branch was not read before. */
  @Nullable String head(String branch) {
    return heads.get(branch);
  }

  Map<String, String> heads() {
    return Collections.unmodifiableMap(heads);
  }

  String toJson() {
    ObjectNode root = MAPPER.createObjectNode();
    ObjectNode node = root.putObject("heads");
    heads.forEach(node::put);
    return root.toString();
  }

  @Override
  public String toString() {
    return toJson();
  }
}
