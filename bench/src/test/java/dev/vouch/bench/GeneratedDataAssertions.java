package dev.vouch.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions both generator tests make about a generated data set, and readers for its files. */
final class GeneratedDataAssertions {

  /** The files every data set has besides its logs. */
  static final List<String> TEXT_FILES =
      List.of(ChangeLogCsv.FILE, "vouch.yaml", DataSetOutput.EXPECTED, DataSetOutput.SUMMARY);

  static void assertEveryOutputFileExists(Path out, String logs) {
    for (String name : TEXT_FILES) {
      assertThat(out.resolve(name)).exists();
    }
    assertThat(out.resolve(logs)).exists();
  }

  static Properties readSummary(Path out) throws IOException {
    Properties summary = new Properties();
    try (var r = Files.newBufferedReader(out.resolve(DataSetOutput.SUMMARY))) {
      summary.load(r);
    }
    return summary;
  }

  /**
   * The rows of {@code changes.csv} after its header, checked to have the header, {@code records}
   * rows of 16 fields and a window of two instants each.
   */
  static List<List<String>> changeLogRows(Path out, int records) throws IOException {
    List<List<String>> all = parseCsv(Files.readString(out.resolve(ChangeLogCsv.FILE)));
    assertThat(String.join(",", all.get(0))).isEqualTo(ChangeLogCsv.HEADER);
    assertThat(all).hasSize(records + 1);
    List<List<String>> rows = all.subList(1, all.size());
    for (List<String> row : rows) {
      assertThat(row).hasSize(16);
      Instant.parse(row.get(5));
      Instant.parse(row.get(6));
    }
    return rows;
  }

  /** The text files of two data sets are identical. */
  static void assertSameTextFiles(Path again, Path out) throws IOException {
    for (String name : TEXT_FILES) {
      assertThat(Files.readString(again.resolve(name)))
          .isEqualTo(Files.readString(out.resolve(name)));
    }
  }

  static void assertRefusesToOverwrite(ThrowingCallable generateAgain) {
    assertThatThrownBy(generateAgain)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already holds generated data");
  }

  /**
   * The checker passes findings made from the expectations, each naming its event by {@code field}:
   * the event id with {@code prefix} before it.
   */
  static void assertCheckerAcceptsTheExpectations(
      Path out, Map<String, String> expected, Path findings, String field, String prefix)
      throws IOException {
    StringBuilder sb = new StringBuilder("[");
    for (Map.Entry<String, String> e : expected.entrySet()) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append("{\"")
          .append(field)
          .append("\":\"")
          .append(prefix)
          .append(e.getKey())
          .append("\",\"verdict\":\"")
          .append(e.getValue())
          .append("\"}");
    }
    sb.append(']');
    Files.writeString(findings, sb);
    assertThat(FindingsChecker.check(out.resolve(DataSetOutput.EXPECTED), findings).passed())
        .isTrue();
  }

  /** A small RFC 4180 reader: quoted fields may hold commas, quotes and line breaks. */
  static List<List<String>> parseCsv(String text) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        row.add(field.toString());
        field.setLength(0);
      } else if (c == '\n') {
        row.add(field.toString());
        field.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
      } else {
        field.append(c);
      }
    }
    assertThat(text).endsWith("\n");
    return rows;
  }

  private GeneratedDataAssertions() {}
}
