package dev.vouch.connector.cloudtrail;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/** Null-tolerant reads from Jackson trees, since every CloudTrail field is optional somewhere. */
final class Json {
  private Json() {}

  /** The node at a path of field names, or null when any step is absent, null or not an object. */
  static @Nullable JsonNode at(@Nullable JsonNode node, String... path) {
    JsonNode current = node;
    for (String field : path) {
      if (current == null || !current.isObject()) {
        return null;
      }
      current = current.get(field);
    }
    return current == null || current.isNull() || current.isMissingNode() ? null : current;
  }

  /**
   * The text of the scalar at a path (numbers and booleans as written), or null when absent, null,
   * blank or not a scalar.
   */
  static @Nullable String text(@Nullable JsonNode node, String... path) {
    JsonNode value = at(node, path);
    if (value == null || !value.isValueNode()) {
      return null;
    }
    String text = value.asText();
    return text.isBlank() ? null : text;
  }

  /** A short description of a node's JSON type, for messages. */
  static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
