package dev.vouch.bench;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.zip.GZIPOutputStream;

/**
 * Writes audit lines the way kube-apiserver's log backend does through lumberjack with {@code
 * --audit-log-path=DIR/audit.log --audit-log-maxsize=M --audit-log-compress}: one {@code Write} per
 * event; when a write would take the file past M MiB, {@code audit.log} is renamed to {@code
 * audit-<UTC yyyy-MM-ddTHH-mm-ss.SSS>.log} (the time of the rotation, which is the time of the
 * event that triggered it) and a new {@code audit.log} is started; rotated files are gzipped to
 * {@code .log.gz} in the background. Here the newest {@code keepUncompressed} rotated files are
 * left uncompressed, as if their compression had not run yet.
 *
 * <p>File modification times are set to the time of each file's last event, so tools that order
 * files by time see the same order as by name.
 */
final class RotatingAuditLog implements Closeable {

  static final String LIVE = "audit.log";

  private static final DateTimeFormatter BACKUP_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.SSS");

  private final Path dir;
  private final long maxBytes;
  private final int keepUncompressed;
  private final Deque<Path> uncompressed = new ArrayDeque<>();

  private OutputStream out;
  private long size;
  private long lastMicros;

  long files;
  long gzFiles;
  long bytes;
  long bytesOnDisk;
  long lines;

  RotatingAuditLog(Path dir, long maxBytes, int keepUncompressed) throws IOException {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.keepUncompressed = keepUncompressed;
    Files.createDirectories(dir);
    open();
  }

  /**
   * Appends one line (ending in a newline).
   *
   * @param micros the event's stage time in microseconds since the epoch: the "now" of the write
   */
  void write(byte[] line, int length, long micros) throws IOException {
    if (length > maxBytes) {
      throw new IOException("write length " + length + " exceeds maximum file size " + maxBytes);
    }
    if (size + length > maxBytes) {
      rotate(micros);
    }
    out.write(line, 0, length);
    size += length;
    bytes += length;
    lines++;
    lastMicros = micros;
  }

  private void open() throws IOException {
    out = new BufferedOutputStream(Files.newOutputStream(dir.resolve(LIVE)), 1 << 20);
    size = 0;
  }

  private void rotate(long micros) throws IOException {
    out.close();
    Path live = dir.resolve(LIVE);
    setTime(live, lastMicros);
    LocalDateTime at =
        LocalDateTime.ofEpochSecond(
            Math.floorDiv(micros, 1_000_000L),
            (int) Math.floorMod(micros, 1_000_000L) * 1000,
            ZoneOffset.UTC);
    Path backup = dir.resolve("audit-" + BACKUP_TIME.format(at) + ".log");
    if (Files.exists(backup) || Files.exists(gz(backup))) {
      throw new IOException("rotated file already exists: " + backup);
    }
    Files.move(live, backup, StandardCopyOption.ATOMIC_MOVE);
    finished(backup);
    uncompressed.addLast(backup);
    while (uncompressed.size() > keepUncompressed) {
      compress(uncompressed.removeFirst());
    }
    open();
  }

  private void compress(Path log) throws IOException {
    Path target = gz(log);
    FileTime time = Files.getLastModifiedTime(log);
    long plain = Files.size(log);
    try (InputStream in = Files.newInputStream(log);
        OutputStream os = Files.newOutputStream(target);
        GZIPOutputStream gzip = new GZIPOutputStream(os, 1 << 16)) {
      in.transferTo(gzip);
    }
    Files.setLastModifiedTime(target, time);
    Files.delete(log);
    bytesOnDisk += Files.size(target) - plain;
    gzFiles++;
  }

  private void finished(Path file) throws IOException {
    files++;
    bytesOnDisk += Files.size(file);
  }

  private static Path gz(Path log) {
    return log.resolveSibling(log.getFileName() + ".gz");
  }

  private static void setTime(Path file, long micros) throws IOException {
    Files.setLastModifiedTime(
        file,
        FileTime.from(
            Instant.ofEpochSecond(
                Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000)));
  }

  /** Closes the live file; it stays uncompressed as {@code audit.log}. */
  @Override
  public void close() throws IOException {
    if (out == null) {
      return;
    }
    out.close();
    out = null;
    Path live = dir.resolve(LIVE);
    setTime(live, lastMicros);
    finished(live);
  }

  static long mebibytes(int mb) {
    return mb * 1024L * 1024L;
  }
}
