package dev.vouch.connector.k8s;

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

/**
 * The webhook's durable spool: one file per UTC day, {@code spool-<yyyyMMdd>.log}, holding one
 * audit event per line, appended under a lock and forced to disk before a push is answered.
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
   * Appends lines (each one compact JSON value, without a line end) and forces them to disk.
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
