package dev.vouch.connector.recordsfile;

import static dev.vouch.connector.recordsfile.Fields.APPROVED_AT;
import static dev.vouch.connector.recordsfile.Fields.APPROVED_BY;
import static dev.vouch.connector.recordsfile.Fields.BACKOUT_PLAN;
import static dev.vouch.connector.recordsfile.Fields.ID;
import static dev.vouch.connector.recordsfile.Fields.IMPLEMENTER;
import static dev.vouch.connector.recordsfile.Fields.REQUESTED_BY;
import static dev.vouch.connector.recordsfile.Fields.RISK;
import static dev.vouch.connector.recordsfile.Fields.STATE;
import static dev.vouch.connector.recordsfile.Fields.SYSTEMS;
import static dev.vouch.connector.recordsfile.Fields.TEST_EVIDENCE;
import static dev.vouch.connector.recordsfile.Fields.TITLE;
import static dev.vouch.connector.recordsfile.Fields.TYPE;
import static dev.vouch.connector.recordsfile.Fields.UPDATED_AT;
import static dev.vouch.connector.recordsfile.Fields.URL;
import static dev.vouch.connector.recordsfile.Fields.WINDOW_END;
import static dev.vouch.connector.recordsfile.Fields.WINDOW_START;

import dev.vouch.core.model.Approval;
import dev.vouch.core.model.ChangeRecord;
import dev.vouch.core.model.ChangeType;
import dev.vouch.core.model.RecordState;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.spi.InputProblem;
import dev.vouch.core.spi.RecordSink;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns the rows (or YAML/JSON records) of one file into {@link ChangeRecord}s, checks every field,
 * and hands each record or its problems to the sink. One instance serves one pull of one file: it
 * remembers the ids seen so far, so that a duplicate id is caught, and counts what it did.
 */
final class RecordAssembler {
  static final String TIME_EXAMPLE = "2026-11-17T09:00:00Z";
  private static final Pattern DATE_SPACE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2} +\\d.*");

  private final String sourceName;
  private final String fileName;
  private final RecordSink sink;
  private final Map<String, Integer> firstLineOfId = new HashMap<>();
  private final Set<String> ignored = new TreeSet<>();
  private long accepted;
  private long rejected;

  RecordAssembler(String sourceName, String fileName, RecordSink sink) {
    this.sourceName = sourceName;
    this.fileName = fileName;
    this.sink = sink;
  }

  /** {@code changes.csv:14:7 (window_end)}, or {@code changes.yaml:14:window_end}. */
  String location(int line, String column) {
    return fileName + ":" + line + ":" + column;
  }

  /** {@code changes.csv:14}. */
  String location(int line) {
    return fileName + ":" + line;
  }

  /**
   * Checks one row and hands over the record, or every problem found in it.
   *
   * @param line the physical line where the row (record) starts
   * @param cells the row's known fields; a field that is absent is missing from the map
   * @param columnOf how locations name a field, for fields that are absent from {@code cells}
   * @param earlierProblems problems the reader already found in this row (such as a duplicate
   *     field); the row is rejected when there are any, after its fields have still been checked
   */
  void row(
      int line,
      Map<String, Cell> cells,
      Function<String, String> columnOf,
      List<InputProblem> earlierProblems) {
    RowCheck check = new RowCheck(line, cells, columnOf, earlierProblems);
    ChangeRecord record = check.build();
    if (record != null && check.problems.isEmpty()) {
      sink.accept(record);
      accepted++;
    } else {
      check.problems.forEach(sink::reject);
      rejected++;
    }
  }

  /** Rejects a whole row (or list element) that could not be split into fields. */
  void rejectRow(InputProblem problem) {
    sink.reject(problem);
    rejected++;
  }

  /**
   * Reports input that is skipped but does not make a row unusable, such as an unknown column.
   *
   * @param what a short name for the run report, such as the unknown column's name
   */
  void ignore(String what, InputProblem problem) {
    sink.reject(problem);
    ignored.add(what);
  }

  long accepted() {
    return accepted;
  }

  long rejected() {
    return rejected;
  }

  /** {@code changes.csv: 42 records, 2 rows rejected}, plus what was ignored. */
  String detail(String unit, String ignoredKind) {
    StringBuilder detail =
        new StringBuilder(fileName)
            .append(": ")
            .append(count(accepted, "record"))
            .append(", ")
            .append(count(rejected, unit))
            .append(" rejected");
    if (!ignored.isEmpty()) {
      detail
          .append(", ")
          .append(ignoredKind)
          .append(" ignored: ")
          .append(String.join(", ", ignored));
    }
    return detail.toString();
  }

  private static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /** The checks of one row; collects every problem rather than stopping at the first. */
  private final class RowCheck {
    private final int line;
    private final Map<String, Cell> cells;
    private final Function<String, String> columnOf;
    private final List<InputProblem> problems;

    /** Fields that already have a problem, so that one mistake is not reported twice. */
    private final Set<String> reported = new HashSet<>();

    RowCheck(
        int line,
        Map<String, Cell> cells,
        Function<String, String> columnOf,
        List<InputProblem> earlierProblems) {
      this.line = line;
      this.cells = cells;
      this.columnOf = columnOf;
      this.problems = new ArrayList<>(earlierProblems);
    }

    @Nullable ChangeRecord build() {
      String id = required(ID, "every record needs an id, unique within the file");
      String title = required(TITLE, "every record needs a title");
      ChangeType type = type();
      RecordState state = state();
      List<String> systems = multi(SYSTEMS);
      if (systems.isEmpty()) {
        problemUnlessReported(
            SYSTEMS, absence(SYSTEMS) + "; name at least one system (several separated by ';')");
      }
      Instant start = requiredTime(WINDOW_START);
      Instant end = requiredTime(WINDOW_END);
      if (start != null && end != null && end.isBefore(start)) {
        problem(
            WINDOW_END,
            "'"
                + single(WINDOW_END)
                + "' is before window_start '"
                + single(WINDOW_START)
                + "'; the window must not end before it starts");
      }
      List<String> implementers = multi(IMPLEMENTER);
      List<String> approvers = multi(APPROVED_BY);
      boolean approvedAtGiven = single(APPROVED_AT) != null;
      Instant approvedAt = optionalTime(APPROVED_AT);
      checkApproval(type, state, approvers, approvedAtGiven);
      String requestedBy = single(REQUESTED_BY);
      String risk = single(RISK);
      String backoutPlan = single(BACKOUT_PLAN);
      String testEvidence = single(TEST_EVIDENCE);
      String url = single(URL);
      Instant updatedAt = optionalTime(UPDATED_AT);
      checkDuplicate(id);

      if (!problems.isEmpty()
          || id == null
          || title == null
          || type == null
          || state == null
          || start == null
          || end == null) {
        return null;
      }
      List<Approval> approvals = new ArrayList<>();
      for (String approver : approvers) {
        approvals.add(new Approval(approver, true, approvedAt));
      }
      return new ChangeRecord(
          id,
          sourceName,
          title,
          type,
          state,
          new LinkedHashSet<>(systems),
          new TimeWindow(start, end),
          implementers,
          approvals,
          requestedBy,
          risk,
          backoutPlan,
          testEvidence,
          url,
          updatedAt,
          location(line));
    }

    private void checkApproval(
        @Nullable ChangeType type,
        @Nullable RecordState state,
        List<String> approvers,
        boolean approvedAtGiven) {
      boolean mustBeApproved =
          type != null && state != null && type != ChangeType.EMERGENCY && state.authorizes();
      if (mustBeApproved) {
        String why =
            "a "
                + type.label()
                + " change in state '"
                + state.label()
                + "' must be approved before it is made; only emergency changes may be approved"
                + " after the fact";
        if (approvers.isEmpty()) {
          problemUnlessReported(APPROVED_BY, absence(APPROVED_BY) + ", but " + why);
        }
        if (!approvedAtGiven) {
          problemUnlessReported(APPROVED_AT, absence(APPROVED_AT) + ", but " + why);
        }
        return;
      }
      if (!approvers.isEmpty() && !approvedAtGiven) {
        problemUnlessReported(
            APPROVED_AT,
            absence(APPROVED_AT) + ", but approved_by names approvers: give the time of approval");
      }
      if (approvers.isEmpty() && approvedAtGiven) {
        problemUnlessReported(
            APPROVED_BY, absence(APPROVED_BY) + ", but approved_at is set: name who approved");
      }
    }

    private void checkDuplicate(@Nullable String id) {
      if (id == null) {
        return;
      }
      Integer first = firstLineOfId.putIfAbsent(id, line);
      if (first != null) {
        problem(
            ID,
            "duplicate id '"
                + id
                + "': line "
                + first
                + " already has it; ids must be unique within a file");
      }
    }

    private @Nullable ChangeType type() {
      String text = required(TYPE, "expected standard, normal or emergency");
      if (text == null) {
        return null;
      }
      for (ChangeType type : ChangeType.values()) {
        if (type.label().equals(text.toLowerCase(Locale.ROOT))) {
          return type;
        }
      }
      problem(TYPE, "'" + text + "' is not a change type; expected standard, normal or emergency");
      return null;
    }

    private @Nullable RecordState state() {
      String expected =
          "expected draft, requested, approved, implemented, closed, rejected or cancelled";
      String text = required(STATE, expected);
      if (text == null) {
        return null;
      }
      try {
        return RecordState.parse(text);
      } catch (IllegalArgumentException e) {
        problem(STATE, "'" + text + "' is not a record state; " + expected);
        return null;
      }
    }

    private @Nullable Instant requiredTime(String field) {
      if (single(field) == null) {
        problemUnlessReported(
            field,
            absence(field)
                + "; expected an ISO-8601 time with Z or an offset, such as "
                + TIME_EXAMPLE);
        return null;
      }
      return optionalTime(field);
    }

    private @Nullable Instant optionalTime(String field) {
      String text = single(field);
      if (text == null) {
        return null;
      }
      try {
        return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      } catch (DateTimeParseException notWithOffset) {
        problem(field, timeProblem(text));
        return null;
      }
    }

    /** The text value of a single-valued field, trimmed; null when absent, empty or unusable. */
    private @Nullable String single(String field) {
      Cell cell = cells.get(field);
      if (cell == null) {
        return null;
      }
      if (cell.unusable() != null) {
        problemUnlessReported(field, "must be text, not " + cell.unusable());
        return null;
      }
      if (cell.isList()) {
        problemUnlessReported(field, "must be a single value, not a list");
        return null;
      }
      String text = cell.text().strip();
      return text.isEmpty() ? null : text;
    }

    /** A required single value; reports it when absent or empty. */
    private @Nullable String required(String field, String expectation) {
      String text = single(field);
      if (text == null) {
        problemUnlessReported(field, absence(field) + "; " + expectation);
      }
      return text;
    }

    /** The values of a multi-valued field: a list, or text separated by ';'; trimmed, no blanks. */
    private List<String> multi(String field) {
      Cell cell = cells.get(field);
      if (cell == null) {
        return List.of();
      }
      if (cell.unusable() != null) {
        problemUnlessReported(field, "must be text or a list of text, not " + cell.unusable());
        return List.of();
      }
      List<String> parts = cell.isList() ? cell.items() : List.of(cell.text());
      Set<String> values = new LinkedHashSet<>();
      for (String part : parts) {
        for (String value : part.split(";")) {
          if (!value.isBlank()) {
            values.add(value.strip());
          }
        }
      }
      return List.copyOf(values);
    }

    /** "is empty" for a value that is there but blank, "is missing" for an absent field. */
    private String absence(String field) {
      return cells.containsKey(field) ? "is empty" : "is missing";
    }

    private void problem(String field, String message) {
      reported.add(field);
      problems.add(new InputProblem(location(line, columnOf(field)), message));
    }

    private void problemUnlessReported(String field, String message) {
      if (!reported.contains(field)) {
        problem(field, message);
      }
    }

    private String columnOf(String field) {
      Cell cell = cells.get(field);
      return cell != null ? cell.column() : columnOf.apply(field);
    }
  }

  /** Why a time value was not accepted, and what to write instead. */
  static String timeProblem(String text) {
    if (parses(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME)) {
      return "'" + text + "' has no time zone: write Z or an offset, such as " + text + "Z";
    }
    if (parses(text, DateTimeFormatter.ISO_LOCAL_DATE)) {
      return "'"
          + text
          + "' is a date without a time: write a time with Z or an offset, such as "
          + text
          + "T00:00:00Z";
    }
    String message =
        "'" + text + "' is not an ISO-8601 time with Z or an offset, such as " + TIME_EXAMPLE;
    if (DATE_SPACE_TIME.matcher(text).matches()) {
      message += " (a T goes between date and time)";
    }
    return message;
  }

  private static boolean parses(String text, DateTimeFormatter format) {
    try {
      format.parse(text);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }
}
