package dev.vouch.connector.recordsfile;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/** The field (CSV column) names of a change log, the same in every format. */
final class Fields {
  static final String ID = "id";
  static final String TITLE = "title";
  static final String TYPE = "type";
  static final String STATE = "state";
  static final String SYSTEMS = "systems";
  static final String WINDOW_START = "window_start";
  static final String WINDOW_END = "window_end";
  static final String IMPLEMENTER = "implementer";
  static final String APPROVED_BY = "approved_by";
  static final String APPROVED_AT = "approved_at";
  static final String REQUESTED_BY = "requested_by";
  static final String RISK = "risk";
  static final String BACKOUT_PLAN = "backout_plan";
  static final String TEST_EVIDENCE = "test_evidence";
  static final String URL = "url";
  static final String UPDATED_AT = "updated_at";

  /** Columns a CSV header must have (their cells may still be empty where the rules allow). */
  static final List<String> REQUIRED =
      List.of(
          ID,
          TITLE,
          TYPE,
          STATE,
          SYSTEMS,
          WINDOW_START,
          WINDOW_END,
          IMPLEMENTER,
          APPROVED_BY,
          APPROVED_AT);

  static final List<String> OPTIONAL =
      List.of(REQUESTED_BY, RISK, BACKOUT_PLAN, TEST_EVIDENCE, URL, UPDATED_AT);

  static final List<String> ALL = Stream.concat(REQUIRED.stream(), OPTIONAL.stream()).toList();

  /** Fields that may hold several values: a list, or text separated by {@code ;}. */
  static final List<String> MULTI_VALUED = List.of(SYSTEMS, IMPLEMENTER, APPROVED_BY);

  private Fields() {}

  static boolean isKnown(String name) {
    return ALL.contains(name);
  }

  /**
   * The known field an unknown name was probably meant to be: {@code Window End}, {@code
   * window-end} and {@code windowEnd} all suggest {@code window_end}.
   */
  static Optional<String> suggestion(String unknown) {
    String wanted = squash(unknown);
    return ALL.stream().filter(known -> squash(known).equals(wanted)).findFirst();
  }

  /** The text of an "unknown field" message: what to do about it, with a suggestion if any. */
  static String unknownHint(String unknown) {
    return suggestion(unknown)
        .map(known -> "did you mean '" + known + "'?")
        .orElse("known names are " + String.join(", ", ALL));
  }

  private static String squash(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
  }
}
