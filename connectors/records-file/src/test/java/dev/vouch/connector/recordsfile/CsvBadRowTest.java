package dev.vouch.connector.recordsfile;

import static dev.vouch.connector.recordsfile.ChangeLogs.HEADER;
import static dev.vouch.connector.recordsfile.ChangeLogs.csvLine;
import static dev.vouch.connector.recordsfile.ChangeLogs.goodRow;
import static dev.vouch.connector.recordsfile.ChangeLogs.pullCsv;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.core.spi.InputProblem;
import dev.vouch.testkit.CollectingRecordSink;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One bad cell per case, in the third line of the file, between two good rows: the bad row alone is
 * rejected, with the exact line and column, and reading goes on.
 */
class CsvBadRowTest {
  @TempDir Path dir;

  static Stream<Arguments> badCells() {
    return Stream.of(
        bad("id", "", "3:1 (id)", "is empty; every record needs an id"),
        bad("id", "   ", "3:1 (id)", "is empty"),
        bad("title", "", "3:2 (title)", "is empty; every record needs a title"),
        bad("type", "major", "3:3 (type)", "'major' is not a change type; expected standard,"),
        bad("type", "", "3:3 (type)", "is empty; expected standard, normal or emergency"),
        bad("state", "done", "3:4 (state)", "'done' is not a record state; expected draft,"),
        bad("state", "", "3:4 (state)", "is empty"),
        bad("systems", "", "3:5 (systems)", "is empty; name at least one system"),
        bad("systems", " ; ;", "3:5 (systems)", "is empty; name at least one system"),
        bad(
            "window_start",
            "2026-11-17T09:00:00",
            "3:6 (window_start)",
            "'2026-11-17T09:00:00' has no time zone: write Z or an offset"),
        bad(
            "window_end",
            "2026-11-17 10:00",
            "3:7 (window_end)",
            "'2026-11-17 10:00' is not an ISO-8601 time with Z or an offset"),
        bad(
            "window_end",
            "2026-11-17T10:00",
            "3:7 (window_end)",
            "'2026-11-17T10:00' has no time zone: write Z or an offset"),
        bad("window_end", "2026-11-17", "3:7 (window_end)", "is a date without a time"),
        bad("window_end", "tomorrow", "3:7 (window_end)", "is not an ISO-8601 time"),
        bad("window_end", "", "3:7 (window_end)", "is empty; expected an ISO-8601 time"),
        bad(
            "window_end",
            "2026-11-17T08:59:59Z",
            "3:7 (window_end)",
            "is before window_start '2026-11-17T09:00:00Z'"),
        bad(
            "approved_by",
            "",
            "3:9 (approved_by)",
            "a normal change in state 'approved' must be approved before it is made"),
        bad(
            "approved_at",
            "",
            "3:10 (approved_at)",
            "is empty, but a normal change in state 'approved' must be approved"),
        bad(
            "approved_at",
            "2026-11-16T15:00:00+25:00",
            "3:10 (approved_at)",
            "is not an ISO-8601 time with Z or an offset"),
        bad(
            "approved_at",
            "16/11/2026 15:00",
            "3:10 (approved_at)",
            "'16/11/2026 15:00' is not an ISO-8601 time"));
  }

  private static Arguments bad(String column, String cell, String where, String fragment) {
    return Arguments.of(column, cell, where, fragment);
  }

  @ParameterizedTest(name = "{0} = ''{1}'' -> {2}")
  @MethodSource("badCells")
  void aBadCellRejectsItsRowOnlyWithExactLocation(
      String column, String cell, String where, String fragment) throws Exception {
    Map<String, String> row = goodRow("CHG-2");
    row.put(column, cell);

    CollectingRecordSink sink =
        pullCsv(dir, HEADER, csvLine(goodRow("CHG-1")), csvLine(row), csvLine(goodRow("CHG-3")));

    assertThat(sink.keys()).containsExactly("CHG-1", "CHG-3");
    assertThat(sink.problems())
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.location()).isEqualTo("changes.csv:" + where);
              assertThat(problem.message()).contains(fragment);
            });
  }

  static Stream<Arguments> badOptionalCells() {
    return Stream.of(
        bad("updated_at", "2026-11-18T08:00:00", "3:11 (updated_at)", "has no time zone"),
        bad("updated_at", "yesterday", "3:11 (updated_at)", "is not an ISO-8601 time"));
  }

  @ParameterizedTest(name = "{0} = ''{1}'' -> {2}")
  @MethodSource("badOptionalCells")
  void aBadOptionalCellRejectsItsRow(String column, String cell, String where, String fragment)
      throws Exception {
    Map<String, String> row = goodRow("CHG-2");
    row.put(column, cell);
    String header = HEADER + ",updated_at";
    List<String> columns = List.of(header.split(","));

    CollectingRecordSink sink =
        pullCsv(
            dir,
            header,
            csvLine(columns, goodRow("CHG-1")),
            csvLine(columns, row),
            csvLine(columns, goodRow("CHG-3")));

    assertThat(sink.keys()).containsExactly("CHG-1", "CHG-3");
    assertThat(sink.problems())
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.location()).isEqualTo("changes.csv:" + where);
              assertThat(problem.message()).contains(fragment);
            });
  }

  @ParameterizedTest(name = "approval pairing: {0} = ''{1}''")
  @MethodSource("halfAnApproval")
  void anApprovalNeedsBothWhoAndWhenEvenWhereItIsOptional(
      String column, String cell, String where, String fragment) throws Exception {
    Map<String, String> row = goodRow("CHG-2");
    row.put("type", "emergency");
    row.put(column, cell);

    CollectingRecordSink sink = pullCsv(dir, HEADER, csvLine(goodRow("CHG-1")), csvLine(row));

    assertThat(sink.keys()).containsExactly("CHG-1");
    assertThat(sink.problems())
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.location()).isEqualTo("changes.csv:" + where);
              assertThat(problem.message()).contains(fragment);
            });
  }

  static Stream<Arguments> halfAnApproval() {
    return Stream.of(
        bad("approved_at", "", "3:10 (approved_at)", "approved_by names approvers"),
        bad("approved_by", "", "3:9 (approved_by)", "approved_at is set: name who approved"));
  }

  @Test
  void everyProblemOfARowIsReportedInColumnOrder() throws Exception {
    Map<String, String> row = goodRow("CHG-2");
    row.put("type", "major");
    row.put("systems", "");
    row.put("window_end", "2026-11-17 10:00");
    row.put("approved_by", "");

    CollectingRecordSink sink = pullCsv(dir, HEADER, csvLine(goodRow("CHG-1")), csvLine(row));

    assertThat(sink.keys()).containsExactly("CHG-1");
    assertThat(sink.problems())
        .extracting(InputProblem::location)
        .containsExactly(
            "changes.csv:3:3 (type)",
            "changes.csv:3:5 (systems)",
            "changes.csv:3:7 (window_end)",
            "changes.csv:3:9 (approved_by)");
  }

  @Test
  void aNormalApprovedRowWithoutApproverAndTimeGetsBothProblems() throws Exception {
    Map<String, String> row = goodRow("CHG-2");
    row.put("approved_by", "");
    row.put("approved_at", "");

    CollectingRecordSink sink = pullCsv(dir, HEADER, csvLine(row));

    assertThat(sink.records()).isEmpty();
    assertThat(sink.problemLines())
        .containsExactly(
            "changes.csv:2:9 (approved_by): is empty, but a normal change in state 'approved' must"
                + " be approved before it is made; only emergency changes may be approved after"
                + " the fact",
            "changes.csv:2:10 (approved_at): is empty, but a normal change in state 'approved'"
                + " must be approved before it is made; only emergency changes may be approved"
                + " after the fact");
  }

  @Test
  void aRowWithTooManyCellsIsRejectedAtTheFirstExtraCell() throws Exception {
    String shifted = csvLine(goodRow("CHG-2")).replace("Rotate payment API keys", "Rotate, keys");

    CollectingRecordSink sink = pullCsv(dir, HEADER, csvLine(goodRow("CHG-1")), shifted);

    assertThat(sink.keys()).containsExactly("CHG-1");
    assertThat(sink.problemLines())
        .containsExactly(
            "changes.csv:3:11: the row has 11 cells but the header has 10 columns; quote any cell"
                + " that contains a comma");
  }

  @Test
  void aRowWithTooFewCellsIsRejectedAtTheFirstMissingCell() throws Exception {
    String line = csvLine(goodRow("CHG-2"));
    String truncated = line.substring(0, line.lastIndexOf(','));

    CollectingRecordSink sink = pullCsv(dir, HEADER, truncated, csvLine(goodRow("CHG-3")));

    assertThat(sink.keys()).containsExactly("CHG-3");
    assertThat(sink.problems())
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.location()).isEqualTo("changes.csv:2:10 (approved_at)");
              assertThat(problem.message()).startsWith("the row has 9 cells but the header has 10");
            });
  }
}
