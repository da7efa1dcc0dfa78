package dev.vouch.connector.k8s;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.NullMarked;

/**
 * Splits a byte stream into lines without ever holding more than one line, and never more than
 * {@code maxLineBytes} of it: the bytes past that limit are counted and dropped, and the line is
 * marked {@link #truncated()}. Lines end at {@code \n}; a {@code \r} before it is dropped; a last
 * line without {@code \n} still counts. Not thread-safe; does not close the stream.
 */
@NullMarked
final class ApiServerPodLogsLineReader {
  private static final int CHUNK_BYTES = 64 * 1024;
  private static final int INITIAL_LINE_BYTES = 4 * 1024;

  private final InputStream in;
  private final int maxLineBytes;
  private final byte[] chunk = new byte[CHUNK_BYTES];
  private int chunkPos;
  private int chunkLimit;
  private byte[] line = new byte[INITIAL_LINE_BYTES];
  private int length;
  private long fullLength;
  private long bytesRead;
  private boolean eof;

  ApiServerPodLogsLineReader(InputStream in, int maxLineBytes) {
    this.in = Objects.requireNonNull(in, "in");
    if (maxLineBytes < 1) {
      throw new IllegalArgumentException("maxLineBytes must be positive: " + maxLineBytes);
    }
    this.maxLineBytes = maxLineBytes;
  }

  /**
   * Moves to the next line.
   *
   * @return false at the end of the stream (no line is current then)
   */
  boolean next() throws IOException {
    length = 0;
    fullLength = 0;
    boolean sawBytes = false;
    while (true) {
      if (chunkPos == chunkLimit) {
        if (eof) {
          return sawBytes;
        }
        int n = in.read(chunk);
        if (n < 0) {
          eof = true;
          return sawBytes;
        }
        bytesRead += n;
        chunkPos = 0;
        chunkLimit = n;
        continue;
      }
      sawBytes = true;
      int start = chunkPos;
      int end = start;
      while (end < chunkLimit && chunk[end] != '\n') {
        end++;
      }
      append(start, end);
      if (end < chunkLimit) {
        chunkPos = end + 1;
        dropTrailingCarriageReturn();
        return true;
      }
      chunkPos = end;
    }
  }

  /** The bytes kept of the current line: at most {@code maxLineBytes}, without the line end. */
  int length() {
    return length;
  }

  /** Whether the current line was longer than {@code maxLineBytes} and was cut. */
  boolean truncated() {
    return fullLength > length;
  }

  /** The length of the current line in bytes, including what was cut. */
  long fullLength() {
    return fullLength;
  }

  /** All bytes read from the stream so far, line ends included. */
  long bytesRead() {
    return bytesRead;
  }

  /**
   * The index of the first {@code b} in the kept bytes of the current line, from {@code from}
   * (exclusive of {@code to}), or -1.
   */
  int indexOf(byte b, int from, int to) {
    int end = Math.min(to, length);
    for (int i = from; i < end; i++) {
      if (line[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /** The byte at {@code index} of the kept bytes. */
  byte byteAt(int index) {
    if (index < 0 || index >= length) {
      throw new IndexOutOfBoundsException(index);
    }
    return line[index];
  }

  /** Kept bytes {@code [from, to)} decoded as ASCII (for the timestamp prefix). */
  String ascii(int from, int to) {
    return new String(line, from, to - from, StandardCharsets.US_ASCII);
  }

  /** Kept bytes from {@code from} to the end, decoded as UTF-8. */
  String utf8(int from) {
    return new String(line, from, length - from, StandardCharsets.UTF_8);
  }

  private void append(int start, int end) {
    int n = end - start;
    fullLength += n;
    int keep = Math.min(n, maxLineBytes - length);
    if (keep <= 0) {
      return;
    }
    if (length + keep > line.length) {
      int grown = Math.max(length + keep, Math.min(maxLineBytes, line.length * 2));
      line = Arrays.copyOf(line, grown);
    }
    System.arraycopy(chunk, start, line, length, keep);
    length += keep;
  }

  private void dropTrailingCarriageReturn() {
    if (length > 0 && length == fullLength && line[length - 1] == '\r') {
      length--;
      fullLength--;
    }
  }
}
