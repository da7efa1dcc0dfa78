package dev.vouch.connector.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.core.json.JsonNodes;
import dev.vouch.core.spi.SourceException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The webhook's durable spool: one file per UTC day, {@code spool-<yyyyMMdd>.log}, holding one
 * pushed item per line, appended under a lock and forced to disk before a push is answered.
 *
 * <p>A line is either an audit event exactly as it was pushed (compact JSON), or an item of a
 * pushed {@code EventList} that was not an audit event, kept as evidence in a wrapper: an object
 * whose only field is {@value #UNREADABLE_ITEM}, holding the item with where it was in its batch,
 * when it was received and why it was not stored as an event. A stored event always has a {@code
 * kind} or an {@code apiVersion}, so no event is ever read as a wrapper; a wrapper has neither, so
 * even a reader that does not know wrappers rejects it rather than taking it for an event; and the
 * spool's reader reports a wrapper as rejected input without ever reading the item inside it (which
 * may itself be an {@code EventList}), so an item refused once cannot come back as an event.
 *
 * <p>Files are only ever appended to, never renamed or rewritten, so the log reader's cursor (file
 * identity and offset) reads each line once. A batch is written with a single write; when that
 * fails the file is truncated back to where it was, and a file found not to end with a line end (a
 * crash mid-write) gets one first, so that a torn line stays on a line of its own and is rejected
 * alone.
 */
final class WebhookSpool {
  static final String PREFIX = "spool-";
  static final String SUFFIX = ".log";

  /**
   * The only field of a kept unreadable item's line. The dot keeps it apart from every field of the
   * Kubernetes API, whose JSON names are plain identifiers.
   */
  static final String UNREADABLE_ITEM = "vouch.unreadableItem";

  private static final Pattern FILE_NAME = Pattern.compile("spool-\\d{8}\\.log");
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

  /** One lock per spool directory in this process; a file lock guards against other processes. */
  private static final ConcurrentMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  private final Path directory;
  private final Clock clock;

  WebhookSpool(Path directory, Clock clock) {
    this.directory = directory.toAbsolutePath().normalize();
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  Path directory() {
    return directory;
  }

  /** Whether a file name is one of the spool's files. */
  static boolean isSpoolFile(String name) {
    return FILE_NAME.matcher(name).matches();
  }

  /** The file today's pushes go to. */
  Path currentFile() {
    return directory.resolve(PREFIX + DAY.format(clock.instant()) + SUFFIX);
  }

  /**
   * The spool line that keeps a pushed item that is not an audit event, as evidence (see the class
   * comment).
   *
   * @param index the item's position in its EventList, from 1
   * @param count how many items the EventList had
   * @param reason why it is not an audit event
   */
  byte[] unreadableLine(int index, int count, String reason, JsonNode item) {
    ObjectNode line = Json.MAPPER.createObjectNode();
    line.putObject(UNREADABLE_ITEM)
        .put("receivedAt", clock.instant().toString())
        .put("index", index)
        .put("count", count)
        .put("reason", reason)
        .set("item", item);
    try {
      return Json.MAPPER.writeValueAsBytes(line);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree that was just read", e);
    }
  }

  /**
   * What to report for a spool line that keeps an unreadable item, or null when the line is not
   * such a wrapper. The kept item itself is never read.
   */
  static @Nullable String unreadableItem(JsonNode line) {
    if (!line.isObject() || line.size() != 1 || !line.has(UNREADABLE_ITEM)) {
      return null;
    }
    JsonNode kept = line.get(UNREADABLE_ITEM);
    String index = JsonNodes.text(kept, "index");
    String count = JsonNodes.text(kept, "count");
    String receivedAt = JsonNodes.text(kept, "receivedAt");
    String reason = JsonNodes.text(kept, "reason");
    return (index == null ? "an item" : "item " + index + (count == null ? "" : " of " + count))
        + " of an EventList pushed to the webhook"
        + (receivedAt == null ? "" : " at " + receivedAt)
        + " was not stored as an event: "
        + (reason == null ? "it is not an audit Event" : reason)
        + "; the item is kept on this line as evidence";
  }

  /** Creates the directory when it is missing. */
  void ensureDirectory() throws SourceException {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new SourceException(
          "cannot create the webhook spool directory " + directory + ": " + e, e);
    }
  }

  /**
   * Appends lines (each one compact JSON value, without a line end) with a single write and forces
   * them to disk.
   *
   * @throws SourceException when they could not be stored; nothing of them is then left in the file
   */
  void append(List<byte[]> lines) throws SourceException {
    if (lines.isEmpty()) {
      return;
    }
    int total = 1;
    for (byte[] line : lines) {
      total = Math.addExact(total, line.length + 1);
    }
    ReentrantLock lock = LOCKS.computeIfAbsent(directory, d -> new ReentrantLock());
    lock.lock();
    Path file = currentFile();
    try {
      ensureDirectory();
      boolean created = !Files.exists(file);
      try (FileChannel channel =
              FileChannel.open(
                  file,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.READ,
                  StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        long size = channel.size();
        ByteBuffer out = ByteBuffer.allocate(total);
        if (size > 0 && lastByte(channel, size) != '\n') {
          out.put((byte) '\n');
        }
        for (byte[] line : lines) {
          out.put(line).put((byte) '\n');
        }
        out.flip();
        try {
          long position = size;
          while (out.hasRemaining()) {
            position += channel.write(out, position);
          }
          channel.force(true);
        } catch (IOException e) {
          try {
            channel.truncate(size);
            channel.force(true);
          } catch (IOException suppressed) {
            e.addSuppressed(suppressed);
          }
          throw e;
        }
      }
      if (created) {
        forceDirectory();
      }
    } catch (IOException e) {
      throw new SourceException(
          "cannot store the pushed batch in the webhook spool " + file + ": " + e, e);
    } finally {
      lock.unlock();
    }
  }

  private static byte lastByte(FileChannel channel, long size) throws IOException {
    ByteBuffer last = ByteBuffer.allocate(1);
    channel.read(last, size - 1);
    return last.get(0);
  }

  /** Makes a new file's directory entry durable; not every platform can, which is not an error. */
  private void forceDirectory() {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Best effort: the file's own content was forced already.
    }
  }
}
