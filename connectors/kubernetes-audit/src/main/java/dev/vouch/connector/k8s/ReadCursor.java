package dev.vouch.connector.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How far each log file has been read: {@code {"files": {"<identity>": <offset>, ...}}}, the
 * identity being the SHA-256 of the file's first line ({@link FileIdentity}) and the offset the
 * number of decompressed bytes consumed, always the end of a complete line (or of a complete JSON
 * value).
 */
final class ReadCursor {
  private static final Pattern IDENTITY = Pattern.compile("[0-9a-f]{64}");

  private final Map<String, Long> offsets;

  private ReadCursor(Map<String, Long> offsets) {
    this.offsets = offsets;
  }

  static ReadCursor empty() {
    return new ReadCursor(new TreeMap<>());
  }

  /**
   * Reads a cursor a previous pull returned; null means none (read everything).
   *
   * @throws IllegalArgumentException when the text is not such a cursor
   */
  static ReadCursor parse(@Nullable String text) {
    if (text == null || text.isBlank()) {
      return empty();
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the cursor is not JSON: " + e.getOriginalMessage());
    }
    JsonNode files = root == null ? null : root.get("files");
    if (files == null || !files.isObject()) {
      throw new IllegalArgumentException(
          "the cursor has no \"files\" object (expected {\"files\": {\"<sha-256>\": <offset>}})");
    }
    Map<String, Long> offsets = new TreeMap<>();
    for (Map.Entry<String, JsonNode> entry : files.properties()) {
      JsonNode offset = entry.getValue();
      if (!IDENTITY.matcher(entry.getKey()).matches()
          || !offset.isIntegralNumber()
          || !offset.canConvertToLong()
          || offset.longValue() < 0) {
        throw new IllegalArgumentException(
            "the cursor entry \""
                + entry.getKey()
                + "\": "
                + offset
                + " is not a file identity (hex SHA-256) with a byte offset");
      }
      offsets.put(entry.getKey(), offset.longValue());
    }
    return new ReadCursor(offsets);
  }

  /** The offset recorded for a file, 0 when it has not been read. */
  long offset(String identity) {
    return offsets.getOrDefault(identity, 0L);
  }

  boolean contains(String identity) {
    return offsets.containsKey(identity);
  }

  /** Records an offset; a file seen twice (a rotated copy and its gzip) keeps the larger. */
  void advance(String identity, long offset) {
    offsets.merge(identity, offset, Math::max);
  }

  /** Copies the entries of another cursor that this one does not have. */
  void keepMissing(ReadCursor previous) {
    previous.offsets.forEach(offsets::putIfAbsent);
  }

  String toJson() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ObjectNode files = root.putObject("files");
    offsets.forEach(files::put);
    return root.toString();
  }

  @Override
  public String toString() {
    return toJson();
  }
}
