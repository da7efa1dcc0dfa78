package dev.vouch.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.core.json.Json;
import dev.vouch.core.model.Approval;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.ChangeRecord;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * How values become columns: JSON through {@link Json#mapper()}, times as epoch seconds and nanos.
 */
final class Codec {
  private static final ObjectMapper MAPPER = Json.mapper();
  private static final String RAW_JSON = "rawJson";
  private static final String SYSTEMS = "systems";
  private static final Instant FIRST_DAY = Instant.parse("0000-01-01T00:00:00Z");
  private static final Instant LAST_DAY = Instant.parse("9999-12-31T00:00:00Z");

  private Codec() {}

  static String toJson(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new StoreException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  static <T> T fromJson(String json, Class<T> type, String what) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new StoreException("stored " + what + " is not a readable " + type.getSimpleName(), e);
    }
  }

  /** Writes a {@link ChangeEvent} without its raw payload, in one pass. */
  @JsonIgnoreProperties(RAW_JSON)
  private abstract static class WithoutRawJson {}

  private static final ObjectWriter EVENT_WITHOUT_RAW =
      MAPPER.copy().addMixIn(ChangeEvent.class, WithoutRawJson.class).writerFor(ChangeEvent.class);

  /** The normalised event without its raw payload, which is stored once, in its own column. */
  static String eventJson(ChangeEvent event) {
    try {
      return EVENT_WITHOUT_RAW.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new StoreException("cannot serialise event " + event.key(), e);
    }
  }

  static ChangeEvent event(String eventJson, String rawJson, String key) {
    try {
      ObjectNode node = (ObjectNode) MAPPER.readTree(eventJson);
      node.put(RAW_JSON, rawJson);
      return MAPPER.treeToValue(node, ChangeEvent.class);
    } catch (JsonProcessingException | ClassCastException e) {
      throw new StoreException("stored event " + key + " is not a readable ChangeEvent", e);
    }
  }

  /**
   * The canonical JSON of a record, the text its content hash is computed over. {@link
   * ChangeRecord#systems()} is a set whose iteration order differs from one JVM to the next, so it
   * is written sorted; everything else is already deterministic ({@link Json#mapper()} sorts
   * properties and map keys, lists keep their order).
   */
  static String recordJson(ChangeRecord record) {
    ObjectNode node = MAPPER.valueToTree(record);
    JsonNode systems = node.get(SYSTEMS);
    if (systems instanceof ArrayNode array) {
      List<String> sorted = new ArrayList<>();
      array.forEach(element -> sorted.add(element.asText()));
      sorted.sort(Comparator.naturalOrder());
      ArrayNode replacement = node.arrayNode();
      sorted.forEach(replacement::add);
      node.set(SYSTEMS, replacement);
    }
    return toJson(node);
  }

  /**
   * The hash of a record's positive approvals (who and when), in a stable order: what decides
   * whether a new version of a record was newly approved.
   */
  static String approvalsSha256(ChangeRecord record) {
    List<String> approvals = new ArrayList<>();
    for (Approval approval : record.positiveApprovals()) {
      approvals.add(approval.approver() + "|" + approval.at());
    }
    approvals.sort(Comparator.naturalOrder());
    return ChangeEvent.sha256Hex(String.join("\n", approvals));
  }

  /** A JSON object of text values, as stored for an input problem's readable fields. */
  static Map<String, String> stringMap(String json, String what) {
    try {
      return MAPPER.readValue(json, new TypeReference<Map<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new StoreException("stored " + what + " is not a readable map of text values", e);
    }
  }

  /** Keeps an instant within the years whose ISO dates sort as text (0000 to 9999). */
  static Instant clampToDays(Instant t) {
    return t.isBefore(FIRST_DAY) ? FIRST_DAY : t.isAfter(LAST_DAY) ? LAST_DAY : t;
  }

  static String day(Instant t) {
    return LocalDate.ofInstant(t, ZoneOffset.UTC).toString();
  }
}
