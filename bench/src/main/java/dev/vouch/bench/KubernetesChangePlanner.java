package dev.vouch.bench;

import static dev.vouch.bench.VerdictOracle.HOUR;
import static dev.vouch.bench.VerdictOracle.MINUTE;

import dev.vouch.bench.Catalog.Theme;
import dev.vouch.bench.ChangeRecordRow.Scenario;
import dev.vouch.bench.KubernetesCatalog.Person;
import dev.vouch.bench.KubernetesCatalog.Team;
import dev.vouch.bench.KubernetesPlannedChange.ActorKind;
import dev.vouch.bench.KubernetesPlannedChange.Edge;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Plans the change log of the cluster {@code prod-eu} and every change made by a person (or by an
 * identity that maps to nobody), and decides each change's verdict.
 *
 * <p>The construction rules are those of {@link ChangePlanner}, for one system: windows of the same
 * implementer are more than 48 h apart; changes meant to be outside a window sit 2-20 h from it;
 * unauthorized changes by people sit more than 26 h from any authorizing window of theirs.
 * Kubernetes adds three things:
 *
 * <ul>
 *   <li><b>explicit references</b>: about 30% of the changes whose audit event carries the request
 *       body name their record in {@code metadata.annotations["change-id"]}; a few changes made
 *       30-72 h from their record's window (and more than 26 h from any other authorizing window of
 *       the person) are tied to it only by that reference, so they are OUTSIDE_WINDOW where they
 *       would otherwise be UNAUTHORIZED;
 *   <li><b>impersonation</b>: the actor is the effective user, so {@code kubernetes-admin}
 *       impersonating an implementer acts as that implementer, and a person impersonating the CI
 *       service account acts as nobody (UNAUTHORIZED even inside their own window);
 *   <li><b>interactive sessions</b> (exec, attach, port-forward) last from 20 s to 15 min; the
 *       verdict is checked at both ends of the session, and a session whose end would change it is
 *       cut to 20 s.
 * </ul>
 *
 * <p>Every planned change is then checked against {@link VerdictOracle} (extended by the explicit
 * reference rule) under the nominal and perturbed policies.
 */
final class KubernetesChangePlanner {

  /** At most this share of people's changes fall inside record windows. */
  private static final double COVERED_SHARE = 0.75;

  /** Share of people's changes made 2-20 h outside their record's window. */
  private static final double OUTSIDE_SHARE = 0.05;

  /** Share of people's changes tied to a record only by the change id they carry. */
  private static final double REFERENCE_ONLY_SHARE = 0.01;

  /** Share of referenceable changes that carry their record's change id. */
  private static final double REFERENCE_SHARE = 0.3;

  /** Share of changes that are interactive sessions (exec, attach, port-forward). */
  private static final double INTERACTIVE_SHARE = 0.12;

  /** Share of covered changes made by kubernetes-admin impersonating the implementer. */
  private static final double IMPERSONATED_SHARE = 0.03;

  private static final long SPACING = 49 * HOUR;
  private static final long CLEAR_MARGIN = 26 * HOUR;
  private static final long QUARTER = 15 * MINUTE;
  private static final long DAY = 24 * HOUR;
  private static final long SHORT_SESSION = 20;

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

  private static final Map<Team, List<Theme>> TEAM_THEMES =
      Map.of(
          Team.PLATFORM,
          List.of(Theme.COMPUTE, Theme.CONFIG, Theme.IAM, Theme.NETWORK, Theme.STORAGE),
          Team.PAYMENTS,
          List.of(Theme.COMPUTE, Theme.CONFIG, Theme.NETWORK, Theme.FUNCTIONS, Theme.IAM),
          Team.DATA,
          List.of(
              Theme.COMPUTE,
              Theme.CONFIG,
              Theme.FUNCTIONS,
              Theme.STORAGE,
              Theme.NETWORK,
              Theme.IAM),
          Team.APPROVERS,
          List.of(Theme.COMPUTE, Theme.CONFIG, Theme.NETWORK));

  /** What a record is about beyond {@link ChangeRecordRow}: its team and namespace. */
  record Scope(Team team, String namespace) {}

  /** The planned change log and changes, the changes sorted by time. */
  record Plan(
      List<ChangeRecordRow> records,
      Map<String, Scope> scopes,
      List<KubernetesPlannedChange> changes) {}

  private enum ReferenceMode {
    NONE,
    MAYBE,
    REQUIRED
  }

  private final long start;
  private final long end;
  private final int recordCount;
  private final int humanChanges;
  private final SplittableRandom rng;
  private final Map<String, List<ChangeRecordRow>> byPerson = new HashMap<>();
  private final Map<String, ChangeRecordRow> byId = new HashMap<>();
  private final Map<String, Scope> scopes = new LinkedHashMap<>();
  private final List<ChangeRecordRow> records = new ArrayList<>();
  private final List<KubernetesPlannedChange> changes = new ArrayList<>();

  KubernetesChangePlanner(
      long start, long end, int recordCount, int humanChanges, SplittableRandom rng) {
    if (end - start < 5 * DAY) {
      throw new IllegalArgumentException("period too short: at least 5 days");
    }
    this.start = start;
    this.end = end;
    this.recordCount = recordCount;
    this.humanChanges = humanChanges;
    this.rng = rng;
  }

  Plan plan() {
    List<Scenario> scenarios = scenarios();
    for (int i = 0; i < scenarios.size(); i++) {
      ChangeRecordRow row = place(i + 1, scenarios.get(i));
      records.add(row);
      byId.put(row.id(), row);
      for (String person : row.implementers()) {
        byPerson.computeIfAbsent(person, k -> new ArrayList<>()).add(row);
      }
    }
    int covered = planCovered();
    int remaining = Math.max(0, humanChanges - covered);
    int outside = planOutside(Math.min(remaining, (int) Math.round(humanChanges * OUTSIDE_SHARE)));
    remaining -= outside;
    int referenceOnly =
        planReferenceOnly(
            Math.min(remaining, (int) Math.round(humanChanges * REFERENCE_ONLY_SHARE)));
    remaining -= referenceOnly;
    planUnauthorized(remaining);
    verify();
    changes.sort(Comparator.comparingLong(KubernetesPlannedChange::time));
    return new Plan(
        List.copyOf(records), Collections.unmodifiableMap(scopes), List.copyOf(changes));
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
    Team team = u < 0.3 ? Team.PLATFORM : u < 0.7 ? Team.PAYMENTS : Team.DATA;
    String namespace =
        rng.nextDouble() < (team == Team.PLATFORM ? 0.65 : 0.85) ? team.homeNamespace() : "default";
    Theme theme = KubernetesCatalog.pick(TEAM_THEMES.get(team), rng);
    List<Person> pool = KubernetesCatalog.team(team);
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
    long earliest = start + DAY;
    long latestStart = end - DAY - duration;
    long quarters = (latestStart - earliest) / QUARTER;

    List<String> implementers = null;
    long windowStart = 0;
    for (int attempt = 0; attempt < 20_000 && implementers == null; attempt++) {
      List<String> candidate = distinct(pool, implementerCount);
      long s = earliest + rng.nextLong(quarters + 1) * QUARTER;
      if (free(candidate, s, s + duration)) {
        implementers = candidate;
        windowStart = s;
      }
    }
    if (implementers == null) {
      throw new IllegalArgumentException(
          "cannot place "
              + recordCount
              + " change records in the period while keeping windows of the same implementer"
              + " more than 48 h apart; lower --change-records or raise --days");
    }
    long windowEnd = windowStart + duration;

    String state;
    List<String> approvers;
    Long approvedAt;
    switch (scenario) {
      case AUTHORIZED -> {
        state = authorizingState();
        approvers = approvers(implementers, team, rng.nextDouble() < 0.1);
        approvedAt = windowStart - 30 * MINUTE - between(2 * HOUR, 6 * DAY);
      }
      case APPROVED_AFTER_CHANGE -> {
        state = rng.nextBoolean() ? "implemented" : "closed";
        approvers = approvers(implementers, team, false);
        approvedAt = windowEnd + 30 * MINUTE + between(HOUR, 3 * DAY);
      }
      case SELF_APPROVED -> {
        state = authorizingState();
        approvers = List.of(implementers.get(0));
        approvedAt = windowStart - 30 * MINUTE - between(HOUR, 3 * DAY);
      }
      case EMERGENCY_AUTHORIZED -> {
        state = rng.nextBoolean() ? "implemented" : "closed";
        approvers = approvers(implementers, team, false);
        approvedAt =
            rng.nextDouble() < 0.3
                ? windowStart - 30 * MINUTE - between(10 * MINUTE, 6 * HOUR)
                : windowEnd + 30 * MINUTE + between(HOUR, 48 * HOUR);
      }
      case EMERGENCY_LATE -> {
        state = "closed";
        approvers = approvers(implementers, team, false);
        approvedAt = windowEnd + 30 * MINUTE + 72 * HOUR + between(3 * HOUR, 5 * DAY);
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
        approvers = approvers(implementers, team, false);
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
    String requestedBy =
        rng.nextDouble() < 0.6 ? implementers.get(0) : KubernetesCatalog.pick(pool, rng).id();
    String risk =
        emergency || theme == Theme.IAM || theme == Theme.NETWORK
            ? KubernetesCatalog.pick(List.of("medium", "high"), rng)
            : KubernetesCatalog.pick(List.of("low", "low", "medium"), rng);
    scopes.put(id, new Scope(team, namespace));
    return new ChangeRecordRow(
        id,
        scenario,
        theme,
        KubernetesTexts.title(theme, KubernetesCatalog.SYSTEM + "/" + namespace, rng),
        type,
        state,
        List.of(KubernetesCatalog.SYSTEM),
        windowStart,
        windowEnd,
        List.copyOf(implementers),
        List.copyOf(approvers),
        approvedAt,
        requestedBy,
        risk,
        KubernetesTexts.backoutPlan(theme, rng),
        Texts.testEvidence(rng),
        updatedAt,
        0);
  }

  private String authorizingState() {
    double u = rng.nextDouble();
    return u < 0.25 ? "approved" : u < 0.6 ? "implemented" : "closed";
  }

  /** One or two approvers who are not the implementers: managers or peers of the same team. */
  private List<String> approvers(List<String> implementers, Team team, boolean coApprover) {
    List<Person> pool = KubernetesCatalog.team(Team.APPROVERS);
    if (rng.nextDouble() < 0.4) {
      pool = new ArrayList<>();
      for (Person p : KubernetesCatalog.team(team)) {
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

  private boolean free(List<String> people, long from, long to) {
    for (String person : people) {
      for (ChangeRecordRow r : byPerson.getOrDefault(person, List.of())) {
        if (!(from >= r.end() + SPACING || to + SPACING <= r.start())) {
          return false;
        }
      }
    }
    return true;
  }

  // ---------------------------------------------------------------------------------- changes

  /** Plans the changes inside (or within grace of) the record windows; returns how many. */
  private int planCovered() {
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
    int total = 0;
    for (int i = 0; i < records.size(); i++) {
      ChangeRecordRow r = records.get(i);
      if (r.scenario() == Scenario.NOT_EXECUTED) {
        continue;
      }
      Scope scope = scopes.get(r.id());
      int n = Math.max(1, (int) Math.round(weights[i] * factor));
      boolean boundary =
          r.scenario() == Scenario.AUTHORIZED
              && !r.emergency()
              && n >= 2
              && rng.nextDouble() < 0.12;
      for (int k = 0; k < n; k++) {
        String person = KubernetesCatalog.pick(r.implementers(), rng);
        long t;
        Edge edge = Edge.NONE;
        if (boundary && k == 0) {
          edge = rng.nextBoolean() ? Edge.START : Edge.END;
          t = edge == Edge.START ? r.start() - 30 * MINUTE : r.end() + 30 * MINUTE;
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
        Person p = KubernetesCatalog.person(person);
        boolean impersonated =
            edge == Edge.NONE
                && p.auth() == KubernetesCatalog.Auth.OIDC
                && rng.nextDouble() < IMPERSONATED_SHARE;
        addChange(
            t,
            edge,
            impersonated ? ActorKind.ADMIN_AS_PERSON : ActorKind.PERSON,
            impersonated ? "carol" : person,
            person,
            r,
            scope.team(),
            scope.namespace(),
            r.theme(),
            intended,
            ReferenceMode.MAYBE);
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
      Scope scope = scopes.get(r.id());
      String person = KubernetesCatalog.pick(r.implementers(), rng);
      long offset = between(2 * HOUR, 20 * HOUR);
      long t = rng.nextBoolean() ? r.start() - offset : r.end() + offset;
      addChange(
          t,
          Edge.NONE,
          ActorKind.PERSON,
          person,
          person,
          r,
          scope.team(),
          scope.namespace(),
          r.theme(),
          ExpectedVerdict.OUTSIDE_WINDOW,
          ReferenceMode.MAYBE);
    }
    return budget;
  }

  /**
   * Plans changes by a record's implementer 30-72 h from its window, away from any other
   * authorizing window of theirs, that name the record in a change-id annotation: tied to it only
   * by the explicit reference.
   */
  private int planReferenceOnly(int budget) {
    List<ChangeRecordRow> eligible = new ArrayList<>();
    for (ChangeRecordRow r : records) {
      if (r.scenario() == Scenario.AUTHORIZED || r.scenario() == Scenario.SELF_APPROVED) {
        eligible.add(r);
      }
    }
    if (budget == 0 || eligible.isEmpty()) {
      return 0;
    }
    int planned = 0;
    for (int attempt = 0; attempt < budget * 200 && planned < budget; attempt++) {
      ChangeRecordRow r = KubernetesCatalog.pick(eligible, rng);
      Scope scope = scopes.get(r.id());
      String person = KubernetesCatalog.pick(r.implementers(), rng);
      long offset = between(30 * HOUR, 72 * HOUR);
      long t = rng.nextBoolean() ? r.start() - offset : r.end() + offset;
      if (t < start + HOUR || t > end - HOUR || !clear(person, t)) {
        continue;
      }
      addChange(
          t,
          Edge.NONE,
          ActorKind.PERSON,
          person,
          person,
          r,
          scope.team(),
          scope.namespace(),
          r.theme(),
          ExpectedVerdict.OUTSIDE_WINDOW,
          ReferenceMode.REQUIRED);
      planned++;
    }
    return planned;
  }

  /** Plans changes no record covers or is near (or that act as nobody). */
  private void planUnauthorized(int count) {
    List<Person> implementers = new ArrayList<>();
    for (Person p : KubernetesCatalog.PEOPLE) {
      if (!p.approver()) {
        implementers.add(p);
      }
    }
    List<ChangeRecordRow> paymentsRecords = new ArrayList<>();
    for (ChangeRecordRow r : records) {
      if (r.authorizing() && scopes.get(r.id()).team() == Team.PAYMENTS) {
        paymentsRecords.add(r);
      }
    }
    for (int i = 0; i < count; i++) {
      boolean planned = false;
      double u = rng.nextDouble();
      for (int attempt = 0; attempt < 200 && !planned; attempt++) {
        if (u < 0.25 && !records.isEmpty()) {
          // Someone else of the team works during a record's window: not covered by it.
          ChangeRecordRow r = KubernetesCatalog.pick(records, rng);
          Scope scope = scopes.get(r.id());
          Person p = KubernetesCatalog.pick(KubernetesCatalog.team(scope.team()), rng);
          long t = between(r.start(), r.end());
          if (r.implementers().contains(p.id()) || !clear(p.id(), t)) {
            continue;
          }
          unauthorized(t, ActorKind.PERSON, p, p.id(), scope.namespace());
        } else if (u < 0.35) {
          // An approver, who implements nothing, makes a change.
          Person p = KubernetesCatalog.pick(KubernetesCatalog.team(Team.APPROVERS), rng);
          unauthorized(
              randomTime(),
              ActorKind.PERSON,
              p,
              p.id(),
              rng.nextBoolean() ? "default" : "payments");
        } else if (u < 0.40) {
          unauthorized(randomTime(), ActorKind.CONTRACTOR, null, null, randomNamespace());
        } else if (u < 0.45) {
          unauthorized(
              randomTime(), ActorKind.DEPLOYER, null, null, KubernetesCatalog.DEPLOYER_NAMESPACE);
        } else if (u < 0.50 && !paymentsRecords.isEmpty()) {
          // An implementer impersonates the CI service account during their own window: the
          // request acts as the service account, which is no person.
          ChangeRecordRow r = KubernetesCatalog.pick(paymentsRecords, rng);
          Person p = KubernetesCatalog.person(KubernetesCatalog.pick(r.implementers(), rng));
          unauthorized(
              between(r.start(), r.end()),
              ActorKind.PERSON_AS_DEPLOYER,
              p,
              null,
              KubernetesCatalog.DEPLOYER_NAMESPACE);
        } else {
          Person p = KubernetesCatalog.pick(implementers, rng);
          long t = randomTime();
          if (!clear(p.id(), t)) {
            continue;
          }
          String namespace = rng.nextDouble() < 0.8 ? p.team().homeNamespace() : "default";
          unauthorized(t, ActorKind.PERSON, p, p.id(), namespace);
        }
        planned = true;
      }
      if (!planned) {
        Person p = KubernetesCatalog.pick(KubernetesCatalog.team(Team.APPROVERS), rng);
        unauthorized(randomTime(), ActorKind.PERSON, p, p.id(), "default");
      }
    }
  }

  private void unauthorized(
      long t, ActorKind actor, Person person, String effective, String namespace) {
    Team team = person == null ? Team.PAYMENTS : person.team();
    addChange(
        t,
        Edge.NONE,
        actor,
        person == null ? null : person.id(),
        effective,
        null,
        team,
        namespace,
        KubernetesCatalog.pick(TEAM_THEMES.get(team), rng),
        ExpectedVerdict.UNAUTHORIZED,
        ReferenceMode.NONE);
  }

  private boolean clear(String person, long t) {
    for (ChangeRecordRow r : byPerson.getOrDefault(person, List.of())) {
      if (r.authorizing() && VerdictOracle.distance(t, r.start(), r.end()) <= CLEAR_MARGIN) {
        return false;
      }
    }
    return true;
  }

  private void addChange(
      long t,
      Edge edge,
      ActorKind actor,
      String person,
      String effective,
      ChangeRecordRow record,
      Team team,
      String namespace,
      Theme theme,
      ExpectedVerdict verdict,
      ReferenceMode referenceMode) {
    boolean clusterScopedAllowed = team == Team.PLATFORM;
    KubernetesAction action;
    if (referenceMode == ReferenceMode.REQUIRED) {
      List<KubernetesAction> options = new ArrayList<>();
      for (KubernetesAction a : KubernetesAction.of(theme, clusterScopedAllowed)) {
        if (a.referenceable()) {
          options.add(a);
        }
      }
      if (options.isEmpty()) {
        options = List.of(KubernetesAction.SET_IMAGE, KubernetesAction.RESTART_ROLLOUT);
      }
      action = KubernetesCatalog.pick(options, rng);
    } else if (edge == Edge.NONE && rng.nextDouble() < INTERACTIVE_SHARE) {
      action = KubernetesCatalog.pick(KubernetesAction.interactiveActions(), rng);
    } else {
      action = KubernetesCatalog.pick(KubernetesAction.of(theme, clusterScopedAllowed), rng);
    }
    String reference = null;
    if (record != null
        && action.referenceable()
        && (referenceMode == ReferenceMode.REQUIRED
            || (referenceMode == ReferenceMode.MAYBE && rng.nextDouble() < REFERENCE_SHARE))) {
      reference = record.id();
    }
    long session = 0;
    if (action.interactive()) {
      session = between(SHORT_SESSION, 15 * MINUTE);
      if (!stable(effective, t, t + session, reference, verdict)) {
        session = SHORT_SESSION;
      }
    }
    changes.add(
        new KubernetesPlannedChange(
            t,
            edge,
            actor,
            person,
            effective,
            action,
            namespace,
            verdict,
            record == null ? null : record.id(),
            reference,
            referenceMode == ReferenceMode.REQUIRED,
            session));
  }

  // ---------------------------------------------------------------------------------- checks

  /**
   * The verdict under the benchmark's semantics: {@link VerdictOracle}, plus the explicit reference
   * rule: a change that no record covers but that names an authorizing record of the system is tied
   * to it (OUTSIDE_WINDOW), however far from the window.
   */
  ExpectedVerdict verdict(String person, long t, String reference, VerdictOracle.Policy policy) {
    if (person == null) {
      return ExpectedVerdict.UNAUTHORIZED;
    }
    ExpectedVerdict v =
        VerdictOracle.verdict(
            person, KubernetesCatalog.SYSTEM, t, byPerson.getOrDefault(person, List.of()), policy);
    if (v == ExpectedVerdict.UNAUTHORIZED && reference != null) {
      ChangeRecordRow r = byId.get(reference);
      if (r != null && r.authorizing() && r.systems().contains(KubernetesCatalog.SYSTEM)) {
        return ExpectedVerdict.OUTSIDE_WINDOW;
      }
    }
    return v;
  }

  /** Whether the verdict is the same at both instants under every policy. */
  private boolean stable(
      String person, long from, long to, String reference, ExpectedVerdict expected) {
    for (long t : new long[] {from, to}) {
      if (verdict(person, t, reference, VerdictOracle.NOMINAL) != expected) {
        return false;
      }
      for (VerdictOracle.Policy p : VerdictOracle.PERTURBED) {
        if (verdict(person, t, reference, p) != expected) {
          return false;
        }
      }
    }
    return true;
  }

  /** Checks every planned change against the oracle; throws on a construction bug. */
  private void verify() {
    for (KubernetesPlannedChange c : changes) {
      String who = c.effectivePerson();
      ExpectedVerdict nominal = verdict(who, c.time(), c.reference(), VerdictOracle.NOMINAL);
      if (nominal != c.verdict()) {
        throw new IllegalStateException(
            "generator bug: change at "
                + c.time()
                + " by "
                + c.actor()
                + " "
                + c.person()
                + " as "
                + who
                + " for "
                + c.recordId()
                + " was planned as "
                + c.verdict()
                + " but the semantics give "
                + nominal);
      }
      if (c.boundary()) {
        // The other timestamp of the request lies just inside the window.
        long other = c.edge() == Edge.START ? c.time() + 1 : c.time() - 1;
        if (verdict(who, other, c.reference(), VerdictOracle.NOMINAL) != nominal) {
          throw new IllegalStateException("generator bug: boundary change at " + c.time());
        }
      } else if (!stable(
          who, c.time(), c.time() + c.sessionSeconds() + 1, c.reference(), nominal)) {
        throw new IllegalStateException(
            "generator bug: change at " + c.time() + " is ambiguous under a perturbed policy");
      }
      if (c.time() < start || c.time() + c.sessionSeconds() + 2 >= end) {
        throw new IllegalStateException("generator bug: change at " + c.time() + " out of range");
      }
    }
  }

  // ---------------------------------------------------------------------------------- helpers

  /** A time in the period, two thirds of them in European and American working hours. */
  private long randomTime() {
    long days = (end - start) / DAY;
    while (true) {
      long day = start + rng.nextLong(days) * DAY;
      long t =
          rng.nextDouble() < 0.67
              ? day + between(7 * HOUR, 19 * HOUR - 1)
              : day + rng.nextLong(DAY);
      if (t >= start + MINUTE && t < end - HOUR) {
        return t;
      }
    }
  }

  private String randomNamespace() {
    return KubernetesCatalog.pick(List.of("payments", "data", "default"), rng);
  }

  private long between(long lo, long hi) {
    return lo + rng.nextLong(hi - lo + 1);
  }

  private List<String> distinct(List<Person> pool, int n) {
    List<String> chosen = new ArrayList<>(n);
    while (chosen.size() < n) {
      String id = KubernetesCatalog.pick(pool, rng).id();
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
}
