package dev.vouch.connector.cloudtrail;

import static dev.vouch.connector.cloudtrail.TestSupport.gzip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Members end anywhere in the buffer of the stream that reads them: at its start, its end, or with
 * the next header split across two reads. Every such place must neither lose a member nor let bytes
 * that are no member pass.
 */
class GzipMembersInputStreamTest {
  /** Member contents of many lengths, so that member boundaries fall all over the buffer. */
  private static final String[] CONTENTS = {
    "", "{}", "{\"Records\":[]}", "x".repeat(57), "0123456789abcdef".repeat(40), "y".repeat(3001)
  };

  private static String read(byte[] data, int bufferSize) throws IOException {
    try (InputStream in = new GzipMembersInputStream(new ByteArrayInputStream(data), bufferSize)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 32, 100, 513, 65536})
  void shouldReadEveryMemberWhereverTheBufferSplitsThem(int bufferSize) throws Exception {
    for (int first = 0; first < CONTENTS.length; first++) {
      for (int count = 1; count <= 4; count++) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < count; i++) {
          String content = CONTENTS[(first + i) % CONTENTS.length];
          data.writeBytes(gzip(content));
          expected.append(content);
        }

        assertThat(read(data.toByteArray(), bufferSize))
            .as("%s members from #%s, buffer %s", count, first, bufferSize)
            .isEqualTo(expected.toString());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 32, 100, 513, 65536})
  void shouldFailOnBytesAfterAMemberThatAreNoMemberWhateverTheirLength(int bufferSize) {
    for (String content : CONTENTS) {
      for (int extra = 1; extra <= 40; extra++) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.writeBytes(gzip(content));
        // A header's first bytes, then zeros: a member cut short, or padding.
        byte[] trailing = new byte[extra];
        trailing[0] = 0x1f;
        if (extra > 1) {
          trailing[1] = (byte) 0x8b;
        }
        data.writeBytes(trailing);

        assertThatThrownBy(() -> read(data.toByteArray(), bufferSize))
            .as("%s bytes after %s, buffer %s", extra, content.length(), bufferSize)
            .isInstanceOf(ZipException.class)
            .hasMessageStartingWith("the bytes after gzip member 1 are not a gzip member: ");
      }
    }
  }
}
