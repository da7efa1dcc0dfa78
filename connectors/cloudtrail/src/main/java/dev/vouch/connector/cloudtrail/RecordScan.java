package dev.vouch.connector.cloudtrail;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vouch.core.model.Coordinates;
import dev.vouch.core.model.EventClass;
import java.io.IOException;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Reads the fields of a CloudTrail record that decide its class, in one pass over its tokens and
 * without building it: most records of a trail only read, and are counted, not kept, so building
 * each as a tree would be wasted work.
 *
 * <p>The scan decides exactly as {@link RecordMapper} and {@link Classification} do on the whole
 * record, or not at all: any field it reads that has a type other than the usual one (a number
 * where text is expected, an object), a missing {@code eventTime}, {@code eventID} or {@code
 * recipientAccountId}, or a field that marks an envelope or a digest makes it {@linkplain #odd()
 * odd}, and the caller then reads the record whole. One instance per thread; {@link #scan} resets
 * it.
 */
final class RecordScan {

  private @Nullable String eventTime;
  private @Nullable String eventId;
  private @Nullable String eventSource;
  private @Nullable String eventName;
  private @Nullable String eventType;
  private @Nullable String eventCategory;
  private @Nullable String errorCode;
  private @Nullable String recipientAccountId;
  private @Nullable String awsRegion;
  private @Nullable Boolean readOnly;
  private boolean odd;

  /**
   * Scans the record whose {@code START_OBJECT} is the parser's current token, up to and including
   * its {@code END_OBJECT}.
   */
  void scan(JsonParser parser) throws IOException {
    eventTime = null;
    eventId = null;
    eventSource = null;
    eventName = null;
    eventType = null;
    eventCategory = null;
    errorCode = null;
    recipientAccountId = null;
    awsRegion = null;
    readOnly = null;
    odd = false;
    String name;
    while ((name = parser.nextFieldName()) != null) {
      JsonToken value = parser.nextToken();
      switch (name) {
        case "eventTime" -> eventTime = text(parser, value);
        case "eventID" -> eventId = text(parser, value);
        case "eventSource" -> eventSource = text(parser, value);
        case "eventName" -> eventName = text(parser, value);
        case "eventType" -> eventType = text(parser, value);
        case "eventCategory" -> eventCategory = text(parser, value);
        case "errorCode" -> errorCode = text(parser, value);
        case "recipientAccountId" -> recipientAccountId = text(parser, value);
        case "awsRegion" -> awsRegion = text(parser, value);
        case "readOnly" -> readOnly(parser, value);
        // An EventBridge envelope or a digest inside an array of records: read whole.
        case "detail-type", "digestStartTime" -> {
          odd = true;
          parser.skipChildren();
        }
        default -> parser.skipChildren();
      }
    }
    if (parser.currentToken() != JsonToken.END_OBJECT) {
      odd = true;
    }
  }

  /**
   * A text field as {@link dev.vouch.core.json.JsonNodes#text} gives it; any other type than text
   * or null makes the record odd, since the whole record would read it another way.
   */
  private @Nullable String text(JsonParser parser, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_STRING) {
      String text = parser.getText();
      return text.isBlank() ? null : text;
    }
    if (value != JsonToken.VALUE_NULL) {
      odd = true;
      parser.skipChildren();
    }
    return null;
  }

  private void readOnly(JsonParser parser, JsonToken value) throws IOException {
    switch (value) {
      case VALUE_TRUE -> readOnly = Boolean.TRUE;
      case VALUE_FALSE -> readOnly = Boolean.FALSE;
      default -> {
        odd = true;
        parser.skipChildren();
      }
    }
  }

  /** Whether the record must be read whole to be decided. */
  boolean odd() {
    return odd || eventTime == null || eventId == null || recipientAccountId == null;
  }

  /** What the scan decided; only when the record is not {@link #odd()}. */
  record Scanned(
      String nativeId,
      Instant occurredAt,
      Coordinates coordinates,
      EventClass eventClass,
      boolean mutating) {}

  /**
   * The record's id, time, place and class, or null when it must be read whole (odd, or its time is
   * not a timestamp).
   */
  @Nullable Scanned decide(RecordMapper.Context context) {
    if (odd()) {
      return null;
    }
    Instant occurredAt = RecordMapper.parseTime(eventTime);
    if (occurredAt == null) {
      return null;
    }
    Classification.ReadOnly stated =
        readOnly != null
            ? Classification.stated(readOnly)
            : Classification.decide(eventSource, eventName);
    EventClass eventClass =
        Classification.classify(
            errorCode, eventType, eventCategory, eventSource, eventName, stated);
    String region = awsRegion != null ? awsRegion : context.region();
    return new Scanned(
        RecordMapper.nativeId(recipientAccountId, eventId),
        occurredAt,
        new Coordinates("aws", recipientAccountId, region),
        eventClass,
        !stated.readOnly());
  }
}
