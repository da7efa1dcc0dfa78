package dev.vouch.connector.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** The connector's JSON mapper and null-tolerant reads from Jackson trees. */
final class Json {
  /**
   * Reads and writes audit events: numbers kept as written (1.10 stays 1.10) in the evidence copy.
   */
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();

  /**
   * Reads one whole JSON value: content after it is an error (two objects on one line are not a
   * JSON line, and a pushed body is one EventList).
   */
  static final ObjectReader WHOLE =
      MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** Jackson's location text, which says nothing useful once the file and line are named. */
  private static final Pattern SOURCE_DESCRIPTION = Pattern.compile("\\[Source: [^;]*; ");

  private Json() {}

  /** A parse error's message without Jackson's description of its input. */
  static String message(JsonProcessingException e) {
    return SOURCE_DESCRIPTION.matcher(String.valueOf(e.getOriginalMessage())).replaceAll("[");
  }

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

  /** Whether the value at a path is the boolean {@code true} (or the text {@code "true"}). */
  static boolean isTrue(@Nullable JsonNode node, String... path) {
    JsonNode value = at(node, path);
    return value != null
        && (value.isBoolean() ? value.booleanValue() : "true".equalsIgnoreCase(value.asText()));
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
      default -> node.getNodeType().toString().toLowerCase(Locale.ROOT);
    };
  }

  /** A value for a message: text quoted and shortened, other scalars as written. */
  static String quote(JsonNode node) {
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
