package dev.vouch.connector.cloudtrail;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.core.json.JsonNodes;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.spi.InputProblem;
import dev.vouch.core.spi.Observation;
import dev.vouch.core.spi.ObservationSink;
import dev.vouch.core.spi.Sha256;
import dev.vouch.core.spi.UnitSink;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads one log file, one record at a time, and hands what it finds to the sink.
 *
 * <p>Accepted shapes, detected from the content: {@code {"Records": [...]}} (CloudTrail's own log
 * files), a bare array of records, a single record, an EventBridge envelope with the record in
 * {@code detail}, a LookupEvents response ({@code {"Events": [{"CloudTrailEvent": "..."}]}}), and
 * any number of these one after another (JSON lines). gzip is recognised by its magic bytes, not by
 * the file name. Files named {@code .jsonl} or {@code .jsonl.gz} are read line by line, so that a
 * malformed line is rejected alone; other files are read as one stream, and a syntax error ends the
 * file (what came before it has been delivered).
 *
 * <p>Never more than one record is held in memory. Problems go to {@link ObservationSink#reject};
 * only an exception from the sink itself escapes. Thread-safe: one instance serves every worker.
 */
final class LogFileReader {
  private static final int BUFFER_SIZE = 1 << 16;

  /**
   * Files up to this size are read whole into memory; CloudTrail's own are far smaller (a few
   * hundred kilobytes compressed). Larger ones are streamed.
   */
  static final long MAX_FILE_IN_MEMORY = 16L << 20;

  /** The most content of one file held in memory once inflated; beyond it, the file is streamed. */
  static final int MAX_CONTENT_IN_MEMORY = 64 << 20;

  private static final int GZIP_MAGIC_0 = 0x1f;
  private static final int GZIP_MAGIC_1 = 0x8b;

  /** EventBridge detail-types of CloudTrail events all end like this. */
  static final String CLOUDTRAIL_DETAIL_TYPE_SUFFIX = "via CloudTrail";

  /** Jackson's location text, which says nothing useful once the file and line are named. */
  private static final Pattern SOURCE_DESCRIPTION = Pattern.compile("\\[Source: [^;]*; ");

  private final ObjectMapper json;
  private final RecordMapper mapper;
  private final TimeWindow window;
  private final ObservationSink sink;
  private final PullStats stats;

  LogFileReader(
      ObjectMapper json,
      RecordMapper mapper,
      TimeWindow window,
      ObservationSink sink,
      PullStats stats) {
    this.json = json;
    this.mapper = mapper;
    this.window = window;
    this.sink = sink;
    this.stats = stats;
  }

  /** What is known while one file is read. */
  private static final class FileState {
    final String name;
    final RecordMapper.Context context;
    final UnitSink unit;
    boolean gzip;
    long records;
    boolean digest;
    boolean cutShort;
    boolean empty;

    FileState(String name, RecordMapper.Context context, UnitSink unit) {
      this.name = name;
      this.context = context;
      this.unit = unit;
    }

    String at(long line) {
      return name + ":" + line;
    }

    String at(long line, long column) {
      return name + ":" + line + ":" + column;
    }
  }

  /**
   * Reads one file as one unit of input (see {@link UnitSink}): its records that are not changes
   * are counted with the file's key and content hash, so that reading it again counts nothing
   * twice. A file not read to its end leaves no count: its records are counted once it can be read
   * whole.
   *
   * @param unitKey the file's stable name within the source
   * @return true when the file held CloudTrail logs (or tried to), false when its content turned
   *     out to be a digest
   */
  boolean read(Path file, LogLocation location, String unitKey) {
    UnitSink unit = sink.unit(unitKey);
    FileState state =
        new FileState(
            file.toString(), new RecordMapper.Context(location.account(), location.region()), unit);
    String contentSha256 = readFile(file, state);
    if (state.cutShort) {
      stats.filesWithErrors.increment();
    } else if (contentSha256 != null) {
      unit.close(contentSha256);
    }
    return !state.digest || state.records > 0;
  }

  /**
   * Reads a file whole into memory when it is small enough, as CloudTrail's log files are, and
   * decides most of its records from a scan of their fields ({@link RecordScan}); a larger file, or
   * one that cannot be inflated whole, is read as a stream. Returns the hex SHA-256 of the file's
   * bytes, or null when it could not be read at all.
   */
  private @Nullable String readFile(Path file, FileState state) {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_FILE_IN_MEMORY) {
        return readStreamed(file, state);
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      cutShort(
          state, state.name, "cannot open the file: " + describe(e) + "; nothing of it was read");
      return null;
    }
    String sha256 = Sha256.hex(bytes);
    byte[] content = bytes;
    if (bytes.length >= 2
        && (bytes[0] & 0xff) == GZIP_MAGIC_0
        && (bytes[1] & 0xff) == GZIP_MAGIC_1) {
      state.gzip = true;
      content = inflated(bytes);
    }
    if (content == null
        || content.length == 0
        || LogLocation.isJsonLinesName(file.getFileName().toString())) {
      // Whatever made the whole file unusable in memory (bad gzip data, an empty file, more than
      // fits) is met and reported by the stream reader, exactly where it lies.
      readFrom(new ByteArrayInputStream(bytes), file, state);
    } else {
      readInMemory(content, state);
    }
    return sha256;
  }

  /** Reads a file too large to hold as a stream, hashing it as it goes. */
  private @Nullable String readStreamed(Path file, FileState state) {
    MessageDigest digest = Sha256.digest();
    try (InputStream in =
        new DigestInputStream(
            new BufferedInputStream(Files.newInputStream(file), BUFFER_SIZE), digest)) {
      readFrom(in, file, state);
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      if (!state.cutShort) {
        cutShort(state, state.name, "cannot read the file: " + describe(e) + restNotRead(state));
      }
      return null;
    }
    return Sha256.hex(digest);
  }

  /**
   * The whole content of a gzip file, or null when it is corrupt, cut short or larger than {@link
   * #MAX_CONTENT_IN_MEMORY}.
   */
  private static byte @Nullable [] inflated(byte[] gzip) {
    try (InputStream in = new GzipMembersInputStream(new ByteArrayInputStream(gzip), BUFFER_SIZE)) {
      byte[] content = new byte[Math.max(BUFFER_SIZE, gzip.length * 8)];
      int length = 0;
      while (true) {
        if (length == content.length) {
          if (content.length >= MAX_CONTENT_IN_MEMORY) {
            return null;
          }
          content =
              java.util.Arrays.copyOf(
                  content, (int) Math.min(MAX_CONTENT_IN_MEMORY, 2L * content.length));
        }
        int n = in.read(content, length, content.length - length);
        if (n < 0) {
          return length == content.length ? content : java.util.Arrays.copyOf(content, length);
        }
        length += n;
      }
    } catch (IOException e) {
      return null;
    }
  }

  /** Reads a file's content through the stream reader: decompressing, line or whole-stream. */
  private void readFrom(InputStream in, Path file, FileState state) {
    InputStream content;
    try {
      content = decompressed(in, state);
    } catch (IOException e) {
      cutShort(
          state,
          state.at(1),
          "corrupt gzip data: " + describe(e) + "; nothing of the file was read");
      return;
    }
    if (state.empty) {
      // CloudTrail never delivers an empty file: a 0-byte file is one whose copy or delivery
      // was cut short, and whatever it should hold is unseen.
      cutShort(
          state,
          state.name,
          "the file is empty (0 bytes); a CloudTrail log file always holds records, so this one"
              + " was cut short (an interrupted copy or sync); nothing of it could be read");
      return;
    }
    if (LogLocation.isJsonLinesName(file.getFileName().toString())) {
      readLines(content, state);
    } else {
      readStream(content, state);
    }
  }

  /**
   * Reads content held in memory: as the stream reader does, but each record of a {@code Records}
   * or top-level array is scanned first and built whole only when it must be kept or is odd.
   */
  private void readInMemory(byte[] content, FileState state) {
    JsonParser parser;
    try {
      parser = json.createParser(content);
    } catch (IOException e) {
      cutShort(state, state.at(1), "cannot read the file: " + describe(e));
      return;
    }
    InMemory memory = new InMemory(content, new RecordScan());
    try {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        readRoot(parser, token, state, 0, memory);
      }
    } catch (JsonProcessingException e) {
      malformed(e, parser, state, 0, true, "malformed JSON: ");
    } catch (IOException e) {
      cutShort(state, state.at(1), "cannot read the file: " + describe(e) + restNotRead(state));
    } finally {
      close(parser);
    }
  }

  /** The content being read from memory, and the scanner its records go through. */
  private record InMemory(byte[] content, RecordScan scan) {}

  private InputStream decompressed(InputStream in, FileState state) throws IOException {
    in.mark(2);
    int first = in.read();
    int second = in.read();
    in.reset();
    state.empty = first < 0;
    if (first == GZIP_MAGIC_0 && second == GZIP_MAGIC_1) {
      state.gzip = true;
      return new GzipMembersInputStream(in, BUFFER_SIZE);
    }
    return in;
  }

  private void readStream(InputStream in, FileState state) {
    Position position = new Position(in);
    JsonParser parser;
    try {
      parser = json.createParser(position);
    } catch (IOException e) {
      cutShort(state, state.at(1), "cannot read the file: " + describe(e));
      return;
    }
    try {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        readRoot(parser, token, state, 0, null);
      }
    } catch (JsonProcessingException e) {
      malformed(e, parser, state, 0, true, "malformed JSON: ");
    } catch (IOException e) {
      // The parser reads on only once it has used up what it was given, so the failure lies
      // right after everything read so far. (Its own location, once a read has failed, is off by
      // the length of the read before.)
      cutShort(
          state,
          state.at(position.line, position.column),
          (state.gzip ? "corrupt gzip data: " : "cannot read the file: ")
              + describe(e)
              + restNotRead(state));
    } finally {
      close(parser);
    }
  }

  /** Counts the lines and columns (in bytes, as the parser does) of what it passes on. */
  private static final class Position extends FilterInputStream {
    long line = 1;
    long column = 1;

    Position(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count((byte) b);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      for (int i = off; i < off + n; i++) {
        count(b[i]);
      }
      return n;
    }

    private void count(byte b) {
      if (b == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
  }

  private void readLines(InputStream in, FileState state) {
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), BUFFER_SIZE);
    long lineNumber = 0;
    try {
      String line;
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        if (lineNumber == 1 && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        if (line.isBlank()) {
          continue;
        }
        JsonParser parser = json.createParser(line);
        try {
          JsonToken token;
          while ((token = parser.nextToken()) != null) {
            readRoot(parser, token, state, lineNumber - 1, null);
          }
        } catch (JsonProcessingException e) {
          malformed(e, parser, state, lineNumber - 1, false, "malformed JSON line: ");
        } finally {
          close(parser);
        }
      }
    } catch (IOException e) {
      cutShort(
          state,
          state.at(lineNumber + 1),
          (state.gzip ? "corrupt gzip data: " : "cannot read the file: ")
              + describe(e)
              + restNotRead(state));
    }
  }

  /**
   * Reports a syntax error, or input beyond Jackson's limits (nesting depth, string length).
   *
   * @param parser the parser that met it, whose location stands in when the error has none (the
   *     error of a limit carries none)
   * @param endsFile whether the file is read as one stream, which the error ends; else it is one
   *     line of JSON lines, and the next line is read
   */
  private void malformed(
      JsonProcessingException e,
      JsonParser parser,
      FileState state,
      long lineOffset,
      boolean endsFile,
      String what) {
    JsonLocation where = e.getLocation();
    if (where == null || where.getLineNr() < 1) {
      where = parser.currentLocation();
    }
    String location = state.at(lineOffset + where.getLineNr(), where.getColumnNr());
    String message =
        SOURCE_DESCRIPTION.matcher(String.valueOf(e.getOriginalMessage())).replaceAll("[");
    if (endsFile) {
      // A syntax error in a file read as one stream ends it: what follows is unseen.
      cutShort(state, location, what + message + restNotRead(state));
    } else {
      reject(location, what + message);
    }
  }

  /**
   * Closes a parser after its errors are reported, since closing moves its location to the end of
   * its input.
   */
  private static void close(JsonParser parser) {
    try {
      parser.close();
    } catch (IOException e) {
      // Closing the input after reading it, or after reporting where reading failed: nothing lost.
    }
  }

  private static String restNotRead(FileState state) {
    return "; the rest of the file was not read ("
        + state.records
        + (state.records == 1
            ? " record before this point was read)"
            : " records before this point were read)");
  }

  private void readRoot(
      JsonParser parser,
      JsonToken token,
      FileState state,
      long lineOffset,
      @Nullable InMemory memory)
      throws IOException {
    long line = lineOffset + parser.currentTokenLocation().getLineNr();
    switch (token) {
      case START_ARRAY -> readElements(parser, state, lineOffset, false, memory);
      case START_OBJECT -> readRootObject(parser, state, lineOffset, line, memory);
      default -> {
        reject(
            state.at(line, parser.currentTokenLocation().getColumnNr()),
            "expected a CloudTrail record, an array of records or {\"Records\": [...]} but found "
                + describe(token));
        parser.skipChildren();
      }
    }
  }

  /**
   * Reads an object at the top level field by field, so that a {@code Records} or {@code Events}
   * array of any size streams; any other object is small (one record or envelope) and is built.
   */
  private void readRootObject(
      JsonParser parser, FileState state, long lineOffset, long line, @Nullable InMemory memory)
      throws IOException {
    ObjectNode other = json.createObjectNode();
    boolean container = false;
    JsonToken token;
    while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (value == JsonToken.START_ARRAY && field.equals("Records")) {
        container = true;
        readElements(parser, state, lineOffset, false, memory);
      } else if (value == JsonToken.START_ARRAY && field.equals("Events")) {
        container = true;
        readElements(parser, state, lineOffset, true, null);
      } else {
        other.set(field, parser.readValueAsTree());
      }
    }
    if (token != JsonToken.END_OBJECT) {
      throw new JsonParseException(parser, "expected a field name or the end of the object");
    }
    if (!container) {
      readObject(other, state.at(line), state, state.context);
    }
  }

  private void readElements(
      JsonParser parser,
      FileState state,
      long lineOffset,
      boolean lookup,
      @Nullable InMemory memory)
      throws IOException {
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (token == null) {
        return; // end of input: Jackson reports an unclosed array itself
      }
      JsonLocation start = parser.currentTokenLocation();
      long line = lineOffset + start.getLineNr();
      if (token != JsonToken.START_OBJECT) {
        state.records++;
        reject(
            state.at(line, start.getColumnNr()),
            "expected a CloudTrail record (a JSON object) but found "
                + describe(token)
                + " (record "
                + state.records
                + " in the file)");
        parser.skipChildren();
        continue;
      }
      if (memory != null && readScanned(parser, state, memory, state.at(line))) {
        continue;
      }
      JsonNode element = parser.readValueAsTree();
      if (lookup) {
        readLookupEvent(element, state.at(line), state);
      } else {
        readObject(element, state.at(line), state, state.context);
      }
    }
  }

  /**
   * Scans the record at the parser (its {@code START_OBJECT}) and hands it on as a count or, when
   * it is to be kept, as a whole event built from its bytes. Returns false, with the parser where
   * it was, when the record cannot be scanned (content not read as UTF-8 bytes).
   */
  private boolean readScanned(JsonParser parser, FileState state, InMemory memory, String location)
      throws IOException {
    long start = parser.currentTokenLocation().getByteOffset();
    if (start < 0) {
      return false;
    }
    RecordScan scan = memory.scan();
    scan.scan(parser);
    long end = parser.currentLocation().getByteOffset();
    RecordScan.Scanned scanned = scan.decide(state.context);
    if (scanned != null) {
      boolean inWindow = window.contains(scanned.occurredAt());
      if (state.unit.countable(scanned.eventClass(), scanned.mutating())) {
        state.records++;
        state.unit.count(
            new Observation(
                scanned.nativeId(),
                scanned.occurredAt(),
                scanned.eventClass(),
                scanned.coordinates()));
        (inWindow ? stats.accepted : stats.outsideWindow).increment();
        return true;
      }
      if (!inWindow) {
        state.records++;
        stats.outsideWindow.increment();
        return true;
      }
    }
    // Kept whole (a change, or a write a rule may make one) or odd: built from its own bytes.
    JsonNode record = json.readTree(memory.content(), (int) start, (int) (end - start));
    readObject(record, location, state, state.context);
    return true;
  }

  /** One object: an EventBridge envelope, a digest, or a record. */
  private void readObject(
      JsonNode node, String location, FileState state, RecordMapper.Context context) {
    JsonNode detailType = node.get("detail-type");
    if (detailType != null && detailType.isValueNode()) {
      readEnvelope(node, detailType.asText(), location, state, context);
    } else if (node.has("digestStartTime") && node.has("logFiles")) {
      state.digest = true; // an integrity digest outside CloudTrail-Digest: not a log
    } else {
      readRecord(node, location, state, context);
    }
  }

  private void readEnvelope(
      JsonNode envelope,
      String detailType,
      String location,
      FileState state,
      RecordMapper.Context context) {
    if (!detailType.endsWith(CLOUDTRAIL_DETAIL_TYPE_SUFFIX)) {
      state.records++;
      reject(
          location,
          "EventBridge event with detail-type '"
              + detailType
              + "' (source '"
              + JsonNodes.text(envelope, "source")
              + "') is not a CloudTrail event; only '... "
              + CLOUDTRAIL_DETAIL_TYPE_SUFFIX
              + "' events are read");
      return;
    }
    JsonNode detail = envelope.get("detail");
    if (detail == null || !detail.isObject()) {
      state.records++;
      reject(
          location,
          "EventBridge event with detail-type '"
              + detailType
              + "' has no CloudTrail record in 'detail'");
      return;
    }
    RecordMapper.Context envelopeContext =
        new RecordMapper.Context(
            firstOf(JsonNodes.text(envelope, "account"), context.account()),
            firstOf(JsonNodes.text(envelope, "region"), context.region()));
    readRecord(detail, location, state, envelopeContext);
  }

  private void readLookupEvent(JsonNode entry, String location, FileState state) {
    JsonNode embedded = entry.get("CloudTrailEvent");
    String eventId = JsonNodes.text(entry, "EventId");
    String which = eventId == null ? "" : " " + eventId;
    if (embedded == null || !embedded.isTextual()) {
      state.records++;
      reject(
          location,
          "LookupEvents entry"
              + which
              + " has no CloudTrailEvent text holding the record (record "
              + state.records
              + " in the file)");
      return;
    }
    JsonNode record;
    try {
      record = json.readTree(embedded.textValue());
    } catch (JsonProcessingException e) {
      state.records++;
      reject(
          location,
          "CloudTrailEvent of LookupEvents entry"
              + which
              + " is not valid JSON: "
              + SOURCE_DESCRIPTION.matcher(String.valueOf(e.getOriginalMessage())).replaceAll("["));
      return;
    }
    readRecord(record, location, state, state.context);
  }

  private void readRecord(
      JsonNode record, String location, FileState state, RecordMapper.Context context) {
    state.records++;
    RecordMapper.Outcome outcome;
    try {
      outcome = mapper.map(record, window, context);
    } catch (RuntimeException e) {
      outcome = new RecordMapper.Rejected("cannot map the record: " + e);
    }
    if (outcome instanceof RecordMapper.Accepted accepted) {
      state.unit.accept(accepted.event());
      stats.accepted.increment();
    } else if (outcome instanceof RecordMapper.Rejected rejected) {
      state.unit.reject(
          new InputProblem(
                  location, rejected.reason() + " (record " + state.records + " in the file)")
              .withFields(RecordMapper.readableFields(record)));
      stats.rejected.increment();
    } else if (outcome instanceof RecordMapper.OutsideWindow outside) {
      // Not this pull's to match, but part of the file's population all the same.
      ChangeEvent event = outside.event();
      if (event != null && state.unit.countable(event.eventClass(), event.mutating())) {
        state.unit.count(
            new Observation(
                event.nativeId(), event.occurredAt(), event.eventClass(), event.coordinates()));
      }
      stats.outsideWindow.increment();
    }
  }

  private void reject(String location, String reason) {
    sink.reject(new InputProblem(location, reason));
    stats.rejected.increment();
  }

  /** Reports that the file could not be read past this point: the rest of it is unseen. */
  private void cutShort(FileState state, String location, String reason) {
    sink.reject(InputProblem.restNotRead(location, reason));
    stats.rejected.increment();
    state.cutShort = true;
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
      case START_ARRAY -> "an array";
      case START_OBJECT -> "an object";
      default -> token.toString();
    };
  }

  private static @Nullable String firstOf(@Nullable String first, @Nullable String second) {
    return first != null ? first : second;
  }
}
