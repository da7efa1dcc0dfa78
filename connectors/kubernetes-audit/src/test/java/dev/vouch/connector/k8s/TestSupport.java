package dev.vouch.connector.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.spi.ChangeSource;
import dev.vouch.core.spi.PullRequest;
import dev.vouch.core.spi.PullResult;
import dev.vouch.core.spi.SourceException;
import dev.vouch.testkit.CollectingObservationSink;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;

/** Fixtures shared by the tests: the copied corpus, audit events built to order, files. */
final class TestSupport {
  static final String SOURCE = "audit";
  static final String CLUSTER = "prod-eu";

  /** A window no pull should care about: the sources are streams. */
  static final TimeWindow ANY_WINDOW =
      new TimeWindow(Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-10-02T00:00:00Z"));

  private TestSupport() {}

  /** A file or folder of the copied corpus ({@code src/test/resources/corpus}). */
  static Path corpus(String relative) {
    return resource("/corpus", relative);
  }

  /**
   * A file of the managed clusters' log records ({@code src/test/resources/managed}, see its
   * README).
   */
  static Path managed(String relative) {
    return resource("/managed", relative);
  }

  private static Path resource(String folder, String relative) {
    URL root = TestSupport.class.getResource(folder);
    if (root == null) {
      throw new IllegalStateException(folder + " is missing from the test classpath");
    }
    try {
      return Path.of(root.toURI()).resolve(relative);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The JSON values of a file of the managed clusters' records, one per line. */
  static List<JsonNode> managedLines(String relative) {
    List<JsonNode> nodes = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(managed(relative), StandardCharsets.UTF_8)) {
        nodes.add(Json.MAPPER.readTree(line));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return nodes;
  }

  /** The JSON values of a corpus file, one per non-blank line. */
  static List<JsonNode> corpusLines(String relative) {
    List<JsonNode> nodes = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(corpus(relative), StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          nodes.add(Json.MAPPER.readTree(line));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return nodes;
  }

  /** The first JSON value of a corpus file, as an object a test may change. */
  static ObjectNode corpusEvent(String relative) {
    return (ObjectNode) corpusLines(relative).get(0);
  }

  /** Line {@code n} (1-based) of the Panther rule-test events. */
  static ObjectNode panther(int n) {
    return (ObjectNode) corpusLines("panther-analysis/k8s-rule-test-events.jsonl").get(n - 1);
  }

  /** Maps an event that must be counted. */
  static ChangeEvent map(JsonNode event) {
    Optional<ChangeEvent> mapped = AuditEventMapper.map(event, SOURCE, CLUSTER);
    if (mapped.isEmpty()) {
      throw new AssertionError("expected a counted event but it was skipped: " + event);
    }
    return mapped.get();
  }

  static ObjectNode json(String text) {
    try {
      return (ObjectNode) Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A complete, realistic audit event as the API server writes it (well over 128 bytes, like every
   * real one): {@code create} of a ConfigMap by {@code alice@example.com}, at ResponseComplete.
   */
  static ObjectNode event(String auditId) {
    return event(auditId, "2026-10-01T12:00:00.123456Z");
  }

  static ObjectNode event(String auditId, String time) {
    return json(
        """
        {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"%s",\
        "stage":"ResponseComplete",\
        "requestURI":"/api/v1/namespaces/payments/configmaps?fieldManager=kubectl-client-side-apply",\
        "verb":"create","user":{"username":"alice@example.com","groups":["system:authenticated"]},\
        "sourceIPs":["10.0.0.1"],"userAgent":"kubectl/v1.34.1 (linux/amd64)",\
        "objectRef":{"resource":"configmaps","namespace":"payments","name":"settings",\
        "apiVersion":"v1"},"responseStatus":{"metadata":{},"code":201},\
        "requestReceivedTimestamp":"%s","stageTimestamp":"%s"}"""
            .formatted(auditId, time, time));
  }

  /**
   * The native id the connector must give an audit event read for cluster {@link #CLUSTER}: {@code
   * <cluster>:<auditID>:<first 12 hex digits of the SHA-256 of requestReceivedTimestamp, verb and
   * requestURI, joined by line ends>}, a missing field counting as empty. Built here from that
   * definition, not by the mapper, so that a test comparing the two can fail.
   */
  static String nativeId(JsonNode event) {
    return nativeId(CLUSTER, event);
  }

  /** The native id of an audit event read for another cluster. */
  static String nativeId(String cluster, JsonNode event) {
    String request =
        event.path("requestReceivedTimestamp").asText()
            + "\n"
            + event.path("verb").asText()
            + "\n"
            + event.path("requestURI").asText();
    return cluster
        + ":"
        + event.path("auditID").asText()
        + ":"
        + ChangeEvent.sha256Hex(request).substring(0, 12);
  }

  /** The native ids of {@link #event(String)} for each auditID, in order. */
  static List<String> nativeIds(String... auditIds) {
    return Arrays.stream(auditIds).map(auditId -> nativeId(event(auditId))).toList();
  }

  /** The same event at another stage. */
  static ObjectNode atStage(ObjectNode event, String stage) {
    ObjectNode copy = event.deepCopy();
    copy.put("stage", stage);
    return copy;
  }

  static String line(JsonNode event) {
    return event.toString() + "\n";
  }

  static String lines(JsonNode... events) {
    StringBuilder text = new StringBuilder();
    for (JsonNode event : events) {
      text.append(line(event));
    }
    return text.toString();
  }

  static String eventList(JsonNode... events) {
    ObjectNode list = Json.MAPPER.createObjectNode();
    list.put("kind", "EventList").put("apiVersion", "audit.k8s.io/v1");
    list.putObject("metadata");
    var items = list.putArray("items");
    for (JsonNode event : events) {
      items.add(event);
    }
    return list.toString();
  }

  static Path write(Path file, String content) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, content, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path append(Path file, String content) {
    try {
      Files.writeString(
          file,
          content,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path writeGzip(Path file, String content) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
        out.write(content.getBytes(StandardCharsets.UTF_8));
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Compresses a file to {@code <file>.gz} and removes it, as log rotation does. */
  static Path gzip(Path file) {
    try {
      Path target = file.resolveSibling(file.getFileName() + ".gz");
      writeGzip(target, Files.readString(file, StandardCharsets.UTF_8));
      Files.delete(file);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static KubernetesAuditSource fileSource(String path, Path base) {
    return new KubernetesAuditSource(SOURCE, CLUSTER, LogSelection.of(path, base));
  }

  static KubernetesAuditSource fileSource(Path path) {
    return fileSource(path.toString(), Path.of("."));
  }

  /** One pull's result and what its sink collected. */
  record Pulled(PullResult result, CollectingObservationSink sink) {
    List<String> ids() {
      return sink.nativeIds();
    }

    @Nullable String cursor() {
      return result.cursor();
    }
  }

  static Pulled pull(ChangeSource source, @Nullable String cursor) throws SourceException {
    CollectingObservationSink sink = new CollectingObservationSink();
    PullResult result = source.pull(new PullRequest(ANY_WINDOW, cursor), sink);
    return new Pulled(result, sink);
  }
}
