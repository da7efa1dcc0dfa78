package dev.vouch.bench;

import static dev.vouch.bench.VerdictOracle.HOUR;
import static dev.vouch.bench.VerdictOracle.MINUTE;

import dev.vouch.bench.Catalog.Account;
import dev.vouch.bench.Catalog.Action;
import dev.vouch.bench.Catalog.Person;
import dev.vouch.bench.Catalog.Theme;
import dev.vouch.bench.ChangeRecordRow.Scenario;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Plans the change log and every change made by a person, and decides each change's verdict.
 *
 * <p>The construction keeps every verdict unambiguous: windows of the same implementer on the same
 * system are more than 48 h apart, so no change is covered by two records or near two; changes
 * meant to be outside a window sit 2-20 h from it, and changes meant to be unauthorized sit more
 * than 26 h from any authorizing window of their person and system. Every planned change is then
 * checked against {@link VerdictOracle} under the nominal and several perturbed policies, so a
 * construction bug fails generation instead of producing a wrong expectation.
 */
final class ChangePlanner {

  /** Share of all records that are successful changes by people. */
  static final double HUMAN_CHANGE_SHARE = 0.09;

  /** At most this share of people's changes fall inside record windows. */
  private static final double COVERED_SHARE = 0.75;

  /** Share of people's changes made 2-20 h outside their record's window. */
  private static final double OUTSIDE_SHARE = 0.05;

  /** Gap kept between windows of the same implementer and system (the brief asks for > 48 h). */
  private static final long SPACING = 49 * HOUR;

  /** Unauthorized changes keep this far from any authorizing window of their person and system. */
  private static final long CLEAR_MARGIN = 26 * HOUR;

  private static final long QUARTER = 15 * MINUTE;
  private static final long DAY = 24 * HOUR;

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

  /** The planned change log and changes, the changes sorted by time. */
  record Plan(List<ChangeRecordRow> records, List<PlannedChange> changes) {}

  private final long monthStart;
  private final long monthEnd;
  private final int recordCount;
  private final int humanChanges;
  private final SplittableRandom rng;
  private final Map<String, List<ChangeRecordRow>> byPair = new HashMap<>();
  private final List<ChangeRecordRow> records = new ArrayList<>();
  private final List<PlannedChange> changes = new ArrayList<>();

  /**
   * @param humanChanges how many changes by people to plan in total
   */
  ChangePlanner(
      long monthStart, long monthEnd, int recordCount, int humanChanges, SplittableRandom rng) {
    if (monthEnd - monthStart < 5 * DAY) {
      throw new IllegalArgumentException("month too short");
    }
    this.monthStart = monthStart;
    this.monthEnd = monthEnd;
    this.recordCount = recordCount;
    this.humanChanges = humanChanges;
    this.rng = rng;
  }

  Plan plan() {
    List<Scenario> scenarios = scenarios();
    for (int i = 0; i < scenarios.size(); i++) {
      ChangeRecordRow row = place(i + 1, scenarios.get(i));
      records.add(row);
      for (String person : row.implementers()) {
        for (String system : row.systems()) {
          byPair.computeIfAbsent(pairKey(person, system), k -> new ArrayList<>()).add(row);
        }
      }
    }
    int covered = planCovered();
    int outside = planOutside(Math.max(0, Math.min(humanChanges - covered, outsideBudget())));
    planUnauthorized(Math.max(0, humanChanges - covered - outside));
    verify();
    changes.sort(Comparator.comparingLong(PlannedChange::time));
    return new Plan(List.copyOf(records), List.copyOf(changes));
  }

  private int outsideBudget() {
    return (int) Math.round(humanChanges * OUTSIDE_SHARE);
  }

  // ---------------------------------------------------------------------------------- records

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

  private ChangeRecordRow place(int number, Scenario scenario) {
    String id = String.format("CHG%07d", number);
    boolean emergency =
        scenario == Scenario.EMERGENCY_AUTHORIZED
            || scenario == Scenario.EMERGENCY_LATE
            || scenario == Scenario.EMERGENCY_NEVER;
    String type = emergency ? "emergency" : rng.nextDouble() < 0.2 ? "standard" : "normal";
    double u = rng.nextDouble();
    List<Integer> accounts =
        u < 0.10
            ? List.of(Catalog.PAYMENTS, Catalog.DATA)
            : u < 0.55 ? List.of(Catalog.PAYMENTS) : List.of(Catalog.DATA);
    List<String> systems = new ArrayList<>();
    for (int a : accounts) {
      systems.add(Catalog.ACCOUNTS.get(a).system());
    }
    List<Person> pool =
        accounts.size() > 1 ? Catalog.CROSS_IMPLEMENTERS : Catalog.implementersOf(accounts.get(0));
    int implementerCount =
        (scenario == Scenario.SELF_APPROVED && rng.nextDouble() < 0.3) || rng.nextDouble() < 0.12
            ? 2
            : 1;
    long duration =
        switch (type) {
          case "emergency" -> between(2, 16) * QUARTER;
          case "standard" -> between(2, 12) * QUARTER;
          default -> between(4, 32) * QUARTER;
        };
    long earliest = monthStart + DAY;
    long latestStart = monthEnd - DAY - duration;
    long quarters = (latestStart - earliest) / QUARTER;

    List<String> implementers = null;
    long start = 0;
    for (int attempt = 0; attempt < 20_000 && implementers == null; attempt++) {
      List<String> candidate = distinct(pool, implementerCount);
      long s = earliest + rng.nextLong(quarters + 1) * QUARTER;
      if (free(candidate, systems, s, s + duration)) {
        implementers = candidate;
        start = s;
      }
    }
    if (implementers == null) {
      throw new IllegalArgumentException(
          "cannot place "
              + recordCount
              + " change records in the month while keeping windows of the same implementer"
              + " and system more than 48 h apart; lower --change-records");
    }
    long end = start + duration;

    String state;
    List<String> approvers;
    Long approvedAt;
    switch (scenario) {
      case AUTHORIZED -> {
        state = authorizingState();
        approvers = approvers(implementers, systems, rng.nextDouble() < 0.1);
        approvedAt = start - 30 * MINUTE - between(2 * HOUR, 6 * DAY);
      }
      case APPROVED_AFTER_CHANGE -> {
        state = rng.nextBoolean() ? "implemented" : "closed";
        approvers = approvers(implementers, systems, false);
        approvedAt = end + 30 * MINUTE + between(HOUR, 3 * DAY);
      }
      case SELF_APPROVED -> {
        state = authorizingState();
        approvers = List.of(implementers.get(0));
        approvedAt = start - 30 * MINUTE - between(HOUR, 3 * DAY);
      }
      case EMERGENCY_AUTHORIZED -> {
        state = rng.nextBoolean() ? "implemented" : "closed";
        approvers = approvers(implementers, systems, false);
        approvedAt =
            rng.nextDouble() < 0.3
                ? start - 30 * MINUTE - between(10 * MINUTE, 6 * HOUR)
                : end + 30 * MINUTE + between(HOUR, 48 * HOUR);
      }
      case EMERGENCY_LATE -> {
        state = "closed";
        approvers = approvers(implementers, systems, false);
        approvedAt = end + 30 * MINUTE + 72 * HOUR + between(3 * HOUR, 5 * DAY);
      }
      case EMERGENCY_NEVER -> {
        state = "implemented";
        approvers = List.of();
        approvedAt = null;
      }
      case REJECTED -> {
        state = rng.nextDouble() < 0.6 ? "rejected" : "cancelled";
        approvers = List.of();
        approvedAt = null;
      }
      case NOT_EXECUTED -> {
        state = "approved";
        approvers = approvers(implementers, systems, false);
        approvedAt = start - between(DAY, 5 * DAY);
      }
      default -> throw new IllegalStateException(scenario.name());
    }

    long updatedAt =
        switch (state) {
          case "approved" -> approvedAt + between(0, 2 * HOUR);
          case "rejected", "cancelled" -> start - between(HOUR, 3 * DAY);
          default ->
              Math.max(end, approvedAt == null ? end : approvedAt) + between(10 * MINUTE, 3 * DAY);
        };
    Theme theme = Catalog.pick(List.of(Theme.values()), rng);
    String prefix =
        systems.size() > 1 ? "payments and data" : Catalog.ACCOUNTS.get(accounts.get(0)).prefix();
    String requestedBy =
        rng.nextDouble() < 0.6 ? implementers.get(0) : Catalog.pick(pool, rng).id();
    String risk =
        emergency || theme == Theme.IAM || theme == Theme.NETWORK
            ? Catalog.pick(List.of("medium", "high"), rng)
            : Catalog.pick(List.of("low", "low", "medium"), rng);
    return new ChangeRecordRow(
        id,
        scenario,
        theme,
        Texts.title(theme, prefix, rng),
        type,
        state,
        List.copyOf(systems),
        start,
        end,
        List.copyOf(implementers),
        List.copyOf(approvers),
        approvedAt,
        requestedBy,
        risk,
        Texts.backoutPlan(theme, rng),
        Texts.testEvidence(rng),
        updatedAt,
        rng.nextDouble() < 0.7 ? 0 : 1);
  }

  private String authorizingState() {
    double u = rng.nextDouble();
    return u < 0.25 ? "approved" : u < 0.6 ? "implemented" : "closed";
  }

  /**
   * One or two approvers who are not the implementers: managers or peers of the same team. With
   * {@code coApprover}, the first implementer approves together with someone else, which is not
   * self-approval.
   */
  private List<String> approvers(
      List<String> implementers, List<String> systems, boolean coApprover) {
    List<Person> pool = new ArrayList<>(Catalog.APPROVERS);
    if (rng.nextDouble() < 0.4) {
      pool = new ArrayList<>();
      for (Person p : Catalog.implementersOf(Catalog.accountOf(systems.get(0)))) {
        if (!implementers.contains(p.id())) {
          pool.add(p);
        }
      }
    }
    int n = rng.nextDouble() < 0.3 ? 2 : 1;
    List<String> chosen = distinct(pool, n);
    if (coApprover) {
      return List.of(implementers.get(0), chosen.get(0));
    }
    return chosen;
  }

  private boolean free(List<String> people, List<String> systems, long start, long end) {
    for (String person : people) {
      for (String system : systems) {
        for (ChangeRecordRow r : byPair.getOrDefault(pairKey(person, system), List.of())) {
          if (!(start >= r.end() + SPACING || end + SPACING <= r.start())) {
            return false;
          }
        }
      }
    }
    return true;
  }

  // ---------------------------------------------------------------------------------- changes

  /** Plans the changes inside (or within grace of) the record windows; returns how many. */
  private int planCovered() {
    List<ChangeRecordRow> executed = new ArrayList<>();
    long weightSum = 0;
    int[] weights = new int[records.size()];
    for (int i = 0; i < records.size(); i++) {
      weights[i] = (int) between(10, 60);
      if (records.get(i).scenario() != Scenario.NOT_EXECUTED) {
        executed.add(records.get(i));
        weightSum += weights[i];
      }
    }
    double budget = humanChanges * COVERED_SHARE;
    double factor = weightSum == 0 ? 0 : Math.min(1.0, budget / weightSum);
    int total = 0;
    for (int i = 0; i < records.size(); i++) {
      ChangeRecordRow r = records.get(i);
      if (r.scenario() == Scenario.NOT_EXECUTED) {
        continue;
      }
      int n = Math.max(1, (int) Math.round(weights[i] * factor));
      boolean boundary =
          r.scenario() == Scenario.AUTHORIZED
              && !r.emergency()
              && n >= 2
              && rng.nextDouble() < 0.12;
      for (int k = 0; k < n; k++) {
        String person = Catalog.pick(r.implementers(), rng);
        String system = Catalog.pick(r.systems(), rng);
        long t;
        boolean edge = boundary && k == 0;
        if (edge) {
          t = rng.nextBoolean() ? r.start() - 30 * MINUTE : r.end() + 30 * MINUTE;
        } else {
          double u = rng.nextDouble();
          if (u < 0.04) {
            t = r.start() - between(2 * MINUTE, 28 * MINUTE);
          } else if (u < 0.08) {
            t = r.end() + between(2 * MINUTE, 28 * MINUTE);
          } else {
            t = between(r.start(), r.end());
          }
        }
        ExpectedVerdict intended =
            switch (r.scenario()) {
              case AUTHORIZED, EMERGENCY_AUTHORIZED -> ExpectedVerdict.AUTHORIZED;
              case APPROVED_AFTER_CHANGE -> ExpectedVerdict.APPROVED_AFTER_CHANGE;
              case SELF_APPROVED ->
                  r.approvers().equals(List.of(person))
                      ? ExpectedVerdict.SELF_APPROVED
                      : ExpectedVerdict.AUTHORIZED;
              case EMERGENCY_LATE, EMERGENCY_NEVER -> ExpectedVerdict.EMERGENCY_UNDOCUMENTED;
              case REJECTED -> ExpectedVerdict.UNAUTHORIZED;
              case NOT_EXECUTED -> throw new IllegalStateException();
            };
        addChange(t, system, person(person), r, intended, edge);
        total++;
      }
    }
    return total;
  }

  /** Plans changes by a record's implementer 2-20 h before or after its window. */
  private int planOutside(int budget) {
    List<ChangeRecordRow> eligible = new ArrayList<>();
    for (ChangeRecordRow r : records) {
      if (r.scenario() == Scenario.AUTHORIZED) {
        eligible.add(r);
      }
    }
    if (budget == 0 || eligible.isEmpty()) {
      return 0;
    }
    shuffle(eligible);
    int chosen = Math.max(1, Math.min(budget, (int) Math.round(eligible.size() * 0.35)));
    for (int i = 0; i < budget; i++) {
      ChangeRecordRow r = eligible.get(i % chosen);
      String person = Catalog.pick(r.implementers(), rng);
      String system = Catalog.pick(r.systems(), rng);
      long offset = between(2 * HOUR, 20 * HOUR);
      long t = rng.nextBoolean() ? r.start() - offset : r.end() + offset;
      addChange(t, system, person(person), r, ExpectedVerdict.OUTSIDE_WINDOW, false);
    }
    return budget;
  }

  /** Plans changes no record covers or is near. */
  private void planUnauthorized(int count) {
    List<ChangeRecordRow> withWindow = new ArrayList<>();
    List<ChangeRecordRow> singleSystem = new ArrayList<>();
    for (ChangeRecordRow r : records) {
      withWindow.add(r);
      if (r.systems().size() == 1) {
        singleSystem.add(r);
      }
    }
    for (int i = 0; i < count; i++) {
      boolean planned = false;
      double u = rng.nextDouble();
      for (int attempt = 0; attempt < 200 && !planned; attempt++) {
        Person person;
        String system;
        long t;
        if (u < 0.25 && !withWindow.isEmpty()) {
          // Someone else works on the system during a record's window: not covered by it.
          ChangeRecordRow r = Catalog.pick(withWindow, rng);
          system = Catalog.pick(r.systems(), rng);
          person = Catalog.pick(Catalog.implementersOf(Catalog.accountOf(system)), rng);
          if (r.implementers().contains(person.id())) {
            continue;
          }
          t = between(r.start(), r.end());
        } else if (u < 0.37 && !singleSystem.isEmpty()) {
          // The implementer changes the other production system during the window.
          ChangeRecordRow r = Catalog.pick(singleSystem, rng);
          person = person(Catalog.pick(r.implementers(), rng));
          system = r.systems().get(0).equals("payments-prod") ? "data-prod" : "payments-prod";
          t = between(r.start(), r.end());
        } else if (u < 0.43) {
          // Sandbox has no change records at all.
          person = Catalog.pick(Catalog.PEOPLE, rng);
          system = "sandbox";
          t = randomMonthTime();
        } else if (u < 0.48) {
          person = Catalog.LEGACY_ADMIN;
          system =
              Catalog.ACCOUNTS
                  .get(Catalog.pickWeighted(new double[] {0.45, 0.45, 0.1}, rng))
                  .system();
          t = randomMonthTime();
        } else if (u < 0.56) {
          // An approver who never implements records makes a change.
          person = Catalog.pick(Catalog.APPROVERS, rng);
          system = rng.nextBoolean() ? "payments-prod" : "data-prod";
          t = randomMonthTime();
        } else {
          Person p = Catalog.pick(Catalog.PEOPLE, rng);
          if (p.approver()) {
            continue;
          }
          person = p;
          List<String> prod = new ArrayList<>();
          for (int a : p.teams()) {
            if (a != Catalog.SANDBOX) {
              prod.add(Catalog.ACCOUNTS.get(a).system());
            }
          }
          system = Catalog.pick(prod, rng);
          t = randomMonthTime();
        }
        if (t < monthStart || t >= monthEnd || !clear(person, system, t)) {
          continue;
        }
        addChange(t, system, person, null, ExpectedVerdict.UNAUTHORIZED, false);
        planned = true;
      }
      if (!planned) {
        Person approver = Catalog.pick(Catalog.APPROVERS, rng);
        addChange(
            randomMonthTime(),
            "payments-prod",
            approver,
            null,
            ExpectedVerdict.UNAUTHORIZED,
            false);
      }
    }
  }

  private boolean clear(Person person, String system, long t) {
    if (!person.known()) {
      return true;
    }
    for (ChangeRecordRow r : byPair.getOrDefault(pairKey(person.id(), system), List.of())) {
      if (r.authorizing() && VerdictOracle.distance(t, r.start(), r.end()) <= CLEAR_MARGIN) {
        return false;
      }
    }
    return true;
  }

  private void addChange(
      long t,
      String system,
      Person person,
      ChangeRecordRow record,
      ExpectedVerdict verdict,
      boolean boundary) {
    int account = Catalog.accountOf(system);
    Theme theme = record != null ? record.theme() : Catalog.pick(List.of(Theme.values()), rng);
    Action action = Catalog.pick(Catalog.writeActions(theme), rng);
    int region =
        action.global()
            ? Catalog.GLOBAL_REGION
            : record != null
                ? record.homeRegion()
                : Catalog.pickWeighted(Catalog.REGION_WEIGHTS, rng);
    changes.add(
        new PlannedChange(
            t,
            account,
            region,
            person,
            action,
            verdict,
            record == null ? null : record.id(),
            boundary));
  }

  /** Checks every planned change against the oracle; throws on a construction bug. */
  private void verify() {
    for (PlannedChange c : changes) {
      Account account = Catalog.ACCOUNTS.get(c.account());
      String person = c.person().known() ? c.person().id() : null;
      List<ChangeRecordRow> candidates =
          person == null
              ? List.of()
              : byPair.getOrDefault(pairKey(person, account.system()), List.of());
      ExpectedVerdict nominal =
          VerdictOracle.verdict(
              person, account.system(), c.time(), candidates, VerdictOracle.NOMINAL);
      if (nominal != c.verdict()) {
        throw new IllegalStateException(
            "generator bug: change at "
                + c.time()
                + " by "
                + c.person().id()
                + " for "
                + c.recordId()
                + " was planned as "
                + c.verdict()
                + " but the semantics give "
                + nominal);
      }
      if (!c.boundary()) {
        for (VerdictOracle.Policy p : VerdictOracle.PERTURBED) {
          ExpectedVerdict v =
              VerdictOracle.verdict(person, account.system(), c.time(), candidates, p);
          if (v != nominal) {
            throw new IllegalStateException(
                "generator bug: change at " + c.time() + " is ambiguous under " + p);
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------- helpers

  /** A time in the month, two thirds of them in European and American working hours. */
  private long randomMonthTime() {
    long days = (monthEnd - monthStart) / DAY;
    long day = monthStart + rng.nextLong(days) * DAY;
    if (rng.nextDouble() < 0.67) {
      return day + between(7 * HOUR, 19 * HOUR - 1);
    }
    return day + rng.nextLong(DAY);
  }

  private long between(long lo, long hi) {
    return lo + rng.nextLong(hi - lo + 1);
  }

  private List<String> distinct(List<Person> pool, int n) {
    List<String> chosen = new ArrayList<>(n);
    while (chosen.size() < n) {
      String id = Catalog.pick(pool, rng).id();
      if (!chosen.contains(id)) {
        chosen.add(id);
      }
    }
    return chosen;
  }

  private <T> void shuffle(List<T> list) {
    for (int i = list.size() - 1; i > 0; i--) {
      Collections.swap(list, i, rng.nextInt(i + 1));
    }
  }

  private static Person person(String id) {
    for (Person p : Catalog.PEOPLE) {
      if (p.id().equals(id)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown person " + id);
  }

  private static String pairKey(String person, String system) {
    return person + '|' + system;
  }
}
