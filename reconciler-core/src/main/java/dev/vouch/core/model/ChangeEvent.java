package dev.vouch.core.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One observed action, normalised from a source of actual change.
 *
 * @param source the configured name of the source that read it
 * @param sourceType the connector type, such as {@code cloudtrail}
 * @param nativeId the source's own id (CloudTrail {@code eventID}); the de-duplication key
 * @param occurredAt when the action happened (UTC)
 * @param eventClass whether this is a change or part of the counted population
 * @param mutating whether the action writes, independent of its class (a data-plane write is {@code
 *     DATA} and mutating)
 * @param coordinates where it happened, in the source's terms
 * @param actor who did it
 * @param action what was done, such as {@code iam.amazonaws.com:CreateUser}
 * @param targets the resources acted on, as the source names them (ARNs, object names)
 * @param referenceHints free text that may carry a change id (role session name, source identity,
 *     request tags)
 * @param attributes namespaced source attributes that rules may match ({@code aws.eventSource},
 *     {@code aws.userIdentity.type}, ...)
 * @param rawJson the record exactly as the source delivered it, kept as evidence
 */
public record ChangeEvent(
    String source,
    String sourceType,
    String nativeId,
    Instant occurredAt,
    EventClass eventClass,
    boolean mutating,
    Coordinates coordinates,
    Actor actor,
    String action,
    List<String> targets,
    List<String> referenceHints,
    Map<String, String> attributes,
    String rawJson) {

  /**
   * The attribute a source sets to {@code true} on an event that reports rewritten history (a force
   * push); the event's targets name what disappeared, and the verdict is HISTORY_REWRITTEN.
   */
  public static final String HISTORY_REWRITTEN_ATTRIBUTE = "vouch.historyRewritten";

  /**
   * Attributes whose names start with this prefix are evidence the source found in the event but
   * that does not decide a verdict by itself (such as a commit's {@code Reviewed-by:} trailer,
   * which is weaker than a recorded review): every finding lists them, so a reviewer sees them.
   */
  public static final String EVIDENCE_PREFIX = "evidence.";

  public ChangeEvent {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sourceType, "sourceType");
    Objects.requireNonNull(nativeId, "nativeId");
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(eventClass, "eventClass");
    Objects.requireNonNull(coordinates, "coordinates");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(rawJson, "rawJson");
    targets = List.copyOf(targets);
    referenceHints = List.copyOf(referenceHints);
    attributes = Map.copyOf(attributes);
  }

  /** The key under which this event is stored and reported: {@code sourceType:nativeId}. */
  public String key() {
    return sourceType + ":" + nativeId;
  }

  /** Hex SHA-256 of the raw payload, so an auditor can prove the evidence was not edited. */
  public String rawSha256() {
    return sha256Hex(rawJson);
  }

  public ChangeEvent withActor(Actor resolved) {
    return new ChangeEvent(
        source,
        sourceType,
        nativeId,
        occurredAt,
        eventClass,
        mutating,
        coordinates,
        resolved,
        action,
        targets,
        referenceHints,
        attributes,
        rawJson);
  }

  public ChangeEvent withEventClass(EventClass reclassified) {
    return new ChangeEvent(
        source,
        sourceType,
        nativeId,
        occurredAt,
        reclassified,
        mutating,
        coordinates,
        actor,
        action,
        targets,
        referenceHints,
        attributes,
        rawJson);
  }

  public static String sha256Hex(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "ChangeEvent["
        + key()
        + " "
        + action
        + " by "
        + actor.display()
        + " at "
        + occurredAt
        + "]";
  }
}
