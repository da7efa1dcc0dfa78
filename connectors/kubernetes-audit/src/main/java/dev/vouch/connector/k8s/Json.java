package dev.vouch.connector.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.regex.Pattern;

/**
 * The connector's JSON mapper; null-tolerant tree reads are {@link dev.vouch.core.json.JsonNodes}.
 */
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
}
