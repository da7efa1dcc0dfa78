package dev.vouch.bench;

import static dev.vouch.bench.VerdictOracle.HOUR;
import static dev.vouch.bench.VerdictOracle.MINUTE;

import dev.vouch.bench.ChangeRecordRow.Scenario;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The construction rules both change planners ({@link ChangePlanner}, {@link
 * KubernetesChangePlanner}) follow. Every method draws from the planner's random source in a fixed
 * order: code moved here or back must keep that order, or one seed no longer gives the same data.
 *
 * <p>Records: scenarios in fixed shares; windows of 30 min to 8 h on quarter hours, at least a day
 * from either end of the period, and those of the same implementer (on the same system) more than
 * 48 h apart; approvals before, after or without the window as the scenario demands. People's
 * changes: up to {@link #COVERED_SHARE} inside (or within grace of) record windows, some exactly on
 * the grace edge; {@link #OUTSIDE_SHARE} 2-20 h from their record's window; the rest unauthorized,
 * more than {@link #CLEAR_MARGIN} from any authorizing window of the person.
 *
 * <p>What differs stays in the subclasses: what a system and a team are, who may approve, which
 * actions a change is made of, and the verdict oracle each checks its plan against.
 */
abstract class ChangePlanning {

  /** At most this share of people's changes fall inside record windows. */
  static final double COVERED_SHARE = 0.75;

  /** Share of people's changes made 2-20 h outside their record's window. */
  static final double OUTSIDE_SHARE = 0.05;

  /** Gap kept between windows of the same implementer and system (the brief asks for > 48 h). */
  static final long SPACING = 49 * HOUR;

  /** Unauthorized changes keep this far from any authorizing window of their person and system. */
  static final long CLEAR_MARGIN = 26 * HOUR;

  /** Window edge plus grace, where boundary changes sit. */
  static final long GRACE = 30 * MINUTE;

  static final long QUARTER = 15 * MINUTE;
  static final long DAY = 24 * HOUR;

  private static final Map<Scenario, Double> SCENARIO_SHARES = new EnumMap<>(Scenario.class);

  static {
    SCENARIO_SHARES.put(Scenario.APPROVED_AFTER_CHANGE, 0.07);
    SCENARIO_SHARES.put(Scenario.SELF_APPROVED, 0.06);
    SCENARIO_SHARES.put(Scenario.EMERGENCY_AUTHORIZED, 0.06);
    SCENARIO_SHARES.put(Scenario.EMERGENCY_LATE, 0.04);
    SCENARIO_SHARES.put(Scenario.EMERGENCY_NEVER, 0.03);
    SCENARIO_SHARES.put(Scenario.REJECTED, 0.05);
    SCENARIO_SHARES.put(Scenario.NOT_EXECUTED, 0.03);
  }

  /** A person of either catalog, as far as planning is concerned. */
  interface HasId {
    String id();
  }

  /** A record's window and its implementers, who are free then. */
  record Placement(List<String> implementers, long start, long end) {}

  /** Whether none of the people has a window within {@link #SPACING} of [from, to]. */
  @FunctionalInterface
  interface FreeTest {
    boolean free(List<String> people, long from, long to);
  }

  /** Draws a record's approvers; with {@code coApprover} the first implementer is one of them. */
  @FunctionalInterface
  interface ApproverDraw {
    List<String> draw(boolean coApprover);
  }

  /** A record's approval and state, as its scenario demands. */
  record Approval(String state, List<String> approvers, Long approvedAt, long updatedAt) {}

  /** Plans one covered change for a record; {@code edge}: exactly on a grace edge. */
  @FunctionalInterface
  interface CoveredChange {
    void plan(ChangeRecordRow record, boolean edge);
  }

  final long periodStart;
  final long periodEnd;
  final int recordCount;
  final int humanChanges;
  final SplittableRandom rng;
  final List<ChangeRecordRow> records = new ArrayList<>();

  /**
   * @param tooShort the message when the period is shorter than five days
   */
  ChangePlanning(
      long periodStart,
      long periodEnd,
      int recordCount,
      int humanChanges,
      SplittableRandom rng,
      String tooShort) {
    if (periodEnd - periodStart < 5 * DAY) {
      throw new IllegalArgumentException(tooShort);
    }
    this.periodStart = periodStart;
    this.periodEnd = periodEnd;
    this.recordCount = recordCount;
    this.humanChanges = humanChanges;
    this.rng = rng;
  }

  // ---------------------------------------------------------------------------------- records

  /**
   * Places the records one by one, in the order of {@link #scenarios()}, each indexed before the
   * next is placed (whose window must keep apart from it).
   */
  void planRecords() {
    List<Scenario> scenarios = scenarios();
    for (int i = 0; i < scenarios.size(); i++) {
      ChangeRecordRow row = placeRecord(i + 1, scenarios.get(i));
      records.add(row);
      index(row);
    }
  }

  /** Builds record {@code number} of the change log, demonstrating the scenario. */
  abstract ChangeRecordRow placeRecord(int number, Scenario scenario);

  /** Adds a placed record to the planner's own lookups. */
  abstract void index(ChangeRecordRow row);

  /** The scenario of every record, in shuffled order; at least one of each from 20 records. */
  private List<Scenario> scenarios() {
    List<Scenario> list = new ArrayList<>(recordCount);
    for (Map.Entry<Scenario, Double> e : SCENARIO_SHARES.entrySet()) {
      long n = Math.round(e.getValue() * recordCount);
      if (recordCount >= 20) {
        n = Math.max(1, n);
      }
      for (int i = 0; i < n; i++) {
        list.add(e.getKey());
      }
    }
    while (list.size() < recordCount) {
      list.add(Scenario.AUTHORIZED);
    }
    while (list.size() > recordCount) {
      list.remove(list.size() - 1);
    }
    shuffle(list);
    return list;
  }

  static String recordId(int number) {
    return String.format("CHG%07d", number);
  }

  static boolean emergency(Scenario scenario) {
    return scenario == Scenario.EMERGENCY_AUTHORIZED
        || scenario == Scenario.EMERGENCY_LATE
        || scenario == Scenario.EMERGENCY_NEVER;
  }

  /** The record type: emergency for the emergency scenarios, else 20% standard, 80% normal. */
  String type(boolean emergency) {
    return emergency ? "emergency" : rng.nextDouble() < 0.2 ? "standard" : "normal";
  }

  /** One implementer, or two: for 12% of records, and for 30% of self-approved ones. */
  int implementerCount(Scenario scenario) {
    return (scenario == Scenario.SELF_APPROVED && rng.nextDouble() < 0.3) || rng.nextDouble() < 0.12
        ? 2
        : 1;
  }

  /** The window length in quarter hours: emergency 2-16, standard 2-12, normal 4-32. */
  long duration(String type) {
    return switch (type) {
      case "emergency" -> between(2, 16) * QUARTER;
      case "standard" -> between(2, 12) * QUARTER;
      default -> between(4, 32) * QUARTER;
    };
  }

  /**
   * Draws implementers from the pool and a window start on a quarter hour, at least a day from
   * either end of the period, until the implementers are free then; after 20,000 attempts gives up
   * with {@link #cannotPlace()}.
   */
  Placement placeWindow(
      List<? extends HasId> pool, int implementerCount, long duration, FreeTest test) {
    long earliest = periodStart + DAY;
    long latestStart = periodEnd - DAY - duration;
    long quarters = (latestStart - earliest) / QUARTER;
    for (int attempt = 0; attempt < 20_000; attempt++) {
      List<String> candidate = distinct(pool, implementerCount);
      long s = earliest + rng.nextLong(quarters + 1) * QUARTER;
      if (test.free(candidate, s, s + duration)) {
        return new Placement(candidate, s, s + duration);
      }
    }
    throw new IllegalArgumentException(cannotPlace());
  }

  /** Why the records do not fit in the period, and what to change. */
  abstract String cannotPlace();

  /** Whether [from, to] keeps {@link #SPACING} from every window in the list. */
  static boolean apart(List<ChangeRecordRow> windows, long from, long to) {
    for (ChangeRecordRow r : windows) {
      if (!(from >= r.end() + SPACING || to + SPACING <= r.start())) {
        return false;
      }
    }
    return true;
  }

  /**
   * The state, approvers and approval time the scenario demands, and when the record was updated.
   */
  Approval approval(Scenario scenario, Placement window, ApproverDraw approvers) {
    List<String> implementers = window.implementers();
    long windowStart = window.start();
    long windowEnd = window.end();
    String state;
    List<String> chosen;
    Long approvedAt;
    switch (scenario) {
      case AUTHORIZED -> {
        state = authorizingState();
        chosen = approvers.draw(rng.nextDouble() < 0.1);
        approvedAt = windowStart - 30 * MINUTE - between(2 * HOUR, 6 * DAY);
      }
      case APPROVED_AFTER_CHANGE -> {
        state = rng.nextBoolean() ? "implemented" : "closed";
        chosen = approvers.draw(false);
        approvedAt = windowEnd + 30 * MINUTE + between(HOUR, 3 * DAY);
      }
      case SELF_APPROVED -> {
        state = authorizingState();
        chosen = List.of(implementers.get(0));
        approvedAt = windowStart - 30 * MINUTE - between(HOUR, 3 * DAY);
      }
      case EMERGENCY_AUTHORIZED -> {
        state = rng.nextBoolean() ? "implemented" : "closed";
        chosen = approvers.draw(false);
        approvedAt =
            rng.nextDouble() < 0.3
                ? windowStart - 30 * MINUTE - between(10 * MINUTE, 6 * HOUR)
                : windowEnd + 30 * MINUTE + between(HOUR, 48 * HOUR);
      }
      case EMERGENCY_LATE -> {
        state = "closed";
        chosen = approvers.draw(false);
        approvedAt = windowEnd + 30 * MINUTE + 72 * HOUR + between(3 * HOUR, 5 * DAY);
      }
      case EMERGENCY_NEVER -> {
        state = "implemented";
        chosen = List.of();
        approvedAt = null;
      }
      case REJECTED -> {
        state = rng.nextDouble() < 0.6 ? "rejected" : "cancelled";
        chosen = List.of();
        approvedAt = null;
      }
      case NOT_EXECUTED -> {
        state = "approved";
        chosen = approvers.draw(false);
        approvedAt = windowStart - between(DAY, 5 * DAY);
      }
      default -> throw new IllegalStateException(scenario.name());
    }
    long updatedAt =
        switch (state) {
          case "approved" -> approvedAt + between(0, 2 * HOUR);
          case "rejected", "cancelled" -> windowStart - between(HOUR, 3 * DAY);
          default ->
              Math.max(windowEnd, approvedAt == null ? windowEnd : approvedAt)
                  + between(10 * MINUTE, 3 * DAY);
        };
    return new Approval(state, chosen, approvedAt, updatedAt);
  }

  private String authorizingState() {
    double u = rng.nextDouble();
    return u < 0.25 ? "approved" : u < 0.6 ? "implemented" : "closed";
  }

  /**
   * One or two approvers who are not the implementers: from {@code approvers}, or for 40% of
   * records from the implementers' {@code team}. With {@code coApprover}, the first implementer
   * approves together with someone else, which is not self-approval.
   */
  List<String> approvers(
      List<? extends HasId> approvers,
      List<? extends HasId> team,
      List<String> implementers,
      boolean coApprover) {
    List<? extends HasId> pool = approvers;
    if (rng.nextDouble() < 0.4) {
      List<HasId> peers = new ArrayList<>();
      for (HasId p : team) {
        if (!implementers.contains(p.id())) {
          peers.add(p);
        }
      }
      pool = peers;
    }
    int n = rng.nextDouble() < 0.3 ? 2 : 1;
    List<String> chosen = distinct(pool, n);
    if (coApprover) {
      return List.of(implementers.get(0), chosen.get(0));
    }
    return chosen;
  }

  /** The first implementer (60%) or anyone of the pool. */
  String requestedBy(List<String> implementers, List<? extends HasId> pool) {
    return rng.nextDouble() < 0.6 ? implementers.get(0) : pick(pool).id();
  }

  /** Medium or high for emergencies and IAM or network changes, else mostly low. */
  String risk(boolean emergency, Catalog.Theme theme) {
    return emergency || theme == Catalog.Theme.IAM || theme == Catalog.Theme.NETWORK
        ? pick(List.of("medium", "high"))
        : pick(List.of("low", "low", "medium"));
  }

  // ---------------------------------------------------------------------------------- changes

  /**
   * How many covered changes each record gets: weights of 10-60 scaled down to the covered budget,
   * at least one; none for records that were not executed.
   */
  int[] coveredCounts() {
    long weightSum = 0;
    int[] weights = new int[records.size()];
    for (int i = 0; i < records.size(); i++) {
      weights[i] = (int) between(10, 60);
      if (records.get(i).scenario() != Scenario.NOT_EXECUTED) {
        weightSum += weights[i];
      }
    }
    double budget = humanChanges * COVERED_SHARE;
    double factor = weightSum == 0 ? 0 : Math.min(1.0, budget / weightSum);
    int[] counts = new int[records.size()];
    for (int i = 0; i < records.size(); i++) {
      if (records.get(i).scenario() != Scenario.NOT_EXECUTED) {
        counts[i] = Math.max(1, (int) Math.round(weights[i] * factor));
      }
    }
    return counts;
  }

  /**
   * Plans the changes inside (or within grace of) the record windows, {@link #coveredCounts} of
   * them record by record; for 12% of AUTHORIZED non-emergency records with two or more, the first
   * sits exactly on a grace edge. Returns how many.
   */
  int planCovered(CoveredChange change) {
    int[] counts = coveredCounts();
    int total = 0;
    for (int i = 0; i < records.size(); i++) {
      ChangeRecordRow r = records.get(i);
      if (r.scenario() == Scenario.NOT_EXECUTED) {
        continue;
      }
      int n = counts[i];
      boolean boundary =
          r.scenario() == Scenario.AUTHORIZED
              && !r.emergency()
              && n >= 2
              && rng.nextDouble() < 0.12;
      for (int k = 0; k < n; k++) {
        change.plan(r, boundary && k == 0);
        total++;
      }
    }
    return total;
  }

  /** The window start minus grace, or its end plus grace. */
  static long edgeTime(ChangeRecordRow r, boolean atStart) {
    return atStart ? r.start() - GRACE : r.end() + GRACE;
  }

  /** A covered change's time: 4% 2-28 min before the window, 4% 2-28 min after, else inside. */
  long coveredTime(ChangeRecordRow r) {
    double u = rng.nextDouble();
    if (u < 0.04) {
      return r.start() - between(2 * MINUTE, 28 * MINUTE);
    } else if (u < 0.08) {
      return r.end() + between(2 * MINUTE, 28 * MINUTE);
    }
    return between(r.start(), r.end());
  }

  /** The verdict a covered change by {@code person} is planned to get. */
  static ExpectedVerdict covered(ChangeRecordRow r, String person) {
    return switch (r.scenario()) {
      case AUTHORIZED, EMERGENCY_AUTHORIZED -> ExpectedVerdict.AUTHORIZED;
      case APPROVED_AFTER_CHANGE -> ExpectedVerdict.APPROVED_AFTER_CHANGE;
      // The only approver is the first implementer: not independent of any implementer's change.
      case SELF_APPROVED -> ExpectedVerdict.SELF_APPROVED;
      case EMERGENCY_LATE, EMERGENCY_NEVER -> ExpectedVerdict.EMERGENCY_UNDOCUMENTED;
      case REJECTED -> ExpectedVerdict.UNAUTHORIZED;
      case NOT_EXECUTED -> throw new IllegalStateException();
    };
  }

  /**
   * The records of the {@code budget} changes made outside their record's window, one a change:
   * about a third of the AUTHORIZED records, in turn. Empty when there is none.
   */
  List<ChangeRecordRow> outsideRecords(int budget) {
    List<ChangeRecordRow> eligible = new ArrayList<>();
    for (ChangeRecordRow r : records) {
      if (r.scenario() == Scenario.AUTHORIZED) {
        eligible.add(r);
      }
    }
    if (budget == 0 || eligible.isEmpty()) {
      return List.of();
    }
    shuffle(eligible);
    int chosen = Math.max(1, Math.min(budget, (int) Math.round(eligible.size() * 0.35)));
    List<ChangeRecordRow> result = new ArrayList<>(budget);
    for (int i = 0; i < budget; i++) {
      result.add(eligible.get(i % chosen));
    }
    return result;
  }

  /** A time {@code minOffset}-{@code maxOffset} before the window's start or after its end. */
  long awayFrom(ChangeRecordRow r, long minOffset, long maxOffset) {
    long offset = between(minOffset, maxOffset);
    return rng.nextBoolean() ? r.start() - offset : r.end() + offset;
  }

  /** Whether t keeps more than {@link #CLEAR_MARGIN} from every authorizing window in the list. */
  static boolean clear(List<ChangeRecordRow> windows, long t) {
    for (ChangeRecordRow r : windows) {
      if (r.authorizing() && VerdictOracle.distance(t, r.start(), r.end()) <= CLEAR_MARGIN) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------------------------- helpers

  long between(long lo, long hi) {
    return lo + rng.nextLong(hi - lo + 1);
  }

  <T> T pick(List<T> items) {
    return items.get(rng.nextInt(items.size()));
  }

  List<String> distinct(List<? extends HasId> pool, int n) {
    List<String> chosen = new ArrayList<>(n);
    while (chosen.size() < n) {
      String id = pick(pool).id();
      if (!chosen.contains(id)) {
        chosen.add(id);
      }
    }
    return chosen;
  }

  <T> void shuffle(List<T> list) {
    for (int i = list.size() - 1; i > 0; i--) {
      Collections.swap(list, i, rng.nextInt(i + 1));
    }
  }
}
