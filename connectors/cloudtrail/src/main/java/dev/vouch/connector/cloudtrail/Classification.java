package dev.vouch.connector.cloudtrail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.core.model.EventClass;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Decides the {@link EventClass} and the write-ness of a CloudTrail record.
 *
 * <p>The first rule that applies wins:
 *
 * <ol>
 *   <li>a non-empty {@code errorCode}: {@link EventClass#FAILED} (a failed call changed nothing);
 *   <li>{@code eventType} {@code AwsConsoleSignIn}: {@link EventClass#SIGN_IN};
 *   <li>{@code eventCategory} {@code Data}: {@link EventClass#DATA};
 *   <li>{@code eventCategory} {@code Insight} or {@code NetworkActivity}, or {@code eventType}
 *       {@code AwsCloudTrailInsight}, {@code AwsServiceEvent} or {@code AwsVpceEvent}: {@link
 *       EventClass#OTHER};
 *   <li>a read-only call: {@link EventClass#READ_ONLY};
 *   <li>otherwise {@link EventClass#CHANGE}.
 * </ol>
 *
 * <p>A call is read-only when {@code readOnly} is {@code true} (the boolean, or the text {@code
 * "true"} in any case). When {@code readOnly} is absent, which is common in older records and in
 * hand-made fixtures, it is inferred from {@code eventName}: see {@link #READ_ONLY_PREFIXES}.
 * Values are compared case-insensitively, because real samples carry {@code AwsConsoleSignin}.
 */
final class Classification {

  /**
   * The verbs that start the names of AWS API actions that only read. An {@code eventName} is
   * inferred read-only when it starts with one of these followed by the end of the name or by a
   * character that is not a lower-case letter ({@code GetObject}, {@code ListBuckets}, {@code
   * BatchGetItem}; not {@code Listen…} or {@code Getaway…}). Used only when a record has no {@code
   * readOnly} field; {@code BatchGet} is listed apart from {@code Get} because it does not start
   * with it.
   */
  static final List<String> READ_ONLY_PREFIXES =
      List.of(
          "Get",
          "Describe",
          "List",
          "Head",
          "Lookup",
          "Search",
          "Scan",
          "Query",
          "BatchGet",
          "Select",
          "Preview",
          "Estimate",
          "Simulate",
          "View",
          "Verify",
          "Test",
          "Download");

  private static final Set<String> OTHER_CATEGORIES = Set.of("insight", "networkactivity");
  private static final Set<String> OTHER_TYPES =
      Set.of("awscloudtrailinsight", "awsserviceevent", "awsvpceevent");

  private Classification() {}

  /**
   * How a record states its write-ness.
   *
   * @param readOnly whether the call only read
   * @param inferred whether that was inferred from the event name because {@code readOnly} is
   *     absent
   */
  record ReadOnly(boolean readOnly, boolean inferred) {
    /** The {@code aws.readOnly} attribute: {@code true}, {@code false}, {@code inferred:true}... */
    String attribute() {
      return inferred ? "inferred:" + readOnly : Boolean.toString(readOnly);
    }
  }

  static ReadOnly readOnly(JsonNode record, @Nullable String eventName) {
    JsonNode value = record.get("readOnly");
    if (value != null) {
      if (value.isBoolean()) {
        return new ReadOnly(value.booleanValue(), false);
      }
      if (value.isTextual()) {
        String text = value.textValue().trim();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
          return new ReadOnly(Boolean.parseBoolean(text.toLowerCase(Locale.ROOT)), false);
        }
      }
    }
    return new ReadOnly(isReadOnlyName(eventName), true);
  }

  /** Whether an event name starts with one of {@link #READ_ONLY_PREFIXES} at a word boundary. */
  static boolean isReadOnlyName(@Nullable String eventName) {
    if (eventName == null) {
      return false;
    }
    for (String prefix : READ_ONLY_PREFIXES) {
      if (eventName.startsWith(prefix)) {
        if (eventName.length() == prefix.length()) {
          return true;
        }
        char next = eventName.charAt(prefix.length());
        if (!Character.isLowerCase(next)) {
          return true;
        }
      }
    }
    return false;
  }

  static EventClass classify(
      @Nullable String errorCode,
      @Nullable String eventType,
      @Nullable String eventCategory,
      ReadOnly readOnly) {
    String type = eventType == null ? "" : eventType.toLowerCase(Locale.ROOT);
    String category = eventCategory == null ? "" : eventCategory.toLowerCase(Locale.ROOT);
    if (errorCode != null && !errorCode.isBlank()) {
      return EventClass.FAILED;
    }
    if (type.equals("awsconsolesignin")) {
      return EventClass.SIGN_IN;
    }
    if (category.equals("data")) {
      return EventClass.DATA;
    }
    if (OTHER_CATEGORIES.contains(category) || OTHER_TYPES.contains(type)) {
      return EventClass.OTHER;
    }
    return readOnly.readOnly() ? EventClass.READ_ONLY : EventClass.CHANGE;
  }
}
