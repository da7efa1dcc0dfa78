package dev.vouch.connector.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * What identifies a log file whatever its name: the SHA-256 of its first line, decompressed. A
 * rotated file keeps its first line when it is renamed ({@code audit.log} to {@code
 * audit-2026-10-01T00-00-00.000.log}) and compressed ({@code .log.gz}), so the cursor finds it
 * again; a new {@code audit.log} starts with another line.
 *
 * <p>Every audit event is longer than {@value #FIRST_LINE_MIN} bytes, so for a log this is exactly
 * the first line. A shorter first line means a pretty-printed JSON document (its first line is
 * {@code {}) or something else; then the identity covers the leading lines up to {@value
 * #SHORT_PREFIX} bytes (all complete lines of a smaller file), so that two documents that both
 * start with {@code {} are not taken for one file.
 *
 * @param sha256 the hex SHA-256 of the identifying lines, without their line ends
 * @param document whether the file is a pretty-printed JSON document rather than JSON lines: its
 *     first non-blank line is short, opens an object or array and does not close it
 */
record FileIdentity(String sha256, boolean document) {
  static final int FIRST_LINE_MIN = 128;
  static final int SHORT_PREFIX = 4096;

  /**
   * Reads the identity from the start of a (decompressed) file.
   *
   * @return the identity, or null when the file has no complete line yet (empty, or a first line
   *     still being written)
   */
  static @Nullable FileIdentity read(InputStream in, int maxLine) throws IOException {
    LineReader lines = new LineReader(in, maxLine);
    MessageDigest digest = newDigest();
    int used = 0;
    long bytes = 0;
    Boolean document = null;
    while (lines.next()) {
      if (!lines.terminated() && !completeJson(lines.bytes(), lines.length())) {
        break;
      }
      if (used > 0) {
        digest.update((byte) '\n');
        bytes++;
      }
      digest.update(lines.bytes(), 0, lines.length());
      bytes += lines.length();
      used++;
      if (document == null && !lines.blank()) {
        document = opensDocument(lines.bytes(), lines.length());
      }
      if (used == 1 && lines.length() >= FIRST_LINE_MIN) {
        break;
      }
      if (bytes >= SHORT_PREFIX) {
        break;
      }
    }
    if (used == 0) {
      return null;
    }
    return new FileIdentity(
        HexFormat.of().formatHex(digest.digest()), document != null && document);
  }

  /**
   * Whether a line (without its line end) is one whole JSON object or array, or whole CloudWatch
   * Logs subscription messages one after the other: the test for a last line that has no {@code \n}
   * yet, which is complete only when its JSON is. Kinesis Data Firehose writes a subscription's
   * messages to S3 without a line end, neither between them nor after the last.
   */
  static boolean completeJson(byte[] bytes, int length) {
    int first = firstNonBlank(bytes, length);
    if (first < 0 || (bytes[first] != '{' && bytes[first] != '[')) {
      return false;
    }
    try {
      Json.WHOLE.readTree(bytes, 0, length);
      return true;
    } catch (IOException e) {
      return subscriptionMessages(bytes, length);
    }
  }

  private static boolean subscriptionMessages(byte[] bytes, int length) {
    try (MappingIterator<JsonNode> values =
        Json.MAPPER.readerFor(JsonNode.class).readValues(bytes, 0, length)) {
      if (!Envelopes.isCloudWatchMessage(values.nextValue())) {
        return false;
      }
      while (values.hasNextValue()) {
        values.nextValue();
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether a short line opens a JSON object or array that it does not close. */
  static boolean opensDocument(byte[] bytes, int length) {
    int first = firstNonBlank(bytes, length);
    if (first < 0 || length >= FIRST_LINE_MIN || (bytes[first] != '{' && bytes[first] != '[')) {
      return false;
    }
    try {
      Json.WHOLE.readTree(bytes, 0, length);
      return false;
    } catch (JsonEOFException e) {
      return true;
    } catch (JsonProcessingException e) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  private static int firstNonBlank(byte[] bytes, int length) {
    for (int i = 0; i < length; i++) {
      byte b = bytes[i];
      if (b != ' ' && b != '\t' && b != '\r' && b != '\f') {
        // A byte-order mark is not content either.
        if (i + 2 < length
            && b == (byte) 0xEF
            && bytes[i + 1] == (byte) 0xBB
            && bytes[i + 2] == (byte) 0xBF) {
          i += 2;
          continue;
        }
        return i;
      }
    }
    return -1;
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-256", e);
    }
  }
}
