package dev.vouch.connector.recordsfile;

import static dev.vouch.connector.recordsfile.ChangeLogs.lines;
import static dev.vouch.connector.recordsfile.ChangeLogs.pull;
import static dev.vouch.connector.recordsfile.ChangeLogs.source;
import static dev.vouch.connector.recordsfile.ChangeLogs.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.core.model.ChangeRecord;
import dev.vouch.core.spi.InputProblem;
import dev.vouch.core.spi.SourceException;
import dev.vouch.testkit.CollectingRecordSink;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class YamlJsonChangeLogTest {
  @TempDir Path dir;

  /** A valid YAML record as list item lines; {@code extra} lines are appended to the mapping. */
  private static String[] yamlRecord(String id, String... extra) {
    String[] base = {
      "  - id: " + id,
      "    title: Rotate keys",
      "    type: normal",
      "    state: approved",
      "    systems: [payments-prod]",
      "    window_start: 2026-11-17T09:00:00Z",
      "    window_end: 2026-11-17T10:00:00Z",
      "    implementer: alice",
      "    approved_by: bob",
      "    approved_at: 2026-11-16T15:00:00Z"
    };
    return Stream.concat(Stream.of(base), Stream.of(extra)).toArray(String[]::new);
  }

  /** {@code records:} followed by the given record lines. */
  private CollectingRecordSink pullYaml(String[]... records) throws SourceException {
    Stream<String> lines = Stream.of("records:");
    for (String[] record : records) {
      lines = Stream.concat(lines, Stream.of(record));
    }
    write(dir, "changes.yaml", lines(lines.toArray(String[]::new)));
    return pull(source(dir, "changes.yaml"));
  }

  /** Replaces one field line of a YAML record. */
  private static String[] with(String[] record, String field, String valueText) {
    String[] copy = record.clone();
    for (int i = 0; i < copy.length; i++) {
      if (copy[i].strip().startsWith(field + ":")
          || copy[i].strip().startsWith("- " + field + ":")) {
        copy[i] = copy[i].substring(0, copy[i].indexOf(field)) + field + ": " + valueText;
        return copy;
      }
    }
    throw new IllegalArgumentException("no field " + field);
  }

  /** Drops one field line of a YAML record. */
  private static String[] without(String[] record, String field) {
    return Stream.of(record)
        .filter(line -> !line.strip().startsWith(field + ":"))
        .toArray(String[]::new);
  }

  static Stream<Arguments> badFields() {
    return Stream.of(
        Arguments.of("window_end", "2026-11-17 10:00", "window_end", "is not an ISO-8601 time"),
        Arguments.of("window_end", "2026-11-17T10:00:00", "window_end", "no time zone: write Z"),
        Arguments.of("type", "major", "type", "'major' is not a change type"),
        Arguments.of("state", "done", "state", "'done' is not a record state"),
        Arguments.of("systems", "[]", "systems", "is empty; name at least one system"),
        Arguments.of("systems", "[[a, b]]", "systems", "not a list of lists or mappings"),
        Arguments.of("title", "[a, b]", "title", "must be a single value, not a list"),
        Arguments.of("title", "{text: x}", "title", "must be text, not a mapping"),
        Arguments.of("title", "''", "title", "is empty; every record needs a title"),
        Arguments.of("title", "~", "title", "is missing; every record needs a title"),
        Arguments.of("approved_by", "[]", "approved_by", "is empty, but a normal change"),
        Arguments.of("approved_at", "[2026-11-16T15:00:00Z]", "approved_at", "not a list"));
  }

  @ParameterizedTest(name = "{0}: {1} -> {3}")
  @MethodSource("badFields")
  void aBadFieldRejectsItsRecordWithTheRecordLineAndFieldName(
      String field, String value, String column, String fragment) throws Exception {
    CollectingRecordSink sink =
        pullYaml(yamlRecord("CHG-1"), with(yamlRecord("CHG-2"), field, value), yamlRecord("CHG-3"));

    assertThat(sink.keys()).containsExactly("CHG-1", "CHG-3");
    assertThat(sink.problems())
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.location()).isEqualTo("changes.yaml:12:" + column);
              assertThat(problem.message()).contains(fragment);
            });
  }

  @Test
  void aMissingRequiredFieldIsReportedAsMissing() throws Exception {
    CollectingRecordSink sink = pullYaml(without(yamlRecord("CHG-1"), "window_start"));

    assertThat(sink.records()).isEmpty();
    assertThat(sink.problemLines())
        .containsExactly(
            "changes.yaml:2:window_start: is missing; expected an ISO-8601 time with Z or an"
                + " offset, such as 2026-11-17T09:00:00Z");
  }

  @Test
  void everyProblemOfARecordIsReported() throws Exception {
    String[] bad = with(with(yamlRecord("CHG-1"), "type", "major"), "window_end", "soon");

    CollectingRecordSink sink = pullYaml(without(bad, "title"));

    assertThat(sink.problems())
        .extracting(InputProblem::location)
        .containsExactly(
            "changes.yaml:2:title", "changes.yaml:2:type", "changes.yaml:2:window_end");
  }

  @Test
  void anEmergencyRecordWithoutApprovalFieldsIsAccepted() throws Exception {
    String[] emergency =
        without(
            without(with(yamlRecord("CHG-1"), "type", "emergency"), "approved_by"), "approved_at");

    CollectingRecordSink sink = pullYaml(emergency);

    assertThat(sink.problems()).isEmpty();
    assertThat(sink.record("CHG-1").approvals()).isEmpty();
  }

  @Test
  void aNormalApprovedRecordWithoutApprovedByIsRejected() throws Exception {
    CollectingRecordSink sink = pullYaml(without(yamlRecord("CHG-1"), "approved_by"));

    assertThat(sink.records()).isEmpty();
    assertThat(sink.problemLines())
        .containsExactly(
            "changes.yaml:2:approved_by: is missing, but a normal change in state 'approved' must"
                + " be approved before it is made; only emergency changes may be approved after"
                + " the fact");
  }

  @Test
  void aDuplicateIdRejectsTheLaterRecordNamingTheFirst() throws Exception {
    CollectingRecordSink sink = pullYaml(yamlRecord("CHG-1"), yamlRecord("CHG-1"));

    assertThat(sink.records()).extracting(ChangeRecord::location).containsExactly("changes.yaml:2");
    assertThat(sink.problemLines())
        .containsExactly(
            "changes.yaml:12:id: duplicate id 'CHG-1': line 2 already has it; ids must be unique"
                + " within a file");
  }

  @Test
  void aFieldGivenTwiceInOneRecordRejectsIt() throws Exception {
    CollectingRecordSink sink = pullYaml(yamlRecord("CHG-1", "    title: Another title"));

    assertThat(sink.records()).isEmpty();
    assertThat(sink.problemLines())
        .containsExactly(
            "changes.yaml:2:title: the field appears twice in this record; which value holds"
                + " cannot be told");
  }

  @Test
  void anUnknownFieldIsReportedOnceWhereItFirstAppearsAndIgnored() throws Exception {
    CollectingRecordSink sink =
        pullYaml(
            yamlRecord("CHG-1"),
            yamlRecord("CHG-2", "    colour: blue", "    approvedBy: x"),
            yamlRecord("CHG-3", "    colour: red"));

    assertThat(sink.keys()).containsExactly("CHG-1", "CHG-2", "CHG-3");
    assertThat(sink.problemLines())
        .containsExactly(
            "changes.yaml:12:colour: unknown field 'colour' is ignored (reported once, where it"
                + " first appears); known names are id, title, type, state, systems, window_start,"
                + " window_end, implementer, approved_by, approved_at, requested_by, risk,"
                + " backout_plan, test_evidence, url, updated_at",
            "changes.yaml:12:approvedBy: unknown field 'approvedBy' is ignored (reported once,"
                + " where it first appears); did you mean 'approved_by'?");
    assertThat(source(dir, "changes.yaml").pull(new CollectingRecordSink()))
        .isEqualTo(
            "changes.yaml: 3 records, 0 records rejected, unknown fields ignored: approvedBy,"
                + " colour");
  }

  @Test
  void anItemThatIsNotAMappingIsRejectedAndReadingGoesOn() throws Exception {
    CollectingRecordSink sink =
        pullYaml(new String[] {"  - just text", "  - [a, list]"}, yamlRecord("CHG-1"));

    assertThat(sink.keys()).containsExactly("CHG-1");
    assertThat(sink.problemLines())
        .containsExactly(
            "changes.yaml:2: expected a record (a mapping of fields), not a single value",
            "changes.yaml:3: expected a record (a mapping of fields), not a list");
    assertThat(source(dir, "changes.yaml").pull(new CollectingRecordSink()))
        .isEqualTo("changes.yaml: 1 record, 2 records rejected");
  }

  @Test
  void anIdKeepsItsTextAsWritten() throws Exception {
    CollectingRecordSink sink = pullYaml(yamlRecord("0012"), yamlRecord("1.50"));

    assertThat(sink.keys()).containsExactly("0012", "1.50");
  }

  @Test
  void aTopLevelListNeedsNoRecordsKey() throws Exception {
    write(dir, "changes.yaml", lines(yamlRecord("CHG-1")));

    CollectingRecordSink sink = pull(source(dir, "changes.yaml"));

    assertThat(sink.problems()).isEmpty();
    assertThat(sink.record("CHG-1").location()).isEqualTo("changes.yaml:1");
  }

  @Test
  void anUnknownTopLevelKeyIsReportedAndTheRecordsAreStillRead() throws Exception {
    String[] record = yamlRecord("CHG-1");
    String[] lines = new String[record.length + 2];
    lines[0] = "owner: platform-team";
    lines[1] = "records:";
    System.arraycopy(record, 0, lines, 2, record.length);
    write(dir, "changes.yaml", lines(lines));

    CollectingRecordSink sink = pull(source(dir, "changes.yaml"));

    assertThat(sink.keys()).containsExactly("CHG-1");
    assertThat(sink.problemLines())
        .containsExactly(
            "changes.yaml:1:owner: unknown top-level key 'owner' is ignored; records go in the"
                + " list under 'records:'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"records: []", "records:", "[]"})
  void anEmptyListHoldsNoRecords(String content) throws Exception {
    write(dir, "changes.yaml", lines(content));

    CollectingRecordSink sink = pull(source(dir, "changes.yaml"));

    assertThat(sink.records()).isEmpty();
    assertThat(sink.problems()).isEmpty();
  }

  static Stream<Arguments> unreadableFiles() {
    return Stream.of(
        Arguments.of("changes.yaml", "", "the file is empty"),
        Arguments.of("changes.json", "", "the file is empty"),
        Arguments.of("changes.yaml", "just text\n", "expected a list of records"),
        Arguments.of("changes.yaml", "items: []\n", "there is no 'records:' key"),
        Arguments.of("changes.yaml", "records: 3\n", "'records:' (line 1) must hold a list"),
        Arguments.of(
            "changes.yaml",
            "records: []\nrecords: []\n",
            "'records:' appears twice, at lines 1 and 2"),
        Arguments.of("changes.yaml", "- id: A\n---\n- id: B\n", "there is more after the records"),
        Arguments.of(
            "changes.yaml",
            "records:\n  - id: A\n    title: [unclosed\n",
            "not valid YAML at line 3"),
        Arguments.of("changes.json", "[{\"id\": \"A\",}]", "not valid JSON at line 1, column 13"),
        Arguments.of("changes.json", "[\n{\"id\": \"A\"}\n", "not valid JSON at line 3"),
        Arguments.of("changes.json", "[] []", "there is more after the records"));
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("unreadableFiles")
  void aFileThatCannotBeReadAsAChangeLogFailsThePull(String file, String content, String message) {
    write(dir, file, content);

    assertThatThrownBy(() -> pull(source(dir, file)))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining(dir.resolve(file).toString())
        .hasMessageContaining(message)
        .hasMessageNotContaining("\n")
        .hasMessageNotContaining("[Source:");
  }

  @Test
  void jsonRecordsAreLocatedAtTheirOpeningBrace() throws Exception {
    write(
        dir,
        "changes.json",
        lines(
            "{\"records\": [",
            "  {\"id\": \"CHG-1\", \"title\": \"t\", \"type\": \"emergency\", \"state\": \"draft\",",
            "   \"systems\": \"web\", \"window_start\": \"2026-11-17T09:00:00Z\",",
            "   \"window_end\": \"2026-11-17T10:00:00Z\"},",
            "",
            "  {\"id\": \"CHG-2\", \"title\": \"t\", \"type\": \"emergency\", \"state\": \"draft\",",
            "   \"systems\": \"web\", \"window_start\": \"2026-11-17T09:00:00Z\",",
            "   \"window_end\": \"2026-11-17T08:00:00Z\"}",
            "]}"));

    CollectingRecordSink sink = pull(source(dir, "changes.json"));

    assertThat(sink.record("CHG-1").location()).isEqualTo("changes.json:2");
    assertThat(sink.problems())
        .extracting(InputProblem::location)
        .containsExactly("changes.json:6:window_end");
  }

  @Test
  void aYamlLogLargerThanSnakeYamlsDefaultLimitIsRead() throws Exception {
    int count = 9_000; // about 3.6 MB, over SnakeYAML's default 3 MB code-point limit
    StringBuilder yaml = new StringBuilder("records:\n");
    for (int i = 0; i < count; i++) {
      for (String line : yamlRecord("CHG-" + i, "    backout_plan: " + "x".repeat(100))) {
        yaml.append(line).append('\n');
      }
    }
    assertThat(yaml.length()).isGreaterThan(3 * 1024 * 1024);
    write(dir, "changes.yaml", yaml.toString());

    CollectingRecordSink sink = pull(source(dir, "changes.yaml"));

    assertThat(sink.problems()).isEmpty();
    assertThat(sink.records()).hasSize(count);
    assertThat(sink.records().get(count - 1).location())
        .isEqualTo("changes.yaml:" + (2 + (count - 1) * 11));
  }
}
