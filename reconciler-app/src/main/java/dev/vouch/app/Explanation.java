package dev.vouch.app;

import dev.vouch.core.catalog.IdentityMap;
import dev.vouch.core.model.Approval;
import dev.vouch.core.model.CandidateEvaluation;
import dev.vouch.core.model.ChangeRecord;
import dev.vouch.core.model.Finding;
import dev.vouch.core.model.KeyResult;
import dev.vouch.core.model.TimeWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One line that says why a change needs review, with the gap in numbers: "CHG0001002 was approved
 * 25 min after the change", "Made 2 h 40 min after the window of CHG0001006 closed (...)", "No
 * approved record for payments-prod at this time", "Approved only by alice, who made the change".
 *
 * <p>Computed from the finding's candidates (which record, its per-key results, how far outside its
 * window) and control checks (which control failed, by its stable name), with the times taken from
 * the stored records rather than from the checks' wording. Verdicts whose summary already names the
 * numbers (UNREADABLE, CONFLICTING_EVIDENCE, HISTORY_REWRITTEN), and any case the records cannot
 * explain, use the finding's own summary.
 */
public final class Explanation {
  /**
   * The matcher's stable name for the control check that fails when Vouch stored an approval only
   * after it had seen the change.
   */
  static final String APPROVAL_RECORDED = "approval-recorded-before-change";

  /** How many rejected candidates an UNAUTHORIZED line names before "and N more". */
  static final int CANDIDATES_NAMED = 3;

  private Explanation() {}

  /**
   * A gap in words, to the second under an hour and to the minute beyond: {@code 40 s}, {@code 5
   * min 30 s}, {@code 2 h 05 min}, {@code 4 d 6 h 40 min}.
   */
  public static String gap(Duration duration) {
    long seconds = duration.abs().getSeconds();
    if (seconds < 60) {
      return seconds + " s";
    }
    long minutes = seconds / 60;
    if (minutes < 60) {
      return seconds % 60 == 0 ? minutes + " min" : minutes + " min " + seconds % 60 + " s";
    }
    long hours = minutes / 60;
    String hoursAndMinutes = String.format("%d h %02d min", hours % 24, minutes % 60);
    return hours < 24 ? hoursAndMinutes : hours / 24 + " d " + hoursAndMinutes;
  }

  /**
   * @param identities the configured people and aliases, to tell approvers apart as the matcher
   *     does
   */
  static String of(ReviewItem item, IdentityMap identities) {
    Finding finding = item.finding();
    Optional<String> line =
        switch (finding.verdict()) {
          case UNAUTHORIZED -> Optional.of(unauthorized(item));
          case APPROVED_AFTER_CHANGE -> item.deciding().flatMap(c -> approvedAfter(item, c));
          case OUTSIDE_WINDOW -> item.deciding().flatMap(c -> outsideWindow(item, c));
          case SELF_APPROVED ->
              item.deciding().flatMap(item::record).flatMap(r -> selfApproved(item, r, identities));
          case EMERGENCY_UNDOCUMENTED ->
              item.deciding().flatMap(item::record).map(r -> emergency(finding, r));
          default -> Optional.empty();
        };
    return line.orElse(finding.summary());
  }

  private static String unauthorized(ReviewItem item) {
    Finding finding = item.finding();
    if (finding.system() == null) {
      return item.event() == null
          ? finding.summary()
          : item.event().coordinates()
              + " belongs to no configured system, so no record can cover this change";
    }
    if (finding.candidates().isEmpty()) {
      return "No approved record for " + finding.system() + " at this time";
    }
    List<String> reasons = new ArrayList<>();
    for (CandidateEvaluation candidate : finding.candidates()) {
      if (reasons.size() == CANDIDATES_NAMED) {
        reasons.add("and " + (finding.candidates().size() - CANDIDATES_NAMED) + " more");
        break;
      }
      reasons.add(whyNot(item, candidate));
    }
    return "No approved record for "
        + finding.system()
        + " covers this change: "
        + String.join("; ", reasons);
  }

  /** Why one candidate does not cover the change: the first key that fails, in matching order. */
  private static String whyNot(ReviewItem item, CandidateEvaluation candidate) {
    Finding finding = item.finding();
    String id = candidate.recordId();
    if (!candidate.state().authorizes()) {
      return switch (candidate.state()) {
        case DRAFT -> id + " is a draft";
        case REJECTED -> id + " was rejected";
        case CANCELLED -> id + " was cancelled";
        default -> id + " is " + candidate.state().label() + ", not approved";
      };
    }
    if (candidate.system() == KeyResult.MISMATCH) {
      return id + " does not list " + finding.system();
    }
    if (!candidate.window().covers()) {
      return "made " + windowGap(item, candidate);
    }
    if (candidate.implementer() == KeyResult.MISMATCH) {
      List<String> implementers =
          item.record(candidate).map(ChangeRecord::implementers).orElse(List.of());
      return implementers.isEmpty()
          ? id + " names other implementers"
          : id
              + " is to be carried out by "
              + String.join(", ", implementers)
              + ", not "
              + who(finding);
    }
    return id + " does not cover it";
  }

  private static Optional<String> approvedAfter(ReviewItem item, CandidateEvaluation candidate) {
    Finding finding = item.finding();
    Optional<Instant> approvedAt = item.record(candidate).flatMap(ChangeRecord::lastApprovalAt);
    boolean recordedLate =
        candidate.checks().stream()
            .filter(c -> c.name().equals(APPROVAL_RECORDED))
            .anyMatch(c -> !c.passed());
    String id = candidate.recordId();
    if (approvedAt.isEmpty()) {
      return item.record(candidate).map(r -> id + " records no approval time");
    }
    Duration after = Duration.between(finding.occurredAt(), approvedAt.get());
    if (recordedLate) {
      return Optional.of(
          id
              + " claims approval "
              + gap(after)
              + (after.isNegative() ? " before" : " after")
              + " the change, but Vouch first stored that approval only after it had seen the"
              + " change");
    }
    if (after.isNegative() || after.isZero()) {
      return Optional.empty();
    }
    return Optional.of(id + " was approved " + gap(after) + " after the change");
  }

  private static Optional<String> outsideWindow(ReviewItem item, CandidateEvaluation candidate) {
    return item.record(candidate).map(r -> "Made " + windowGap(item, candidate));
  }

  /**
   * How far the change lies outside a candidate's window, and on which side: "2 h 40 min after the
   * window of CHG1 closed (2026-11-16 16:00:00Z to 2026-11-16 17:00:00Z)".
   */
  private static String windowGap(ReviewItem item, CandidateEvaluation candidate) {
    String gap = gap(candidate.outsideWindowBy());
    String id = candidate.recordId();
    Optional<TimeWindow> window = item.record(candidate).map(ChangeRecord::window);
    if (window.isEmpty()) {
      return gap + " outside the window of " + id;
    }
    String span =
        " ("
            + SummaryPage.utc(window.get().start())
            + " to "
            + SummaryPage.utc(window.get().end())
            + ")";
    Instant at = item.finding().occurredAt();
    if (at.isAfter(window.get().end())) {
      return gap + " after the window of " + id + " closed" + span;
    }
    if (at.isBefore(window.get().start())) {
      return gap + " before the window of " + id + " opened" + span;
    }
    return "inside the window of " + id + span;
  }

  private static Optional<String> selfApproved(
      ReviewItem item, ChangeRecord record, IdentityMap identities) {
    List<String> approvers =
        record.positiveApprovals().stream().map(Approval::approver).distinct().toList();
    if (approvers.isEmpty()) {
      return Optional.empty();
    }
    if (approvers.size() == 1) {
      return Optional.of(
          "Approved only by "
              + approvers.get(0)
              + ", who "
              + role(item, record, approvers.get(0), identities));
    }
    List<String> named = new ArrayList<>();
    for (String approver : approvers) {
      named.add(approver + " (who " + role(item, record, approver, identities) + ")");
    }
    return Optional.of("Approved only by " + String.join(" and ", named));
  }

  /** Why an approver is not independent, compared through the identities as the matcher does. */
  private static String role(
      ReviewItem item, ChangeRecord record, String approver, IdentityMap identities) {
    boolean madeIt =
        item.event() == null
            ? identities.samePerson(approver, who(item.finding()))
            : identities.samePerson(approver, item.event().actor());
    if (madeIt) {
      return "made the change";
    }
    if (record.implementers().stream().anyMatch(i -> identities.samePerson(approver, i))) {
      return "is one of the record's implementers";
    }
    return "is not independent of the change";
  }

  private static String emergency(Finding finding, ChangeRecord record) {
    Optional<Instant> approvedAt = record.lastApprovalAt();
    if (approvedAt.isEmpty()) {
      return "Emergency record " + record.key() + " has no approval yet";
    }
    // Only an approval later than the deadline, which follows the change, leaves it undocumented.
    return "Emergency record "
        + record.key()
        + " was approved "
        + gap(Duration.between(finding.occurredAt(), approvedAt.get()))
        + " after the change, later than its documentation deadline";
  }

  private static String who(Finding finding) {
    return finding.person() == null ? finding.actor() : finding.person();
  }
}
