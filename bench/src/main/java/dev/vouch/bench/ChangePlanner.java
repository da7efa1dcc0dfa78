package dev.vouch.bench;

import static dev.vouch.bench.VerdictOracle.HOUR;

import dev.vouch.bench.Catalog.Account;
import dev.vouch.bench.Catalog.Action;
import dev.vouch.bench.Catalog.Person;
import dev.vouch.bench.Catalog.Theme;
import dev.vouch.bench.ChangeRecordRow.Scenario;
import java.util.ArrayList;
import java.util.Comparator;
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
final class ChangePlanner extends ChangePlanning {

  /** Share of all records that are successful changes by people. */
  static final double HUMAN_CHANGE_SHARE = 0.09;

  /** The planned change log and changes, the changes sorted by time. */
  record Plan(List<ChangeRecordRow> records, List<PlannedChange> changes) {}

  private final Map<String, List<ChangeRecordRow>> byPair = new HashMap<>();
  private final List<PlannedChange> changes = new ArrayList<>();

  /**
   * @param humanChanges how many changes by people to plan in total
   */
  ChangePlanner(
      long monthStart, long monthEnd, int recordCount, int humanChanges, SplittableRandom rng) {
    super(monthStart, monthEnd, recordCount, humanChanges, rng, "month too short");
  }

  Plan plan() {
    planRecords();
    int covered = planCovered(this::coveredChange);
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

  @Override
  ChangeRecordRow placeRecord(int number, Scenario scenario) {
    String id = recordId(number);
    boolean emergency = emergency(scenario);
    String type = type(emergency);
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
    int implementerCount = implementerCount(scenario);
    long duration = duration(type);
    Placement window =
        placeWindow(
            pool, implementerCount, duration, (people, s, e) -> free(people, systems, s, e));
    List<String> implementers = window.implementers();
    Approval approval =
        approval(scenario, window, coApprover -> approvers(implementers, systems, coApprover));
    Theme theme = Catalog.pick(List.of(Theme.values()), rng);
    String prefix =
        systems.size() > 1 ? "payments and data" : Catalog.ACCOUNTS.get(accounts.get(0)).prefix();
    String requestedBy = requestedBy(implementers, pool);
    String risk = risk(emergency, theme);
    return new ChangeRecordRow(
        id,
        scenario,
        theme,
        Texts.title(theme, prefix, rng),
        type,
        approval.state(),
        List.copyOf(systems),
        window.start(),
        window.end(),
        List.copyOf(implementers),
        List.copyOf(approval.approvers()),
        approval.approvedAt(),
        requestedBy,
        risk,
        Texts.backoutPlan(theme, rng),
        Texts.testEvidence(rng),
        approval.updatedAt(),
        rng.nextDouble() < 0.7 ? 0 : 1);
  }

  @Override
  void index(ChangeRecordRow row) {
    for (String person : row.implementers()) {
      for (String system : row.systems()) {
        byPair.computeIfAbsent(pairKey(person, system), k -> new ArrayList<>()).add(row);
      }
    }
  }

  @Override
  String cannotPlace() {
    return "cannot place "
        + recordCount
        + " change records in the month while keeping windows of the same implementer"
        + " and system more than 48 h apart; lower --change-records";
  }

  /** Approvers from the approvers' pool or from the team of the record's first system. */
  private List<String> approvers(
      List<String> implementers, List<String> systems, boolean coApprover) {
    return approvers(
        Catalog.APPROVERS,
        Catalog.implementersOf(Catalog.accountOf(systems.get(0))),
        implementers,
        coApprover);
  }

  private boolean free(List<String> people, List<String> systems, long start, long end) {
    for (String person : people) {
      for (String system : systems) {
        if (!apart(byPair.getOrDefault(pairKey(person, system), List.of()), start, end)) {
          return false;
        }
      }
    }
    return true;
  }

  // ---------------------------------------------------------------------------------- changes

  /** Plans a change inside (or within grace of) the record's window, or exactly on its edge. */
  private void coveredChange(ChangeRecordRow r, boolean edge) {
    String person = Catalog.pick(r.implementers(), rng);
    String system = Catalog.pick(r.systems(), rng);
    long t = edge ? edgeTime(r, rng.nextBoolean()) : coveredTime(r);
    addChange(t, system, person(person), r, covered(r, person), edge);
  }

  /** Plans changes by a record's implementer 2-20 h before or after its window. */
  private int planOutside(int budget) {
    List<ChangeRecordRow> outside = outsideRecords(budget);
    for (ChangeRecordRow r : outside) {
      String person = Catalog.pick(r.implementers(), rng);
      String system = Catalog.pick(r.systems(), rng);
      long t = awayFrom(r, 2 * HOUR, 20 * HOUR);
      addChange(t, system, person(person), r, ExpectedVerdict.OUTSIDE_WINDOW, false);
    }
    return outside.size();
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
        if (t < periodStart || t >= periodEnd || !clear(person, system, t)) {
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
    return !person.known()
        || clear(byPair.getOrDefault(pairKey(person.id(), system), List.of()), t);
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
    long days = (periodEnd - periodStart) / DAY;
    long day = periodStart + rng.nextLong(days) * DAY;
    if (rng.nextDouble() < 0.67) {
      return day + between(7 * HOUR, 19 * HOUR - 1);
    }
    return day + rng.nextLong(DAY);
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
