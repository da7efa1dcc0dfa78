package dev.vouch.connector.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Byte lines with offsets and numbers; identities of files. */
class LineReaderTest {

  private static LineReader reader(String text, int maxLine) {
    return new LineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), maxLine);
  }

  private static String text(LineReader lines) {
    return new String(lines.bytes(), 0, lines.length(), StandardCharsets.UTF_8);
  }

  @Test
  void shouldGiveEachLineItsOffsetsAndNumber() throws Exception {
    LineReader lines = reader("one\r\ntwo\n\nthree", 100);

    assertThat(lines.next()).isTrue();
    assertThat(text(lines)).isEqualTo("one");
    assertThat(lines.start()).isZero();
    assertThat(lines.end()).isEqualTo(5);
    assertThat(lines.next()).isTrue();
    assertThat(text(lines)).isEqualTo("two");
    assertThat(lines.number()).isEqualTo(2);
    assertThat(lines.next()).isTrue();
    assertThat(lines.blank()).isTrue();
    assertThat(lines.next()).isTrue();
    assertThat(text(lines)).isEqualTo("three");
    assertThat(lines.terminated()).isFalse();
    assertThat(lines.end()).isEqualTo(15);
    assertThat(lines.next()).isFalse();
  }

  @Test
  void shouldCountTheLinesItSkips() throws Exception {
    LineReader lines = reader("a\nb\nc\nd\n", 100);

    assertThat(lines.skipTo(4)).isTrue();
    assertThat(lines.next()).isTrue();
    assertThat(text(lines)).isEqualTo("c");
    assertThat(lines.number()).isEqualTo(3);
    assertThat(reader("a\n", 100).skipTo(5)).isFalse();
  }

  @Test
  void shouldCutALineThatIsTooLongAndGoOn() throws Exception {
    LineReader lines = reader("x".repeat(100_000) + "\nnext\n", 1000);

    assertThat(lines.next()).isTrue();
    assertThat(lines.tooLong()).isTrue();
    assertThat(lines.length()).isEqualTo(1000);
    assertThat(lines.end()).isEqualTo(100_001);
    assertThat(lines.next()).isTrue();
    assertThat(text(lines)).isEqualTo("next");
    assertThat(lines.number()).isEqualTo(2);
  }

  @Test
  void shouldIdentifyALogByItsFirstLineOnly() throws Exception {
    String first = "{\"kind\":\"Event\",\"auditID\":\"" + "a".repeat(150) + "\"}";
    FileIdentity short1 = identity(first + "\n");
    FileIdentity longer = identity(first + "\n{\"kind\":\"Event\",\"auditID\":\"b\"}\n");

    assertThat(short1).isEqualTo(longer);
    assertThat(short1.document()).isFalse();
  }

  @Test
  void shouldTellPrettyPrintedDocumentsApart() throws Exception {
    FileIdentity a = identity("{\n  \"kind\": \"Event\",\n  \"auditID\": \"a\"\n}\n");
    FileIdentity b = identity("{\n  \"kind\": \"Event\",\n  \"auditID\": \"b\"\n}\n");

    assertThat(a.document()).isTrue();
    assertThat(a.sha256()).isNotEqualTo(b.sha256());
  }

  @Test
  void shouldHaveNoIdentityBeforeTheFirstLineIsComplete() throws Exception {
    assertThat(identity("")).isNull();
    assertThat(identity("{\"kind\":\"Event\",\"audi")).isNull();
    assertThat(identity("{\"kind\": 0}")).isNotNull();
  }

  private static FileIdentity identity(String text) throws Exception {
    return FileIdentity.read(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 1 << 20);
  }
}
