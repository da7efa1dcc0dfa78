package dev.vouch.app.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;

/** JSON for the renderers: fields in the order written, UTF-8. */
final class Messages {
  static final String JSON = "application/json; charset=utf-8";

  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private Messages() {}

  static ObjectMapper mapper() {
    return MAPPER;
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      // A tree of plain nodes always serialises; this would be a bug.
      throw new UncheckedIOException(e);
    }
  }

  static int chars(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node).length();
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
