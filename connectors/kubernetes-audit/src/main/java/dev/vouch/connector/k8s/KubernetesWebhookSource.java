package dev.vouch.connector.k8s;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.core.json.JsonNodes;
import dev.vouch.core.spi.ObservationSink;
import dev.vouch.core.spi.PullRequest;
import dev.vouch.core.spi.PullResult;
import dev.vouch.core.spi.PushEndpoint;
import dev.vouch.core.spi.SourceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@code kubernetes-webhook} source: the API server's audit webhook backend POSTs {@code
 * EventList}s to {@link #accept}, which stores their events in a spool directory, forced to disk
 * before it answers; {@link #pull} reads the spool exactly as the {@code kubernetes-audit} source
 * reads log files (same reader, same cursor), so the events' {@code sourceType} is {@code
 * kubernetes-audit} too and a request that arrived both ways is stored once.
 */
final class KubernetesWebhookSource implements KubernetesChangeSource, PushEndpoint {
  static final String WHAT = "Kubernetes audit webhook spool";

  /** How many unreadable items an answer names; the spool keeps them all. */
  static final int MAX_LISTED = 5;

  private final String name;
  private final String cluster;
  private final WebhookSpool spool;
  private final String path;
  private final PushSettings pushSettings;

  KubernetesWebhookSource(
      String name, String cluster, WebhookSpool spool, String path, PushSettings pushSettings) {
    this.name = Objects.requireNonNull(name, "name");
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.spool = Objects.requireNonNull(spool, "spool");
    this.path = Objects.requireNonNull(path, "path");
    this.pushSettings = Objects.requireNonNull(pushSettings, "pushSettings");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return KubernetesWebhookSourceFactory.TYPE;
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public PushSettings pushSettings() {
    return pushSettings;
  }

  String cluster() {
    return cluster;
  }

  WebhookSpool spool() {
    return spool;
  }

  /**
   * Accepts one {@code EventList} as the API server's webhook backend sends it. The body is refused
   * with 400, and nothing is written, when it is not JSON or not an object of kind {@code
   * EventList} (apiVersion {@code audit.k8s.io/*} when given) with an {@code items} array.
   *
   * <p>Otherwise every item is written to the spool, in one forced write, before the answer: the
   * API server's webhook backend does not retry a 4xx answer, so refusing a batch for one bad item
   * would lose every good event in it. An item that is not an audit event is kept as evidence in a
   * wrapper (see {@link WebhookSpool}) and reported as rejected input, with its spool line, when
   * the spool is pulled; the answer, a 200, says how many items were kept that way and why. Items
   * that are audit events but unusable (no {@code auditID}, a bad time) are stored as they are and
   * rejected when pulled, like a bad line of a log file.
   */
  @Override
  public PushResult accept(byte[] body) throws SourceException {
    JsonNode root;
    try {
      root = body.length == 0 ? null : Json.WHOLE.readTree(body);
    } catch (JsonProcessingException e) {
      JsonLocation where = e.getLocation();
      return PushResult.refused(
          400,
          "the body is not JSON"
              + (where == null
                  ? ""
                  : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")")
              + ": "
              + Json.message(e));
    } catch (IOException e) {
      return PushResult.refused(400, "the body cannot be read: " + e.getMessage());
    }
    if (root == null || root.isMissingNode()) {
      return PushResult.refused(400, "the body is empty; expected an audit EventList");
    }
    String problem = notAnEventList(root);
    if (problem != null) {
      return PushResult.refused(400, problem);
    }
    JsonNode items = root.get("items");
    List<byte[]> lines = new ArrayList<>(items.size());
    List<String> unreadable = new ArrayList<>();
    int index = 0;
    for (JsonNode item : items) {
      index++;
      String notAnEvent = AuditEventMapper.notAnAuditEvent(item);
      if (notAnEvent == null) {
        lines.add(compact(item));
      } else {
        lines.add(spool.unreadableLine(index, items.size(), notAnEvent, item));
        unreadable.add("item " + index + " of " + items.size() + ": " + notAnEvent);
      }
    }
    spool.append(lines);
    int stored = lines.size() - unreadable.size();
    if (unreadable.isEmpty()) {
      return PushResult.stored(stored);
    }
    return new PushResult(200, stored, keptMessage(stored, unreadable));
  }

  /** The item as it is stored: compact JSON, numbers as written. */
  private static byte[] compact(JsonNode item) {
    try {
      return Json.MAPPER.writeValueAsBytes(item);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree that was just read", e);
    }
  }

  /** The answer to a batch with unreadable items: counts, and the first few items and reasons. */
  private static String keptMessage(int stored, List<String> unreadable) {
    StringBuilder message =
        new StringBuilder("stored ")
            .append(stored)
            .append(" item(s); kept ")
            .append(unreadable.size())
            .append(" item(s) that are not audit events in the spool as evidence, reported as")
            .append(" rejected input when it is read: ")
            .append(
                String.join("; ", unreadable.subList(0, Math.min(MAX_LISTED, unreadable.size()))));
    if (unreadable.size() > MAX_LISTED) {
      message.append("; and ").append(unreadable.size() - MAX_LISTED).append(" more");
    }
    return message.toString();
  }

  /** Why a value is not an audit EventList with an items array, or null when it is one. */
  static @Nullable String notAnEventList(JsonNode root) {
    String expected =
        "expected an audit EventList (kind EventList, apiVersion audit.k8s.io/v1, "
            + "with an items array of audit Events)";
    if (!root.isObject()) {
      return expected + " but found " + JsonNodes.kind(root);
    }
    JsonNode kind = JsonNodes.at(root, "kind");
    JsonNode apiVersion = JsonNodes.at(root, "apiVersion");
    if (kind == null) {
      return expected + " but found an object without kind";
    }
    if (!kind.isTextual() || !kind.textValue().equals("EventList")) {
      return expected
          + " but found kind "
          + JsonNodes.quote(kind)
          + (kind.isTextual() && kind.textValue().equals("Event")
              ? " (a single event; the webhook backend sends EventLists)"
              : "");
    }
    if (apiVersion != null
        && !(apiVersion.isTextual() && apiVersion.textValue().startsWith("audit.k8s.io/"))) {
      return expected + " but found apiVersion " + JsonNodes.quote(apiVersion);
    }
    JsonNode items = JsonNodes.at(root, "items");
    if (items == null) {
      return expected + " but the EventList has no items";
    }
    if (!items.isArray()) {
      return expected + " but its items are " + JsonNodes.kind(items) + ", not an array";
    }
    return null;
  }

  @Override
  public PullResult pull(PullRequest request, ObservationSink sink) throws SourceException {
    Path directory = spool.directory();
    if (!Files.isDirectory(directory)) {
      spool.ensureDirectory();
    }
    PullStats stats = new PullStats();
    LogSelection selection =
        LogSelection.directory(directory, WebhookSpool::isSpoolFile, "spool-<yyyyMMdd>.log");
    List<Path> files = selection.list(stats, WHAT);
    return AuditLogReader.forSpool(name, cluster, WHAT).read(files, request.cursor(), sink, stats);
  }

  @Override
  public String toString() {
    return "KubernetesWebhookSource["
        + name
        + ", cluster "
        + cluster
        + ", "
        + path
        + " on "
        + pushSettings.listen()
        + ", spool "
        + spool.directory()
        + "]";
  }
}
