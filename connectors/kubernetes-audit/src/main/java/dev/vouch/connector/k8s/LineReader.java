package dev.vouch.connector.k8s;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a byte stream line by line, keeping the byte offset and number of every line, without
 * decoding: offsets are what the cursor records, and Jackson parses the bytes directly.
 *
 * <p>A line ends with {@code \n} (a {@code \r} before it is dropped). What follows the last {@code
 * \n} is returned as an <em>unterminated</em> line, which the caller may leave for later (a line
 * still being written). A line longer than the limit is returned flagged {@link #tooLong()} with
 * only its first bytes; the rest is skipped without being held in memory.
 */
final class LineReader {
  private static final int BUFFER_SIZE = 1 << 16;

  private final InputStream in;
  private final int maxLine;
  private final byte[] buffer = new byte[BUFFER_SIZE];
  private int position;
  private int limit;
  private boolean eof;

  /** Absolute offset of {@code buffer[position]}. */
  private long offset;

  private byte[] line = new byte[8192];
  private int lineLength;
  private long lineStart;
  private long lineEnd;
  private long lineNumber;
  private boolean terminated;
  private boolean tooLong;

  /**
   * @param in the stream, positioned at its start
   * @param maxLine the longest line kept whole, in bytes
   */
  LineReader(InputStream in, int maxLine) {
    this.in = in;
    this.maxLine = maxLine;
  }

  /**
   * Skips to a byte offset, counting the lines passed, so that later lines have their true numbers.
   *
   * @return false when the stream ends before the offset
   */
  boolean skipTo(long target) throws IOException {
    while (offset < target) {
      if (position == limit && !fill()) {
        return false;
      }
      int n = (int) Math.min(limit - position, target - offset);
      for (int i = position; i < position + n; i++) {
        if (buffer[i] == '\n') {
          lineNumber++;
        }
      }
      position += n;
      offset += n;
    }
    return true;
  }

  /**
   * Reads the next line.
   *
   * @return false at the end of the stream, when nothing is left
   */
  boolean next() throws IOException {
    lineLength = 0;
    tooLong = false;
    lineStart = offset;
    while (true) {
      if (position == limit && !fill()) {
        if (offset == lineStart) {
          return false;
        }
        terminated = false;
        lineEnd = offset;
        lineNumber++;
        return true;
      }
      int end = position;
      while (end < limit && buffer[end] != '\n') {
        end++;
      }
      append(position, end - position);
      offset += end - position;
      position = end;
      if (end < limit) {
        position++;
        offset++;
        terminated = true;
        lineEnd = offset;
        lineNumber++;
        if (lineLength > 0 && line[lineLength - 1] == '\r' && !tooLong) {
          lineLength--;
        }
        return true;
      }
    }
  }

  private void append(int from, int length) {
    if (tooLong || length == 0) {
      return;
    }
    int room = maxLine - lineLength;
    if (length > room) {
      tooLong = true;
      length = room;
    }
    if (lineLength + length > line.length) {
      line = Arrays.copyOf(line, Math.min(maxLine, Math.max(line.length * 2, lineLength + length)));
    }
    System.arraycopy(buffer, from, line, lineLength, length);
    lineLength += length;
  }

  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    int read;
    do {
      read = in.read(buffer, 0, buffer.length);
    } while (read == 0);
    if (read < 0) {
      eof = true;
      position = 0;
      limit = 0;
      return false;
    }
    position = 0;
    limit = read;
    return true;
  }

  /** The current line's bytes, valid up to {@link #length()} until the next call. */
  byte[] bytes() {
    return line;
  }

  int length() {
    return lineLength;
  }

  /** Offset of the line's first byte. */
  long start() {
    return lineStart;
  }

  /** Offset just after the line's {@code \n} (or its last byte, when unterminated). */
  long end() {
    return lineEnd;
  }

  /** The 1-based number of the current line; after {@link #skipTo}, of the last line passed. */
  long number() {
    return lineNumber;
  }

  boolean terminated() {
    return terminated;
  }

  boolean tooLong() {
    return tooLong;
  }

  /** Whether the line holds only white space. */
  boolean blank() {
    for (int i = 0; i < lineLength; i++) {
      byte b = line[i];
      if (b != ' ' && b != '\t' && b != '\r' && b != '\f') {
        return false;
      }
    }
    return !tooLong;
  }

  /** The current offset: the start of the next line. */
  long offset() {
    return offset;
  }

  /** The rest of the stream from the current offset, buffered bytes first. */
  InputStream rest() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        if (position == limit && !fill()) {
          return -1;
        }
        offset++;
        return buffer[position++] & 0xff;
      }

      @Override
      public int read(byte[] target, int from, int length) throws IOException {
        if (length == 0) {
          return 0;
        }
        if (position == limit && !fill()) {
          return -1;
        }
        int n = Math.min(length, limit - position);
        System.arraycopy(buffer, position, target, from, n);
        position += n;
        offset += n;
        return n;
      }
    };
  }
}
