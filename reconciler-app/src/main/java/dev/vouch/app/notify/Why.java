package dev.vouch.app.notify;

import dev.vouch.app.Explanation;
import dev.vouch.core.model.CandidateEvaluation;
import dev.vouch.core.model.ControlCheck;
import dev.vouch.core.model.Finding;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a finding needs review, in a few words for a chat line: "no approved record for payments-prod
 * at 02:14", "CHG1 approved 3 h 05 min after the change", "made 40 min outside the window of CHG7".
 * Told from the finding alone (its candidates and their control checks), so a digest needs nothing
 * from the store; the report has the full explanation. Verdicts whose summary already says it in
 * numbers (UNREADABLE, CONFLICTING_EVIDENCE, HISTORY_REWRITTEN), and anything the finding cannot
 * explain more briefly, use the finding's own summary.
 */
public final class Why {
  /** The matcher's stable names of the control checks read here. */
  static final String APPROVAL_BEFORE_CHANGE = "approval-before-change";

  static final String APPROVAL_RECORDED = "approval-recorded-before-change";

  /** The approval time in the detail of {@link #APPROVAL_BEFORE_CHANGE}: "approved at T, ...". */
  private static final Pattern APPROVED_AT = Pattern.compile("^approved at (\\S+?),");

  private static final DateTimeFormatter HOUR_MINUTE =
      DateTimeFormatter.ofPattern("HH:mm'Z'").withZone(ZoneOffset.UTC);

  private Why() {}

  public static String of(Finding finding) {
    Optional<CandidateEvaluation> deciding = deciding(finding);
    String record = finding.recordId();
    return switch (finding.verdict()) {
      case UNAUTHORIZED -> unauthorized(finding);
      case APPROVED_AFTER_CHANGE ->
          deciding.map(c -> approvedAfter(finding, c)).orElse(finding.summary());
      case OUTSIDE_WINDOW ->
          deciding
              .map(
                  c ->
                      "made "
                          + Explanation.gap(c.outsideWindowBy())
                          + " outside the window of "
                          + c.recordId())
              .orElse(finding.summary());
      case SELF_APPROVED ->
          record == null
              ? finding.summary()
              : record
                  + " has no approver independent of "
                  + who(finding)
                  + " and its implementers";
      case EMERGENCY_UNDOCUMENTED ->
          record == null
              ? finding.summary()
              : "emergency record " + record + " not approved within its deadline";
      default -> finding.summary();
    };
  }

  private static String unauthorized(Finding finding) {
    if (finding.system() == null) {
      return "on no configured system, so no record can cover it";
    }
    String at = HOUR_MINUTE.format(finding.occurredAt());
    if (finding.candidates().isEmpty()) {
      return "no approved record for " + finding.system() + " at " + at;
    }
    return "no approved record for "
        + finding.system()
        + " at "
        + at
        + " covers it ("
        + finding.candidates().size()
        + " considered)";
  }

  private static String approvedAfter(Finding finding, CandidateEvaluation candidate) {
    String id = candidate.recordId();
    if (failed(candidate, APPROVAL_RECORDED)) {
      return id + "'s approval was recorded only after Vouch had seen the change";
    }
    Optional<Instant> approvedAt =
        check(candidate, APPROVAL_BEFORE_CHANGE)
            .map(ControlCheck::detail)
            .map(APPROVED_AT::matcher)
            .filter(Matcher::find)
            .flatMap(m -> instant(m.group(1)));
    if (approvedAt.isEmpty() || !approvedAt.get().isAfter(finding.occurredAt())) {
      return id + " approved after the change";
    }
    return id
        + " approved "
        + Explanation.gap(Duration.between(finding.occurredAt(), approvedAt.get()))
        + " after the change";
  }

  private static Optional<Instant> instant(String text) {
    try {
      return Optional.of(Instant.parse(text));
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The candidate the verdict rests on: the one the finding names, whose own outcome it is. */
  private static Optional<CandidateEvaluation> deciding(Finding finding) {
    if (finding.recordId() == null) {
      return Optional.empty();
    }
    return finding.candidates().stream()
        .filter(c -> c.recordId().equals(finding.recordId()))
        .min(
            (a, b) ->
                Boolean.compare(
                    a.outcome() != finding.verdict(), b.outcome() != finding.verdict()));
  }

  private static Optional<ControlCheck> check(CandidateEvaluation candidate, String name) {
    return candidate.checks().stream().filter(c -> c.name().equals(name)).findFirst();
  }

  private static boolean failed(CandidateEvaluation candidate, String name) {
    return check(candidate, name).map(c -> !c.passed()).orElse(false);
  }

  private static String who(Finding finding) {
    return finding.person() == null ? "whoever made the change" : finding.person();
  }
}
