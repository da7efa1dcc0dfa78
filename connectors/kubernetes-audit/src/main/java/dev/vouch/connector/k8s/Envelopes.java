package dev.vouch.connector.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.core.json.JsonNodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The envelopes in which managed clusters' log pipelines deliver Kubernetes audit events, found
 * where a Kubernetes source expected an audit event. Opened where the envelope carries the API
 * server's own record, refused, saying what the value is and what to configure, where it does not:
 *
 * <ul>
 *   <li><b>AKS diagnostic logs</b> (Azure Monitor resource logs of a managed cluster): a record of
 *       category {@code kube-audit} or {@code kube-audit-admin} holds the audit event as a JSON
 *       string in {@code properties.log}. Read one per line, as a storage account export writes
 *       them, or in {@code {"records": [...]}}, as Event Hubs and other Azure exports batch them.
 *       Records of other categories (the control plane's own logs) or of other Azure resources hold
 *       no audit event and are refused.
 *   <li><b>CloudWatch Logs subscription messages</b> (EKS's log group through a subscription
 *       filter, as Kinesis Data Firehose writes them to S3): each {@code logEvents[].message} of a
 *       {@code DATA_MESSAGE} is an audit event as the API server wrote it. A {@code
 *       CONTROL_MESSAGE}, CloudWatch's check that the destination is reachable, holds nothing and
 *       is only counted.
 *   <li><b>Google Cloud Logging entries</b> (GKE's Cloud Audit Logs exported to files, BigQuery or
 *       Pub/Sub): refused. Their {@code protoPayload} is an {@code AuditLog}, Google's account of
 *       the request, not the Kubernetes audit Event, which GKE does not export.
 * </ul>
 *
 * <p>What is kept as evidence of an event taken out of an envelope is the event alone: the envelope
 * holds the pipeline's metadata (record time, resource id, log stream), which differs between two
 * deliveries of one request (a {@code kube-audit} and a {@code kube-audit-admin} record, an Event
 * Hubs batch and a storage export, the log file and the webhook) and would make the same request
 * conflict with itself in the store.
 */
final class Envelopes {
  /** The AKS diagnostic log categories whose records hold audit events. */
  static final Set<String> AKS_AUDIT_CATEGORIES = Set.of("kube-audit", "kube-audit-admin");

  /** How an AKS cluster's resource id names its type. */
  private static final String AKS_RESOURCE_TYPE = "/providers/microsoft.containerservice/";

  private static final String AKS_SETTING =
      "select only the kube-audit-admin (or kube-audit) category in the cluster's diagnostic"
          + " setting that exports to what this source reads";

  private static final String GKE_ADVICE =
      "GKE records its API server's requests only as Cloud Audit Logs, whose AuditLog is Google's"
          + " account of a request, not the audit Event a Kubernetes source reads, and exports"
          + " neither audit log files nor an audit webhook; read GKE clusters with the gcp-audit"
          + " source (not available in this version), not with a Kubernetes audit source";

  private Envelopes() {}

  /** What an envelope holds, in order. */
  sealed interface Content permits Inner, Refused {
    /** Where in the envelope, for messages: {@code " (record 2 of 10, properties.log)"}, or "". */
    String where();
  }

  /** An audit event taken out of an envelope, to be read as if it stood alone. */
  record Inner(String where, JsonNode event) implements Content {}

  /** Something that is not, or does not hold, an audit event, and why. */
  record Refused(String where, String reason) implements Content {}

  /**
   * An envelope's content.
   *
   * @param contents the events and refusals, in order
   * @param controlMessages CloudWatch Logs control messages, which hold nothing to read
   */
  record Opened(List<Content> contents, int controlMessages) {}

  /**
   * Opens a value that is not an audit event, an {@code EventList} or an array.
   *
   * @return what the envelope holds, or null when the value is no envelope known here (the mapper
   *     then says what it is not)
   */
  static @Nullable Opened open(JsonNode node) {
    if (!node.isObject() || node.has("kind")) {
      return null;
    }
    JsonNode records = node.get("records");
    if (records != null && records.isArray()) {
      return azureBatch(records);
    }
    if (isAzureRecord(node)) {
      return new Opened(List.of(azureRecord(node, List.of())), 0);
    }
    if (isCloudWatchMessage(node)) {
      return cloudWatch(node);
    }
    String google = google(node);
    if (google != null) {
      return new Opened(List.of(new Refused("", google)), 0);
    }
    return null;
  }

  /**
   * Whether a value is a CloudWatch Logs subscription message: {@code logEvents} and, as
   * subscriptions send it, {@code messageType}.
   */
  static boolean isCloudWatchMessage(JsonNode node) {
    return node.isObject()
        && JsonNodes.text(node, "messageType") != null
        && node.path("logEvents").isArray();
  }

  private static Opened azureBatch(JsonNode records) {
    List<Content> contents = new ArrayList<>();
    int i = 0;
    for (JsonNode record : records) {
      List<String> where = List.of("record " + ++i + " of " + records.size());
      if (isAzureRecord(record)) {
        contents.add(azureRecord(record, where));
      } else {
        contents.add(
            new Refused(
                where(where),
                "expected an Azure resource log record (an object with category and properties)"
                    + " but found "
                    + (record.isObject()
                        ? "an object without category, or without resourceId and operationName"
                        : JsonNodes.kind(record))));
      }
    }
    return new Opened(contents, 0);
  }

  /** An Azure resource log record: a {@code category}, and a resource or an operation. */
  private static boolean isAzureRecord(JsonNode node) {
    return node.isObject()
        && JsonNodes.text(node, "category") != null
        && (JsonNodes.text(node, "resourceId") != null
            || JsonNodes.text(node, "operationName") != null);
  }

  private static Content azureRecord(JsonNode record, List<String> where) {
    String category = JsonNodes.text(record, "category");
    if (!AKS_AUDIT_CATEGORIES.contains(category.toLowerCase(Locale.ROOT))) {
      String resource = JsonNodes.text(record, "resourceId");
      String operation = JsonNodes.text(record, "operationName");
      boolean aks =
          (resource != null && resource.toLowerCase(Locale.ROOT).contains(AKS_RESOURCE_TYPE))
              || (operation != null
                  && operation.toLowerCase(Locale.ROOT).startsWith("microsoft.containerservice/"));
      return new Refused(
          where(where),
          aks
              ? "an AKS diagnostic record of category "
                  + JsonNodes.quote(record.get("category"))
                  + ": that component's own log, not a Kubernetes audit event (only the categories"
                  + " kube-audit and kube-audit-admin hold those); "
                  + AKS_SETTING
              : "an Azure resource log record of category "
                  + JsonNodes.quote(record.get("category"))
                  + (resource == null ? "" : " of " + resource)
                  + ", not an AKS audit record: only an AKS cluster's kube-audit and"
                  + " kube-audit-admin categories hold Kubernetes audit events; export only those"
                  + " to what this source reads");
    }
    List<String> inside = new ArrayList<>(where);
    inside.add("properties.log");
    String log = JsonNodes.text(record, "properties", "log");
    if (log == null) {
      return new Refused(
          where(where),
          "an AKS "
              + category
              + " record without its audit event: properties.log is missing or not text");
    }
    try {
      return new Inner(where(inside), Json.WHOLE.readTree(log));
    } catch (JsonProcessingException e) {
      return new Refused(
          where(inside),
          "the properties.log of an AKS " + category + " record is not JSON: " + Json.message(e));
    }
  }

  private static Opened cloudWatch(JsonNode message) {
    String type = JsonNodes.text(message, "messageType");
    if (type.equals("CONTROL_MESSAGE")) {
      return new Opened(List.of(), 1);
    }
    if (!type.equals("DATA_MESSAGE")) {
      return new Opened(
          List.of(
              new Refused(
                  "",
                  "a CloudWatch Logs subscription message of type "
                      + JsonNodes.quote(message.get("messageType"))
                      + ": expected DATA_MESSAGE (log events) or CONTROL_MESSAGE")),
          0);
    }
    String stream = JsonNodes.text(message, "logStream");
    JsonNode events = message.get("logEvents");
    List<Content> contents = new ArrayList<>();
    int i = 0;
    for (JsonNode event : events) {
      String where = " (log event " + ++i + " of " + events.size() + ")";
      String text = JsonNodes.text(event, "message");
      if (text == null) {
        contents.add(
            new Refused(where, "a CloudWatch Logs event without its message: message is missing"));
        continue;
      }
      try {
        contents.add(new Inner(where, Json.WHOLE.readTree(text)));
      } catch (JsonProcessingException e) {
        contents.add(
            new Refused(
                where,
                "the message of a CloudWatch Logs event"
                    + (stream == null ? "" : " of log stream '" + stream + "'")
                    + " is not JSON ("
                    + Json.message(e)
                    + "): only the kube-apiserver-audit-* streams of an EKS cluster's log group"
                    + " hold audit events; give the subscription filter a pattern that sends only"
                    + " those, such as { $.kind = \"Event\" }"));
      }
    }
    return new Opened(contents, 0);
  }

  /**
   * Why a Google Cloud Logging entry, as a log export, a BigQuery export or a Pub/Sub message holds
   * it, is not read; null when the value is none of these.
   */
  private static @Nullable String google(JsonNode node) {
    JsonNode payload = node.get("protoPayload");
    if (payload != null && payload.isObject()) {
      return googleEntry("a Cloud Logging LogEntry", payload, node.get("resource"));
    }
    JsonNode row = node.get("protopayload_auditlog");
    if (row != null && row.isObject()) {
      return googleEntry("a BigQuery export row of a LogEntry", row, node.get("resource"));
    }
    String data = JsonNodes.text(node, "message", "data");
    if (data != null) {
      JsonNode entry = decodeJson(data);
      JsonNode inner = entry == null ? null : entry.get("protoPayload");
      if (inner != null && inner.isObject()) {
        return googleEntry(
            "a Pub/Sub message whose data is a Cloud Logging LogEntry",
            inner,
            entry.get("resource"));
      }
    }
    String log = JsonNodes.text(node, "logName");
    if (log != null && (node.has("insertId") || node.has("receiveTimestamp"))) {
      return "a Google Cloud Logging entry of log '"
          + log
          + "', not a Kubernetes audit Event: "
          + GKE_ADVICE;
    }
    return null;
  }

  private static String googleEntry(String form, JsonNode auditLog, @Nullable JsonNode resource) {
    String type = JsonNodes.text(auditLog, "@type");
    String service = JsonNodes.text(auditLog, "serviceName");
    String method = JsonNodes.text(auditLog, "methodName");
    boolean kubernetes =
        "k8s.io".equals(service)
            || (method != null && method.startsWith("io.k8s."))
            || "k8s_cluster".equals(JsonNodes.text(resource, "type"));
    String what =
        form
            + (type == null || type.endsWith(".AuditLog") ? " with an AuditLog" : " with a " + type)
            + (service == null ? "" : " of " + service)
            + (method == null ? "" : ", method " + method);
    if (kubernetes) {
      return "a GKE Cloud Audit Logs entry ("
          + what
          + "), not a Kubernetes audit Event: "
          + GKE_ADVICE;
    }
    return "a Google Cloud Audit Logs entry ("
        + what
        + "), not a Kubernetes audit Event: it belongs to a gcp-audit source (not available in"
        + " this version); remove it from what this source reads";
  }

  /** The JSON value base64 text encodes, or null when it encodes none. */
  private static @Nullable JsonNode decodeJson(String base64) {
    try {
      byte[] bytes = Base64.getDecoder().decode(base64.strip());
      return Json.WHOLE.readTree(new String(bytes, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | IOException e) {
      return null;
    }
  }

  /** {@code " (a, b)"}, or "" for no parts. */
  private static String where(List<String> parts) {
    return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
  }
}
