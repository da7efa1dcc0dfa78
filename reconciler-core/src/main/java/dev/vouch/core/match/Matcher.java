package dev.vouch.core.match;

import dev.vouch.core.catalog.IdentityMap;
import dev.vouch.core.model.Actor;
import dev.vouch.core.model.Approval;
import dev.vouch.core.model.CandidateEvaluation;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.ChangeRecord;
import dev.vouch.core.model.ChangeType;
import dev.vouch.core.model.ControlCheck;
import dev.vouch.core.model.Finding;
import dev.vouch.core.model.KeyResult;
import dev.vouch.core.model.Seen;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.model.WindowFit;
import dev.vouch.core.rules.Rule;
import dev.vouch.core.rules.RuleSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Decides the verdict on one change. Pure: no I/O and no clock, so the same inputs always give the
 * same finding.
 *
 * <p>Order of decision:
 *
 * <ol>
 *   <li>an exclusion rule gives EXCLUDED, a standard-change rule STANDARD_CHANGE (rule id kept);
 *   <li>a change on no configured system is UNAUTHORIZED, saying so;
 *   <li>candidates are the records of the system whose window (widened by grace and proximity)
 *       reaches the change, and the records the change names explicitly; each is evaluated key by
 *       key;
 *   <li>a record <em>covers</em> the change when it is in an authorizing state, lists the system,
 *       the change falls in its window plus grace, and the actor is among its implementers (or it
 *       names none); its control checks then give AUTHORIZED, SELF_APPROVED, APPROVED_AFTER_CHANGE
 *       or EMERGENCY_UNDOCUMENTED;
 *   <li>a record that does not cover the change but is tied to it (named explicitly, or same
 *       implementer on the same system within the proximity) gives OUTSIDE_WINDOW;
 *   <li>otherwise UNAUTHORIZED.
 * </ol>
 *
 * <p>When several records qualify, the best verdict wins; ties go to an explicit reference, then to
 * a named implementer, then to the closer window fit, the shorter window and the smaller key.
 */
public final class Matcher {

  /** The control check that compares when Vouch learnt of an approval with the change. */
  static final String APPROVAL_RECORDED = "approval-recorded-before-change";

  private final MatchPolicy policy;
  private final RecordIndex index;
  private final IdentityMap identities;
  private final RuleSet rules;
  private final Map<String, Seen> approvalsSeen;

  public Matcher(MatchPolicy policy, RecordIndex index, IdentityMap identities, RuleSet rules) {
    this(policy, index, identities, rules, Map.of());
  }

  /**
   * @param approvalsSeen when Vouch first stored each record's current approvals, keyed by {@link
   *     #recordRef}: an approval that claims a time before a change, but that Vouch learnt of only
   *     after it had seen the change, is not taken on trust
   */
  public Matcher(
      MatchPolicy policy,
      RecordIndex index,
      IdentityMap identities,
      RuleSet rules,
      Map<String, Seen> approvalsSeen) {
    this.policy = policy;
    this.index = index;
    this.identities = identities;
    this.rules = rules;
    this.approvalsSeen = Map.copyOf(approvalsSeen);
  }

  /** The key of a record in the approvals-seen map: its source and key. */
  public static String recordRef(String source, String key) {
    return source + "\u0000" + key;
  }

  /**
   * The finding for a change event, without knowing when it was first seen.
   *
   * @param event the change, with its actor's person resolved where possible
   * @param system the logical system its coordinates map to, or null when none
   */
  public Finding evaluate(ChangeEvent event, @Nullable String system) {
    return evaluate(event, system, null);
  }

  /**
   * The finding for a change event.
   *
   * @param event the change, with its actor's person resolved where possible
   * @param system the logical system its coordinates map to, or null when none
   * @param eventSeen when Vouch first stored the event, or null when unknown
   */
  public Finding evaluate(ChangeEvent event, @Nullable String system, @Nullable Seen eventSeen) {
    List<String> risks = rules.risks(event, system);
    if ("true".equals(event.attributes().get(ChangeEvent.HISTORY_REWRITTEN_ATTRIBUTE))) {
      return finding(
          event,
          system,
          Verdict.HISTORY_REWRITTEN,
          null,
          null,
          risks,
          "History rewritten: "
              + event.targets().size()
              + " commit(s) that were on the branch"
              + " are no longer on it (force push or reset)",
          List.of(),
          event.targets().stream().map(c -> "commit no longer on the branch: " + c).toList());
    }
    Optional<Rule> exclusion = rules.exclusion(event, system);
    if (exclusion.isPresent()) {
      Rule rule = exclusion.get();
      return finding(
          event,
          system,
          Verdict.EXCLUDED,
          null,
          rule.id(),
          risks,
          "Excluded by rule " + rule.id() + ": " + rule.reason(),
          List.of(),
          List.of());
    }
    Optional<Rule> standard = rules.standardChange(event, system);
    if (standard.isPresent()) {
      Rule rule = standard.get();
      return finding(
          event,
          system,
          Verdict.STANDARD_CHANGE,
          null,
          rule.id(),
          risks,
          "Pre-approved standard change under rule " + rule.id() + ": " + rule.reason(),
          List.of(),
          List.of());
    }

    Set<String> references = references(event);
    List<String> evidence = new ArrayList<>();
    references.forEach(ref -> evidence.add("explicit reference " + ref + " found in the event"));
    identityEvidence(event.actor(), evidence);
    event.attributes().entrySet().stream()
        .filter(e -> e.getKey().startsWith(ChangeEvent.EVIDENCE_PREFIX))
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> evidence.add(e.getValue()));
    if (system == null) {
      return finding(
          event,
          null,
          Verdict.UNAUTHORIZED,
          null,
          null,
          risks,
          "Unknown system: "
              + event.coordinates()
              + " maps to no configured system, so no"
              + " record can cover this change",
          List.of(),
          evidence);
    }

    Map<String, ChangeRecord> candidates = new LinkedHashMap<>();
    for (ChangeRecord record : index.near(system, event.occurredAt())) {
      candidates.put(record.source() + "\u0000" + record.key(), record);
    }
    for (String reference : references) {
      for (ChangeRecord record : index.byKey(reference)) {
        candidates.put(record.source() + "\u0000" + record.key(), record);
      }
    }
    List<CandidateEvaluation> evaluations = new ArrayList<>();
    for (ChangeRecord record : candidates.values()) {
      evaluations.add(
          evaluate(event, system, record, references.contains(record.key()), eventSeen));
    }
    evaluations.sort(BEST_FIRST);

    CandidateEvaluation best = evaluations.isEmpty() ? null : evaluations.get(0);
    // The candidates a finding lists are those that bear on it: the best, and every record that is
    // by this implementer (or names none), covers the time, or is named by the change. Records of
    // other people's changes at other times are only counted: listing them would bury the
    // evidence that matters (and make a month's findings several times larger).
    List<CandidateEvaluation> listed = new ArrayList<>();
    for (CandidateEvaluation candidate : evaluations) {
      if (candidate == best || bearsOn(candidate)) {
        listed.add(candidate);
      }
    }
    int setAside = evaluations.size() - listed.size();
    if (setAside > 0) {
      evidence.add(
          setAside
              + " other record(s) of "
              + system
              + " near this time were considered and set aside: each is for other implementers"
              + " and none covers this time");
    }
    if (best == null || best.outcome() == Verdict.UNAUTHORIZED) {
      return finding(
          event,
          system,
          Verdict.UNAUTHORIZED,
          null,
          null,
          risks,
          unauthorizedSummary(system, evaluations),
          listed,
          evidence);
    }
    return finding(
        event,
        system,
        best.outcome(),
        best.recordId(),
        null,
        risks,
        summary(best, event),
        listed,
        evidence);
  }

  /** Whether a candidate could have been the change's record but for one key. */
  private static boolean bearsOn(CandidateEvaluation candidate) {
    return candidate.implementer() != KeyResult.MISMATCH
        || candidate.window().covers()
        || candidate.explicitReference();
  }

  /** Says how far the actor's names were trusted, where that could change the verdict. */
  private void identityEvidence(Actor actor, List<String> evidence) {
    if (!actor.unverified().isEmpty()) {
      if (identities.trustsClaims(actor)) {
        evidence.add(
            "session name "
                + String.join(", ", actor.unverified())
                + " trusted as the person's: "
                + actor.issuer()
                + " is listed in identities.trustedSessionRoles");
      } else {
        evidence.add(
            "session name "
                + String.join(", ", actor.unverified())
                + " is chosen by whoever assumes "
                + (actor.issuer() == null ? "the role" : actor.issuer())
                + ", so it does not identify a person and was not used to match implementers or"
                + " approvers; list the role in identities.trustedSessionRoles if its trust policy"
                + " pins sts:RoleSessionName, or use IAM Identity Center or sts:SourceIdentity");
      }
    }
    for (String principal : actor.via()) {
      evidence.add(
          "made through "
              + principal
              + " (impersonation): an implementer too, so not an independent approver");
    }
  }

  /** The change ids the event names, found with the reference patterns. */
  Set<String> references(ChangeEvent event) {
    Set<String> found = new LinkedHashSet<>();
    for (String hint : event.referenceHints()) {
      for (Pattern pattern : policy.referencePatterns()) {
        java.util.regex.Matcher m = pattern.matcher(hint);
        while (m.find()) {
          found.add(m.group());
        }
      }
    }
    return found;
  }

  private CandidateEvaluation evaluate(
      ChangeEvent event,
      String system,
      ChangeRecord record,
      boolean explicit,
      @Nullable Seen eventSeen) {
    Instant at = event.occurredAt();
    KeyResult systemKey = record.systems().contains(system) ? KeyResult.MATCH : KeyResult.MISMATCH;
    WindowFit fit = fit(record, at);
    KeyResult implementer = implementer(record, event);
    boolean authorizing = record.state().authorizes();
    boolean covers =
        authorizing
            && systemKey == KeyResult.MATCH
            && fit.covers()
            && implementer != KeyResult.MISMATCH;
    List<ControlCheck> checks = new ArrayList<>();
    Verdict outcome;
    if (covers) {
      outcome = controls(event, record, checks, eventSeen);
    } else {
      boolean tied =
          authorizing
              && systemKey == KeyResult.MATCH
              && !fit.covers()
              && (explicit || (implementer == KeyResult.MATCH && fit == WindowFit.NEAR));
      outcome = tied ? Verdict.OUTSIDE_WINDOW : Verdict.UNAUTHORIZED;
    }
    return new CandidateEvaluation(
        record.key(),
        record.source(),
        record.state(),
        systemKey,
        fit,
        outsideBy(record, at),
        implementer,
        explicit,
        checks,
        outcome);
  }

  /** Applies the control checks to a covering record and returns the verdict they give. */
  private Verdict controls(
      ChangeEvent event, ChangeRecord record, List<ControlCheck> checks, @Nullable Seen eventSeen) {
    Instant at = event.occurredAt();
    List<Approval> approvals = record.positiveApprovals();
    boolean selfApproved = false;
    if (policy.segregationOfDuties() && !approvals.isEmpty()) {
      // An approver is independent when they neither made the change (nor anyone it was made
      // through, such as a Kubernetes impersonator) nor are named as one of the record's
      // implementers (a co-author approving a pull request is not independent).
      boolean independent =
          approvals.stream()
              .anyMatch(
                  a ->
                      !identities.involved(a.approver(), event.actor())
                          && record.implementers().stream()
                              .noneMatch(i -> identities.samePerson(a.approver(), i)));
      selfApproved = !independent;
      checks.add(
          new ControlCheck(
              "segregation-of-duties",
              independent,
              independent
                  ? "approved by "
                      + approvers(approvals)
                      + ", not only by the person who made the"
                      + " change ("
                      + event.actor().display()
                      + (event.actor().via().isEmpty()
                          ? ""
                          : ", through " + String.join(", ", event.actor().via()))
                      + ")"
                  : "no independent approver: "
                      + approvers(approvals)
                      + " made the change"
                      + (event.actor().via().isEmpty() ? "" : " or it was made through them")
                      + ", or is one of the record's implementers"));
    }
    boolean undocumented = false;
    boolean approvedLate = false;
    Optional<Instant> approvedAt = record.lastApprovalAt();
    if (record.type() == ChangeType.EMERGENCY) {
      Instant due = at.plus(policy.emergencyDocumentationDeadline());
      boolean documented = approvedAt.isPresent() && !approvedAt.get().isAfter(due);
      undocumented = !documented;
      checks.add(
          new ControlCheck(
              "emergency-documented",
              documented,
              approvedAt
                  .map(t -> "emergency record approved at " + t + ", deadline " + due)
                  .orElse("emergency record has no approval yet; deadline " + due)));
    } else if (policy.requireApprovalBeforeChange()) {
      boolean before = approvedAt.isPresent() && !approvedAt.get().isAfter(at);
      approvedLate = !before;
      checks.add(
          new ControlCheck(
              "approval-before-change",
              before,
              approvedAt
                  .map(t -> "approved at " + t + ", change at " + at)
                  .orElse("no approval time recorded; change at " + at)));
      if (before && recordedAfter(event, record, checks, eventSeen, approvedAt.get())) {
        approvedLate = true;
      }
    }
    checks.add(presence("backout-plan", "back-out plan", record.backoutPlan()));
    checks.add(presence("test-evidence", "test evidence", record.testEvidence()));
    if (selfApproved) {
      return Verdict.SELF_APPROVED;
    }
    if (undocumented) {
      return Verdict.EMERGENCY_UNDOCUMENTED;
    }
    if (approvedLate) {
      return Verdict.APPROVED_AFTER_CHANGE;
    }
    return Verdict.AUTHORIZED;
  }

  /**
   * Compares when Vouch learnt of a record's approval with the change, for a record that claims an
   * approval before it. The claimed time is the record's own word: an approval that Vouch first
   * stored only after it had already stored the change (in a later run) may have been written, or
   * back-dated, after the fact, and is not taken on trust. One first stored after the change
   * happened, but in the same run as the change, is shown, without deciding: a nightly review
   * always reads the day's records after the day's changes.
   *
   * @return true when the approval is not to be trusted
   */
  private boolean recordedAfter(
      ChangeEvent event,
      ChangeRecord record,
      List<ControlCheck> checks,
      @Nullable Seen eventSeen,
      Instant claimed) {
    Seen approvalSeen = approvalsSeen.get(recordRef(record.source(), record.key()));
    if (approvalSeen == null || eventSeen == null) {
      return false;
    }
    Instant at = event.occurredAt();
    if (approvalSeen.runId() > eventSeen.runId()) {
      checks.add(
          new ControlCheck(
              APPROVAL_RECORDED,
              false,
              "approval recorded after the change; first seen "
                  + approvalSeen.at()
                  + " (run "
                  + approvalSeen.runId()
                  + "), after Vouch had already seen the change (run "
                  + eventSeen.runId()
                  + "); the record claims approval at "
                  + claimed));
      return true;
    }
    if (approvalSeen.at().isAfter(at)) {
      checks.add(
          new ControlCheck(
              APPROVAL_RECORDED,
              true,
              "approval first seen by Vouch "
                  + approvalSeen.at()
                  + " (run "
                  + approvalSeen.runId()
                  + "), after the change at "
                  + at
                  + " but in the same run that first saw the change; the approval time "
                  + claimed
                  + " is the record's own claim"));
    } else {
      checks.add(
          new ControlCheck(
              APPROVAL_RECORDED,
              true,
              "approval already stored by Vouch at " + approvalSeen.at() + ", before the change"));
    }
    return false;
  }

  /** An informational check: whether the record documents something; it does not decide. */
  private static ControlCheck presence(String name, String what, @Nullable String value) {
    boolean present = value != null && !value.isBlank();
    return new ControlCheck(name, present, (present ? "" : "no ") + what + " recorded");
  }

  private WindowFit fit(ChangeRecord record, Instant at) {
    if (record.window().containsInclusive(at)) {
      return WindowFit.INSIDE;
    }
    if (record.window().widen(policy.graceBefore(), policy.graceAfter()).containsInclusive(at)) {
      return WindowFit.IN_GRACE;
    }
    if (record.window().widen(policy.proximity(), policy.proximity()).containsInclusive(at)) {
      return WindowFit.NEAR;
    }
    return WindowFit.OUTSIDE;
  }

  private static Duration outsideBy(ChangeRecord record, Instant at) {
    if (at.isBefore(record.window().start())) {
      return Duration.between(at, record.window().start());
    }
    if (at.isAfter(record.window().end())) {
      return Duration.between(record.window().end(), at);
    }
    return Duration.ZERO;
  }

  private KeyResult implementer(ChangeRecord record, ChangeEvent event) {
    if (record.implementers().isEmpty()) {
      return KeyResult.NOT_SPECIFIED;
    }
    for (String name : record.implementers()) {
      if (identities.involved(name, event.actor())) {
        return KeyResult.MATCH;
      }
    }
    return KeyResult.MISMATCH;
  }

  private static String approvers(List<Approval> approvals) {
    return String.join(", ", approvals.stream().map(Approval::approver).distinct().toList());
  }

  private static final Comparator<CandidateEvaluation> BEST_FIRST =
      Comparator.comparingInt((CandidateEvaluation c) -> rank(c.outcome()))
          .thenComparing(c -> !c.explicitReference())
          .thenComparingInt(c -> c.implementer() == KeyResult.MATCH ? 0 : 1)
          .thenComparing(CandidateEvaluation::window)
          .thenComparing(CandidateEvaluation::outsideWindowBy)
          .thenComparing(CandidateEvaluation::recordId)
          .thenComparing(CandidateEvaluation::recordSource);

  private static int rank(Verdict verdict) {
    return switch (verdict) {
      case AUTHORIZED -> 0;
      case SELF_APPROVED, APPROVED_AFTER_CHANGE, EMERGENCY_UNDOCUMENTED -> 1;
      case OUTSIDE_WINDOW -> 2;
      default -> 3;
    };
  }

  private String summary(CandidateEvaluation best, ChangeEvent event) {
    String record = best.recordId();
    String who = event.actor().display();
    return switch (best.outcome()) {
      case AUTHORIZED ->
          "Covered by "
              + record
              + " ("
              + best.window().name().toLowerCase()
              + " its window, implementer "
              + best.implementer().name().toLowerCase()
              + (best.explicitReference() ? ", named explicitly" : "")
              + "), approved in time";
      case SELF_APPROVED ->
          "Matched "
              + record
              + ", but no one independent of "
              + who
              + " and the record's implementers approved it";
      case APPROVED_AFTER_CHANGE ->
          best.checks().stream().anyMatch(c -> c.name().equals(APPROVAL_RECORDED) && !c.passed())
              ? "Matched "
                  + record
                  + ", but its approval was recorded after the change: "
                  + best.checks().stream()
                      .filter(c -> c.name().equals(APPROVAL_RECORDED))
                      .findFirst()
                      .orElseThrow()
                      .detail()
              : "Matched " + record + ", but it was approved after the change";
      case EMERGENCY_UNDOCUMENTED ->
          "Matched emergency record "
              + record
              + ", which was not approved within the "
              + dev.vouch.core.spi.Durations.format(policy.emergencyDocumentationDeadline())
              + " documentation deadline";
      case OUTSIDE_WINDOW ->
          "Tied to "
              + record
              + (best.explicitReference() ? " by an explicit reference" : " by implementer " + who)
              + ", but made outside its window and grace";
      default -> "No record covers this change";
    };
  }

  private static String unauthorizedSummary(String system, List<CandidateEvaluation> evaluations) {
    if (evaluations.isEmpty()) {
      return "No approved record for " + system + " covers this time";
    }
    return "No approved record covers this change; "
        + evaluations.size()
        + " record(s) considered and rejected";
  }

  private static Finding finding(
      ChangeEvent event,
      @Nullable String system,
      Verdict verdict,
      @Nullable String recordId,
      @Nullable String ruleId,
      List<String> risks,
      String summary,
      List<CandidateEvaluation> candidates,
      List<String> evidence) {
    return new Finding(
        event.key(),
        event.source(),
        system,
        event.occurredAt(),
        event.actor().raw(),
        event.actor().person(),
        event.action(),
        verdict,
        recordId,
        ruleId,
        risks,
        summary,
        candidates,
        evidence,
        event.actor().via());
  }
}
