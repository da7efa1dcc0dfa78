package dev.vouch.connector.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.core.json.JsonNodes;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.Coordinates;
import dev.vouch.core.model.EventClass;
import dev.vouch.core.spi.InputProblem;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Maps one Kubernetes audit event ({@code audit.k8s.io/v1} {@code Event}) to a {@link ChangeEvent}:
 * the one mapping every Kubernetes source uses (log files, the webhook spool, the API server's pod
 * log), so that the same request reads the same whichever way it arrived.
 *
 * <p>An interactive session ({@code exec}, {@code attach}, {@code portforward}) is one request that
 * the API server logs twice when the policy keeps both stages: at {@code ResponseStarted} when the
 * session opens, and at {@code ResponseComplete} when it ends, which may be hours later or never
 * within the log read (the session is still open, the API server restarted, the policy omits the
 * stage). The session is the change, and either record shows it, so both are mapped, to one and the
 * same event: the request's native id, {@code occurredAt} the time the request was received, no
 * {@code k8s.stage}, and as evidence the record without {@code stage} and {@code stageTimestamp},
 * the only fields the API server changes between the two. The first to arrive is stored; the other
 * is an exact duplicate of it, which the store keeps once and never reports as conflicting
 * evidence, in whatever order and in whichever pulls the two arrive.
 *
 * <p>Pure and thread-safe: no I/O, no clock. Fields not named in the module README are ignored and
 * kept in {@link ChangeEvent#rawJson()}.
 */
public final class AuditEventMapper {
  /**
   * The {@link ChangeEvent#sourceType()} of every Kubernetes audit event, whichever source type
   * read it, so that the store keeps one copy of a request that arrived by file and by webhook.
   */
  public static final String SOURCE_TYPE = "kubernetes-audit";

  /** The {@link Coordinates#platform()} of Kubernetes events. */
  public static final String PLATFORM = "kubernetes";

  /**
   * How long after a moment its audit events are normally written: the log backend writes as
   * requests end, the webhook backend batches for seconds.
   */
  static final Duration SETTLE = Duration.ofMinutes(5);

  /** The stages at which an audit event is counted: the request is over. */
  public static final Set<String> COUNTED_STAGES = Set.of("ResponseComplete", "Panic");

  /**
   * The stage at which an interactive session is counted as well: the API server has switched
   * protocols and the session is open. Other requests at this stage (a watch, a log stream) are
   * counted when they end.
   */
  static final String SESSION_OPENED = "ResponseStarted";

  /**
   * The fields that differ between the records of one request at its different stages, left out of
   * a session's evidence so that its records at both stages are one event.
   */
  static final List<String> STAGE_FIELDS = List.of("stage", "stageTimestamp");

  /** Every stage the API server writes. */
  static final List<String> STAGES =
      List.of("RequestReceived", "ResponseStarted", "ResponseComplete", "Panic");

  /** The group written for the core API group, whose {@code apiGroup} is empty. */
  static final String CORE_GROUP = "core";

  /** Written in an action for a namespace, name or version the event does not give. */
  static final String NONE = "-";

  static final int MAX_HINTS = 50;

  /** Longer annotation and label values are not hints (serialised objects, certificates). */
  static final int MAX_HINT_LENGTH = 512;

  /** Annotations whose values are copies of the object, not hints. */
  static final Set<String> IGNORED_ANNOTATIONS =
      Set.of("kubectl.kubernetes.io/last-applied-configuration");

  /** Every attribute name an audit event may carry, for checking rule conditions. */
  static final Set<String> ATTRIBUTES =
      Set.of(
          "k8s.apiGroup",
          "k8s.apiVersion",
          "k8s.cluster",
          "k8s.dryRun",
          "k8s.impersonator",
          "k8s.level",
          "k8s.name",
          "k8s.namespace",
          "k8s.pod.hostIPC",
          "k8s.pod.hostNetwork",
          "k8s.pod.hostPID",
          "k8s.pod.hostPath",
          "k8s.pod.privileged",
          "k8s.requestURI",
          "k8s.resource",
          "k8s.responseCode",
          "k8s.sourceIP",
          "k8s.stage",
          "k8s.subresource",
          "k8s.user.groups",
          "k8s.user.username",
          "k8s.userAgent",
          "k8s.verb");

  private static final ObjectWriter WRITER = Json.MAPPER.writer();

  private AuditEventMapper() {}

  /**
   * Maps one audit event.
   *
   * @param event the event, one element of an {@code EventList}'s {@code items} or one line of the
   *     log backend
   * @param sourceName the configured name of the source that read it
   * @param cluster the cluster it comes from (audit events do not name their cluster)
   * @return the event, or empty when it is at a stage that is not counted: {@code RequestReceived},
   *     and {@code ResponseStarted} but for an interactive session (only {@code ResponseComplete}
   *     and {@code Panic} say how other requests ended)
   * @throws IllegalArgumentException when the value is not an audit event, or is one that cannot be
   *     used (no {@code auditID}, no time, no verb, a bad stage or time), with the reason
   */
  public static Optional<ChangeEvent> map(JsonNode event, String sourceName, String cluster) {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(sourceName, "sourceName");
    Objects.requireNonNull(cluster, "cluster");
    String notAnEvent = notAnAuditEvent(event);
    if (notAnEvent != null) {
      throw new IllegalArgumentException(notAnEvent);
    }
    List<String> problems = new ArrayList<>();
    JsonNode stageNode = JsonNodes.at(event, "stage");
    String stage = null;
    if (stageNode == null) {
      problems.add("no stage");
    } else if (!stageNode.isTextual()) {
      problems.add("stage is " + JsonNodes.kind(stageNode) + ", not text");
    } else if (!STAGES.contains(stageNode.textValue())) {
      problems.add(
          "stage " + JsonNodes.quote(stageNode) + " is not one of " + String.join(", ", STAGES));
    } else if (!COUNTED_STAGES.contains(stageNode.textValue())
        && !(SESSION_OPENED.equals(stageNode.textValue()) && isSession(event))) {
      return Optional.empty();
    } else {
      stage = stageNode.textValue();
    }

    JsonNode idNode = JsonNodes.at(event, "auditID");
    String auditId = null;
    if (idNode == null) {
      problems.add("no auditID");
    } else if (!idNode.isValueNode() || idNode.asText().isBlank()) {
      problems.add("auditID is " + (idNode.isValueNode() ? "empty" : JsonNodes.kind(idNode)));
    } else {
      auditId = idNode.asText();
    }

    boolean session = isSession(event);
    Instant occurredAt = occurredAt(event, session, problems);

    JsonNode verbNode = JsonNodes.at(event, "verb");
    String verb = null;
    if (verbNode == null) {
      problems.add("no verb");
    } else if (!verbNode.isTextual() || verbNode.textValue().isBlank()) {
      problems.add("verb is " + (verbNode.isTextual() ? "empty" : JsonNodes.kind(verbNode)));
    } else {
      verb = verbNode.textValue();
    }

    Integer code = null;
    JsonNode codeNode = JsonNodes.at(event, "responseStatus", "code");
    if (codeNode != null) {
      if (codeNode.canConvertToInt() && codeNode.isIntegralNumber()) {
        code = codeNode.intValue();
      } else {
        problems.add("responseStatus.code " + JsonNodes.quote(codeNode) + " is not a whole number");
      }
    }

    if (!problems.isEmpty()
        || stage == null
        || auditId == null
        || occurredAt == null
        || verb == null) {
      throw new IllegalArgumentException(describe(event) + ": " + String.join("; ", problems));
    }
    return Optional.of(
        toEvent(event, sourceName, cluster, stage, session, auditId, occurredAt, verb, code));
  }

  /**
   * Whether a JSON value is a Kubernetes audit event: an object of kind {@code Event} whose {@code
   * apiVersion}, when given, is {@code audit.k8s.io/*} (an object without {@code kind} passes when
   * its {@code apiVersion} is an audit one). Says nothing of whether the event is usable.
   */
  public static boolean isAuditEvent(JsonNode node) {
    return notAnAuditEvent(node) == null;
  }

  /** Why a value is not an audit event, or null when it is one. */
  static @Nullable String notAnAuditEvent(JsonNode node) {
    if (!node.isObject()) {
      return "expected a Kubernetes audit Event (a JSON object) but found " + JsonNodes.kind(node);
    }
    JsonNode kind = JsonNodes.at(node, "kind");
    JsonNode apiVersion = JsonNodes.at(node, "apiVersion");
    String version = apiVersion != null && apiVersion.isTextual() ? apiVersion.textValue() : null;
    boolean auditVersion = version != null && version.startsWith("audit.k8s.io/");
    if (kind == null) {
      if (auditVersion) {
        return null;
      }
      return "not a Kubernetes audit Event: no kind"
          + (apiVersion == null
              ? " and no apiVersion"
              : ", apiVersion " + JsonNodes.quote(apiVersion))
          + " (expected kind Event, apiVersion audit.k8s.io/v1)";
    }
    if (!kind.isTextual()) {
      return "not a Kubernetes audit Event: kind is "
          + JsonNodes.kind(kind)
          + " ("
          + JsonNodes.quote(kind)
          + "), expected the text Event";
    }
    String kindText = kind.textValue();
    if (kindText.equals("EventList")) {
      return "an audit EventList, not a single Event: its items are the events";
    }
    if (!kindText.equals("Event")) {
      return "not a Kubernetes audit Event: kind "
          + JsonNodes.quote(kind)
          + (apiVersion == null ? "" : ", apiVersion " + JsonNodes.quote(apiVersion))
          + " (expected kind Event, apiVersion audit.k8s.io/v1)";
    }
    if (apiVersion != null && !auditVersion) {
      return "kind Event with apiVersion "
          + JsonNodes.quote(apiVersion)
          + " is a cluster event (as kubectl get events shows), not an audit Event"
          + " (expected apiVersion audit.k8s.io/v1)";
    }
    return null;
  }

  /**
   * Whether the event is of an interactive session into a container: a request for subresource
   * {@code exec}, {@code attach} or {@code portforward}.
   */
  static boolean isSession(JsonNode event) {
    return JsonNodes.text(event, "objectRef", "resource") != null
        && Classification.isInteractive(JsonNodes.text(event, "objectRef", "subresource"));
  }

  /**
   * The time the counted stage was reached: {@code stageTimestamp}, else {@code
   * requestReceivedTimestamp}, else the legacy {@code timestamp} or {@code
   * metadata.creationTimestamp} (audit.k8s.io/v1beta1 and early v1, with seconds only). For a
   * session, the time it was requested comes first: the same in the records of both its stages, and
   * the moment the session opened, which is when the change began.
   */
  private static @Nullable Instant occurredAt(
      JsonNode event, boolean session, List<String> problems) {
    String[][] candidates = {
      session ? new String[] {"requestReceivedTimestamp"} : new String[] {"stageTimestamp"},
      session ? new String[] {"stageTimestamp"} : new String[] {"requestReceivedTimestamp"},
      {"timestamp"},
      {"metadata", "creationTimestamp"}
    };
    for (String[] path : candidates) {
      JsonNode value = JsonNodes.at(event, path);
      if (value == null) {
        continue;
      }
      String name = String.join(".", path);
      if (!value.isTextual()) {
        problems.add(name + " is " + JsonNodes.kind(value) + ", not a time");
        return null;
      }
      Instant parsed = Times.parse(value.textValue());
      if (parsed == null) {
        problems.add(
            name
                + " "
                + JsonNodes.quote(value)
                + " is not an RFC 3339 time (expected such as 2026-10-01T12:00:00.123456Z)");
      }
      return parsed;
    }
    problems.add("no stageTimestamp, requestReceivedTimestamp or timestamp");
    return null;
  }

  private static ChangeEvent toEvent(
      JsonNode event,
      String sourceName,
      String cluster,
      String stage,
      boolean session,
      String auditId,
      Instant occurredAt,
      String verb,
      @Nullable Integer code) {
    ObjectRef ref = ObjectRef.of(event, verb);
    String requestUri = JsonNodes.text(event, "requestURI");
    String dryRun = Classification.dryRun(requestUri);
    EventClass eventClass =
        Classification.classify(
            verb,
            ref.group(),
            ref.resource(),
            ref.subresource(),
            code,
            Classification.isDryRun(dryRun));
    boolean mutating =
        Classification.mutating(verb, ref.group(), ref.resource(), ref.subresource());
    ActorDerivation.Derived derived =
        ActorDerivation.derive(
            JsonNodes.at(event, "user"), JsonNodes.at(event, "impersonatedUser"));
    JsonNode requestObject = JsonNodes.at(event, "requestObject");
    JsonNode responseObject = JsonNodes.at(event, "responseObject");

    Map<String, String> attributes = new LinkedHashMap<>();
    put(attributes, "k8s.verb", verb);
    put(attributes, "k8s.apiGroup", ref.group());
    put(attributes, "k8s.apiVersion", ref.version());
    put(attributes, "k8s.resource", ref.resource());
    put(attributes, "k8s.subresource", ref.subresource());
    put(attributes, "k8s.namespace", ref.namespace());
    put(attributes, "k8s.name", ref.name());
    if (!ActorDerivation.TYPE_UNKNOWN.equals(derived.actor().type())) {
      put(attributes, "k8s.user.username", derived.actor().raw());
    }
    put(attributes, "k8s.user.groups", String.join(",", derived.groups()));
    put(attributes, "k8s.impersonator", derived.impersonator());
    put(attributes, "k8s.userAgent", JsonNodes.text(event, "userAgent"));
    put(attributes, "k8s.responseCode", code == null ? null : code.toString());
    if (!session) {
      // A session's records at both stages are one event: neither stage describes it alone.
      put(attributes, "k8s.stage", stage);
    }
    put(attributes, "k8s.level", JsonNodes.text(event, "level"));
    put(attributes, "k8s.requestURI", requestUri);
    put(attributes, "k8s.sourceIP", lastSourceIp(event));
    put(attributes, "k8s.cluster", cluster);
    put(attributes, "k8s.dryRun", dryRun);
    for (PodSecurity.Flag flag : PodSecurity.scan(requestObject, responseObject)) {
      attributes.put(flag.attribute, "true");
    }

    String action;
    List<String> targets = new ArrayList<>();
    if (ref.resource() != null) {
      String reference = ref.reference();
      action = verb + " " + reference;
      targets.add(reference);
      if (ref.uid() != null) {
        targets.add(ref.uid());
      }
    } else {
      String path = requestUri == null ? NONE : pathOf(requestUri);
      action = verb + " " + path;
      targets.add(path);
    }

    return new ChangeEvent(
        sourceName,
        SOURCE_TYPE,
        nativeId(cluster, auditId, event, verb, requestUri),
        occurredAt,
        eventClass,
        mutating,
        new Coordinates(PLATFORM, cluster, ref.namespace()),
        derived.actor(),
        action,
        targets,
        referenceHints(requestObject, derived),
        attributes,
        compact(session ? withoutStage(event) : event));
  }

  /**
   * The id a request is stored and de-duplicated under: its cluster, its {@code auditID}, and a
   * short hash of when it was received, its verb and its URI. A client may choose its own {@code
   * Audit-ID} header, so the {@code auditID} alone could let a second request hide behind a first;
   * with these, the same request delivered twice (a log file and the webhook) is stored once, and a
   * reused id on another request is another event.
   */
  static String nativeId(
      String cluster, String auditId, JsonNode event, String verb, @Nullable String requestUri) {
    String received = JsonNodes.text(event, "requestReceivedTimestamp");
    String request =
        (received == null ? "" : received)
            + "\n"
            + verb
            + "\n"
            + (requestUri == null ? "" : requestUri);
    return cluster + ":" + auditId + ":" + ChangeEvent.sha256Hex(request).substring(0, 12);
  }

  /**
   * What can still be read of an audit event that cannot be used, for whoever triages it: its verb
   * and object, user, time and {@code auditID} as written.
   */
  static Map<String, String> readableFields(JsonNode event) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (!event.isObject()) {
      return fields;
    }
    String verb = JsonNodes.text(event, "verb");
    if (verb != null) {
      String resource = JsonNodes.text(event, "objectRef", "resource");
      String target =
          resource != null
              ? resource
                  + (JsonNodes.text(event, "objectRef", "name") == null
                      ? ""
                      : "/" + JsonNodes.text(event, "objectRef", "name"))
              : JsonNodes.text(event, "requestURI");
      fields.put(InputProblem.EVENT_NAME, verb + (target == null ? "" : " " + target));
    }
    String user = JsonNodes.text(event, "user", "username");
    if (user != null) {
      fields.put(InputProblem.ACTOR, user);
    }
    String time = firstText(event, "stageTimestamp", "requestReceivedTimestamp", "timestamp");
    if (time != null) {
      fields.put(InputProblem.TIME, time);
    }
    String auditId = JsonNodes.text(event, "auditID");
    if (auditId != null) {
      fields.put(InputProblem.EVENT_ID, auditId);
    }
    return fields;
  }

  private static @Nullable String firstText(JsonNode node, String... keys) {
    for (String key : keys) {
      String value = JsonNodes.text(node, key);
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  /** The object an event acts on, as its {@code objectRef} gives it. */
  record ObjectRef(
      @Nullable String group,
      @Nullable String version,
      @Nullable String resource,
      @Nullable String subresource,
      @Nullable String namespace,
      @Nullable String name,
      @Nullable String uid) {

    static ObjectRef of(JsonNode event, String verb) {
      JsonNode ref = JsonNodes.at(event, "objectRef");
      String resource = JsonNodes.text(ref, "resource");
      if (resource == null) {
        return new ObjectRef(null, null, null, null, null, null, null);
      }
      String group = JsonNodes.text(ref, "apiGroup");
      String version = JsonNodes.text(ref, "apiVersion");
      if (group == null && version != null && version.contains("/")) {
        // Very old events wrote "apps/v1" in apiVersion and no apiGroup.
        group = version.substring(0, version.indexOf('/'));
        version = version.substring(version.indexOf('/') + 1);
      }
      String subresource = JsonNodes.text(ref, "subresource");
      String name = JsonNodes.text(ref, "name");
      if (name == null && subresource == null && "create".equals(verb)) {
        // Objects created with generateName are named only in the response.
        JsonNode response = JsonNodes.at(event, "responseObject");
        if (response != null && !"Status".equals(JsonNodes.text(response, "kind"))) {
          name = JsonNodes.text(response, "metadata", "name");
        }
      }
      if (group == null && version != null) {
        // The core group is the empty one, which the API server omits.
        group = CORE_GROUP;
      }
      return new ObjectRef(
          group,
          version,
          resource,
          subresource,
          JsonNodes.text(ref, "namespace"),
          name,
          JsonNodes.text(ref, "uid"));
    }

    /** {@code <group>/<version>/<resource>[/<subresource>] <namespace or ->/<name or ->}. */
    String reference() {
      return (group == null ? NONE : group)
          + "/"
          + (version == null ? NONE : version)
          + "/"
          + resource
          + (subresource == null ? "" : "/" + subresource)
          + " "
          + (namespace == null ? NONE : namespace)
          + "/"
          + (name == null ? NONE : name);
    }
  }

  /**
   * Text that may carry a change id: the values of the annotations and labels the request sets (on
   * the object and on a workload's pod template, also in a JSON patch), the impersonator, and the
   * values of {@code user.extra} (an EKS role session name, for instance).
   */
  static List<String> referenceHints(
      @Nullable JsonNode requestObject, ActorDerivation.Derived derived) {
    Set<String> hints = new LinkedHashSet<>();
    if (requestObject != null && requestObject.isObject()) {
      for (String map : List.of("annotations", "labels")) {
        values(JsonNodes.at(requestObject, "metadata", map), hints);
        values(JsonNodes.at(requestObject, "spec", "template", "metadata", map), hints);
      }
    } else if (requestObject != null && requestObject.isArray()) {
      for (JsonNode operation : requestObject) {
        String path = JsonNodes.text(operation, "path");
        JsonNode value = JsonNodes.at(operation, "value");
        if (path != null
            && value != null
            && (path.contains("/metadata/annotations") || path.contains("/metadata/labels"))
            && !path.endsWith("last-applied-configuration")) {
          if (value.isObject()) {
            values(value, hints);
          } else {
            add(hints, value.isValueNode() ? value.asText() : null);
          }
        }
      }
    }
    add(hints, derived.impersonator());
    for (String extra : derived.extraValues()) {
      add(hints, extra);
    }
    return List.copyOf(hints);
  }

  private static void values(@Nullable JsonNode map, Set<String> hints) {
    if (map == null || !map.isObject()) {
      return;
    }
    for (Map.Entry<String, JsonNode> field : map.properties()) {
      if (!IGNORED_ANNOTATIONS.contains(field.getKey()) && field.getValue().isValueNode()) {
        add(hints, field.getValue().asText());
      }
    }
  }

  private static void add(Set<String> hints, @Nullable String value) {
    if (value != null
        && !value.isBlank()
        && value.length() <= MAX_HINT_LENGTH
        && hints.size() < MAX_HINTS) {
      hints.add(value);
    }
  }

  /** The last of {@code sourceIPs}: the one the API server saw, the only one to trust. */
  private static @Nullable String lastSourceIp(JsonNode event) {
    JsonNode ips = JsonNodes.at(event, "sourceIPs");
    if (ips == null || !ips.isArray() || ips.isEmpty()) {
      return null;
    }
    JsonNode last = ips.get(ips.size() - 1);
    return last.isValueNode() && !last.asText().isBlank() ? last.asText() : null;
  }

  private static String pathOf(String requestUri) {
    int query = requestUri.indexOf('?');
    String path = query < 0 ? requestUri : requestUri.substring(0, query);
    return path.isEmpty() ? NONE : path;
  }

  /** Names the event in a message: its verb and object, or its request URI, and its auditID. */
  private static String describe(JsonNode event) {
    StringBuilder text = new StringBuilder("audit Event");
    String verb = JsonNodes.text(event, "verb");
    if (verb != null) {
      ObjectRef ref = ObjectRef.of(event, verb);
      String uri = JsonNodes.text(event, "requestURI");
      text.append(' ').append(verb);
      if (ref.resource() != null) {
        text.append(' ').append(ref.reference());
      } else if (uri != null) {
        text.append(' ').append(pathOf(uri));
      }
    }
    String auditId = JsonNodes.text(event, "auditID");
    if (auditId != null) {
      text.append(" (auditID ").append(auditId).append(')');
    }
    return text.toString();
  }

  /** A shallow copy of the event without {@link #STAGE_FIELDS}, its other fields in order. */
  private static JsonNode withoutStage(JsonNode event) {
    ObjectNode copy = Json.MAPPER.createObjectNode();
    for (Map.Entry<String, JsonNode> field : event.properties()) {
      if (!STAGE_FIELDS.contains(field.getKey())) {
        copy.set(field.getKey(), field.getValue());
      }
    }
    return copy;
  }

  private static String compact(JsonNode event) {
    try {
      return WRITER.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void put(Map<String, String> attributes, String key, @Nullable String value) {
    if (value != null && !value.isBlank()) {
      attributes.put(key, value);
    }
  }
}
