package dev.vouch.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The matching semantics the benchmark expects from Vouch, written independently of Vouch so that
 * the expected verdicts do not inherit its bugs.
 *
 * <p>For a change at {@code t} by person P on system S: a record <em>covers</em> it when the record
 * is approved, implemented or closed, lists S and P, and {@code start - graceBefore <= t <= end +
 * graceAfter}. A covered change is SELF_APPROVED when no approver is independent of P and of the
 * record's implementers (an implementer approving a record they carry out is not independent);
 * otherwise an emergency record is EMERGENCY_UNDOCUMENTED when it has no approval or one later than
 * {@code t + emergencyDeadline}, and a standard or normal record is APPROVED_AFTER_CHANGE when
 * approved after {@code t}; otherwise AUTHORIZED. An uncovered change is OUTSIDE_WINDOW when an
 * authorizing record of the same system and implementer has its window within {@code proximity} of
 * {@code t}, and UNAUTHORIZED otherwise.
 */
final class VerdictOracle {

  /** Matching parameters, in seconds. */
  record Policy(
      long graceBefore,
      long graceAfter,
      long proximity,
      long emergencyDeadline,
      long approvalSlack) {}

  static final long MINUTE = 60;
  static final long HOUR = 3600;

  /** The parameters written to the generated vouch.yaml. */
  static final Policy NOMINAL = new Policy(30 * MINUTE, 30 * MINUTE, 24 * HOUR, 72 * HOUR, 0);

  /**
   * Policies a little off the nominal one. A change whose verdict differs under any of them sits
   * too close to a threshold to be an unambiguous test (unless it is a deliberate boundary event,
   * which is checked against the grace edges only under the nominal policy).
   */
  static final List<Policy> PERTURBED =
      List.of(
          new Policy(29 * MINUTE, 29 * MINUTE, 24 * HOUR, 72 * HOUR, 0),
          new Policy(31 * MINUTE, 31 * MINUTE, 24 * HOUR, 72 * HOUR, 0),
          new Policy(30 * MINUTE, 30 * MINUTE, 23 * HOUR, 72 * HOUR, 0),
          new Policy(30 * MINUTE, 30 * MINUTE, 25 * HOUR, 72 * HOUR, 0),
          new Policy(30 * MINUTE, 30 * MINUTE, 24 * HOUR, 71 * HOUR, 0),
          new Policy(30 * MINUTE, 30 * MINUTE, 24 * HOUR, 73 * HOUR, 0),
          new Policy(30 * MINUTE, 30 * MINUTE, 24 * HOUR, 72 * HOUR, 5 * MINUTE),
          new Policy(30 * MINUTE, 30 * MINUTE, 24 * HOUR, 72 * HOUR, -5 * MINUTE));

  /**
   * The verdict for a change.
   *
   * @param person the resolved person, or null when the actor maps to nobody
   * @param system the account's system, or null when the account maps to none
   * @param t epoch second of the change
   * @param records candidate records; any subset that contains every record listing the person
   * @throws IllegalStateException when two records cover the change, or two are near it
   */
  static ExpectedVerdict verdict(
      String person, String system, long t, Collection<ChangeRecordRow> records, Policy p) {
    return verdict(person == null ? Set.of() : Set.of(person), system, t, records, p);
  }

  /**
   * The verdict for a change made by several people at once: a Kubernetes request made by A
   * impersonating B is implemented by both. A record covers it when it lists any of them; no one of
   * them, nor any implementer of the record, is an independent approver.
   *
   * @param persons the people who made the change; empty when the actor maps to nobody
   */
  static ExpectedVerdict verdict(
      Set<String> persons, String system, long t, Collection<ChangeRecordRow> records, Policy p) {
    if (persons.isEmpty() || system == null) {
      return ExpectedVerdict.UNAUTHORIZED;
    }
    String person = String.join("+", persons);
    List<ChangeRecordRow> covering = new ArrayList<>(1);
    List<ChangeRecordRow> near = new ArrayList<>(1);
    for (ChangeRecordRow r : records) {
      if (!r.authorizing()
          || !r.systems().contains(system)
          || java.util.Collections.disjoint(r.implementers(), persons)) {
        continue;
      }
      if (t >= r.start() - p.graceBefore() && t <= r.end() + p.graceAfter()) {
        covering.add(r);
      } else if (distance(t, r.start(), r.end()) <= p.proximity()) {
        near.add(r);
      }
    }
    if (covering.size() > 1) {
      throw new IllegalStateException(
          "change at " + t + " by " + person + " on " + system + " is covered by " + ids(covering));
    }
    if (covering.size() == 1) {
      ChangeRecordRow r = covering.get(0);
      if (!r.approvers().isEmpty()
          && r.approvers().stream()
              .allMatch(a -> persons.contains(a) || r.implementers().contains(a))) {
        return ExpectedVerdict.SELF_APPROVED;
      }
      Long approvedAt = r.approvedAt();
      if (r.emergency()) {
        return approvedAt == null || approvedAt > t + p.emergencyDeadline() + p.approvalSlack()
            ? ExpectedVerdict.EMERGENCY_UNDOCUMENTED
            : ExpectedVerdict.AUTHORIZED;
      }
      if (approvedAt == null) {
        throw new IllegalStateException(r.id() + " is a " + r.type() + " record with no approval");
      }
      return approvedAt > t + p.approvalSlack()
          ? ExpectedVerdict.APPROVED_AFTER_CHANGE
          : ExpectedVerdict.AUTHORIZED;
    }
    if (near.size() > 1) {
      throw new IllegalStateException(
          "change at " + t + " by " + person + " on " + system + " is near " + ids(near));
    }
    return near.isEmpty() ? ExpectedVerdict.UNAUTHORIZED : ExpectedVerdict.OUTSIDE_WINDOW;
  }

  /** Seconds from {@code t} to the window {@code [start, end]}, 0 inside it. */
  static long distance(long t, long start, long end) {
    if (t < start) {
      return start - t;
    }
    return t > end ? t - end : 0;
  }

  private static List<String> ids(List<ChangeRecordRow> rows) {
    List<String> ids = new ArrayList<>();
    for (ChangeRecordRow r : rows) {
      ids.add(r.id());
    }
    return ids;
  }

  private VerdictOracle() {}
}
