package dev.vouch.connector.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiServerPodLogsLineReaderTest {

  @Test
  void splitsOnNewlinesDropsCarriageReturnsAndKeepsALastLineWithoutNewline() throws IOException {
    assertThat(lines("a\nb\r\n\nlast", 1024)).containsExactly("a", "b", "", "last");
    assertThat(lines("a\n", 1024)).containsExactly("a");
    assertThat(lines("", 1024)).isEmpty();
  }

  @Test
  void decodesUtf8AcrossReadBoundaries() throws IOException {
    String text = "2026-11-20T10:00:00Z {\"user\":\"Zoë\",\"note\":\"日本\"}\n";
    ApiServerPodLogsLineReader reader =
        new ApiServerPodLogsLineReader(trickle(text.getBytes(StandardCharsets.UTF_8)), 1024);

    assertThat(reader.next()).isTrue();
    int space = reader.indexOf((byte) ' ', 0, 64);
    assertThat(reader.ascii(0, space)).isEqualTo("2026-11-20T10:00:00Z");
    assertThat(reader.utf8(space + 1)).isEqualTo("{\"user\":\"Zoë\",\"note\":\"日本\"}");
    assertThat(reader.next()).isFalse();
    assertThat(reader.bytesRead()).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void keepsOnlyTheStartOfALineLongerThanTheLimit() throws IOException {
    String longLine = "x".repeat(300_000);
    ApiServerPodLogsLineReader reader =
        new ApiServerPodLogsLineReader(
            new ByteArrayInputStream((longLine + "\nshort\n").getBytes(StandardCharsets.UTF_8)),
            100_000);

    assertThat(reader.next()).isTrue();
    assertThat(reader.truncated()).isTrue();
    assertThat(reader.length()).isEqualTo(100_000);
    assertThat(reader.fullLength()).isEqualTo(300_000);
    assertThat(reader.next()).isTrue();
    assertThat(reader.truncated()).isFalse();
    assertThat(reader.utf8(0)).isEqualTo("short");
    assertThat(reader.next()).isFalse();
  }

  @Test
  void aLineOfExactlyTheLimitIsWhole() throws IOException {
    ApiServerPodLogsLineReader reader =
        new ApiServerPodLogsLineReader(
            new ByteArrayInputStream("abcd\r\n".getBytes(StandardCharsets.UTF_8)), 5);

    assertThat(reader.next()).isTrue();
    assertThat(reader.truncated()).isFalse();
    assertThat(reader.utf8(0)).isEqualTo("abcd");
  }

  private static List<String> lines(String text, int max) throws IOException {
    ApiServerPodLogsLineReader reader =
        new ApiServerPodLogsLineReader(trickle(text.getBytes(StandardCharsets.UTF_8)), max);
    List<String> lines = new ArrayList<>();
    while (reader.next()) {
      lines.add(reader.utf8(0));
    }
    return lines;
  }

  /** A stream that hands out at most 3 bytes per read, to split lines and characters. */
  private static InputStream trickle(byte[] bytes) {
    return new FilterInputStream(new ByteArrayInputStream(bytes)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, 3));
      }

      @Override
      public int read(byte[] b) throws IOException {
        return read(b, 0, b.length);
      }
    };
  }
}
