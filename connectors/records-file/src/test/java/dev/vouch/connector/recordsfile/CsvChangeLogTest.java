package dev.vouch.connector.recordsfile;

import static dev.vouch.connector.recordsfile.ChangeLogs.HEADER;
import static dev.vouch.connector.recordsfile.ChangeLogs.csvLine;
import static dev.vouch.connector.recordsfile.ChangeLogs.goodRow;
import static dev.vouch.connector.recordsfile.ChangeLogs.lines;
import static dev.vouch.connector.recordsfile.ChangeLogs.pull;
import static dev.vouch.connector.recordsfile.ChangeLogs.pullCsv;
import static dev.vouch.connector.recordsfile.ChangeLogs.source;
import static dev.vouch.connector.recordsfile.ChangeLogs.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.core.model.Approval;
import dev.vouch.core.model.ChangeRecord;
import dev.vouch.core.model.ChangeType;
import dev.vouch.core.model.RecordState;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.spi.SourceException;
import dev.vouch.testkit.CollectingRecordSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsvChangeLogTest {
  @TempDir Path dir;

  @Test
  void readsEveryFieldOfARow() throws Exception {
    String header = HEADER + ",requested_by,risk,backout_plan,test_evidence,url,updated_at";
    Map<String, String> row = goodRow("CHG0012345");
    row.put("requested_by", "dana");
    row.put("risk", "moderate");
    row.put("backout_plan", "Re-enable the old key");
    row.put("test_evidence", "https://ci.example.com/run/42");
    row.put("url", "https://changes.example.com/CHG0012345");
    row.put("updated_at", "2026-11-17T11:00:00Z");

    CollectingRecordSink sink = pullCsv(dir, header, csvLine(List.of(header.split(",")), row));

    assertThat(sink.problems()).isEmpty();
    assertThat(sink.records())
        .containsExactly(
            new ChangeRecord(
                "CHG0012345",
                "change-log",
                "Rotate payment API keys",
                ChangeType.NORMAL,
                RecordState.APPROVED,
                java.util.Set.of("payments-prod", "payments-stage"),
                new TimeWindow(
                    Instant.parse("2026-11-17T09:00:00Z"), Instant.parse("2026-11-17T10:00:00Z")),
                List.of("alice"),
                List.of(
                    new Approval("bob", true, Instant.parse("2026-11-16T15:00:00Z")),
                    new Approval("carol", true, Instant.parse("2026-11-16T15:00:00Z"))),
                "dana",
                "moderate",
                "Re-enable the old key",
                "https://ci.example.com/run/42",
                "https://changes.example.com/CHG0012345",
                Instant.parse("2026-11-17T11:00:00Z"),
                "changes.csv:2"));
  }

  @Test
  void optionalColumnsMayBeLeftOutAndEmptyOptionalCellsAreNull() throws Exception {
    CollectingRecordSink sink = pullCsv(dir, HEADER, csvLine(goodRow("CHG-1")));

    ChangeRecord record = sink.record("CHG-1");
    assertThat(record.requestedBy()).isNull();
    assertThat(record.risk()).isNull();
    assertThat(record.backoutPlan()).isNull();
    assertThat(record.testEvidence()).isNull();
    assertThat(record.url()).isNull();
    assertThat(record.updatedAt()).isNull();
  }

  @Test
  void columnsMayComeInAnyOrder() throws Exception {
    List<String> reversed =
        List.of(
            "url",
            "approved_at",
            "approved_by",
            "implementer",
            "window_end",
            "window_start",
            "systems",
            "state",
            "type",
            "title",
            "id");
    Path inOrder = write(dir, "a/changes.csv", lines(HEADER, csvLine(goodRow("CHG-1"))));
    Path shuffled =
        write(
            dir,
            "b/changes.csv",
            lines(String.join(",", reversed), csvLine(reversed, goodRow("CHG-1"))));

    CollectingRecordSink first = pull(source(dir, dir.relativize(inOrder).toString()));
    CollectingRecordSink second = pull(source(dir, dir.relativize(shuffled).toString()));

    assertThat(second.problems()).isEmpty();
    assertThat(second.records()).isEqualTo(first.records());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "2026-11-17T10:00:00+01:00, 2026-11-17T09:00:00Z",
    "2026-11-17T04:00:00-05:00, 2026-11-17T09:00:00Z",
    "2026-11-17T14:30:00+05:30, 2026-11-17T09:00:00Z",
    "2026-11-17T09:00:00.250Z,  2026-11-17T09:00:00.250Z",
    "2026-11-17T09:00:00z,      2026-11-17T09:00:00Z",
    "2026-11-17T09:00Z,         2026-11-17T09:00:00Z",
    "2026-11-17T00:30:00+01:00, 2026-11-16T23:30:00Z"
  })
  void offsetsAreNormalisedToUtcInstants(String written, String utc) throws Exception {
    Map<String, String> row = goodRow("CHG-1");
    row.put("window_start", written);
    row.put("window_end", "2026-11-17T12:00:00Z");
    row.put("approved_at", written);

    ChangeRecord record = pullCsv(dir, HEADER, csvLine(row)).record("CHG-1");

    assertThat(record.window().start()).isEqualTo(Instant.parse(utc));
    assertThat(record.lastApprovalAt()).contains(Instant.parse(utc));
  }

  @Test
  void aWindowMayBeAnInstant() throws Exception {
    Map<String, String> row = goodRow("CHG-1");
    row.put("window_end", "2026-11-17T10:00:00+01:00");

    ChangeRecord record = pullCsv(dir, HEADER, csvLine(row)).record("CHG-1");

    assertThat(record.window().length()).isZero();
  }

  @Test
  void multiValuedCellsAreSplitOnSemicolonsTrimmedAndEmptiesDropped() throws Exception {
    Map<String, String> row = goodRow("CHG-1");
    row.put("systems", " payments-prod ;; payments-stage; ");
    row.put("implementer", "alice; bob");
    row.put("approved_by", "carol;;dave;carol");

    ChangeRecord record = pullCsv(dir, HEADER, csvLine(row)).record("CHG-1");

    assertThat(record.systems()).containsExactlyInAnyOrder("payments-prod", "payments-stage");
    assertThat(record.implementers()).containsExactly("alice", "bob");
    assertThat(record.approvals()).extracting(Approval::approver).containsExactly("carol", "dave");
  }

  @Test
  void anEmptyImplementerMeansTheRecordDoesNotRestrictIt() throws Exception {
    Map<String, String> row = goodRow("CHG-1");
    row.put("implementer", "");

    assertThat(pullCsv(dir, HEADER, csvLine(row)).record("CHG-1").implementers()).isEmpty();
  }

  @ParameterizedTest(name = "{0}/{1}")
  @CsvSource({
    "Standard, APPROVED, STANDARD, APPROVED",
    "NORMAL, Implemented, NORMAL, IMPLEMENTED",
    "emergency, closed, EMERGENCY, CLOSED",
    "normal, canceled, NORMAL, CANCELLED",
    "normal, Cancelled, NORMAL, CANCELLED",
    "normal, draft, NORMAL, DRAFT",
    "normal, requested, NORMAL, REQUESTED",
    "normal, rejected, NORMAL, REJECTED"
  })
  void typeAndStateAreCaseInsensitive(
      String type, String state, ChangeType expectedType, RecordState expectedState)
      throws Exception {
    Map<String, String> row = goodRow("CHG-1");
    row.put("type", type);
    row.put("state", state);

    ChangeRecord record = pullCsv(dir, HEADER, csvLine(row)).record("CHG-1");

    assertThat(record.type()).isEqualTo(expectedType);
    assertThat(record.state()).isEqualTo(expectedState);
  }

  @Test
  void anEmergencyRecordWithoutApprovalIsAccepted() throws Exception {
    Map<String, String> row = goodRow("CHG-1");
    row.put("type", "emergency");
    row.put("state", "implemented");
    row.put("approved_by", "");
    row.put("approved_at", "");

    CollectingRecordSink sink = pullCsv(dir, HEADER, csvLine(row));

    assertThat(sink.problems()).isEmpty();
    assertThat(sink.record("CHG-1").approvals()).isEmpty();
  }

  @ParameterizedTest(name = "{0} in state {1} without approval is rejected")
  @CsvSource({"normal, approved", "normal, implemented", "normal, closed", "standard, approved"})
  void aStandardOrNormalAuthorizingRecordWithoutApprovalIsRejected(String type, String state)
      throws Exception {
    Map<String, String> row = goodRow("CHG-1");
    row.put("type", type);
    row.put("state", state);
    row.put("approved_by", "");

    CollectingRecordSink sink = pullCsv(dir, HEADER, csvLine(row));

    assertThat(sink.records()).isEmpty();
    assertThat(sink.problemLines())
        .containsExactly(
            "changes.csv:2:9 (approved_by): is empty, but a "
                + type
                + " change in state '"
                + state
                + "' must be approved before it is made; only emergency changes may be approved"
                + " after the fact");
  }

  @ParameterizedTest(name = "normal in state {0} needs no approval yet")
  @CsvSource({"draft", "requested", "rejected", "cancelled"})
  void aRecordThatDoesNotAuthorizeNeedsNoApproval(String state) throws Exception {
    Map<String, String> row = goodRow("CHG-1");
    row.put("state", state);
    row.put("approved_by", "");
    row.put("approved_at", "");

    CollectingRecordSink sink = pullCsv(dir, HEADER, csvLine(row));

    assertThat(sink.problems()).isEmpty();
    assertThat(sink.keys()).containsExactly("CHG-1");
  }

  @Test
  void quotedMultiLineCellsKeepLineNumbersRight() throws Exception {
    Map<String, String> multiLine = goodRow("CHG-2");
    multiLine.put("title", "Rotate keys\nstep 1: create, \"new\" key\nstep 2: revoke old");
    Map<String, String> bad = goodRow("CHG-4");
    bad.put("window_end", "2026-11-17 10:00");

    CollectingRecordSink sink =
        pullCsv(
            dir,
            HEADER, // line 1
            csvLine(goodRow("CHG-1")), // line 2
            csvLine(multiLine), // lines 3, 4, 5
            csvLine(goodRow("CHG-3")), // line 6
            csvLine(bad)); // line 7

    assertThat(sink.records())
        .extracting(ChangeRecord::key, ChangeRecord::location)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("CHG-1", "changes.csv:2"),
            org.assertj.core.groups.Tuple.tuple("CHG-2", "changes.csv:3"),
            org.assertj.core.groups.Tuple.tuple("CHG-3", "changes.csv:6"));
    assertThat(sink.record("CHG-2").title())
        .isEqualTo("Rotate keys\nstep 1: create, \"new\" key\nstep 2: revoke old");
    assertThat(sink.problemLines())
        .containsExactly(
            "changes.csv:7:7 (window_end): '2026-11-17 10:00' is not an ISO-8601 time with Z or an"
                + " offset, such as 2026-11-17T09:00:00Z (a T goes between date and time)");
  }

  @Test
  void aBadMultiLineRowIsReportedAtTheLineWhereItStarts() throws Exception {
    Map<String, String> bad = goodRow("CHG-2");
    bad.put("title", "two\nlines");
    bad.put("type", "major");

    CollectingRecordSink sink = pullCsv(dir, HEADER, csvLine(bad), csvLine(goodRow("CHG-3")));

    assertThat(sink.problems())
        .extracting(p -> p.location())
        .containsExactly("changes.csv:2:3 (type)");
    assertThat(sink.record("CHG-3").location()).isEqualTo("changes.csv:4");
  }

  @Test
  void emptyLinesAreSkippedAndLineNumbersStayPhysical() throws Exception {
    CollectingRecordSink sink =
        pullCsv(
            dir,
            "",
            HEADER, // line 2
            "",
            csvLine(goodRow("CHG-1")), // line 4
            ",,,,,,,,,", // line 5: a spreadsheet's empty row
            "",
            csvLine(goodRow("CHG-2"))); // line 7

    assertThat(sink.problems()).isEmpty();
    assertThat(sink.records())
        .extracting(ChangeRecord::location)
        .containsExactly("changes.csv:4", "changes.csv:7");
  }

  @Test
  void windowsLineEndingsAndAByteOrderMarkAreRead() throws Exception {
    String content =
        "\uFEFF"
            + HEADER
            + "\r\n"
            + csvLine(goodRow("CHG-1"))
            + "\r\n\r\n"
            + csvLine(goodRow("CHG-2"));
    Files.writeString(dir.resolve("changes.csv"), content, StandardCharsets.UTF_8);

    CollectingRecordSink sink = pull(source(dir, "changes.csv"));

    assertThat(sink.problems()).isEmpty();
    assertThat(sink.records())
        .extracting(ChangeRecord::location)
        .containsExactly("changes.csv:2", "changes.csv:4");
  }

  @Test
  void aDuplicateIdRejectsTheLaterRowNamingTheFirst() throws Exception {
    Map<String, String> again = goodRow("CHG-1");
    again.put("title", "Something else");

    CollectingRecordSink sink =
        pullCsv(dir, HEADER, csvLine(goodRow("CHG-1")), csvLine(goodRow("CHG-2")), csvLine(again));

    assertThat(sink.keys()).containsExactly("CHG-1", "CHG-2");
    assertThat(sink.record("CHG-1").title()).isEqualTo("Rotate payment API keys");
    assertThat(sink.problemLines())
        .containsExactly(
            "changes.csv:4:1 (id): duplicate id 'CHG-1': line 2 already has it; ids must be unique"
                + " within a file");
  }

  @Test
  void aDuplicateOfARejectedRowIsStillADuplicate() throws Exception {
    Map<String, String> broken = goodRow("CHG-1");
    broken.put("type", "major");

    CollectingRecordSink sink = pullCsv(dir, HEADER, csvLine(broken), csvLine(goodRow("CHG-1")));

    assertThat(sink.records()).isEmpty();
    assertThat(sink.problems())
        .extracting(p -> p.location())
        .containsExactly("changes.csv:2:3 (type)", "changes.csv:3:1 (id)");
  }

  @Test
  void anUnknownColumnIsReportedOnceAtTheHeaderAndIgnored() throws Exception {
    String header = HEADER + ",colour,Backout Plan";
    List<String> columns = List.of(header.split(","));
    Map<String, String> row = goodRow("CHG-1");
    row.put("colour", "blue");
    row.put("Backout Plan", "undo");

    CollectingRecordSink sink =
        pullCsv(dir, header, csvLine(columns, row), csvLine(columns, goodRow("CHG-2")));

    assertThat(sink.keys()).containsExactly("CHG-1", "CHG-2");
    assertThat(sink.record("CHG-1").backoutPlan()).isNull();
    assertThat(sink.problemLines())
        .containsExactly(
            "changes.csv:1:11 (colour): unknown column 'colour' is ignored; known names are id,"
                + " title, type, state, systems, window_start, window_end, implementer,"
                + " approved_by, approved_at, requested_by, risk, backout_plan, test_evidence, url,"
                + " updated_at",
            "changes.csv:1:12 (Backout Plan): unknown column 'Backout Plan' is ignored; did you"
                + " mean 'backout_plan'?");
  }

  @Test
  void theDetailCountsRecordsRejectedRowsAndIgnoredColumns() throws Exception {
    Map<String, String> bad = goodRow("CHG-3");
    bad.put("state", "done");
    write(
        dir,
        "changes.csv",
        lines(
            HEADER + ",colour",
            csvLine(goodRow("CHG-1")) + ",",
            csvLine(goodRow("CHG-2")) + ",",
            csvLine(bad) + ","));

    String detail = source(dir, "changes.csv").pull(new CollectingRecordSink());

    assertThat(detail)
        .isEqualTo("changes.csv: 2 records, 1 row rejected, unknown columns ignored: colour");
  }

  @Test
  void theDetailOfACleanFile() throws Exception {
    write(dir, "changes.csv", lines(HEADER, csvLine(goodRow("CHG-1"))));

    assertThat(source(dir, "changes.csv").pull(new CollectingRecordSink()))
        .isEqualTo("changes.csv: 1 record, 0 rows rejected");
  }

  @Test
  void aHeaderOnlyFileHoldsNoRecords() throws Exception {
    CollectingRecordSink sink = pullCsv(dir, HEADER);

    assertThat(sink.records()).isEmpty();
    assertThat(sink.problems()).isEmpty();
  }

  @Test
  void aMissingRequiredColumnFailsThePullNamingTheColumns() {
    String header = HEADER.replace(",window_end", "").replace(",approved_at", "");
    write(dir, "changes.csv", lines(header));

    assertThatThrownBy(() -> pull(source(dir, "changes.csv")))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining(dir.resolve("changes.csv").toString())
        .hasMessageContaining("missing required columns window_end, approved_at");
  }

  @Test
  void aMisspelledRequiredColumnGetsASuggestion() {
    write(dir, "changes.csv", lines(HEADER.replace("window_end", "Window-End")));

    assertThatThrownBy(() -> pull(source(dir, "changes.csv")))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("missing required column window_end;")
        .hasMessageContaining("is 'Window-End' meant to be 'window_end'?");
  }

  @Test
  void aColumnNamedTwiceFailsThePull() {
    write(dir, "changes.csv", lines(HEADER + ",title"));

    assertThatThrownBy(() -> pull(source(dir, "changes.csv")))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("has column 'title' twice, as columns 2 and 11");
  }

  @Test
  void anEmptyFileFailsThePull() {
    write(dir, "changes.csv", "\n\n");

    assertThatThrownBy(() -> pull(source(dir, "changes.csv")))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("the file is empty");
  }

  @Test
  void anUnterminatedQuoteFailsThePullRatherThanSwallowingTheRest() {
    write(
        dir,
        "changes.csv",
        lines(HEADER, csvLine(goodRow("CHG-1")), "CHG-2,\"unterminated title,normal"));

    assertThatThrownBy(() -> pull(source(dir, "changes.csv")))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("changes.csv: not valid CSV in the row that starts on line 3");
  }

  @Test
  void aMissingFileFailsThePull() {
    assertThatThrownBy(() -> pull(source(dir, "nowhere.csv")))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("nowhere.csv: no such file");
  }

  @Test
  void aDirectoryFailsThePull() throws Exception {
    Files.createDirectories(dir.resolve("changes.csv"));

    assertThatThrownBy(() -> pull(source(dir, "changes.csv")))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("is a directory");
  }

  @Test
  void invalidUtf8FailsThePull() throws Exception {
    byte[] header = (HEADER + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] latin1 =
        csvLine(goodRow("CHG-1")).replace("Rotate", "Rotaté").getBytes(StandardCharsets.ISO_8859_1);
    byte[] content = new byte[header.length + latin1.length];
    System.arraycopy(header, 0, content, 0, header.length);
    System.arraycopy(latin1, 0, content, header.length, latin1.length);
    Files.write(dir.resolve("changes.csv"), content);

    assertThatThrownBy(() -> pull(source(dir, "changes.csv")))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("changes.csv: is not valid UTF-8 (line 2)");
  }
}
