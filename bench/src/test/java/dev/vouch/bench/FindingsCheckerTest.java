package dev.vouch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FindingsCheckerTest {

  @TempDir Path dir;

  private Path expected;

  @BeforeEach
  void writeExpected() throws IOException {
    expected = dir.resolve("expected.csv");
    Files.writeString(expected, "eventID,verdict\ne1,AUTHORIZED\ne2,UNAUTHORIZED\ne3,EXCLUDED\n");
  }

  private Path findings(String json) throws IOException {
    Path p = dir.resolve("findings.json");
    Files.writeString(p, json);
    return p;
  }

  private int run(Path findings, StringBuilder output) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        FindingsChecker.run(
            new String[] {"--expected", expected.toString(), "--findings", findings.toString()},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    output
        .append(out.toString(StandardCharsets.UTF_8))
        .append(err.toString(StandardCharsets.UTF_8));
    return code;
  }

  @Test
  void passesWhenEveryChangeHasItsVerdictAndSkipsUnknownFields() throws IOException {
    StringBuilder out = new StringBuilder();
    int code =
        run(
            findings(
                "[{\"eventId\":\"e1\",\"verdict\":\"AUTHORIZED\",\"candidates\":[{\"eventId\":\"x\"}]},"
                    + "{\"reasons\":{\"a\":[1,2]},\"eventId\":\"e2\",\"verdict\":\"UNAUTHORIZED\"},"
                    + "{\"eventId\":\"e3\",\"verdict\":\"EXCLUDED\",\"risks\":[]}]"),
            out);
    assertThat(code).as(out.toString()).isZero();
    assertThat(out).contains("PASS: 3 of 3 correct");
  }

  @Test
  void acceptsAWrappingObjectAndEventKeys() throws IOException {
    StringBuilder out = new StringBuilder();
    int code =
        run(
            findings(
                "{\"run\":{\"id\":1},\"findings\":["
                    + "{\"eventKey\":\"cloudtrail:e1\",\"verdict\":\"AUTHORIZED\"},"
                    + "{\"nativeId\":\"e2\",\"verdict\":\"UNAUTHORIZED\"},"
                    + "{\"eventId\":\"e3\",\"verdict\":\"EXCLUDED\"}]}"),
            out);
    assertThat(code).as(out.toString()).isZero();
  }

  @Test
  void reportsWrongMissingUnexpectedAndDuplicateFindings() throws IOException {
    StringBuilder out = new StringBuilder();
    int code =
        run(
            findings(
                "[{\"eventId\":\"e1\",\"verdict\":\"OUTSIDE_WINDOW\"},"
                    + "{\"eventId\":\"e2\",\"verdict\":\"UNAUTHORIZED\"},"
                    + "{\"eventId\":\"e2\",\"verdict\":\"UNAUTHORIZED\"},"
                    + "{\"eventId\":\"r9\",\"verdict\":\"UNAUTHORIZED\"}]"),
            out);
    assertThat(code).isEqualTo(1);
    assertThat(out)
        .contains("e1  expected=AUTHORIZED  actual=OUTSIDE_WINDOW")
        .contains("e3  expected=EXCLUDED  actual=MISSING")
        .contains("r9  expected=(no finding: not a change)  actual=UNAUTHORIZED")
        .contains("FAIL: 0 of 3 correct")
        .contains("1 missing, 1 unexpected, 1 duplicate");
  }

  @Test
  void rejectsBadInputWithExitTwo() throws IOException {
    StringBuilder out = new StringBuilder();
    assertThat(run(findings("{\"not\":\"findings\"}"), out)).isEqualTo(2);
    assertThat(out).contains("no findings array");
    assertThat(run(dir.resolve("absent.json"), new StringBuilder())).isEqualTo(2);
  }

  @Test
  void matchesTheSourcesOwnIdInsideVouchsScopedIds() {
    java.util.Map<String, String> expected =
        java.util.Map.of("4c2f-uuid", "AUTHORIZED", "audit-7", "UNAUTHORIZED");

    assertThat(FindingsChecker.sourceId("111122223333:4c2f-uuid", expected)).isEqualTo("4c2f-uuid");
    assertThat(FindingsChecker.sourceId("prod-eu:audit-7:0a1b2c3d4e5f", expected))
        .isEqualTo("audit-7");
    assertThat(FindingsChecker.sourceId("audit-7", expected)).isEqualTo("audit-7");
    assertThat(FindingsChecker.sourceId("111122223333:unknown", expected))
        .isEqualTo("111122223333:unknown");
  }
}
