package dev.vouch.connector.cloudtrail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.vouch.core.json.JsonNodes;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.Coordinates;
import dev.vouch.core.model.EventClass;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.spi.InputProblem;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Maps one CloudTrail record (a JSON object) to a {@link ChangeEvent}, or says why it cannot.
 *
 * <p>Pure and thread-safe: no I/O, no clock. Fields this class does not name are ignored, so newer
 * event versions and enrichment keys (Panther's {@code p_*}) change nothing.
 */
final class RecordMapper {
  static final String SOURCE_TYPE = "cloudtrail";

  /** The scope used when no account is known anywhere; it maps to no system, so it shows. */
  static final String UNKNOWN_ACCOUNT = "unknown";

  /**
   * The {@code requestParameters} keys whose text values name the resource acted on, added to
   * {@link ChangeEvent#targets()} after {@code resources[].ARN}. Kept short on purpose: the aim is
   * to name the thing changed (a bucket, a role, an instance, a trail), not to copy the request.
   * Besides these: {@code instancesSet.items[].instanceId} in the request and the response (EC2),
   * and {@code name} for {@code cloudtrail.amazonaws.com} calls (the trail).
   */
  static final List<String> TARGET_PARAMETERS =
      List.of(
          "bucketName",
          "roleName",
          "userName",
          "groupName",
          "policyArn",
          "groupId",
          "instanceId",
          "functionName",
          "trailName",
          "dBInstanceIdentifier",
          "dBSnapshotIdentifier",
          "tableName",
          "stackName",
          "keyId",
          "secretId",
          "snapshotId",
          "imageId",
          "volumeId",
          "logGroupName",
          "topicArn");

  /** The {@code requestParameters} keys that may hold request tags, whose values become hints. */
  static final List<String> TAG_PARAMETERS =
      List.of(
          "tags",
          "Tags",
          "tagSet",
          "TagSet",
          "tagList",
          "TagList",
          "tagSpecificationSet",
          "TagSpecifications",
          "Tagging");

  /** Every attribute name a CloudTrail event may carry, for checking rule conditions. */
  static final Set<String> ATTRIBUTES =
      Set.of(
          "aws.account",
          "aws.errorCode",
          "aws.eventCategory",
          "aws.eventName",
          "aws.eventSource",
          "aws.eventType",
          "aws.eventVersion",
          "aws.invokedBy",
          "aws.managementEvent",
          "aws.mfaAuthenticated",
          "aws.readOnly",
          "aws.region",
          "aws.roleArn",
          "aws.sessionCredentialFromConsole",
          "aws.sessionName",
          "aws.sourceIPAddress",
          "aws.sourceIdentity",
          "aws.userAgent",
          "aws.userIdentity.type");

  /**
   * Says how the class of a record without {@code readOnly} was decided; every finding on the
   * change shows it (see {@link ChangeEvent#EVIDENCE_PREFIX}).
   */
  static final String EVIDENCE_CLASSIFICATION = ChangeEvent.EVIDENCE_PREFIX + "classification";

  /**
   * Names the service or console path a call was made through ({@code userIdentity.invokedBy}), for
   * the reviewer of a change that no rule excluded: a console change, or one made by CloudFormation
   * for a stack operation.
   */
  static final String EVIDENCE_INVOKED_BY = ChangeEvent.EVIDENCE_PREFIX + "invokedBy";

  static final int MAX_TARGETS = 100;
  static final int MAX_HINTS = 50;

  private static final String CLOUDTRAIL_SERVICE = "cloudtrail.amazonaws.com";

  /**
   * CloudTrail writes {@code 2024-11-30T08:43:17Z}; exports and fixtures also carry fractions, a
   * space for the {@code T}, offsets, or no zone at all (which then means UTC, as in CloudTrail).
   */
  private static final Pattern TIME =
      Pattern.compile(
          "(\\d{4}-\\d{2}-\\d{2})[T ](\\d{2}:\\d{2}(?::\\d{2}(?:[.,]\\d{1,9})?)?)"
              + "\\s*(Z|UTC|[+-]\\d{2}(?::?\\d{2})?)?");

  private final String sourceName;
  private final ObjectWriter writer;

  RecordMapper(String sourceName, ObjectWriter writer) {
    this.sourceName = Objects.requireNonNull(sourceName, "sourceName");
    this.writer = Objects.requireNonNull(writer, "writer");
  }

  /**
   * Facts from around the record, used when the record itself lacks them.
   *
   * @param account the EventBridge envelope's {@code account}, else the account folder of the S3
   *     layout
   * @param region the envelope's {@code region}, else the region folder
   */
  record Context(@Nullable String account, @Nullable String region) {
    static final Context NONE = new Context(null, null);
  }

  /** What became of a record. */
  sealed interface Outcome permits Accepted, Rejected, OutsideWindow {}

  /** The record maps to this event, which lies in the window. */
  record Accepted(ChangeEvent event) implements Outcome {}

  /** The record cannot be used, for this reason. */
  record Rejected(String reason) implements Outcome {}

  /**
   * The record happened outside the window: not this pull's change to match, but still part of the
   * population of the file it is in.
   *
   * @param event the record as an event, or null when it is unusable (which its own window's pull
   *     reports)
   */
  record OutsideWindow(Instant occurredAt, @Nullable ChangeEvent event) implements Outcome {}

  /**
   * Maps a record. A record whose time is known and outside the window is {@link OutsideWindow}
   * even when it has other problems, so that a bad record is rejected by the pull of its own window
   * and not by every pull that reads its file.
   */
  Outcome map(JsonNode record, TimeWindow window, Context context) {
    if (!record.isObject()) {
      return new Rejected(
          "expected a CloudTrail record (a JSON object) but found " + JsonNodes.kind(record));
    }
    List<String> problems = new ArrayList<>();
    Instant occurredAt = null;
    JsonNode time = record.get("eventTime");
    if (time == null || time.isNull()) {
      problems.add("no eventTime");
    } else if (!time.isTextual()) {
      problems.add("eventTime is " + JsonNodes.kind(time) + ", not a timestamp");
    } else {
      occurredAt = parseTime(time.textValue());
      if (occurredAt == null) {
        problems.add(
            "eventTime '"
                + abbreviate(time.textValue())
                + "' is not a timestamp (expected ISO-8601 UTC such as 2024-11-30T08:43:17Z)");
      }
    }
    JsonNode id = record.get("eventID");
    String eventId = null;
    if (id == null || id.isNull()) {
      problems.add("no eventID");
    } else if (!id.isValueNode()) {
      problems.add("eventID is " + JsonNodes.kind(id) + ", not a text value");
    } else if (id.asText().isBlank()) {
      problems.add("eventID is empty");
    } else {
      eventId = id.asText();
    }
    if (occurredAt != null && !window.contains(occurredAt)) {
      return new OutsideWindow(
          occurredAt,
          problems.isEmpty() && eventId != null
              ? toEvent(record, eventId, occurredAt, context)
              : null);
    }
    if (!problems.isEmpty() || eventId == null || occurredAt == null) {
      return new Rejected(describe(record) + ": " + String.join("; ", problems));
    }
    return new Accepted(toEvent(record, eventId, occurredAt, context));
  }

  private ChangeEvent toEvent(
      JsonNode record, String eventId, Instant occurredAt, Context context) {
    String eventSource = JsonNodes.text(record, "eventSource");
    String eventName = JsonNodes.text(record, "eventName");
    String eventType = JsonNodes.text(record, "eventType");
    String eventCategory = JsonNodes.text(record, "eventCategory");
    String errorCode = JsonNodes.text(record, "errorCode");
    JsonNode userIdentity = JsonNodes.at(record, "userIdentity");

    String account =
        firstOf(
            JsonNodes.text(record, "recipientAccountId"),
            JsonNodes.text(userIdentity, "accountId"),
            context.account());
    String region = firstOf(JsonNodes.text(record, "awsRegion"), context.region());

    Classification.ReadOnly readOnly = Classification.readOnly(record, eventSource, eventName);
    EventClass eventClass =
        Classification.classify(
            errorCode, eventType, eventCategory, eventSource, eventName, readOnly);
    ActorDerivation.Derived derived = ActorDerivation.derive(userIdentity, account);

    Map<String, String> attributes = new LinkedHashMap<>();
    put(attributes, "aws.eventSource", eventSource);
    put(attributes, "aws.eventName", eventName);
    put(attributes, "aws.eventType", eventType);
    put(attributes, "aws.eventCategory", eventCategory);
    put(attributes, "aws.eventVersion", JsonNodes.text(record, "eventVersion"));
    put(attributes, "aws.userIdentity.type", JsonNodes.text(userIdentity, "type"));
    String invokedBy = JsonNodes.text(userIdentity, "invokedBy");
    put(attributes, "aws.invokedBy", invokedBy);
    put(attributes, "aws.account", account);
    put(attributes, "aws.region", region);
    put(attributes, "aws.readOnly", readOnly.basis());
    put(attributes, "aws.errorCode", errorCode);
    put(attributes, "aws.sourceIPAddress", JsonNodes.text(record, "sourceIPAddress"));
    put(attributes, "aws.userAgent", JsonNodes.text(record, "userAgent"));
    put(attributes, "aws.roleArn", derived.roleArn());
    put(attributes, "aws.sessionName", derived.sessionName());
    put(attributes, "aws.sourceIdentity", derived.sourceIdentity());
    put(
        attributes,
        "aws.mfaAuthenticated",
        JsonNodes.text(userIdentity, "sessionContext", "attributes", "mfaAuthenticated"));
    put(attributes, "aws.managementEvent", JsonNodes.text(record, "managementEvent"));
    put(
        attributes,
        "aws.sessionCredentialFromConsole",
        JsonNodes.text(record, "sessionCredentialFromConsole"));
    put(attributes, EVIDENCE_CLASSIFICATION, readOnly.explanation());
    if (invokedBy != null) {
      put(
          attributes,
          EVIDENCE_INVOKED_BY,
          "made through " + invokedBy + " (userIdentity.invokedBy)");
    }

    return new ChangeEvent(
        sourceName,
        SOURCE_TYPE,
        nativeId(account, eventId),
        occurredAt,
        eventClass,
        !readOnly.readOnly(),
        new Coordinates("aws", account != null ? account : UNKNOWN_ACCOUNT, region),
        derived.actor(),
        (eventSource != null ? eventSource : "unknown")
            + ":"
            + (eventName != null ? eventName : "unknown"),
        targets(record, eventSource),
        referenceHints(record, derived),
        attributes,
        compact(record));
  }

  /**
   * The id an event is stored and de-duplicated under: the account that received it and its {@code
   * eventID}, which CloudTrail makes unique within an account. The same event delivered twice (by
   * an organisation trail and the account's own trail, or late) is stored once; two records with
   * one id and different content are kept both, as conflicting evidence.
   */
  static String nativeId(@Nullable String account, String eventId) {
    return (account != null ? account : UNKNOWN_ACCOUNT) + ":" + eventId;
  }

  /** {@code resources[].ARN}, then the {@link #TARGET_PARAMETERS}, without duplicates. */
  static List<String> targets(JsonNode record, @Nullable String eventSource) {
    Set<String> targets = new LinkedHashSet<>();
    JsonNode resources = JsonNodes.at(record, "resources");
    if (resources != null && resources.isArray()) {
      for (JsonNode resource : resources) {
        add(
            targets,
            firstOf(JsonNodes.text(resource, "ARN"), JsonNodes.text(resource, "arn")),
            MAX_TARGETS);
      }
    }
    JsonNode request = JsonNodes.at(record, "requestParameters");
    if (request != null && request.isObject()) {
      for (String key : TARGET_PARAMETERS) {
        add(targets, JsonNodes.text(request, key), MAX_TARGETS);
      }
      if (CLOUDTRAIL_SERVICE.equals(eventSource)) {
        add(targets, JsonNodes.text(request, "name"), MAX_TARGETS);
      }
      instanceIds(JsonNodes.at(request, "instancesSet", "items"), targets);
    }
    instanceIds(JsonNodes.at(record, "responseElements", "instancesSet", "items"), targets);
    return List.copyOf(targets);
  }

  private static void instanceIds(@Nullable JsonNode items, Set<String> targets) {
    if (items != null && items.isArray()) {
      for (JsonNode item : items) {
        add(targets, JsonNodes.text(item, "instanceId"), MAX_TARGETS);
      }
    }
  }

  /**
   * Free text that may carry a change id: the role session name, the source identity, the {@code
   * roleSessionName} and {@code sourceIdentity} asked for in an {@code AssumeRole} request, and the
   * values of request tags.
   */
  static List<String> referenceHints(JsonNode record, ActorDerivation.Derived derived) {
    Set<String> hints = new LinkedHashSet<>();
    add(hints, derived.sessionName(), MAX_HINTS);
    add(hints, derived.sourceIdentity(), MAX_HINTS);
    JsonNode request = JsonNodes.at(record, "requestParameters");
    if (request != null && request.isObject()) {
      add(hints, JsonNodes.text(request, "roleSessionName"), MAX_HINTS);
      add(hints, JsonNodes.text(request, "sourceIdentity"), MAX_HINTS);
      for (String key : TAG_PARAMETERS) {
        tagValues(request.get(key), hints, 0);
      }
    }
    return List.copyOf(hints);
  }

  /**
   * Collects tag values from the shapes AWS services use: lists of {@code {key, value}} (any
   * capitalisation, or {@code tagKey}/{@code tagValue}), EC2's {@code {items: [...]}} and {@code
   * tagSpecificationSet.items[].tags}, S3's {@code Tagging.TagSet.Tag}, and plain maps of name to
   * value.
   */
  private static void tagValues(@Nullable JsonNode node, Set<String> hints, int depth) {
    if (node == null || node.isNull() || depth > 4) {
      return;
    }
    if (node.isArray()) {
      for (JsonNode item : node) {
        tagValues(item, hints, depth + 1);
      }
      return;
    }
    if (!node.isObject()) {
      return;
    }
    String value =
        firstOf(
            JsonNodes.text(node, "value"),
            JsonNodes.text(node, "Value"),
            JsonNodes.text(node, "tagValue"),
            JsonNodes.text(node, "TagValue"));
    boolean isTag =
        node.has("key")
            || node.has("Key")
            || node.has("tagKey")
            || node.has("TagKey")
            || value != null;
    if (isTag) {
      add(hints, value, MAX_HINTS);
      return;
    }
    boolean container = false;
    for (String nested : List.of("items", "tags", "Tags", "TagSet", "Tag")) {
      if (node.has(nested)) {
        container = true;
        tagValues(node.get(nested), hints, depth + 1);
      }
    }
    if (!container) {
      // A plain map of tag name to value, as API Gateway and Lambda send them.
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        if (field.getValue().isValueNode()) {
          add(hints, field.getValue().asText(), MAX_HINTS);
        }
      }
    }
  }

  /**
   * Parses a CloudTrail time; null when it is not one. A time without a zone is UTC, as every
   * CloudTrail time is.
   */
  static @Nullable Instant parseTime(String text) {
    Instant canonical = canonicalTime(text);
    if (canonical != null) {
      return canonical;
    }
    Matcher matcher = TIME.matcher(text.trim());
    if (!matcher.matches()) {
      return null;
    }
    String zone = matcher.group(3);
    if (zone == null || zone.equals("UTC")) {
      zone = "Z";
    } else if (!zone.equals("Z")) {
      String digits = zone.substring(1).replace(":", "");
      zone =
          zone.charAt(0)
              + digits.substring(0, 2)
              + ":"
              + (digits.length() > 2 ? digits.substring(2) : "00");
    }
    try {
      return OffsetDateTime.parse(
              matcher.group(1) + "T" + matcher.group(2).replace(',', '.') + zone)
          .toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * CloudTrail's own form, {@code 2026-10-01T08:43:17Z}, read without a regular expression (every
   * record has one); null for any other text, which {@link #parseTime} then reads the long way.
   */
  private static @Nullable Instant canonicalTime(String text) {
    if (text.length() != 20
        || text.charAt(4) != '-'
        || text.charAt(7) != '-'
        || text.charAt(10) != 'T'
        || text.charAt(13) != ':'
        || text.charAt(16) != ':'
        || text.charAt(19) != 'Z') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || day > java.time.YearMonth.of(year, month).lengthOfMonth()
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59) {
      return null;
    }
    long days = java.time.LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(days * 86_400L + hour * 3_600L + minute * 60L + second);
  }

  /** The decimal number of {@code length} digits at {@code from}, or -1 when they are not. */
  private static int digits(String text, int from, int length) {
    int value = 0;
    for (int i = from; i < from + length; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private String compact(JsonNode record) {
    try {
      return writer.writeValueAsString(record);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * What can still be read of a record that cannot be used, for whoever triages it: its event name,
   * actor, time and id as written.
   */
  static Map<String, String> readableFields(JsonNode record) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (!record.isObject()) {
      return fields;
    }
    String source = JsonNodes.text(record, "eventSource");
    String name = JsonNodes.text(record, "eventName");
    if (name != null) {
      fields.put(InputProblem.EVENT_NAME, source != null ? source + ":" + name : name);
    }
    String actor =
        firstOf(
            JsonNodes.text(record, "userIdentity", "arn"),
            JsonNodes.text(record, "userIdentity", "principalId"),
            JsonNodes.text(record, "userIdentity", "invokedBy"));
    if (actor != null) {
      fields.put(InputProblem.ACTOR, actor);
    }
    JsonNode time = record.get("eventTime");
    if (time != null && time.isValueNode() && !time.isNull()) {
      fields.put(InputProblem.TIME, abbreviate(time.asText()));
    }
    JsonNode id = record.get("eventID");
    if (id != null && id.isValueNode() && !id.isNull()) {
      fields.put(InputProblem.EVENT_ID, abbreviate(id.asText()));
    }
    return fields;
  }

  private static String describe(JsonNode record) {
    String source = JsonNodes.text(record, "eventSource");
    String name = JsonNodes.text(record, "eventName");
    StringBuilder text = new StringBuilder("CloudTrail record");
    if (name != null) {
      text.append(' ').append(source != null ? source + ":" : "").append(name);
    }
    return text.toString();
  }

  private static String abbreviate(String text) {
    return text.length() <= 60 ? text : text.substring(0, 57) + "...";
  }

  private static void put(Map<String, String> attributes, String key, @Nullable String value) {
    if (value != null && !value.isBlank()) {
      attributes.put(key, value);
    }
  }

  private static void add(Set<String> values, @Nullable String value, int max) {
    if (value != null && !value.isBlank() && values.size() < max) {
      values.add(value);
    }
  }

  private static @Nullable String firstOf(@Nullable String... candidates) {
    for (String candidate : candidates) {
      if (candidate != null && !candidate.isBlank()) {
        return candidate;
      }
    }
    return null;
  }
}
