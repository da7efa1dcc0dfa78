package dev.vouch.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.ChangeRecord;
import dev.vouch.core.model.EventClass;
import dev.vouch.core.model.Finding;
import dev.vouch.core.model.RecordState;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.run.RunStatus;
import dev.vouch.core.run.RunSummary;
import dev.vouch.core.store.Alerts;
import dev.vouch.core.store.FindingQuery;
import dev.vouch.core.store.FindingWriter;
import dev.vouch.core.store.IngestWriter;
import dev.vouch.core.store.IngestWriter.IngestCounts;
import dev.vouch.core.store.OpenFinding;
import dev.vouch.core.store.PopulationCount;
import dev.vouch.core.store.RecordSaveResult;
import dev.vouch.core.store.RunFinding;
import dev.vouch.core.store.Store;
import dev.vouch.core.store.StoredEvent;
import dev.vouch.core.store.StoredVerdict;
import dev.vouch.core.store.TriageAction;
import dev.vouch.core.store.TriageDecision;
import dev.vouch.core.store.UnitTally;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every {@link Store} must show. A store's test class extends this and says how to
 * open a store on an empty database ({@link #newStore()}) and how to open it again on the same
 * database ({@link #reopenStore()}); it inherits the tests.
 *
 * <p>What it checks:
 *
 * <ul>
 *   <li>a change event delivered twice — in one run or in two — is stored once and counted as a
 *       duplicate; its raw payload is kept byte for byte, and the first delivery wins; a stored
 *       event is found again by its key;
 *   <li>other observations are counted once per native id, per source, system, UTC day and class,
 *       alongside the stored changes;
 *   <li>a cursor is saved only by a commit, together with the batch it covers;
 *   <li>records are versioned: identical content adds nothing, changed content adds a version;
 *   <li>findings are appended per run, one per event, and the latest finding per event is what is
 *       listed, filtered (by several verdicts, system and the change's time, from inclusive to
 *       exclusive) and counted, the count ignoring the limit;
 *   <li>events stream in time-then-key order within {@code [start, end)}, and 50,000 of them can be
 *       streamed while a finding is written for each;
 *   <li>every finding a change received is read back per run, oldest first, with the run's status;
 *       triage actions are appended and read back in order, the latest being a change's current
 *       status, and a listing can leave out triaged changes;
 *   <li>run summaries round-trip, and everything survives closing and reopening the database.
 * </ul>
 *
 * <p>Each test gets a fresh store from {@link #newStore()}, which the contract closes afterwards.
 */
public abstract class StoreContract {

  private static final Instant T0 = TestData.T0;
  private static final TimeWindow WINDOW = TestData.DAY;
  private static final String CONFIG_SHA = "a".repeat(64);

  /** The store under test, opened by {@link #newStore()} before each test. */
  protected Store store;

  /** Opens a store on a new, empty database. Called once before each test. */
  protected abstract Store newStore() throws Exception;

  /**
   * Opens another store on the database {@link #newStore()} created, as a restarted process would.
   * The contract has closed the previous store when it calls this.
   */
  protected abstract Store reopenStore() throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  // ------------------------------------------------------------------------------- ingestion

  @Test
  void aChangeDeliveredTwiceIsStoredOnceAndCountedAsDuplicate() {
    long run1 = startRun();
    ChangeEvent first = TestData.event("e-1").build();
    ChangeEvent second = TestData.event("e-2").at(T0.plusSeconds(1)).build();
    try (IngestWriter writer = store.ingest(run1, TestData.SOURCE)) {
      writer.write(first, TestData.SYSTEM);
      writer.write(second, TestData.SYSTEM);
      writer.write(first, TestData.SYSTEM); // redelivered within the same batch
      writer.commit("c1");
      writer.write(first, TestData.SYSTEM); // and in a later batch of the same run
      writer.commit("c2");
      assertThat(writer.counts()).isEqualTo(new IngestCounts(2, 2, 0, 0, 0));
    }

    long run2 = startRun();
    try (IngestWriter writer = store.ingest(run2, TestData.SOURCE)) {
      writer.write(first, TestData.SYSTEM);
      writer.write(second, TestData.SYSTEM);
      writer.commit("c3");
      assertThat(writer.counts()).isEqualTo(new IngestCounts(0, 2, 0, 0, 0));
    }

    assertThat(store.eventCount()).isEqualTo(2);
    assertThat(events(WINDOW)).containsExactly(first, second);
  }

  @Test
  void countsAreExactBeforeTheBatchIsCommitted() {
    long run = startRun();
    try (IngestWriter writer = store.ingest(run, TestData.SOURCE)) {
      writer.write(TestData.event("e-1").build(), TestData.SYSTEM);
      writer.write(TestData.event("e-1").build(), TestData.SYSTEM);
      writer.write(TestData.event("r-1").eventClass(EventClass.READ_ONLY).build(), null);
      assertThat(writer.counts()).isEqualTo(new IngestCounts(1, 1, 1, 0, 0));
    }
  }

  @Test
  void theSameNativeIdFromAnotherSourceTypeIsAnotherEvent() {
    long run = startRun();
    ChangeEvent aws = TestData.event("42").build();
    ChangeEvent git = TestData.event("42").source("repo").sourceType("git").build();
    try (IngestWriter writer = store.ingest(run, TestData.SOURCE)) {
      writer.write(aws, TestData.SYSTEM);
      writer.write(git, TestData.SYSTEM);
      assertThat(writer.counts()).isEqualTo(new IngestCounts(2, 0, 0, 0, 0));
    }
    assertThat(events(WINDOW)).containsExactlyInAnyOrder(aws, git);
  }

  @Test
  void aStoredEventIsFoundByItsKey() {
    long run = startRun();
    ChangeEvent aws = TestData.event("42").build();
    ChangeEvent git = TestData.event("42").source("repo").sourceType("git").build();
    ChangeEvent colons =
        TestData.event("minikube:0b8e:1f2a").source("cluster").sourceType("k8s").build();
    try (IngestWriter writer = store.ingest(run, TestData.SOURCE)) {
      writer.write(aws, TestData.SYSTEM);
      writer.write(git, TestData.SYSTEM);
      writer.write(colons, TestData.SYSTEM);
      writer.commit("c1");
    }

    assertThat(store.event("cloudtrail:42")).contains(aws);
    assertThat(store.event("git:42")).contains(git);
    assertThat(store.event("k8s:minikube:0b8e:1f2a")).contains(colons);
    assertThat(store.event("cloudtrail:43")).isEmpty();
    assertThat(store.event("unreadable:aws-prod:trail/file.json.gz:1")).isEmpty();
    assertThat(store.event("no key at all")).isEmpty();
  }

  @Test
  void theFirstDeliveryOfAnEventIsKeptAndNeverOverwritten() {
    long run = startRun();
    ChangeEvent original = TestData.event("e-1").rawJson("{\"version\":1}").build();
    ChangeEvent redelivered =
        TestData.event("e-1").action("iam.amazonaws.com:DeleteUser").rawJson("{\"v\":2}").build();
    try (IngestWriter writer = store.ingest(run, TestData.SOURCE)) {
      writer.write(original, TestData.SYSTEM);
      writer.commit("c1");
      writer.write(redelivered, TestData.SYSTEM);
      writer.commit("c2");
      assertThat(writer.counts()).isEqualTo(new IngestCounts(1, 1, 0, 0, 1));
    }
    assertThat(events(WINDOW)).containsExactly(original);
  }

  @Test
  void aSecondRecordWithTheSameIdAndOtherContentIsKeptBesideTheFirstAndMatchedAgain() {
    long first = startRun();
    ChangeEvent original = TestData.event("e-1").rawJson("{\"version\":1}").build();
    try (IngestWriter writer = store.ingest(first, TestData.SOURCE)) {
      writer.write(original, TestData.SYSTEM);
      writer.commit("c1");
    }
    finish(first);
    long second = startRun();
    ChangeEvent forged =
        TestData.event("e-1").action("iam.amazonaws.com:DeleteUser").rawJson("{\"v\":2}").build();
    // The same content in another key order and spacing is the same record, not a conflict.
    ChangeEvent reordered = TestData.event("e-1").rawJson("{ \"version\" : 1 }").build();
    try (IngestWriter writer = store.ingest(second, TestData.SOURCE)) {
      writer.write(forged, TestData.SYSTEM);
      writer.write(reordered, TestData.SYSTEM);
      writer.commit("c2");
      assertThat(writer.counts()).isEqualTo(new IngestCounts(0, 2, 0, 0, 1));
    }
    // Outside the second run's window, the event is matched again because of its new copy.
    TimeWindow later = new TimeWindow(WINDOW.end(), WINDOW.end().plusSeconds(3600));
    List<StoredEvent> toMatch = new ArrayList<>();
    store.forEachEventToMatch(second, later, toMatch::add);
    assertThat(toMatch).hasSize(1);
    StoredEvent stored = toMatch.get(0);
    assertThat(stored.event()).isEqualTo(original);
    assertThat(stored.firstSeen().runId()).isEqualTo(first);
    assertThat(stored.conflicts())
        .singleElement()
        .satisfies(
            conflict -> {
              assertThat(conflict.event()).isEqualTo(forged);
              assertThat(conflict.rawSha256()).isEqualTo(forged.rawSha256());
              assertThat(conflict.firstSeen().runId()).isEqualTo(second);
            });
  }

  @Test
  void aChangeWhoseIdWasCountedAsAnotherClassConflictsWithIt() {
    long run = startRun();
    ChangeEvent counted = readOnly("e-7", T0);
    ChangeEvent change = TestData.event("e-7").build();
    try (IngestWriter writer = store.ingest(run, TestData.SOURCE)) {
      writer.write(counted, TestData.SYSTEM);
      writer.commit("c1");
      writer.write(change, TestData.SYSTEM);
      writer.commit("c2");
      assertThat(writer.counts().conflicts()).isEqualTo(1);
    }
    List<StoredEvent> toMatch = new ArrayList<>();
    store.forEachEventToMatch(run, WINDOW, toMatch::add);
    assertThat(toMatch)
        .singleElement()
        .satisfies(
            stored ->
                assertThat(stored.conflicts())
                    .singleElement()
                    .satisfies(
                        conflict -> {
                          assertThat(conflict.eventClass()).isEqualTo(EventClass.READ_ONLY);
                          assertThat(conflict.event()).isNull();
                        }));
  }

  @Test
  void aChangeStoredFirstKeepsTheFindingMadeWhileReadingItAndOneStoredBeforeDropsIt() {
    long first = startRun();
    ChangeEvent inWindow = TestData.event("in").at(T0).build();
    try (IngestWriter writer = store.ingest(first, TestData.SOURCE)) {
      writer.write(inWindow, TestData.SYSTEM);
      writer.commit("c1");
    }
    finish(first);
    long second = startRun();
    ChangeEvent fresh = TestData.event("fresh").at(T0.plusSeconds(60)).build();
    Finding again = TestData.finding(inWindow).verdict(Verdict.UNAUTHORIZED).build();
    Finding onFresh = TestData.finding(fresh).verdict(Verdict.AUTHORIZED).recordId("CHG1").build();
    try (IngestWriter writer = store.ingest(second, TestData.SOURCE)) {
      writer.write(writer.prepare(inWindow, TestData.SYSTEM, again)); // stored before: dropped
      writer.write(writer.prepare(fresh, TestData.SYSTEM, onFresh));
      writer.commit("c2");
      assertThat(writer.counts()).isEqualTo(new IngestCounts(1, 1, 0, 0, 0));
    }
    assertThat(findings(second)).containsExactly(onFresh);
    // What is left to match from the store: the window's change an earlier run stored.
    List<String> toMatch = new ArrayList<>();
    store.forEachEventToMatch(second, WINDOW, stored -> toMatch.add(stored.event().nativeId()));
    assertThat(toMatch).containsExactly("in");
  }

  @Test
  void lateEventsAreMatchedByTheRunThatStoresThemFirstAndByNoOther() {
    long first = startRun();
    ChangeEvent inWindow = TestData.event("in").at(T0).build();
    try (IngestWriter writer = store.ingest(first, TestData.SOURCE)) {
      writer.write(inWindow, TestData.SYSTEM);
      writer.commit("c1");
    }
    finish(first);
    long second = startRun();
    TimeWindow next = new TimeWindow(WINDOW.end(), WINDOW.end().plusSeconds(86_400));
    ChangeEvent late = TestData.event("late").at(T0.plusSeconds(60)).build();
    Finding onLate = TestData.finding(late).verdict(Verdict.UNAUTHORIZED).build();
    try (IngestWriter writer = store.ingest(second, TestData.SOURCE)) {
      writer.write(inWindow, TestData.SYSTEM); // re-read: already stored, not late
      writer.write(writer.prepare(late, TestData.SYSTEM, onLate));
      writer.commit("c2");
    }
    List<String> matched = new ArrayList<>();
    store.forEachEventToMatch(second, next, stored -> matched.add(stored.event().nativeId()));
    assertThat(matched).as("matched while read, nothing left").isEmpty();
    List<StoredVerdict> verdicts = new ArrayList<>();
    store.forEachVerdict(second, next, verdicts::add);
    assertThat(verdicts)
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.eventKey()).isEqualTo(late.key());
              assertThat(v.late()).isTrue();
              assertThat(v.verdict()).isEqualTo(Verdict.UNAUTHORIZED);
            });
    finish(second);
    long third = startRun();
    List<String> again = new ArrayList<>();
    store.forEachEventToMatch(
        third,
        new TimeWindow(next.end(), next.end().plusSeconds(86_400)),
        s -> again.add(s.event().nativeId()));
    assertThat(again).isEmpty();
  }

  @Test
  void verdictsComeLateFirstThenTheWindowThenTheRestEachByTimeThenKey() {
    long first = startRun();
    ChangeEvent old = TestData.event("old").at(T0.minusSeconds(7200)).rawJson("{\"v\":1}").build();
    try (IngestWriter writer = store.ingest(first, TestData.SOURCE)) {
      writer.write(old, TestData.SYSTEM);
      writer.commit("c1");
    }
    finish(first);
    long run = startRun();
    TimeWindow window = new TimeWindow(T0, T0.plusSeconds(3600));
    ChangeEvent lateB = TestData.event("b-late").at(T0.minusSeconds(60)).build();
    ChangeEvent lateA = TestData.event("a-late").at(T0.minusSeconds(60)).build();
    ChangeEvent inside = TestData.event("inside").at(T0.plusSeconds(10)).build();
    ChangeEvent forged =
        TestData.event("old").at(T0.minusSeconds(7200)).rawJson("{\"v\":2}").build();
    try (IngestWriter writer = store.ingest(run, TestData.SOURCE)) {
      for (ChangeEvent e : List.of(inside, lateB, lateA)) {
        writer.write(
            writer.prepare(
                e, TestData.SYSTEM, TestData.finding(e).verdict(Verdict.UNAUTHORIZED).build()));
      }
      writer.write(forged, TestData.SYSTEM);
      writer.commit("c2");
    }
    try (FindingWriter writer = store.findingWriter(run)) {
      writer.replace(TestData.finding(old).verdict(Verdict.CONFLICTING_EVIDENCE).build());
    }
    List<String> order = new ArrayList<>();
    store.forEachVerdict(run, window, v -> order.add(v.eventKey() + (v.late() ? " late" : "")));
    assertThat(order)
        .containsExactly(lateA.key() + " late", lateB.key() + " late", inside.key(), old.key());
  }

  @Test
  void aFindingMadeWhileReadingIsReplacedWhenTheChangeGetsAConflictingCopyInTheSameRun() {
    long run = startRun();
    ChangeEvent change = TestData.event("e-1").rawJson("{\"v\":1}").build();
    ChangeEvent forged = TestData.event("e-1").rawJson("{\"v\":2}").build();
    try (IngestWriter writer = store.ingest(run, TestData.SOURCE)) {
      writer.write(
          writer.prepare(
              change,
              TestData.SYSTEM,
              TestData.finding(change).verdict(Verdict.AUTHORIZED).build()));
      writer.write(forged, TestData.SYSTEM);
      writer.commit("c1");
    }
    List<StoredEvent> toMatch = new ArrayList<>();
    store.forEachEventToMatch(run, WINDOW, toMatch::add);
    assertThat(toMatch).singleElement().satisfies(e -> assertThat(e.conflicts()).hasSize(1));
    Finding conflicting = TestData.finding(change).verdict(Verdict.CONFLICTING_EVIDENCE).build();
    try (FindingWriter writer = store.findingWriter(run)) {
      writer.replace(conflicting);
    }
    assertThat(findings(run)).containsExactly(conflicting);
    finish(run);
    assertThatThrownBy(
            () -> {
              try (FindingWriter writer = store.findingWriter(run)) {
                writer.replace(TestData.finding(change).verdict(Verdict.AUTHORIZED).build());
              }
            })
        .isInstanceOf(RuntimeException.class);
    assertThat(findings(run)).containsExactly(conflicting);
  }

  // ------------------------------------------------------------------------------- units

  @Test
  void aUnitIsCountedOncePerContentAndAChangedOneReplacesItsCountsAndIsReported() {
    LocalDate day = LocalDate.ofInstant(T0, java.time.ZoneOffset.UTC);
    UnitTally.Key readOnly = new UnitTally.Key(TestData.SYSTEM, day, EventClass.READ_ONLY);
    UnitTally.Key failed = new UnitTally.Key(TestData.SYSTEM, day, EventClass.FAILED);
    UnitTally original = new UnitTally("AWSLogs/a.json.gz", "1".repeat(64), Map.of(readOnly, 5L));
    long first = startRun();
    try (IngestWriter writer = store.ingest(first, TestData.SOURCE)) {
      writer.unit(original);
      writer.unit(new UnitTally("AWSLogs/b.json.gz", "2".repeat(64), Map.of(failed, 2L)));
      writer.commit("c1");
      assertThat(writer.counts()).isEqualTo(new IngestCounts(0, 0, 7, 0, 0));
    }
    finish(first);
    assertThat(population())
        .containsEntry(EventClass.READ_ONLY, 5L)
        .containsEntry(EventClass.FAILED, 2L);

    long second = startRun();
    UnitTally edited = new UnitTally("AWSLogs/a.json.gz", "3".repeat(64), Map.of(readOnly, 4L));
    try (IngestWriter writer = store.ingest(second, TestData.SOURCE)) {
      writer.unit(original); // read again for late delivery: nothing new
      writer.unit(edited);
      writer.commit("c2");
      IngestCounts counts = writer.counts();
      assertThat(counts.newPopulation()).isEqualTo(4);
      assertThat(counts.duplicatePopulation()).isEqualTo(5);
      assertThat(counts.changedUnits())
          .singleElement()
          .satisfies(
              problem -> {
                assertThat(problem.location()).isEqualTo("AWSLogs/a.json.gz");
                assertThat(problem.message())
                    .contains("changed since run " + first)
                    .contains("111111111111")
                    .contains("333333333333");
              });
    }
    List<String> rejected = new ArrayList<>();
    store.forEachRejection(second, r -> rejected.add(r.problem().location()));
    assertThat(rejected).containsExactly("AWSLogs/a.json.gz");
    assertThat(population())
        .as("the newest content of each unit counts")
        .containsEntry(EventClass.READ_ONLY, 4L)
        .containsEntry(EventClass.FAILED, 2L);
  }

  private Map<EventClass, Long> population() {
    Map<EventClass, Long> byClass = new java.util.EnumMap<>(EventClass.class);
    for (PopulationCount count : store.population(WINDOW)) {
      byClass.merge(count.eventClass(), count.count(), Long::sum);
    }
    return byClass;
  }

  @Test
  void rawPayloadIsKeptByteForByteWithItsHash() {
    // Odd spacing, key order, escapes, non-ASCII and a trailing newline: nothing may normalise it.
    String raw =
        "{ \"eventVersion\":\"1.08\",  \"eventID\" : \"e-\\u00e9\",\n"
            + "\t\"userIdentity\":{\"userName\":\"Zo\u00eb \u2603 \ud83d\ude80\"},"
            + "\"requestParameters\":{\"b\":1,\"a\":[1.50, 1e3, null]},"
            + "\"note\":\"tab\\there \\\"quoted\\\" back\\\\slash\" }\n";
    ChangeEvent event = TestData.event("e-1").rawJson(raw).build();
    long run = startRun();
    try (IngestWriter writer = store.ingest(run, TestData.SOURCE)) {
      writer.write(event, TestData.SYSTEM);
    }

    List<ChangeEvent> stored = events(WINDOW);
    assertThat(stored).hasSize(1);
    assertThat(stored.get(0).rawJson()).isEqualTo(raw);
    assertThat(stored.get(0).rawSha256()).isEqualTo(ChangeEvent.sha256Hex(raw));
    assertThat(stored.get(0)).isEqualTo(event);
  }

  @Test
  void theNormalisedEventRoundTripsWhole() {
    ChangeEvent event =
        TestData.event("e-1")
            .at(Instant.parse("2026-10-01T12:00:00.123456789Z"))
            .coordinates("kubernetes", "prod-eu", null)
            .actor("system:serviceaccount:ops:deployer", "deployer", "ops")
            .person("Alice Smith")
            .action("apps/deployments:patch")
            .targets("apps/v1/namespaces/ops/deployments/api", "second")
            .referenceHints("CHG0001234", "")
            .attribute("k8s.verb", "patch")
            .attribute("k8s.userAgent", "kubectl/v1.31")
            .mutating(true)
            .build();
    long run = startRun();
    try (IngestWriter writer = store.ingest(run, TestData.SOURCE)) {
      writer.write(event, null);
    }
    assertThat(events(WINDOW)).containsExactly(event);
  }

  // ------------------------------------------------------------------------------ population

  @Test
  void populationIsCountedOncePerNativeIdPerSourceSystemDayAndClass() {
    long run1 = startRun();
    Instant day1 = T0;
    Instant day2 = T0.plus(Duration.ofDays(1));
    try (IngestWriter writer = store.ingest(run1, TestData.SOURCE)) {
      writer.write(readOnly("r-1", day1), "payments");
      writer.write(readOnly("r-1", day1), "payments"); // redelivered
      writer.write(readOnly("r-2", day1), "payments");
      writer.write(readOnly("r-3", day1), "billing");
      writer.write(readOnly("r-4", day1), null); // maps to no system
      writer.write(failed("f-1", day1), "payments");
      writer.write(failed("f-2", day2), "payments");
      writer.write(TestData.event("c-1").at(day1).build(), "payments");
      writer.write(TestData.event("c-2").at(day1.plusSeconds(60)).build(), "payments");
      writer.write(TestData.event("c-3").at(day2).build(), "billing");
      writer.commit("c1");
      assertThat(writer.counts()).isEqualTo(new IngestCounts(3, 0, 6, 1, 0));
    }
    long run2 = startRun();
    try (IngestWriter writer = store.ingest(run2, TestData.SOURCE)) {
      writer.write(readOnly("r-1", day1), "payments"); // a later run re-reads the overlap
      writer.write(
          TestData.event("s-1")
              .source("gcp")
              .sourceType("gcp-audit")
              .eventClass(EventClass.SIGN_IN)
              .at(day1)
              .build(),
          "payments");
      writer.commit("c2");
      assertThat(writer.counts()).isEqualTo(new IngestCounts(0, 0, 1, 1, 0));
    }

    LocalDate d1 = LocalDate.of(2026, 10, 1);
    LocalDate d2 = LocalDate.of(2026, 10, 2);
    TimeWindow twoDays = new TimeWindow(WINDOW.start(), WINDOW.end().plus(Duration.ofDays(1)));
    assertThat(store.population(twoDays))
        .containsExactlyInAnyOrder(
            new PopulationCount(TestData.SOURCE, "payments", d1, EventClass.READ_ONLY, 2),
            new PopulationCount(TestData.SOURCE, "billing", d1, EventClass.READ_ONLY, 1),
            new PopulationCount(TestData.SOURCE, null, d1, EventClass.READ_ONLY, 1),
            new PopulationCount(TestData.SOURCE, "payments", d1, EventClass.FAILED, 1),
            new PopulationCount(TestData.SOURCE, "payments", d1, EventClass.CHANGE, 2),
            new PopulationCount("gcp", "payments", d1, EventClass.SIGN_IN, 1),
            new PopulationCount(TestData.SOURCE, "payments", d2, EventClass.FAILED, 1),
            new PopulationCount(TestData.SOURCE, "billing", d2, EventClass.CHANGE, 1));

    // Observations are counted, not kept: they are neither events nor streamed.
    assertThat(store.eventCount()).isEqualTo(3);
    assertThat(events(twoDays))
        .extracting(ChangeEvent::nativeId)
        .containsExactly("c-1", "c-2", "c-3");
  }

  @Test
  void populationCoversTheWholeDaysTheWindowTouchesAndNoOthers() {
    long run = startRun();
    try (IngestWriter writer = store.ingest(run, TestData.SOURCE)) {
      writer.write(readOnly("before", Instant.parse("2026-09-30T23:59:59Z")), "payments");
      writer.write(readOnly("early", Instant.parse("2026-10-01T00:00:00Z")), "payments");
      writer.write(readOnly("late", Instant.parse("2026-10-01T23:59:59Z")), "payments");
      writer.write(TestData.event("c-early").at("2026-10-01T00:30:00Z").build(), "payments");
      writer.write(readOnly("next", Instant.parse("2026-10-02T00:00:00Z")), "payments");
    }
    LocalDate day = LocalDate.of(2026, 10, 1);

    // A window inside the day still reports the whole day.
    assertThat(store.population(TestData.window("2026-10-01T12:00:00Z", "2026-10-01T13:00:00Z")))
        .containsExactlyInAnyOrder(
            new PopulationCount(TestData.SOURCE, "payments", day, EventClass.READ_ONLY, 2),
            new PopulationCount(TestData.SOURCE, "payments", day, EventClass.CHANGE, 1));
    // A window ending at midnight does not touch the next day.
    assertThat(store.population(WINDOW)).extracting(PopulationCount::day).containsOnly(day);
    assertThat(store.population(new TimeWindow(T0, T0))).isEmpty();
    assertThat(store.population(new TimeWindow(Instant.MIN, Instant.MAX)))
        .extracting(PopulationCount::count)
        .containsExactlyInAnyOrder(1L, 2L, 1L, 1L); // 09-30, 10-01 read-only and change, 10-02
  }

  // --------------------------------------------------------------------------------- cursors

  @Test
  void aCursorIsSavedByCommitAndNotByClose() {
    long run = startRun();
    assertThat(store.cursor(TestData.SOURCE)).isEmpty();
    try (IngestWriter writer = store.ingest(run, TestData.SOURCE)) {
      writer.write(TestData.event("e-1").build(), TestData.SYSTEM);
      writer.commit("page-1");
      assertThat(store.cursor(TestData.SOURCE)).contains("page-1");
      writer.write(TestData.event("e-2").at(T0.plusSeconds(1)).build(), TestData.SYSTEM);
      writer.commit("page-2");
      assertThat(store.cursor(TestData.SOURCE)).contains("page-2");
      writer.write(TestData.event("e-3").at(T0.plusSeconds(2)).build(), TestData.SYSTEM);
    } // closed without commit: e-3 is kept, the cursor stays where the last commit put it

    assertThat(store.cursor(TestData.SOURCE)).contains("page-2");
    assertThat(store.eventCount()).isEqualTo(3);

    try (IngestWriter writer = store.ingest(run, "other-source")) {
      writer.write(TestData.event("o-1").sourceType("k8s-audit").build(), null);
    }
    assertThat(store.cursor("other-source")).isEmpty();
    assertThat(store.eventCount()).isEqualTo(4);
  }

  @Test
  void cursorsAreKeptPerSourceAndCanBeReset() {
    long run1 = startRun();
    try (IngestWriter a = store.ingest(run1, "a")) {
      a.commit("a-1");
    }
    try (IngestWriter b = store.ingest(run1, "b")) {
      b.commit("b-1");
    }
    long run2 = startRun();
    try (IngestWriter a = store.ingest(run2, "a")) {
      a.commit("a-2");
    }
    assertThat(store.cursor("a")).contains("a-2");
    assertThat(store.cursor("b")).contains("b-1");

    try (IngestWriter b = store.ingest(run2, "b")) {
      b.commit(null);
    }
    assertThat(store.cursor("b")).isEmpty();
  }

  @Test
  void aBatchThatCannotBeStoredSavesNeitherEventsNorCursor() {
    long run = startRun();
    try (IngestWriter writer = store.ingest(run, TestData.SOURCE)) {
      writer.commit("good");
    }
    long noSuchRun = run + 1_000;
    assertThatThrownBy(
            () -> {
              IngestWriter writer = store.ingest(noSuchRun, TestData.SOURCE);
              writer.write(TestData.event("e-1").build(), TestData.SYSTEM);
              writer.commit("bad");
            })
        .isInstanceOf(RuntimeException.class);

    assertThat(store.cursor(TestData.SOURCE)).contains("good");
    assertThat(store.eventCount()).isZero();
  }

  // --------------------------------------------------------------------------------- records

  @Test
  void anIdenticalRecordAddsNothingAndAChangedOneAddsAVersion() {
    long run1 = startRun();
    ChangeRecord v1 = TestData.record("CHG0001").state(RecordState.REQUESTED).build();
    ChangeRecord other = TestData.record("CHG0002").build();
    assertThat(store.saveRecords(run1, TestData.RECORD_SOURCE, List.of(v1, other)))
        .isEqualTo(new RecordSaveResult(2, 0, 0));
    assertThat(store.saveRecords(run1, TestData.RECORD_SOURCE, List.of(v1, other)))
        .isEqualTo(new RecordSaveResult(0, 0, 2));

    long run2 = startRun();
    ChangeRecord v2 = TestData.record("CHG0001").state(RecordState.APPROVED).build();
    ChangeRecord v1Again = TestData.record("CHG0001").state(RecordState.REQUESTED).build();
    assertThat(store.saveRecords(run2, TestData.RECORD_SOURCE, List.of(v2, other)))
        .isEqualTo(new RecordSaveResult(0, 1, 1));
    // Going back to earlier content is a change too: history is never rewritten.
    assertThat(store.saveRecords(run2, TestData.RECORD_SOURCE, List.of(v1Again)))
        .isEqualTo(new RecordSaveResult(0, 1, 0));

    assertThat(store.recordHistory(TestData.RECORD_SOURCE, "CHG0001"))
        .containsExactly(v1, v2, v1Again);
    assertThat(store.recordHistory(TestData.RECORD_SOURCE, "CHG0002")).containsExactly(other);
    assertThat(store.recordHistory(TestData.RECORD_SOURCE, "CHG9999")).isEmpty();
    assertThat(store.currentRecords()).containsExactlyInAnyOrder(v1Again, other);
  }

  @Test
  void versionsWrittenInOneCallAreKeptInOrder() {
    long run = startRun();
    ChangeRecord draft = TestData.record("PROJ-1").state(RecordState.DRAFT).build();
    ChangeRecord approved = TestData.record("PROJ-1").state(RecordState.APPROVED).build();
    assertThat(store.saveRecords(run, TestData.RECORD_SOURCE, List.of(draft, approved, approved)))
        .isEqualTo(new RecordSaveResult(1, 1, 1));
    assertThat(store.recordHistory(TestData.RECORD_SOURCE, "PROJ-1"))
        .containsExactly(draft, approved);
    assertThat(store.currentRecords()).containsExactly(approved);
  }

  @Test
  void recordsAreKeyedBySourceAndKey() {
    long run = startRun();
    ChangeRecord jira = TestData.record("OPS-7").source("jira").title("from jira").build();
    ChangeRecord file = TestData.record("OPS-7").source("file").title("from file").build();
    store.saveRecords(run, "jira", List.of(jira));
    assertThat(store.saveRecords(run, "file", List.of(file)))
        .isEqualTo(new RecordSaveResult(1, 0, 0));
    assertThat(store.recordHistory("jira", "OPS-7")).containsExactly(jira);
    assertThat(store.recordHistory("file", "OPS-7")).containsExactly(file);
    assertThat(store.currentRecords()).containsExactlyInAnyOrder(jira, file);
  }

  @Test
  void theOrderOfARecordsSystemsIsNotAChange() {
    long run = startRun();
    ChangeRecord one = TestData.record("CHG1").systems("a", "b", "c", "d", "e", "f").build();
    ChangeRecord same = TestData.record("CHG1").systems("f", "e", "d", "c", "b", "a").build();
    store.saveRecords(run, TestData.RECORD_SOURCE, List.of(one));
    assertThat(store.saveRecords(run, TestData.RECORD_SOURCE, List.of(same)))
        .isEqualTo(new RecordSaveResult(0, 0, 1));
  }

  // -------------------------------------------------------------------------------- findings

  @Test
  void findingsAreAppendedPerRunAndStreamedInTimeThenKeyOrder() {
    ChangeEvent e1 = TestData.event("e-1").at(T0).build();
    ChangeEvent e2 = TestData.event("e-2").at(T0.minusSeconds(60)).build();
    ChangeEvent e3 = TestData.event("e-3").at(T0).build();
    long run1 = startRun();
    Finding f1 = TestData.finding(e1).verdict(Verdict.UNAUTHORIZED).risks("iam").build();
    Finding f2 = TestData.finding(e2).verdict(Verdict.AUTHORIZED).recordId("CHG1").build();
    Finding f3 = TestData.finding(e3).verdict(Verdict.EXCLUDED).ruleId("aws-service").build();
    try (FindingWriter writer = store.findingWriter(run1)) {
      writer.write(f3);
      writer.write(f1);
      writer.write(f2);
    }
    long run2 = startRun();
    Finding f1Again = TestData.finding(e1).verdict(Verdict.AUTHORIZED).recordId("CHG2").build();
    try (FindingWriter writer = store.findingWriter(run2)) {
      writer.write(f1Again);
    }

    assertThat(findings(run1)).containsExactly(f2, f1, f3);
    assertThat(findings(run2)).containsExactly(f1Again);
    assertThat(findings(run2 + 1_000)).isEmpty();
  }

  @Test
  void latestFindingsGiveEachEventsNewestFindingThenFilter() {
    Instant t1 = T0;
    Instant t2 = T0.plusSeconds(60);
    Instant t3 = T0.plusSeconds(120);
    long run1 = startRun();
    try (FindingWriter writer = store.findingWriter(run1)) {
      writer.write(finding("e-1", t1, "payments", Verdict.UNAUTHORIZED));
      writer.write(finding("e-2", t2, "billing", Verdict.UNAUTHORIZED));
      writer.write(finding("e-3", t3, "payments", Verdict.SELF_APPROVED));
    }
    finish(run1);
    long run2 = startRun();
    Finding e1Approved = finding("e-1", t1, "payments", Verdict.AUTHORIZED);
    try (FindingWriter writer = store.findingWriter(run2)) {
      writer.write(e1Approved); // a late record now covers e-1
    }
    finish(run2);
    long running = startRun();
    try (FindingWriter writer = store.findingWriter(running)) {
      writer.write(finding("e-2", t2, "billing", Verdict.AUTHORIZED)); // not finished: not yet
      writer.write(finding("e-4", t3.plusSeconds(1), "billing", Verdict.UNAUTHORIZED));
    }

    Finding e2 = finding("e-2", t2, "billing", Verdict.UNAUTHORIZED);
    Finding e3 = finding("e-3", t3, "payments", Verdict.SELF_APPROVED);
    FindingQuery all = FindingQuery.newest(100);
    assertThat(store.latestFindings(all)).containsExactly(e3, e2, e1Approved);
    assertThat(store.latestFindings(all.withVerdicts(List.of(Verdict.UNAUTHORIZED))))
        .containsExactly(e2);
    assertThat(store.latestFindings(all.withSystem("payments"))).containsExactly(e3, e1Approved);
    assertThat(
            store.latestFindings(
                all.withVerdicts(List.of(Verdict.AUTHORIZED)).withSystem("payments")))
        .containsExactly(e1Approved);
    assertThat(
            store.latestFindings(
                all.withVerdicts(List.of(Verdict.AUTHORIZED)).withSystem("billing")))
        .isEmpty();
    assertThat(store.latestFindings(FindingQuery.newest(2))).containsExactly(e3, e2);
  }

  @Test
  void latestFindingsFilterOnSeveralVerdictsAtOnce() {
    long run = startRun();
    Finding unauthorized = finding("e-1", T0, "payments", Verdict.UNAUTHORIZED);
    Finding authorized = finding("e-2", T0.plusSeconds(1), "payments", Verdict.AUTHORIZED);
    Finding selfApproved = finding("e-3", T0.plusSeconds(2), "payments", Verdict.SELF_APPROVED);
    Finding excluded = finding("e-4", T0.plusSeconds(3), "payments", Verdict.EXCLUDED);
    try (FindingWriter writer = store.findingWriter(run)) {
      writer.write(unauthorized);
      writer.write(authorized);
      writer.write(selfApproved);
      writer.write(excluded);
    }
    finish(run);

    FindingQuery twoVerdicts =
        FindingQuery.newest(100).withVerdicts(List.of(Verdict.UNAUTHORIZED, Verdict.SELF_APPROVED));
    assertThat(store.latestFindings(twoVerdicts)).containsExactly(selfApproved, unauthorized);
    assertThat(store.countLatestFindings(twoVerdicts)).isEqualTo(2);
    assertThat(store.latestFindings(FindingQuery.newest(100).withVerdicts(List.of())))
        .containsExactly(excluded, selfApproved, authorized, unauthorized);
  }

  @Test
  void latestFindingsFilterOnTheChangesTimeFromSinceInclusiveToUntilExclusive() {
    Instant since = T0.plusSeconds(60);
    Instant until = T0.plusSeconds(120);
    long run = startRun();
    Finding justBefore = finding("e-1", since.minusNanos(1), "payments", Verdict.UNAUTHORIZED);
    Finding atSince = finding("e-2", since, "payments", Verdict.UNAUTHORIZED);
    Finding justBeforeUntil = finding("e-3", until.minusNanos(1), "payments", Verdict.UNAUTHORIZED);
    Finding atUntil = finding("e-4", until, "payments", Verdict.UNAUTHORIZED);
    try (FindingWriter writer = store.findingWriter(run)) {
      writer.write(justBefore);
      writer.write(atSince);
      writer.write(justBeforeUntil);
      writer.write(atUntil);
    }
    finish(run);

    FindingQuery all = FindingQuery.newest(100);
    assertThat(store.latestFindings(all.withSince(since).withUntil(until)))
        .containsExactly(justBeforeUntil, atSince);
    assertThat(store.latestFindings(all.withSince(since)))
        .containsExactly(atUntil, justBeforeUntil, atSince);
    assertThat(store.latestFindings(all.withUntil(until)))
        .containsExactly(justBeforeUntil, atSince, justBefore);
    assertThat(store.countLatestFindings(all.withSince(since).withUntil(until))).isEqualTo(2);
  }

  @Test
  void countLatestFindingsCountsWhatTheFiltersMatchWhateverTheLimit() {
    long run1 = startRun();
    try (FindingWriter writer = store.findingWriter(run1)) {
      for (int i = 0; i < 5; i++) {
        writer.write(finding("e-" + i, T0.plusSeconds(i), "payments", Verdict.UNAUTHORIZED));
      }
      writer.write(finding("e-billing", T0, "billing", Verdict.UNAUTHORIZED));
    }
    finish(run1);
    long run2 = startRun();
    try (FindingWriter writer = store.findingWriter(run2)) {
      writer.write(finding("e-0", T0, "payments", Verdict.AUTHORIZED)); // now covered
    }
    finish(run2);
    long running = startRun();
    try (FindingWriter writer = store.findingWriter(running)) {
      writer.write(finding("e-late", T0, "payments", Verdict.UNAUTHORIZED)); // not yet evidence
    }

    FindingQuery unauthorizedPayments =
        FindingQuery.newest(2).withVerdicts(List.of(Verdict.UNAUTHORIZED)).withSystem("payments");
    assertThat(store.latestFindings(unauthorizedPayments)).hasSize(2);
    assertThat(store.countLatestFindings(unauthorizedPayments)).isEqualTo(4);
    assertThat(store.countLatestFindings(FindingQuery.newest(1))).isEqualTo(6);
    assertThat(store.countLatestFindings(FindingQuery.newest(1).withSystem("nowhere"))).isZero();
  }

  @Test
  void aRunHoldsOneFindingPerEvent() {
    long run = startRun();
    Finding finding = finding("e-1", T0, "payments", Verdict.UNAUTHORIZED);
    assertThatThrownBy(
            () -> {
              try (FindingWriter writer = store.findingWriter(run)) {
                writer.write(finding);
                writer.write(finding);
              }
            })
        .hasMessageContaining("cloudtrail:e-1");
  }

  @Test
  void theFindingsOfAFinishedRunCannotChange() {
    long run = startRun();
    try (FindingWriter writer = store.findingWriter(run)) {
      writer.write(finding("e-1", T0, "payments", Verdict.UNAUTHORIZED));
    }
    finish(run);
    assertThatThrownBy(
            () -> {
              try (FindingWriter writer = store.findingWriter(run)) {
                writer.write(finding("e-2", T0, "payments", Verdict.UNAUTHORIZED));
              }
            })
        .isInstanceOf(RuntimeException.class);
    assertThat(findings(run)).extracting(Finding::eventKey).containsExactly("cloudtrail:e-1");
  }

  // ------------------------------------------------------------------------------- streaming

  @Test
  void eventsStreamInTimeThenKeyOrderWithinTheWindow() {
    Instant start = WINDOW.start();
    Instant end = WINDOW.end();
    List<ChangeEvent> written =
        List.of(
            TestData.event("at-end").at(end).build(),
            TestData.event("b").at(T0).build(),
            TestData.event("just-before-end").at(end.minusNanos(1)).build(),
            TestData.event("a").at(T0).build(),
            TestData.event("x").sourceType("git").at(T0).build(),
            TestData.event("x").sourceType("git-mirror").at(T0).build(),
            TestData.event("at-start").at(start).build(),
            TestData.event("just-before-start").at(start.minusNanos(1)).build(),
            TestData.event("micro-later").at(T0.plusNanos(1_000)).build(),
            TestData.event("before").at(start.minus(Duration.ofDays(3))).build());
    long run = startRun();
    try (IngestWriter writer = store.ingest(run, TestData.SOURCE)) {
      written.forEach(event -> writer.write(event, TestData.SYSTEM));
    }

    assertThat(events(WINDOW))
        .extracting(ChangeEvent::key)
        .containsExactly(
            "cloudtrail:at-start",
            "cloudtrail:a",
            "cloudtrail:b",
            "git-mirror:x", // keys compare as text: '-' sorts before ':'
            "git:x",
            "cloudtrail:micro-later",
            "cloudtrail:just-before-end");
    assertThat(events(new TimeWindow(T0, T0))).isEmpty();
    assertThat(events(new TimeWindow(Instant.EPOCH, Instant.parse("9999-12-31T00:00:00Z"))))
        .hasSize(written.size());
  }

  @Test
  void windowBoundsAreExactToTheNanosecond() {
    // Instants carry nanoseconds (GCP audit logs do); a store that keeps coarser times must still
    // honour [start, end) exactly.
    TimeWindow window = new TimeWindow(T0.plusNanos(500), T0.plusNanos(1_500));
    long run = startRun();
    try (IngestWriter writer = store.ingest(run, TestData.SOURCE)) {
      writer.write(TestData.event("before-start").at(T0.plusNanos(499)).build(), null);
      writer.write(TestData.event("at-start").at(T0.plusNanos(500)).build(), null);
      writer.write(TestData.event("inside").at(T0.plusNanos(1_001)).build(), null);
      writer.write(TestData.event("before-end").at(T0.plusNanos(1_499)).build(), null);
      writer.write(TestData.event("at-end").at(T0.plusNanos(1_500)).build(), null);
    }
    assertThat(events(window))
        .extracting(ChangeEvent::nativeId)
        .containsExactly("at-start", "inside", "before-end");
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void fiftyThousandEventsStreamWhileAFindingIsWrittenForEach() {
    int total = 50_000;
    long ingestRun = startRun();
    try (IngestWriter writer = store.ingest(ingestRun, TestData.SOURCE)) {
      for (int i = 0; i < total; i++) {
        writer.write(
            TestData.event(String.format("e-%06d", i))
                .at(WINDOW.start().plusMillis(i * 1_000L))
                .build(),
            TestData.SYSTEM);
      }
      writer.commit("end");
      assertThat(writer.counts().newChanges()).isEqualTo(total);
    }

    long matchRun = startRun();
    AtomicLong seen = new AtomicLong();
    AtomicLong outOfOrder = new AtomicLong();
    Instant[] previous = {Instant.MIN};
    try (FindingWriter findings = store.findingWriter(matchRun)) {
      store.forEachEvent(
          WINDOW,
          event -> {
            if (event.occurredAt().isBefore(previous[0])) {
              outOfOrder.incrementAndGet();
            }
            previous[0] = event.occurredAt();
            seen.incrementAndGet();
            findings.write(TestData.finding(event).verdict(Verdict.UNAUTHORIZED).build());
          });
    }

    assertThat(seen.get()).isEqualTo(total);
    assertThat(outOfOrder.get()).isZero();
    AtomicLong stored = new AtomicLong();
    List<String> firstKeys = new ArrayList<>();
    store.forEachFinding(
        matchRun,
        finding -> {
          if (stored.getAndIncrement() < 2) {
            firstKeys.add(finding.eventKey());
          }
        });
    assertThat(stored.get()).isEqualTo(total);
    assertThat(firstKeys).containsExactly("cloudtrail:e-000000", "cloudtrail:e-000001");
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void anotherThreadReadsWhileEventsAreWritten() throws Exception {
    long run = startRun();
    int total = 10_000;
    AtomicBoolean done = new AtomicBoolean();
    ExecutorService reader = Executors.newSingleThreadExecutor();
    try {
      Future<Long> readings =
          reader.submit(
              () -> {
                long last = 0;
                long reads = 0;
                while (!done.get() || reads == 0) {
                  long count = store.eventCount();
                  if (count < last) {
                    throw new AssertionError("event count went down from " + last + " to " + count);
                  }
                  last = count;
                  store.cursor(TestData.SOURCE);
                  reads++;
                }
                return reads;
              });
      try (IngestWriter writer = store.ingest(run, TestData.SOURCE)) {
        for (int i = 0; i < total; i++) {
          writer.write(TestData.event("e-" + i).at(T0.plusMillis(i)).build(), TestData.SYSTEM);
          if (i % 500 == 499) {
            writer.commit("at-" + i);
          }
        }
      } finally {
        done.set(true);
      }
      assertThat(readings.get(1, TimeUnit.MINUTES)).isPositive();
    } finally {
      reader.shutdownNow();
    }
    assertThat(store.eventCount()).isEqualTo(total);
    assertThat(store.cursor(TestData.SOURCE)).contains("at-" + (total - 1));
  }

  // ------------------------------------------------------------------------------------ runs

  @Test
  void aRunSummaryRoundTripsOnceTheRunHasFinished() {
    long run = store.startRun(WINDOW, WINDOW.end(), CONFIG_SHA);
    assertThat(store.run(run)).isEmpty(); // still running: no summary yet
    assertThat(store.lastRun()).isEmpty();

    RunSummary summary =
        TestData.runSummary(run, WINDOW)
            .status(RunStatus.INCOMPLETE)
            .changeSource(TestData.SOURCE, TestData.SOURCE_TYPE, 1_234)
            .verdict(Verdict.UNAUTHORIZED, 3)
            .verdict(Verdict.AUTHORIZED, 10)
            .population(EventClass.CHANGE, 13)
            .population(EventClass.READ_ONLY, 1_200)
            .newEvents(13)
            .problem("trail/file.json.gz:3", "not JSON: unexpected end of input")
            .configSha256(CONFIG_SHA)
            .resultSha256("b".repeat(64))
            .build();
    String chain = store.finishRun(summary, List.of());

    assertThat(chain).matches("[0-9a-f]{64}");
    assertThat(store.run(run)).contains(summary.withChain(chain));
    assertThat(store.lastRun()).contains(summary.withChain(chain));
  }

  @Test
  void theLastRunIsTheMostRecentFinishedOne() {
    long first = startRun();
    long second = startRun();
    long third = startRun();
    assertThat(second).isGreaterThan(first);
    assertThat(third).isGreaterThan(second);

    RunSummary firstSummary = TestData.runSummary(first, WINDOW).build();
    RunSummary secondSummary = TestData.runSummary(second, WINDOW).build();
    String secondChain = store.finishRun(secondSummary, List.of());
    String firstChain = store.finishRun(firstSummary, List.of());

    // the third is still running
    assertThat(store.lastRun()).contains(secondSummary.withChain(secondChain));
    assertThat(store.run(first)).contains(firstSummary.withChain(firstChain));
    assertThat(firstChain).isNotEqualTo(secondChain);
    assertThat(store.run(third)).isEmpty();
    assertThat(store.run(third + 1_000)).isEmpty();
  }

  @Test
  void aFinishedRunCannotBeFinishedAgain() {
    long run = startRun();
    RunSummary summary = TestData.runSummary(run, WINDOW).build();
    String chain = store.finishRun(summary, List.of());
    RunSummary rewritten =
        TestData.runSummary(run, WINDOW)
            .verdict(Verdict.UNAUTHORIZED, 0)
            .status(RunStatus.INCOMPLETE)
            .build();
    assertThatThrownBy(() -> store.finishRun(rewritten, List.of()))
        .isInstanceOf(RuntimeException.class);
    assertThat(store.run(run)).contains(summary.withChain(chain));
  }

  @Test
  void openFindingsAreTheChangesWhoseLatestFindingOfAFinishedRunNeedsReview() {
    long first = startRun();
    ChangeEvent open = TestData.event("open").at(T0).build();
    ChangeEvent closedLater = TestData.event("closed-later").at(T0.plusSeconds(10)).build();
    ChangeEvent fine = TestData.event("fine").at(T0.plusSeconds(20)).build();
    ChangeEvent judgedNow = TestData.event("judged-now").at(T0.plusSeconds(30)).build();
    ChangeEvent stillOpen = TestData.event("still-open").at(T0.plusSeconds(40)).build();
    ChangeEvent outside = TestData.event("outside").at(WINDOW.end()).build();
    try (IngestWriter writer = store.ingest(first, TestData.SOURCE)) {
      for (ChangeEvent event : List.of(open, closedLater, fine, judgedNow, stillOpen, outside)) {
        writer.write(event, TestData.SYSTEM);
      }
      writer.commit("c1");
    }
    try (FindingWriter writer = store.findingWriter(first)) {
      writer.write(TestData.finding(open).verdict(Verdict.UNAUTHORIZED).build());
      writer.write(TestData.finding(closedLater).verdict(Verdict.UNAUTHORIZED).build());
      writer.write(TestData.finding(fine).verdict(Verdict.AUTHORIZED).recordId("CHG1").build());
      writer.write(TestData.finding(judgedNow).verdict(Verdict.SELF_APPROVED).build());
      writer.write(TestData.finding(stillOpen).verdict(Verdict.UNAUTHORIZED).build());
      writer.write(TestData.finding(outside).verdict(Verdict.UNAUTHORIZED).build());
    }
    finish(first);
    long second = startRun();
    try (FindingWriter writer = store.findingWriter(second)) {
      writer.write(
          TestData.finding(closedLater).verdict(Verdict.AUTHORIZED).recordId("CHG2").build());
    }
    finish(second);
    long dead = startRun(); // never finished: its finding is not the latest yet
    try (FindingWriter writer = store.findingWriter(dead)) {
      writer.write(TestData.finding(open).verdict(Verdict.AUTHORIZED).recordId("CHG3").build());
    }
    store.interruptAbandonedRuns(WINDOW.end());
    long running = startRun();
    try (FindingWriter writer = store.findingWriter(running)) {
      writer.write(TestData.finding(judgedNow).verdict(Verdict.SELF_APPROVED).build());
    }

    List<String> found = new ArrayList<>();
    store.forEachOpenFinding(
        running,
        WINDOW,
        Set.of(Verdict.UNAUTHORIZED, Verdict.SELF_APPROVED),
        o -> found.add(o.stored().event().nativeId() + "@" + o.runId() + ":" + o.verdict()));

    // The dead run, once marked INTERRUPTED, is finished: its AUTHORIZED finding is the latest;
    // the change judged by the running run and the one outside the span are left out.
    assertThat(found).containsExactly("still-open@" + first + ":UNAUTHORIZED");

    long third = running;
    List<OpenFinding> reopened = new ArrayList<>();
    store.forEachOpenFinding(
        third, WINDOW, Set.of(Verdict.AUTHORIZED, Verdict.UNAUTHORIZED), reopened::add);
    assertThat(reopened)
        .extracting(o -> o.stored().event().nativeId() + "@" + o.runId() + ":" + o.recordId())
        .containsExactly(
            "open@" + dead + ":CHG3",
            "closed-later@" + second + ":CHG2",
            "fine@" + first + ":CHG1",
            "still-open@" + first + ":null");
    assertThat(reopened.get(0).stored().event()).isEqualTo(open);
    assertThat(reopened.get(0).stored().firstSeen().runId()).isEqualTo(first);
  }

  // ---------------------------------------------------------------------------------- triage

  @Test
  void aChangesFindingsAreReadBackPerRunOldestFirstWithTheRunsStatus() {
    ChangeEvent event = TestData.event("e-1").build();
    long first = startRun();
    try (IngestWriter writer = store.ingest(first, TestData.SOURCE)) {
      writer.write(event, TestData.SYSTEM);
    }
    try (FindingWriter writer = store.findingWriter(first)) {
      writer.write(TestData.finding(event).verdict(Verdict.UNAUTHORIZED).build());
      writer.write(TestData.finding("cloudtrail:other").verdict(Verdict.UNAUTHORIZED).build());
    }
    finish(first);
    long second = startRun();
    try (FindingWriter writer = store.findingWriter(second)) {
      writer.write(TestData.finding(event).verdict(Verdict.AUTHORIZED).recordId("CHG7").build());
    }

    List<RunFinding> history = store.findingHistory(event.key());

    assertThat(history)
        .extracting(f -> f.runId() + ":" + f.runStatus() + ":" + f.finding().verdict())
        .containsExactly(first + ":COMPLETE:UNAUTHORIZED", second + ":RUNNING:AUTHORIZED");
    assertThat(history.get(1).finding().recordId()).isEqualTo("CHG7");
    assertThat(store.findingHistory("cloudtrail:never")).isEmpty();
  }

  @Test
  void triageActionsAreAppendedAndReadBackInOrderTheLatestBeingTheCurrentStatus() {
    long run = startRun();
    store.saveRecords(run, TestData.RECORD_SOURCE, List.of(TestData.record("CHG9").build()));
    try (FindingWriter writer = store.findingWriter(run)) {
      writer.write(TestData.finding("cloudtrail:e-1").verdict(Verdict.UNAUTHORIZED).build());
      writer.write(TestData.finding("cloudtrail:e-2").verdict(Verdict.SELF_APPROVED).build());
    }
    finish(run);

    TriageAction incident =
        store.appendTriage(
            TriageAction.of(
                "cloudtrail:e-1",
                TriageDecision.INCIDENT,
                "nobody asked for this user",
                "priya",
                null,
                "INC-42",
                T0.plusSeconds(60)));
    TriageAction other =
        store.appendTriage(
            TriageAction.of(
                "cloudtrail:e-2",
                TriageDecision.ACCEPTED_RISK,
                "lab account",
                "alice",
                null,
                null,
                T0.plusSeconds(90)));
    TriageAction approved =
        store.appendTriage(
            TriageAction.of(
                "cloudtrail:e-1",
                TriageDecision.RETRO_APPROVED,
                "CHG9 was raised afterwards",
                "alice",
                "CHG9",
                null,
                T0.plusSeconds(120)));

    assertThat(incident.id()).isPositive();
    assertThat(approved.id()).isGreaterThan(other.id()).isGreaterThan(incident.id());
    assertThat(store.triageHistory("cloudtrail:e-1")).containsExactly(incident, approved);
    assertThat(store.triageHistory("cloudtrail:e-3")).isEmpty();
    assertThat(store.currentTriage())
        .containsOnlyKeys("cloudtrail:e-1", "cloudtrail:e-2")
        .containsEntry("cloudtrail:e-1", approved)
        .containsEntry("cloudtrail:e-2", other);
    FindingQuery untriaged = FindingQuery.newest(10).withoutTriage();
    assertThat(store.latestFindings(untriaged)).isEmpty();
    assertThat(store.countLatestFindings(untriaged)).isZero();
    assertThat(store.latestFindings(FindingQuery.newest(10))).hasSize(2);
  }

  @Test
  void aTriageActionNeedsAFinishedFindingAndAStoredRecord() {
    long run = startRun();
    try (FindingWriter writer = store.findingWriter(run)) {
      writer.write(TestData.finding("cloudtrail:e-1").verdict(Verdict.UNAUTHORIZED).build());
    }
    TriageAction early =
        TriageAction.of(
            "cloudtrail:e-1", TriageDecision.FALSE_POSITIVE, "test", "alice", null, null, T0);
    // Findings of a run in progress are not yet evidence: there is nothing to triage.
    assertThatThrownBy(() -> store.appendTriage(early))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cloudtrail:e-1");
    finish(run);

    assertThatThrownBy(
            () ->
                store.appendTriage(
                    TriageAction.of(
                        "cloudtrail:e-1",
                        TriageDecision.RETRO_APPROVED,
                        "late record",
                        "alice",
                        "CHG404",
                        null,
                        T0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CHG404");
    assertThatThrownBy(
            () ->
                TriageAction.of(
                    "cloudtrail:e-1", TriageDecision.INCIDENT, " ", "alice", null, null, T0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.triageHistory("cloudtrail:e-1")).isEmpty();
    assertThat(store.appendTriage(early).decision()).isEqualTo(TriageDecision.FALSE_POSITIVE);
  }

  @Test
  void windowsAndTheLastRunAreKeptPerScopeAndAScopeIsSealedInTheChain() {
    long review = startRun();
    finish(review);
    long job = store.startRun(WINDOW, WINDOW.end(), CONFIG_SHA, "job:trail");
    RunSummary jobSummary = TestData.runSummary(job, WINDOW).build();
    store.finishRun(jobSummary, List.of());

    assertThat(store.completeWindows()).containsExactly(WINDOW);
    assertThat(store.completeWindows("job:trail")).containsExactly(WINDOW);
    assertThat(store.completeWindows("job:other")).isEmpty();
    assertThat(store.lastRun(Store.REVIEW).orElseThrow().runId()).isEqualTo(review);
    assertThat(store.lastRun("job:trail").orElseThrow().runId()).isEqualTo(job);
    assertThat(store.lastRun().orElseThrow().runId()).isEqualTo(job);
    assertThat(store.verify().intact()).isTrue();
  }

  @Test
  void aRunsAlertsArePlannedOnceAndEachChannelRemembersWhatItHeard() {
    long first = startRun();
    finish(first);
    long dead = startRun();
    store.interruptAbandonedRuns(WINDOW.end());
    Instant now = WINDOW.end().plusSeconds(60);
    assertThat(store.alerts().unplannedRuns(WINDOW.start())).containsExactly(first);
    assertThat(store.alerts().unplannedRuns(Instant.parse("2100-01-01T00:00:00Z")))
        .as("finished before since")
        .isEmpty();

    byte[] body = "{\"digest\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Alerts.Planned security =
        new Alerts.Planned("security", "application/json", body, List.of("k:1", "k:2"));
    Alerts.Planned owners = new Alerts.Planned("owners", "application/json", body, List.of("k:2"));
    assertThat(store.alerts().plan(first, now, List.of(security, owners))).isTrue();
    assertThat(store.alerts().plan(first, now, List.of(security))).as("once").isFalse();

    assertThat(store.alerts().unplannedRuns(WINDOW.start())).isEmpty();
    assertThat(store.alerts().alerted("security", List.of("k:1", "k:2", "k:3")))
        .containsExactlyInAnyOrder("k:1", "k:2");
    assertThat(store.alerts().alerted("owners", List.of("k:1", "k:2"))).containsExactly("k:2");
    List<Alerts.Message> due = store.alerts().due(now, 10);
    assertThat(due).extracting(Alerts.Message::channel).containsExactly("security", "owners");
    assertThat(due.get(0).body()).isEqualTo(body);
    assertThat(due.get(0).runId()).isEqualTo(first);
    assertThat(store.alerts().waiting()).isEqualTo(2);

    store.alerts().failed(due.get(0).id(), now.plusSeconds(300), 503, "unavailable");
    store.alerts().delivered(due.get(1).id(), now, 200);
    assertThat(store.alerts().due(now.plusSeconds(299), 10)).isEmpty();
    List<Alerts.Message> retry = store.alerts().due(now.plusSeconds(300), 10);
    assertThat(retry).hasSize(1);
    assertThat(retry.get(0).attempts()).isEqualTo(1);
    assertThat(retry.get(0).lastStatus()).isEqualTo(503);
    assertThat(store.alerts().waiting()).isEqualTo(1);
    assertThat(dead).isGreaterThan(first);
  }

  @Test
  void aRunAskedToStopIsInterruptedAloneAndItsWindowIsNotCovered() {
    long other = startRun();
    long stopped = startRun();

    RunSummary interrupted = store.interruptRun(stopped, WINDOW.end().plusSeconds(5));

    assertThat(interrupted.runId()).isEqualTo(stopped);
    assertThat(interrupted.status()).isEqualTo(RunStatus.INTERRUPTED);
    assertThat(interrupted.chainSha256()).isNotNull();
    assertThat(store.run(stopped)).contains(interrupted);
    assertThat(store.run(other)).as("another run still running is left alone").isEmpty();
    assertThat(store.completeWindows()).isEmpty();
    assertThatThrownBy(() -> store.interruptRun(stopped, WINDOW.end().plusSeconds(6)))
        .hasMessageContaining("is not running");
    finish(other);
    assertThat(store.completeWindows()).containsExactly(WINDOW);
    assertThat(store.verify().intact()).isTrue();
  }

  // ---------------------------------------------------------------------------------- reopen

  @Test
  void everythingSurvivesReopeningTheDatabase() throws Exception {
    long run = startRun();
    ChangeEvent event = TestData.event("e-1").build();
    try (IngestWriter writer = store.ingest(run, TestData.SOURCE)) {
      writer.write(event, TestData.SYSTEM);
      writer.write(readOnly("r-1", T0), TestData.SYSTEM);
      writer.commit("cursor-1");
    }
    ChangeRecord record = TestData.record("CHG1").build();
    store.saveRecords(run, TestData.RECORD_SOURCE, List.of(record));
    Finding finding = TestData.finding(event).build();
    try (FindingWriter writer = store.findingWriter(run)) {
      writer.write(finding);
    }
    RunSummary summary = TestData.runSummary(run, WINDOW).build();
    summary = summary.withChain(store.finishRun(summary, List.of()));

    for (int reopening = 0; reopening < 2; reopening++) {
      store.close();
      store = null;
      store = reopenStore();

      assertThat(events(WINDOW)).containsExactly(event);
      assertThat(store.cursor(TestData.SOURCE)).contains("cursor-1");
      assertThat(store.currentRecords()).containsExactly(record);
      assertThat(findings(run)).containsExactly(finding);
      assertThat(store.latestFindings(FindingQuery.newest(10))).containsExactly(finding);
      assertThat(store.run(run)).contains(summary);
      assertThat(store.population(WINDOW))
          .containsExactlyInAnyOrder(
              new PopulationCount(
                  TestData.SOURCE,
                  TestData.SYSTEM,
                  LocalDate.of(2026, 10, 1),
                  EventClass.READ_ONLY,
                  1),
              new PopulationCount(
                  TestData.SOURCE,
                  TestData.SYSTEM,
                  LocalDate.of(2026, 10, 1),
                  EventClass.CHANGE,
                  1));
    }

    // Still deduplicating, still versioning, and run ids are not reused.
    long later = startRun();
    assertThat(later).isGreaterThan(run);
    try (IngestWriter writer = store.ingest(later, TestData.SOURCE)) {
      writer.write(event, TestData.SYSTEM);
      assertThat(writer.counts()).isEqualTo(new IngestCounts(0, 1, 0, 0, 0));
    }
    assertThat(store.saveRecords(later, TestData.RECORD_SOURCE, List.of(record)))
        .isEqualTo(new RecordSaveResult(0, 0, 1));
  }

  // --------------------------------------------------------------------------------- helpers

  /** Starts a run over {@link TestData#DAY}. */
  protected long startRun() {
    return store.startRun(WINDOW, WINDOW.end(), CONFIG_SHA);
  }

  /** Finishes a run as COMPLETE with a default summary. */
  protected void finish(long runId) {
    store.finishRun(TestData.runSummary(runId, WINDOW).build(), List.of());
  }

  /** Every event the store streams for a window, in the order streamed. */
  protected List<ChangeEvent> events(TimeWindow window) {
    List<ChangeEvent> events = new ArrayList<>();
    store.forEachEvent(window, events::add);
    return events;
  }

  /** Every finding of a run, in the order streamed. */
  protected List<Finding> findings(long runId) {
    List<Finding> findings = new ArrayList<>();
    store.forEachFinding(runId, findings::add);
    return findings;
  }

  private static ChangeEvent readOnly(String nativeId, Instant at) {
    return TestData.event(nativeId)
        .eventClass(EventClass.READ_ONLY)
        .action("iam.amazonaws.com:GetUser")
        .at(at)
        .build();
  }

  private static ChangeEvent failed(String nativeId, Instant at) {
    return TestData.event(nativeId).eventClass(EventClass.FAILED).at(at).build();
  }

  private static Finding finding(String nativeId, Instant at, String system, Verdict verdict) {
    return TestData.finding(TestData.SOURCE_TYPE + ":" + nativeId)
        .occurredAt(at)
        .system(system)
        .verdict(verdict)
        .build();
  }
}
