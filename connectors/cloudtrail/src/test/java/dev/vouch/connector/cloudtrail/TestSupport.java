package dev.vouch.connector.cloudtrail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.spi.PullRequest;
import dev.vouch.core.spi.PullResult;
import dev.vouch.core.spi.SourceException;
import dev.vouch.testkit.CollectingObservationSink;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Builders and helpers shared by the connector's tests. */
final class TestSupport {
  static final ObjectMapper JSON = new ObjectMapper();

  /** The account of every {@link #record}: its {@code recipientAccountId} and the actor's. */
  static final String ACCOUNT = "111122223333";

  /** A window that holds every sample, old and new. */
  static final TimeWindow ALL_TIME =
      new TimeWindow(Instant.parse("1970-01-01T00:00:00Z"), Instant.parse("2100-01-01T00:00:00Z"));

  private TestSupport() {}

  static TimeWindow window(String start, String end) {
    return new TimeWindow(Instant.parse(start), Instant.parse(end));
  }

  /**
   * The native id of an event of {@link #ACCOUNT}, such as every {@link #record}: {@code
   * <account>:<eventID>}, written out here rather than taken from {@link RecordMapper}.
   */
  static String id(String eventId) {
    return id(ACCOUNT, eventId);
  }

  /** The native id of an event received by this account: {@code <account>:<eventID>}. */
  static String id(String account, String eventId) {
    return account + ":" + eventId;
  }

  /** A source with the default settings of a configured one. */
  static CloudTrailFileSource source(Path path) {
    return source(path, CloudTrailSettings.DEFAULT_LATE_DELIVERY, 2);
  }

  static CloudTrailFileSource source(Path path, Duration lateDelivery, int parallelism) {
    return new CloudTrailFileSource(
        "trail",
        new CloudTrailSettings(path, lateDelivery, parallelism, CloudTrailSettings.DEFAULT_SETTLE));
  }

  /** A pull's result with what its sink collected, and the window it asked for. */
  record Pulled(PullResult result, CollectingObservationSink sink, TimeWindow window) {
    /** The native ids of every event delivered, late deliveries of earlier windows included. */
    List<String> ids() {
      return sink.nativeIds();
    }

    /** The native ids of the events that occurred in this window. */
    List<String> idsIn(TimeWindow span) {
      return sink.events().stream()
          .filter(event -> span.contains(event.occurredAt()))
          .map(ChangeEvent::nativeId)
          .toList();
    }

    /** The native ids of the events of the window asked for, without the late deliveries. */
    List<String> windowIds() {
      return idsIn(window);
    }

    ChangeEvent event(String id) {
      return sink.onlyEvent(id);
    }
  }

  static Pulled pull(Path path, TimeWindow window) throws SourceException {
    return pull(source(path), window);
  }

  static Pulled pull(CloudTrailFileSource source, TimeWindow window) throws SourceException {
    CollectingObservationSink sink = new CollectingObservationSink();
    PullResult result = source.pull(new PullRequest(window, null), sink);
    return new Pulled(result, sink, window);
  }

  /** The corpus samples copied under {@code src/test/resources/corpus}. */
  static Path corpus(String relative) {
    try {
      return Path.of(TestSupport.class.getResource("/corpus").toURI()).resolve(relative);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One line of the Panther JSON-lines sample, as a tree. */
  static ObjectNode pantherLine(int line) {
    try {
      List<String> lines =
          Files.readAllLines(corpus("panther-analysis/cloudtrail-rule-test-events.jsonl"));
      return (ObjectNode) JSON.readTree(lines.get(line - 1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The record at an index of a Stratus Red Team sample (a bare array). */
  static ObjectNode stratus(String technique, int index) {
    return (ObjectNode) readJson(corpus("stratus-red-team/" + technique + ".json")).get(index);
  }

  /** Maps a record with the window that holds everything; fails when it is not accepted. */
  static ChangeEvent map(JsonNode record) {
    return map(record, RecordMapper.Context.NONE);
  }

  static ChangeEvent map(JsonNode record, RecordMapper.Context context) {
    RecordMapper.Outcome outcome = mapper().map(record, ALL_TIME, context);
    if (outcome instanceof RecordMapper.Accepted accepted) {
      return accepted.event();
    }
    throw new AssertionError("record not accepted: " + outcome);
  }

  static RecordMapper mapper() {
    return new RecordMapper("trail", JSON.writer());
  }

  /** A minimal, valid management-event record by an IAM user; tests change what they need. */
  static ObjectNode record(String eventId, String eventTime) {
    ObjectNode record = JSON.createObjectNode();
    record.put("eventVersion", "1.11");
    ObjectNode identity = record.putObject("userIdentity");
    identity.put("type", "IAMUser");
    identity.put("principalId", "AIDAEXAMPLE");
    identity.put("arn", "arn:aws:iam::111122223333:user/alice");
    identity.put("accountId", ACCOUNT);
    identity.put("userName", "alice");
    record.put("eventTime", eventTime);
    record.put("eventSource", "iam.amazonaws.com");
    record.put("eventName", "CreateRole");
    record.put("awsRegion", "us-east-1");
    record.put("sourceIPAddress", "192.0.2.10");
    record.put("userAgent", "aws-cli/2.15.0");
    record.putObject("requestParameters").put("roleName", "deployer");
    record.put("eventID", eventId);
    record.put("readOnly", false);
    record.put("eventType", "AwsApiCall");
    record.put("managementEvent", true);
    record.put("recipientAccountId", ACCOUNT);
    record.put("eventCategory", "Management");
    return record;
  }

  /** {@code {"Records": [...]}}, compact, as CloudTrail writes it. */
  static String recordsFile(JsonNode... records) {
    ObjectNode file = JSON.createObjectNode();
    ArrayNode array = file.putArray("Records");
    for (JsonNode record : records) {
      array.add(record);
    }
    return file.toString();
  }

  /** An EventBridge envelope around a record. */
  static ObjectNode envelope(String detailType, JsonNode detail) {
    ObjectNode envelope = JSON.createObjectNode();
    envelope.put("version", "0");
    envelope.put("id", "6a7e8feb-b491-4cf7-a9f1-bf3703467718");
    envelope.put("detail-type", detailType);
    envelope.put("source", "aws.iam");
    envelope.put("account", "444455556666");
    envelope.put("time", "2024-03-14T10:00:00Z");
    envelope.put("region", "us-east-1");
    envelope.putArray("resources");
    envelope.set("detail", detail);
    return envelope;
  }

  static Path write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path writeGzip(Path file, String content) {
    return writeBytes(file, gzip(content));
  }

  static Path writeBytes(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      return Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * What a gzip cut short still gives when read with the JDK alone: the text before the cut.
   *
   * @throws AssertionError when the data is not cut short
   */
  static String readableBeforeTheCut(byte[] truncated) {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(truncated))) {
      in.transferTo(text);
    } catch (EOFException e) {
      return text.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new AssertionError("the gzip data is whole");
  }

  /**
   * {@code file:line:column} of the point right after this text, the column counted in bytes as
   * Jackson counts it.
   */
  static String after(Path file, String text) {
    String[] lines = text.split("\n", -1);
    String last = lines[lines.length - 1];
    return file + ":" + lines.length + ":" + (last.getBytes(StandardCharsets.UTF_8).length + 1);
  }

  static byte[] gzip(String content) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
