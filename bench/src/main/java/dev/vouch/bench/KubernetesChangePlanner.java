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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Plans the change log of the cluster {@code prod-eu} and every change made by a person (or by an
 * identity that maps to nobody), and decides each change's verdict.
 *
 * <p>The construction rules are those of {@link ChangePlanning}, shared with {@link ChangePlanner},
 * for one system: windows of the same implementer are more than 48 h apart; changes meant to be
 * outside a window sit 2-20 h from it; unauthorized changes by people sit more than 26 h from any
 * authorizing window of theirs. Kubernetes adds three things:
 *
 * <ul>
 *   <li><b>explicit references</b>: about 30% of the changes whose audit event carries the request
 *       body name their record in {@code metadata.annotations["change-id"]}; a few changes made
 *       30-72 h from their record's window (and more than 26 h from any other authorizing window of
 *       the person) are tied to it only by that reference, so they are OUTSIDE_WINDOW where they
 *       would otherwise be UNAUTHORIZED;
 *   <li><b>impersonation</b>: a change made by A impersonating B is implemented by both, so {@code
 *       kubernetes-admin} impersonating an implementer acts as that implementer, and a person
 *       impersonating the CI service account away from their windows is UNAUTHORIZED (inside one of
 *       their windows the impersonator would be covered);
 *   <li><b>interactive sessions</b> (exec, attach, port-forward) last from 20 s to 15 min; the
 *       verdict is checked at both ends of the session, and a session whose end would change it is
 *       cut to 20 s.
 * </ul>
 *
 * <p>Every planned change is then checked against {@link VerdictOracle} (extended by the explicit
 * reference rule) under the nominal and perturbed policies.
 */
final class KubernetesChangePlanner extends ChangePlanning {

  /** Share of people's changes tied to a record only by the change id they carry. */
  private static final double REFERENCE_ONLY_SHARE = 0.01;

  /** Share of referenceable changes that carry their record's change id. */
  private static final double REFERENCE_SHARE = 0.3;

  /** Share of changes that are interactive sessions (exec, attach, port-forward). */
  private static final double INTERACTIVE_SHARE = 0.12;

  /** The person who holds the kubernetes-admin client certificate. */
  private static final String CERT_ADMIN_PERSON = "carol";

  /** Share of covered changes made by kubernetes-admin impersonating the implementer. */
  private static final double IMPERSONATED_SHARE = 0.03;

  private static final long SHORT_SESSION = 20;

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

  private final Map<String, List<ChangeRecordRow>> byPerson = new HashMap<>();
  private final Map<String, ChangeRecordRow> byId = new HashMap<>();
  private final Map<String, Scope> scopes = new LinkedHashMap<>();
  private final List<KubernetesPlannedChange> changes = new ArrayList<>();

  KubernetesChangePlanner(
      long start, long end, int recordCount, int humanChanges, SplittableRandom rng) {
    super(start, end, recordCount, humanChanges, rng, "period too short: at least 5 days");
  }

  Plan plan() {
    planRecords();
    int covered = planCovered(this::coveredChange);
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

  @Override
  ChangeRecordRow placeRecord(int number, Scenario scenario) {
    String id = recordId(number);
    boolean emergency = emergency(scenario);
    String type = type(emergency);
    double u = rng.nextDouble();
    Team team = u < 0.3 ? Team.PLATFORM : u < 0.7 ? Team.PAYMENTS : Team.DATA;
    String namespace =
        rng.nextDouble() < (team == Team.PLATFORM ? 0.65 : 0.85) ? team.homeNamespace() : "default";
    Theme theme = KubernetesCatalog.pick(TEAM_THEMES.get(team), rng);
    List<Person> pool = KubernetesCatalog.team(team);
    int implementerCount = implementerCount(scenario);
    long duration = duration(type);
    Placement window = placeWindow(pool, implementerCount, duration, this::free);
    List<String> implementers = window.implementers();
    Approval approval =
        approval(
            scenario,
            window,
            coApprover ->
                approvers(
                    KubernetesCatalog.team(Team.APPROVERS),
                    KubernetesCatalog.team(team),
                    implementers,
                    coApprover));
    String requestedBy = requestedBy(implementers, pool);
    String risk = risk(emergency, theme);
    scopes.put(id, new Scope(team, namespace));
    return new ChangeRecordRow(
        id,
        scenario,
        theme,
        KubernetesTexts.title(theme, KubernetesCatalog.SYSTEM + "/" + namespace, rng),
        type,
        approval.state(),
        List.of(KubernetesCatalog.SYSTEM),
        window.start(),
        window.end(),
        List.copyOf(implementers),
        List.copyOf(approval.approvers()),
        approval.approvedAt(),
        requestedBy,
        risk,
        KubernetesTexts.backoutPlan(theme, rng),
        Texts.testEvidence(rng),
        approval.updatedAt(),
        0);
  }

  @Override
  void index(ChangeRecordRow row) {
    byId.put(row.id(), row);
    for (String person : row.implementers()) {
      byPerson.computeIfAbsent(person, k -> new ArrayList<>()).add(row);
    }
  }

  @Override
  String cannotPlace() {
    return "cannot place "
        + recordCount
        + " change records in the period while keeping windows of the same implementer"
        + " more than 48 h apart; lower --change-records or raise --days";
  }

  private boolean free(List<String> people, long from, long to) {
    for (String person : people) {
      if (!apart(byPerson.getOrDefault(person, List.of()), from, to)) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------------------------- changes

  /**
   * Plans a change inside (or within grace of) the record's window, or exactly on its edge; some by
   * kubernetes-admin impersonating the implementer.
   */
  private void coveredChange(ChangeRecordRow r, boolean atEdge) {
    String person = KubernetesCatalog.pick(r.implementers(), rng);
    Edge edge = Edge.NONE;
    long t;
    if (atEdge) {
      edge = rng.nextBoolean() ? Edge.START : Edge.END;
      t = edgeTime(r, edge == Edge.START);
    } else {
      t = coveredTime(r);
    }
    Person p = KubernetesCatalog.person(person);
    // The admin certificate's holder implements an impersonated change too: only where nothing of
    // theirs is near and they did not approve the record, so the record alone decides.
    boolean impersonated =
        edge == Edge.NONE
            && p.auth() == KubernetesCatalog.Auth.OIDC
            && clear(CERT_ADMIN_PERSON, t)
            && !r.approvers().contains(CERT_ADMIN_PERSON)
            && rng.nextDouble() < IMPERSONATED_SHARE;
    addRecordChange(
        t,
        edge,
        impersonated ? ActorKind.ADMIN_AS_PERSON : ActorKind.PERSON,
        impersonated ? CERT_ADMIN_PERSON : person,
        person,
        r,
        covered(r, person),
        ReferenceMode.MAYBE);
  }

  /** Plans changes by a record's implementer 2-20 h before or after its window. */
  private int planOutside(int budget) {
    List<ChangeRecordRow> outside = outsideRecords(budget);
    for (ChangeRecordRow r : outside) {
      String person = KubernetesCatalog.pick(r.implementers(), rng);
      outsideChange(awayFrom(r, 2 * HOUR, 20 * HOUR), person, r, ReferenceMode.MAYBE);
    }
    return outside.size();
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
      String person = KubernetesCatalog.pick(r.implementers(), rng);
      long t = awayFrom(r, 30 * HOUR, 72 * HOUR);
      if (t < periodStart + HOUR || t > periodEnd - HOUR || !clear(person, t)) {
        continue;
      }
      outsideChange(t, person, r, ReferenceMode.REQUIRED);
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
          // An implementer impersonates the CI service account away from any window of theirs:
          // the impersonator counts as an implementer of the change too (so inside their own
          // window it would be covered), and here nothing covers either of them.
          ChangeRecordRow r = KubernetesCatalog.pick(paymentsRecords, rng);
          Person p = KubernetesCatalog.person(KubernetesCatalog.pick(r.implementers(), rng));
          long t = randomTime();
          if (!clear(p.id(), t)) {
            continue;
          }
          unauthorized(
              t, ActorKind.PERSON_AS_DEPLOYER, p, null, KubernetesCatalog.DEPLOYER_NAMESPACE);
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
    return clear(byPerson.getOrDefault(person, List.of()), t);
  }

  /** A change by an implementer of the record, as themself, outside its window. */
  private void outsideChange(
      long t, String person, ChangeRecordRow record, ReferenceMode referenceMode) {
    addRecordChange(
        t,
        Edge.NONE,
        ActorKind.PERSON,
        person,
        person,
        record,
        ExpectedVerdict.OUTSIDE_WINDOW,
        referenceMode);
  }

  /** A change for a record: in the record's team, namespace and theme. */
  private void addRecordChange(
      long t,
      Edge edge,
      ActorKind actor,
      String person,
      String effective,
      ChangeRecordRow record,
      ExpectedVerdict verdict,
      ReferenceMode referenceMode) {
    Scope scope = scopes.get(record.id());
    addChange(
        t,
        edge,
        actor,
        person,
        effective,
        record,
        scope.team(),
        scope.namespace(),
        record.theme(),
        verdict,
        referenceMode);
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
      if (!stable(madeBy(actor, person, effective), t, t + session, reference, verdict)) {
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
    return verdict(person == null ? Set.of() : Set.of(person), t, reference, policy);
  }

  /** The verdict for a change made by all of {@code persons} (an impersonator and the user). */
  ExpectedVerdict verdict(
      Set<String> persons, long t, String reference, VerdictOracle.Policy policy) {
    if (persons.isEmpty()) {
      return ExpectedVerdict.UNAUTHORIZED;
    }
    List<ChangeRecordRow> records = new ArrayList<>();
    for (String person : persons) {
      records.addAll(byPerson.getOrDefault(person, List.of()));
    }
    ExpectedVerdict v =
        VerdictOracle.verdict(
            persons, KubernetesCatalog.SYSTEM, t, new java.util.LinkedHashSet<>(records), policy);
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
      Set<String> persons, long from, long to, String reference, ExpectedVerdict expected) {
    for (long t : new long[] {from, to}) {
      if (verdict(persons, t, reference, VerdictOracle.NOMINAL) != expected) {
        return false;
      }
      for (VerdictOracle.Policy p : VerdictOracle.PERTURBED) {
        if (verdict(persons, t, reference, p) != expected) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * The people who made a change: the effective user and, when impersonating, the authenticated
   * person too.
   */
  private static Set<String> madeBy(ActorKind actor, String person, String effective) {
    Set<String> who = new java.util.TreeSet<>();
    if (effective != null) {
      who.add(effective);
    }
    if (person != null && actor != ActorKind.PERSON) {
      who.add(person);
    }
    return who;
  }

  /** Checks every planned change against the oracle; throws on a construction bug. */
  private void verify() {
    for (KubernetesPlannedChange c : changes) {
      Set<String> who = madeBy(c.actor(), c.person(), c.effectivePerson());
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
      if (c.time() < periodStart || c.time() + c.sessionSeconds() + 2 >= periodEnd) {
        throw new IllegalStateException("generator bug: change at " + c.time() + " out of range");
      }
    }
  }

  // ---------------------------------------------------------------------------------- helpers

  /** A time in the period, two thirds of them in European and American working hours. */
  private long randomTime() {
    long days = (periodEnd - periodStart) / DAY;
    while (true) {
      long day = periodStart + rng.nextLong(days) * DAY;
      long t =
          rng.nextDouble() < 0.67
              ? day + between(7 * HOUR, 19 * HOUR - 1)
              : day + rng.nextLong(DAY);
      if (t >= periodStart + MINUTE && t < periodEnd - HOUR) {
        return t;
      }
    }
  }

  private String randomNamespace() {
    return KubernetesCatalog.pick(List.of("payments", "data", "default"), rng);
  }
}
