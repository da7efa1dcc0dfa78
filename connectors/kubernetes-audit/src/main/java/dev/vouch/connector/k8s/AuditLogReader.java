package dev.vouch.connector.k8s;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.vouch.core.json.JsonNodes;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.EventClass;
import dev.vouch.core.spi.InputProblem;
import dev.vouch.core.spi.ObservationSink;
import dev.vouch.core.spi.PullResult;
import dev.vouch.core.spi.SourceException;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.jspecify.annotations.Nullable;

/**
 * Reads Kubernetes audit log files as one stream, from a cursor, and hands every audit event not
 * delivered before to the sink: the reader behind both the {@code kubernetes-audit} file source and
 * the {@code kubernetes-webhook} spool.
 *
 * <p>Per file: the identity ({@link FileIdentity}) is read from the file's start, the cursor gives
 * the offset reached in it, and reading goes on from there to the last complete line. A last line
 * without its {@code \n} is left for the next pull, unless it is already a complete JSON object (a
 * file written without a final line end). Files whose first non-blank line opens a JSON value
 * without closing it (pretty-printed) are read as a sequence of JSON values instead of lines.
 *
 * <p>Every JSON value read is an audit {@code Event}, an {@code EventList} (its {@code items} are
 * the events), a bare array of events, or an envelope of a managed cluster's log pipeline around
 * events ({@link Envelopes}: AKS diagnostic records, CloudWatch Logs subscription messages, also
 * several of these on one line as Kinesis Data Firehose writes them); anything else is rejected
 * with its {@code file:line}, and so is, in the webhook's spool, an item the webhook kept because
 * it was not an audit event. Only events at the stages {@link AuditEventMapper} counts are
 * delivered; the others are counted. An exact repeat of a recently delivered event is skipped
 * ({@link RecentEvents}); the store de-duplicates whatever the distance.
 *
 * <p>Memory does not grow with the number of events: one line (at most {@value #MAX_LINE} bytes) or
 * one pretty-printed JSON value is held at a time.
 */
final class AuditLogReader {
  /** The longest line read; longer ones are rejected. The API server truncates at 100 KB. */
  static final int MAX_LINE = 64 << 20;

  private static final int GZIP_MAGIC_0 = 0x1f;
  private static final int GZIP_MAGIC_1 = 0x8b;
  private static final int GZIP_MIN_LENGTH = 18;
  private static final int BUFFER_SIZE = 1 << 16;

  private final String sourceName;
  private final String cluster;
  private final String what;
  private final boolean spool;

  /**
   * A reader of audit log files.
   *
   * @param sourceName the configured name of the source, stamped on every event
   * @param cluster the cluster the events come from
   * @param what what the files are, for messages ({@code Kubernetes audit log})
   */
  AuditLogReader(String sourceName, String cluster, String what) {
    this(sourceName, cluster, what, false);
  }

  private AuditLogReader(String sourceName, String cluster, String what, boolean spool) {
    this.sourceName = sourceName;
    this.cluster = cluster;
    this.what = what;
    this.spool = spool;
  }

  /**
   * A reader of the webhook's spool files, which also reports the unreadable items the webhook kept
   * there as evidence ({@link WebhookSpool#unreadableItem}). Log files do not get this reading, so
   * that a line in an API server's log cannot pass itself off as something the webhook received.
   */
  static AuditLogReader forSpool(String sourceName, String cluster, String what) {
    return new AuditLogReader(sourceName, cluster, what, true);
  }

  /**
   * Reads the files in order from the cursor.
   *
   * @param files the files, oldest first
   * @param cursorText the cursor of the last pull, or null to read everything
   * @return the result, with the cursor pruned to the files present
   * @throws SourceException when the cursor is not one of ours or a file cannot be read
   */
  PullResult read(
      List<Path> files, @Nullable String cursorText, ObservationSink sink, PullStats stats)
      throws SourceException {
    ReadCursor previous;
    try {
      previous = ReadCursor.parse(cursorText);
    } catch (IllegalArgumentException e) {
      throw new SourceException(
          "cannot resume source "
              + sourceName
              + ": "
              + e.getMessage()
              + "; reset the source's cursor to read its logs from the start",
          e);
    }
    ReadCursor next = ReadCursor.empty();
    Pull pull = new Pull(sink, stats);
    sink.planned(files.size());
    for (Path file : files) {
      readFile(file, previous, next, pull);
      sink.unitDone(file.toString());
    }
    if (stats.vanished > 0) {
      // A file renamed between listing and opening is read next time under its new name: its
      // offset must survive.
      next.keepMissing(previous);
    }
    return new PullResult(next.toJson(), stats.files, stats.describe());
  }

  /** What one pull keeps between files. */
  private static final class Pull {
    final ObservationSink sink;
    final PullStats stats;
    final RecentEvents recent = new RecentEvents();

    Pull(ObservationSink sink, PullStats stats) {
      this.sink = sink;
      this.stats = stats;
    }
  }

  private void readFile(Path file, ReadCursor previous, ReadCursor next, Pull pull)
      throws SourceException {
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      pull.stats.vanished++;
      return;
    } catch (AccessDeniedException e) {
      throw new SourceException("cannot read " + what + " " + file + ": permission denied", e);
    } catch (IOException e) {
      throw new SourceException("cannot read " + what + " " + file + ": " + describe(e), e);
    }
    pull.stats.files++;
    String name = file.toString();
    try (channel) {
      boolean gzip = isGzip(channel);
      if (gzip) {
        pull.stats.gzipFiles++;
      }
      FileIdentity identity;
      try (InputStream start = open(channel, gzip)) {
        identity = FileIdentity.read(start, MAX_LINE);
      } catch (ZipException | EOFException e) {
        cutShort(
            pull,
            name + ":1",
            "corrupt gzip data: " + describe(e) + "; nothing of the file was read");
        return;
      }
      if (identity == null) {
        pull.stats.notReady++;
        return;
      }
      String id = identity.sha256();
      long offset = next.contains(id) ? next.offset(id) : previous.offset(id);
      next.advance(id, offset);
      if (readToTheEnd(channel, gzip, offset)) {
        pull.stats.upToDate++;
        return;
      }
      try (InputStream content = open(channel, gzip)) {
        LineReader lines = new LineReader(content, MAX_LINE);
        if (!lines.skipTo(offset)) {
          pull.stats.upToDate++;
          return;
        }
        long consumed =
            identity.document() ? readDocument(lines, name, pull) : readLines(lines, name, pull);
        next.advance(id, consumed);
      }
    } catch (IOException e) {
      throw new SourceException("cannot read " + what + " " + file + ": " + describe(e), e);
    }
  }

  /**
   * Whether a file is known to be read to its end without reading it: a plain file no longer than
   * the offset, or a gzip file whose trailer gives the offset as its size. (The trailer holds the
   * size of the last gzip member modulo 2^32; log rotation writes one member, and a file whose
   * earlier members were read only in part would have to match by chance.)
   */
  private static boolean readToTheEnd(FileChannel channel, boolean gzip, long offset)
      throws IOException {
    long size = channel.size();
    if (!gzip) {
      return offset >= size;
    }
    if (offset == 0 || size < GZIP_MIN_LENGTH) {
      return false;
    }
    ByteBuffer trailer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    while (trailer.hasRemaining()) {
      if (channel.read(trailer, size - 4 + trailer.position()) < 0) {
        return false;
      }
    }
    long isize = trailer.getInt(0) & 0xffffffffL;
    return isize == (offset & 0xffffffffL);
  }

  /** Reads JSON lines; returns the offset after the last complete line. */
  private long readLines(LineReader lines, String name, Pull pull) throws IOException {
    long consumed = lines.offset();
    try {
      while (lines.next()) {
        if (!lines.terminated() && !FileIdentity.completeJson(lines.bytes(), lines.length())) {
          pull.stats.partialLines++;
          break;
        }
        pull.stats.lines++;
        String at = name + ":" + lines.number();
        if (lines.tooLong()) {
          reject(pull, at, "line longer than " + MAX_LINE + " bytes; skipped");
        } else if (!lines.blank()) {
          readLine(lines.bytes(), lines.length(), name, lines.number(), pull);
        }
        consumed = lines.end();
      }
    } catch (ZipException | EOFException e) {
      gzipCutShort(e, name + ":" + (lines.number() + 1), pull);
    }
    return consumed;
  }

  private void readLine(byte[] bytes, int length, String name, long lineNumber, Pull pull) {
    JsonNode node;
    try {
      node = Json.WHOLE.readTree(bytes, 0, length);
    } catch (JsonProcessingException e) {
      if (readSubscriptionMessages(bytes, length, name + ":" + lineNumber, pull)) {
        return;
      }
      JsonLocation where = e.getLocation();
      String at = name + ":" + lineNumber + (where == null ? "" : ":" + where.getColumnNr());
      reject(pull, at, "malformed JSON line: " + message(e));
      return;
    } catch (IOException e) {
      reject(pull, name + ":" + lineNumber, "cannot read the line: " + describe(e));
      return;
    }
    readValue(node, name + ":" + lineNumber, pull);
  }

  /**
   * Reads a line of CloudWatch Logs subscription messages written one after the other, without line
   * ends between them, as Kinesis Data Firehose delivers a subscription to S3. Returns false,
   * having read nothing, when the line does not start with two values of which the first is such a
   * message; a value after them that is not JSON is rejected with the rest of the line.
   */
  private boolean readSubscriptionMessages(byte[] bytes, int length, String at, Pull pull) {
    int count = 0;
    try (MappingIterator<JsonNode> values =
        Json.MAPPER.readerFor(JsonNode.class).readValues(bytes, 0, length)) {
      JsonNode first = values.nextValue();
      if (!Envelopes.isCloudWatchMessage(first) || !values.hasNextValue()) {
        return false;
      }
      readRecord(first, at + " (message " + ++count + " on the line)", pull);
      while (values.hasNextValue()) {
        readRecord(values.nextValue(), at + " (message " + ++count + " on the line)", pull);
      }
    } catch (IOException e) {
      if (count == 0) {
        return false;
      }
      // What came before was read: the rest of the line is what is lost.
      reject(
          pull,
          at + " (message " + (count + 1) + " on the line)",
          "malformed JSON after "
              + count
              + " CloudWatch Logs message(s): "
              + (e instanceof JsonProcessingException json ? message(json) : describe(e))
              + "; the rest of the line was not read");
    }
    return true;
  }

  /**
   * Reads a file of pretty-printed JSON values; returns the offset after the last complete value,
   * or the end of the file when a syntax error made the rest unreadable (it was rejected once).
   */
  private long readDocument(LineReader lines, String name, Pull pull) throws IOException {
    long base = lines.offset();
    long linesBefore = lines.number();
    long consumed = base;
    JsonParser parser = Json.MAPPER.createParser(lines.rest());
    try (parser) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        JsonLocation start = parser.currentTokenLocation();
        String at = name + ":" + (linesBefore + start.getLineNr());
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
          JsonNode node = parser.readValueAsTree();
          readValue(node, at, pull);
        } else {
          reject(
              pull,
              at + ":" + start.getColumnNr(),
              "expected an audit Event or EventList (a JSON object) but found " + describe(token));
        }
        consumed = base + parser.currentLocation().getByteOffset();
      }
      consumed = base + parser.currentLocation().getByteOffset();
      pull.stats.lines += Math.max(0, parser.currentLocation().getLineNr() - 1);
    } catch (JsonEOFException e) {
      pull.stats.incompleteDocuments++;
    } catch (JsonProcessingException e) {
      JsonLocation where = e.getLocation();
      String at =
          name
              + ":"
              + (where == null
                  ? linesBefore + 1
                  : (linesBefore + where.getLineNr()) + ":" + where.getColumnNr());
      cutShort(pull, at, "malformed JSON: " + message(e) + "; the rest of the file was not read");
      InputStream rest = lines.rest();
      byte[] drain = new byte[BUFFER_SIZE];
      while (rest.read(drain) >= 0) {
        // Consume the unreadable rest, so that it is rejected once, not on every pull.
      }
      consumed = lines.offset();
    } catch (ZipException | EOFException e) {
      gzipCutShort(e, name + ":" + (linesBefore + parser.currentLocation().getLineNr()), pull);
    }
    return consumed;
  }

  /**
   * One JSON value: an event, an EventList, or an array of events; in the spool, also an unreadable
   * item kept as evidence, which is rejected without reading what it holds.
   */
  private void readValue(JsonNode node, String at, Pull pull) {
    if (spool) {
      String kept = WebhookSpool.unreadableItem(node);
      if (kept != null) {
        reject(pull, at, kept);
        return;
      }
    }
    if (node.isArray()) {
      int i = 0;
      for (JsonNode item : node) {
        readRecord(item, at + " (element " + ++i + " of " + node.size() + ")", pull);
      }
      return;
    }
    JsonNode kind = node.get("kind");
    if (kind != null && kind.isTextual() && kind.textValue().equals("EventList")) {
      JsonNode items = node.get("items");
      if (items == null || !items.isArray()) {
        reject(
            pull,
            at,
            "audit EventList without an items array"
                + (items == null ? "" : " (items is " + JsonNodes.kind(items) + ")"));
        return;
      }
      int i = 0;
      for (JsonNode item : items) {
        readEvent(item, at + " (item " + ++i + " of " + items.size() + ")", pull);
      }
      return;
    }
    readRecord(node, at, pull);
  }

  /** An audit event, or an envelope of a managed cluster's log pipeline around audit events. */
  private void readRecord(JsonNode node, String at, Pull pull) {
    Envelopes.Opened envelope = AuditEventMapper.isAuditEvent(node) ? null : Envelopes.open(node);
    if (envelope == null) {
      readEvent(node, at, pull);
      return;
    }
    pull.stats.controlMessages += envelope.controlMessages();
    for (Envelopes.Content content : envelope.contents()) {
      if (content instanceof Envelopes.Inner inner) {
        readEvent(inner.event(), at + inner.where(), pull);
      } else if (content instanceof Envelopes.Refused refused) {
        reject(pull, at + refused.where(), refused.reason());
      }
    }
  }

  private void readEvent(JsonNode node, String at, Pull pull) {
    Optional<ChangeEvent> mapped;
    try {
      mapped = AuditEventMapper.map(node, sourceName, cluster);
    } catch (IllegalArgumentException e) {
      pull.sink.reject(
          new InputProblem(at, e.getMessage()).withFields(AuditEventMapper.readableFields(node)));
      pull.stats.rejected++;
      return;
    }
    if (mapped.isEmpty()) {
      pull.stats.otherStages++;
      return;
    }
    ChangeEvent event = mapped.get();
    if (pull.recent.isRepeat(event)) {
      pull.stats.duplicates++;
      return;
    }
    pull.sink.accept(event);
    pull.stats.delivered++;
    if (event.eventClass() == EventClass.CHANGE) {
      pull.stats.changes++;
    }
  }

  private void gzipCutShort(IOException e, String at, Pull pull) {
    cutShort(
        pull,
        at,
        "corrupt or truncated gzip data: "
            + describe(e)
            + "; the rest of the file was not read (what came before was)");
  }

  /** Reports that a file could not be read past this point: what follows is unseen. */
  private static void cutShort(Pull pull, String location, String reason) {
    pull.sink.reject(InputProblem.restNotRead(location, reason));
    pull.stats.rejected++;
    pull.stats.filesWithErrors++;
  }

  private static void reject(Pull pull, String location, String reason) {
    pull.sink.reject(new InputProblem(location, reason));
    pull.stats.rejected++;
  }

  private static boolean isGzip(FileChannel channel) throws IOException {
    ByteBuffer magic = ByteBuffer.allocate(2);
    while (magic.hasRemaining()) {
      if (channel.read(magic, magic.position()) < 0) {
        return false;
      }
    }
    return (magic.get(0) & 0xff) == GZIP_MAGIC_0 && (magic.get(1) & 0xff) == GZIP_MAGIC_1;
  }

  /** The file's content from its start; closing it leaves the channel open. */
  private static InputStream open(FileChannel channel, boolean gzip) throws IOException {
    channel.position(0);
    InputStream raw =
        new FilterInputStream(Channels.newInputStream(channel)) {
          @Override
          public void close() {
            // The channel is closed by whoever opened it.
          }
        };
    return gzip ? new GZIPInputStream(raw, BUFFER_SIZE) : raw;
  }

  private static String message(JsonProcessingException e) {
    return Json.message(e);
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    String type = e.getClass().getSimpleName();
    return message == null || message.isBlank() ? type : message + " (" + type + ")";
  }

  private static String describe(JsonToken token) {
    return switch (token) {
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> token.toString();
    };
  }
}
