package dev.vouch.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Null-tolerant reads from Jackson trees, for connectors whose input has optional fields everywhere
 * (CloudTrail records, Kubernetes audit events).
 */
public final class JsonNodes {
  private JsonNodes() {}

  /** The node at a path of field names, or null when any step is absent, null or not an object. */
  public static @Nullable JsonNode at(@Nullable JsonNode node, String... path) {
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
  public static @Nullable String text(@Nullable JsonNode node, String... path) {
    JsonNode value = at(node, path);
    if (value == null || !value.isValueNode()) {
      return null;
    }
    String text = value.asText();
    return text.isBlank() ? null : text;
  }

  /** Whether the value at a path is the boolean {@code true} (or the text {@code "true"}). */
  public static boolean isTrue(@Nullable JsonNode node, String... path) {
    JsonNode value = at(node, path);
    return value != null
        && (value.isBoolean() ? value.booleanValue() : "true".equalsIgnoreCase(value.asText()));
  }

  /** A short description of a node's JSON type, for messages. */
  public static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> node.getNodeType().toString().toLowerCase(Locale.ROOT);
    };
  }

  /** A value for a message: text quoted and shortened, other scalars as written. */
  public static String quote(JsonNode node) {
    if (node.isTextual()) {
      String text = node.textValue();
      return "'" + (text.length() <= 60 ? text : text.substring(0, 57) + "...") + "'";
    }
    if (node.isValueNode()) {
      return node.asText();
    }
    return kind(node);
  }
}
