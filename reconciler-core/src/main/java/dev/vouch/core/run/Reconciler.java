package dev.vouch.core.run;

import dev.vouch.core.catalog.IdentityMap;
import dev.vouch.core.catalog.SystemCatalog;
import dev.vouch.core.config.CoveragePolicy;
import dev.vouch.core.match.MatchPolicy;
import dev.vouch.core.match.Matcher;
import dev.vouch.core.match.RecordIndex;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.ChangeRecord;
import dev.vouch.core.model.EventClass;
import dev.vouch.core.model.Finding;
import dev.vouch.core.model.Seen;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.rules.RuleSet;
import dev.vouch.core.spi.ChangeSource;
import dev.vouch.core.spi.InputProblem;
import dev.vouch.core.spi.RecordSink;
import dev.vouch.core.spi.RecordSource;
import dev.vouch.core.spi.SourceException;
import dev.vouch.core.store.FindingWriter;
import dev.vouch.core.store.PartitionDay;
import dev.vouch.core.store.PopulationCount;
import dev.vouch.core.store.RecordSaveResult;
import dev.vouch.core.store.Store;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one reconciliation: reads the change records, ingests the observations of every change
 * source into the store (with their cursors), judges the coverage of every expected partition,
 * matches what the run must match against the records, and writes the findings and the run summary.
 *
 * <p>Fail closed: a source that fails, a file not read to its end, or an expected partition that
 * delivered nothing for a day makes the run INCOMPLETE; each unreadable record of a source of
 * change is a finding of its own (UNREADABLE); an event id delivered with two different contents is
 * a finding (CONFLICTING_EVIDENCE). A run that never finished is marked INTERRUPTED by the next.
 *
 * <p>Ingestion is streamed (see {@link SourceIngest}), so memory does not grow with the size of the
 * trail. Matching streams the stored events back out: those of the window, the late events this run
 * stored first (of earlier windows, delivered late), and those that received a conflicting copy.
 */
public final class Reconciler {
  /** How many rejected inputs a run summary lists one by one (all are counted and stored). */
  public static final int PROBLEMS_KEPT = 200;

  /** The event-key prefix of UNREADABLE findings. */
  public static final String UNREADABLE_KEY_PREFIX = "unreadable:";

  private final Store store;
  private final Clock clock;
  private final SystemCatalog catalog;
  private final IdentityMap identities;
  private final RuleSet rules;
  private final MatchPolicy policy;
  private final CoveragePolicy coverage;
  private final RunListener listener;

  public Reconciler(
      Store store,
      Clock clock,
      SystemCatalog catalog,
      IdentityMap identities,
      RuleSet rules,
      MatchPolicy policy,
      CoveragePolicy coverage,
      RunListener listener) {
    this.store = store;
    this.clock = clock;
    this.catalog = catalog;
    this.identities = identities;
    this.rules = rules;
    this.policy = policy;
    this.coverage = coverage;
    this.listener = listener;
  }

  /**
   * What to run.
   *
   * @param decision the window and what was decided about it ({@link WindowPolicy})
   * @param sources the configured sources
   * @param configSha256 the hash of the configuration file
   * @param baseDirectory the configuration's folder: file locations below it are named relative to
   *     it in finding keys, so that the same input gives the same result hash wherever the
   *     installation lives
   * @param control asks the run to stop early; a stopped run is recorded INTERRUPTED
   * @param scope {@link Store#REVIEW} when {@code sources} are every source; else the scope of the
   *     extra job that reads only these ({@code job:<name>}), whose run expects data only from the
   *     platforms of its sources
   */
  public record RunRequest(
      WindowPolicy.Decision decision,
      Plugins.Sources sources,
      String configSha256,
      Path baseDirectory,
      RunControl control,
      String scope) {

    /** A review of every source that nothing will ask to stop (a run started by hand). */
    public RunRequest(
        WindowPolicy.Decision decision,
        Plugins.Sources sources,
        String configSha256,
        Path baseDirectory) {
      this(decision, sources, configSha256, baseDirectory, new RunControl(), Store.REVIEW);
    }
  }

  /** Another reconciliation holds the store's run lock: this one did not start. */
  public static final class RunInProgressException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RunInProgressException(String message) {
      super(message);
    }
  }

  /**
   * Runs the reconciliation while holding the store's run lock, so that no two reconciliations (a
   * {@code vouch run} beside {@code vouch serve}) run on one store at once.
   *
   * @throws RunInProgressException when another reconciliation holds the lock
   */
  public RunSummary run(RunRequest request) {
    java.util.Optional<Store.RunLock> lock = store.tryLockRuns();
    if (lock.isEmpty()) {
      throw new RunInProgressException(
          "another reconciliation is running on this store (vouch serve, or another vouch run);"
              + " this one did not start and changed nothing: run it again when that one has"
              + " finished");
    }
    try (Store.RunLock held = lock.get()) {
      return runLocked(request);
    }
  }

  private RunSummary runLocked(RunRequest request) {
    TimeWindow window = request.decision().window();
    Instant startedAt = clock.instant();
    List<String> notes = new ArrayList<>(request.decision().notes());
    for (RunSummary interrupted : store.interruptAbandonedRuns(startedAt)) {
      notes.add(
          "run "
              + interrupted.runId()
              + " (window "
              + interrupted.window()
              + ", started "
              + interrupted.startedAt()
              + ") never finished and is now marked INTERRUPTED; its window counts as not"
              + " reconciled");
    }
    long runId = store.startRun(window, startedAt, request.configSha256(), request.scope());
    List<SourceOutcome> outcomes = new ArrayList<>();
    Rejections rejections = new Rejections();

    listener.phase("records");
    List<ChangeRecord> records = new ArrayList<>();
    List<String> failedRecordSources = new ArrayList<>();
    boolean recordsChanged = false;
    Map<String, Seen> approvalsSeen = new HashMap<>();
    for (RecordSource source : request.sources().records()) {
      RecordPull pull = pullRecords(runId, source, rejections);
      outcomes.add(pull.outcome());
      recordsChanged |= pull.changed();
      if (pull.outcome().coverage() == SourceOutcome.Coverage.FAILED) {
        failedRecordSources.add(source.name());
      } else {
        records.addAll(pull.records());
      }
      store
          .approvalsSeen(source.name())
          .forEach((key, seen) -> approvalsSeen.put(Matcher.recordRef(source.name(), key), seen));
    }
    // A record source that failed this time still has its last known records in the store: use
    // them, so one unreachable tracker does not turn every change into an unauthorized one. The run
    // is INCOMPLETE either way.
    if (!failedRecordSources.isEmpty()) {
      for (ChangeRecord record : store.currentRecords()) {
        if (failedRecordSources.contains(record.source())) {
          records.add(record);
        }
      }
    }
    if (request.control().stopRequested()) {
      return store.interruptRun(runId, clock.instant());
    }
    records = resolveSystems(records, rejections);
    Matcher matcher =
        new Matcher(policy, new RecordIndex(records, policy), identities, rules, approvalsSeen);
    Seen seenNow = new Seen(runId, startedAt);

    long newEvents = 0;
    List<CoverageJudge.SourceReading> readings = new ArrayList<>();
    List<Integer> changeOutcomes = new ArrayList<>();
    for (ChangeSource source : request.sources().changes()) {
      listener.phase("ingest " + source.name());
      SourceIngest.Result ingest =
          new SourceIngest(
                  store,
                  catalog,
                  rules,
                  listener,
                  rejections,
                  runId,
                  window,
                  (change, system) -> evaluate(matcher, change, system, seenNow),
                  request.control())
              .ingest(source);
      if (request.control().stopRequested()) {
        // Whatever the source was in the middle of is unwound; what reached the store stays, and
        // the window is left for the next run.
        return store.interruptRun(runId, clock.instant());
      }
      changeOutcomes.add(outcomes.size());
      outcomes.add(ingest.outcome());
      newEvents += ingest.newChanges();
      readings.add(
          new CoverageJudge.SourceReading(
              source.name(),
              source.platform(),
              ingest.outcome().coverage(),
              request.sources().quietChanges().contains(source.name()),
              ingest.provenComplete(),
              ingest.counts(),
              ingest.windowObservations()));
    }

    listener.phase("coverage");
    CoverageJudge.Judgement judgement =
        judgeCoverage(
            window,
            readings,
            request.scope().equals(Store.REVIEW)
                ? null
                : request.sources().changes().stream()
                    .map(ChangeSource::platform)
                    .collect(java.util.stream.Collectors.toSet()));
    markSourcesWithGaps(outcomes, changeOutcomes, readings, judgement.gaps());

    listener.phase("match");
    Map<Verdict, Long> verdicts = new EnumMap<>(Verdict.class);
    for (Verdict verdict : Verdict.values()) {
      verdicts.put(verdict, 0L);
    }
    Map<LocalDate, Long> late = new TreeMap<>();
    Map<String, Long> unresolved = new HashMap<>();
    String resultSha =
        match(runId, window, matcher, verdicts, late, unresolved, request.baseDirectory());
    if (recordsChanged) {
      listener.phase("re-match");
      reevaluateOpenFindings(runId, window, matcher, seenNow, notes);
    }

    Map<EventClass, Long> population = new EnumMap<>(EventClass.class);
    for (EventClass eventClass : EventClass.values()) {
      population.put(eventClass, 0L);
    }
    for (PopulationCount count : store.population(window)) {
      population.merge(count.eventClass(), count.count(), Long::sum);
    }

    boolean incomplete =
        !judgement.gaps().isEmpty()
            || outcomes.stream()
                .anyMatch(
                    o ->
                        o.coverage() == SourceOutcome.Coverage.FAILED
                            || (o.kind() == SourceOutcome.Kind.CHANGES
                                && o.coverage() != SourceOutcome.Coverage.COMPLETE));
    RunSummary summary =
        new RunSummary(
            runId,
            window,
            startedAt,
            clock.instant(),
            incomplete ? RunStatus.INCOMPLETE : RunStatus.COMPLETE,
            outcomes,
            verdicts,
            population,
            newEvents,
            rejections.total(),
            rejections.kept(),
            request.configSha256(),
            rules.sha256(),
            resultSha,
            judgement.gaps(),
            notes,
            late,
            null,
            unresolvedActors(unresolved));
    listener.phase("finish");
    String chain = store.finishRun(summary, judgement.rows());
    return summary.withChain(chain);
  }

  private CoverageJudge.Judgement judgeCoverage(
      TimeWindow window,
      List<CoverageJudge.SourceReading> readings,
      @org.jspecify.annotations.Nullable Set<String> platforms) {
    List<LocalDate> days = CoverageJudge.judgedDays(window);
    List<PartitionDay> earlier =
        days.isEmpty() ? List.of() : store.coverage(days.get(0), days.get(days.size() - 1));
    return new CoverageJudge(coverage, catalog.systems(), platforms)
        .judge(window, readings, earlier, store.partitionsSeen());
  }

  /**
   * A source whose partitions have gaps did not deliver everything the run expected of it: its
   * outcome says so, so that the sources listed with a run never look complete beside an incomplete
   * run.
   */
  private static void markSourcesWithGaps(
      List<SourceOutcome> outcomes,
      List<Integer> changeOutcomes,
      List<CoverageJudge.SourceReading> readings,
      List<CoverageGap> gaps) {
    for (int i = 0; i < readings.size(); i++) {
      CoverageJudge.SourceReading reading = readings.get(i);
      List<CoverageGap> own =
          gaps.stream()
              .filter(
                  gap ->
                      gap.partition().equals(CoverageJudge.SOURCE_PARTITION_PREFIX + reading.name())
                          || gap.partition().startsWith(reading.platform() + ":"))
              .toList();
      int index = changeOutcomes.get(i);
      SourceOutcome outcome = outcomes.get(index);
      if (own.isEmpty() || outcome.coverage() == SourceOutcome.Coverage.FAILED) {
        continue;
      }
      Set<String> partitions = new TreeSet<>();
      own.forEach(gap -> partitions.add(gap.partition()));
      outcomes.set(
          index,
          new SourceOutcome(
              outcome.name(),
              outcome.type(),
              outcome.kind(),
              SourceOutcome.Coverage.PARTIAL,
              outcome.read(),
              outcome.rejected(),
              outcome.detail()
                  + "; coverage gaps: "
                  + own.size()
                  + " partition-day(s) without data ("
                  + String.join(", ", partitions)
                  + ")",
              outcome.error()));
    }
  }

  /**
   * @param changed whether the source delivered a record that is new or changed since the store
   *     last saw it
   */
  private record RecordPull(SourceOutcome outcome, List<ChangeRecord> records, boolean changed) {}

  /** Verdicts that new or changed records may turn: the matcher's, not the evidence's own. */
  static final Set<Verdict> REEVALUATED =
      Set.of(
          Verdict.UNAUTHORIZED,
          Verdict.APPROVED_AFTER_CHANGE,
          Verdict.OUTSIDE_WINDOW,
          Verdict.SELF_APPROVED,
          Verdict.EMERGENCY_UNDOCUMENTED);

  /**
   * Evaluates again, against the records as they are now, every change before the window (back to
   * {@link CoveragePolicy#maxCatchUp()}) whose latest finding still needs review, because change
   * records changed in this run: a record that arrives late re-matches the changes it covers
   * without any log being read again. A change whose verdict or record changes gets a new finding
   * in this run, saying what it replaces; the others keep theirs.
   */
  private void reevaluateOpenFindings(
      long runId, TimeWindow window, Matcher matcher, Seen seenNow, List<String> notes) {
    TimeWindow span = new TimeWindow(window.start().minus(coverage.maxCatchUp()), window.start());
    long[] examined = {0};
    Map<String, Long> transitions = new TreeMap<>();
    try (FindingWriter findings = store.findingWriter(runId)) {
      store.forEachOpenFinding(
          runId,
          span,
          REEVALUATED,
          open -> {
            examined[0]++;
            Finding now = evaluate(matcher, open.stored().event(), open.stored().firstSeen());
            if (now.verdict() == open.verdict()
                && java.util.Objects.equals(now.recordId(), open.recordId())) {
              return;
            }
            findings.write(
                now.withMoreEvidence(
                    List.of(
                        "evaluated again in run "
                            + seenNow.runId()
                            + " because change records changed: run "
                            + open.runId()
                            + " had found "
                            + open.verdict()
                            + (open.recordId() == null ? "" : " (record " + open.recordId() + ")")
                            + "; no log was read again")));
            transitions.merge(open.verdict() + " -> " + now.verdict(), 1L, Long::sum);
            listener.matched();
          });
    }
    if (!transitions.isEmpty()) {
      List<String> parts = new ArrayList<>();
      transitions.forEach((change, count) -> parts.add(count + " " + change));
      notes.add(
          "change records changed: "
              + examined[0]
              + " open finding(s) of changes before the window (since "
              + span.start()
              + ") were evaluated again, and "
              + transitions.values().stream().mapToLong(Long::longValue).sum()
              + " got a new finding in this run ("
              + String.join(", ", parts)
              + ")");
    }
  }

  private RecordPull pullRecords(long runId, RecordSource source, Rejections rejections) {
    List<ChangeRecord> records = new ArrayList<>();
    AtomicLong rejected = new AtomicLong();
    RecordSink sink =
        new RecordSink() {
          @Override
          public void accept(ChangeRecord record) {
            records.add(record);
          }

          @Override
          public void reject(InputProblem problem) {
            rejected.incrementAndGet();
            rejections.add(source.name(), problem);
          }
        };
    try {
      String detail = source.pull(sink);
      RecordSaveResult saved = store.saveRecords(runId, source.name(), records);
      String savedText =
          saved.added()
              + " new, "
              + saved.changed()
              + " changed, "
              + saved.unchanged()
              + " unchanged";
      return new RecordPull(
          new SourceOutcome(
              source.name(),
              source.type(),
              SourceOutcome.Kind.RECORDS,
              rejected.get() > 0 ? SourceOutcome.Coverage.PARTIAL : SourceOutcome.Coverage.COMPLETE,
              records.size(),
              rejected.get(),
              detail + " (" + savedText + ")",
              null),
          records,
          saved.added() + saved.changed() > 0);
    } catch (SourceException | RuntimeException e) {
      listener.sourceFailed(source.name(), Messages.of(e));
      return new RecordPull(
          new SourceOutcome(
              source.name(),
              source.type(),
              SourceOutcome.Kind.RECORDS,
              SourceOutcome.Coverage.FAILED,
              records.size(),
              rejected.get(),
              "could not be read",
              Messages.of(e)),
          List.of(),
          false);
    }
  }

  /**
   * Maps each record's systems to configured system names (a record may name a raw coordinate such
   * as {@code git:acme/shop}) and reports every system a record names that no configured system
   * has: such a record could never cover anything there, which must not go unnoticed.
   */
  private List<ChangeRecord> resolveSystems(List<ChangeRecord> records, Rejections rejections) {
    List<ChangeRecord> resolved = new ArrayList<>(records.size());
    for (ChangeRecord record : records) {
      Set<String> names = new TreeSet<>();
      for (String system : record.systems()) {
        Set<String> found = catalog.namesFor(system);
        if (found.isEmpty()) {
          rejections.add(
              record.source(),
              new InputProblem(
                  record.location(),
                  "record "
                      + record.key()
                      + " names system '"
                      + system
                      + "', which is not configured (check systems in the configuration)"));
        }
        names.addAll(found);
      }
      resolved.add(names.equals(record.systems()) ? record : record.withSystems(names));
    }
    return resolved;
  }

  /**
   * Finishes matching once every source is read (the changes this run stored first were matched as
   * they were read): the window's changes that earlier runs stored, the changes that received a
   * conflicting copy (whose finding is replaced), and the unusable input; then reads the run's
   * verdicts back in their fixed order for the result hash and the counts of the summary.
   */
  private String match(
      long runId,
      TimeWindow window,
      Matcher matcher,
      Map<Verdict, Long> verdicts,
      Map<LocalDate, Long> late,
      Map<String, Long> unresolved,
      Path baseDirectory) {
    String base = baseDirectory.toAbsolutePath().normalize() + java.io.File.separator;
    // Unreadable input arrives in whatever order the source's threads met it: its findings are
    // hashed as a multiset (a sum of per-finding hashes), so the result hash stays reproducible.
    BigInteger[] unreadable = {BigInteger.ZERO};
    try (FindingWriter findings = store.findingWriter(runId)) {
      store.forEachEventToMatch(
          runId,
          window,
          stored -> {
            Finding finding =
                stored.conflicts().isEmpty()
                    ? evaluate(matcher, stored.event(), stored.firstSeen())
                    : ConflictingEvidence.finding(
                        stored, copy -> evaluate(matcher, copy, stored.firstSeen()));
            ChangeEvent event = stored.event();
            if (stored.firstSeen().runId() == runId
                && event.occurredAt().isBefore(window.start())) {
              finding = late(finding, event.occurredAt());
            }
            findings.replace(finding);
            listener.matched();
          });
      Map<String, Integer> perLocation = new HashMap<>();
      store.forEachRejection(
          runId,
          rejection -> {
            String location = rejection.problem().location();
            String key =
                UNREADABLE_KEY_PREFIX
                    + rejection.source()
                    + ":"
                    + (location.startsWith(base) ? location.substring(base.length()) : location);
            int n = perLocation.merge(key, 1, Integer::sum);
            Finding finding =
                UnreadableFinding.of(rejection, n == 1 ? key : key + "#" + n, window.start());
            findings.write(finding);
            verdicts.merge(finding.verdict(), 1L, Long::sum);
            unreadable[0] =
                unreadable[0].add(new BigInteger(1, sha256().digest(resultLine(finding))));
            listener.matched();
          });
    }
    MessageDigest digest = sha256();
    store.forEachVerdict(
        runId,
        window,
        verdict -> {
          digest.update(
              resultLine(
                  verdict.eventKey(), verdict.verdict(), verdict.recordId(), verdict.ruleId()));
          verdicts.merge(verdict.verdict(), 1L, Long::sum);
          if (verdict.late()) {
            late.merge(LocalDate.ofInstant(verdict.occurredAt(), ZoneOffset.UTC), 1L, Long::sum);
          }
          if (verdict.person() == null && verdict.verdict() != Verdict.EXCLUDED) {
            unresolved.merge(verdict.actor(), 1L, Long::sum);
          }
        });
    if (unreadable[0].signum() != 0) {
      digest.update(unreadable[0].toString(16).getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** A finding on a change of an earlier window that this run was the first to be delivered. */
  static Finding late(Finding finding, Instant occurredAt) {
    LocalDate day = LocalDate.ofInstant(occurredAt, ZoneOffset.UTC);
    return finding.withMoreEvidence(
        List.of(
            "delivered late: the change happened on "
                + day
                + ", before this run's window, and was first delivered to Vouch in"
                + " this run"));
  }

  /** The count of changes whose actor resolved to nobody, and the actors with the most. */
  private static RunSummary.UnresolvedActors unresolvedActors(Map<String, Long> unresolved) {
    long changes = unresolved.values().stream().mapToLong(Long::longValue).sum();
    List<RunSummary.ActorCount> top =
        unresolved.entrySet().stream()
            .sorted(
                Map.Entry.<String, Long>comparingByValue()
                    .reversed()
                    .thenComparing(Map.Entry.comparingByKey()))
            .limit(RunSummary.UnresolvedActors.TOP)
            .map(e -> new RunSummary.ActorCount(e.getKey(), e.getValue()))
            .toList();
    return new RunSummary.UnresolvedActors(changes, top);
  }

  private Finding evaluate(Matcher matcher, ChangeEvent event, Seen seen) {
    return evaluate(matcher, event, catalog.resolve(event.coordinates()).orElse(null), seen);
  }

  private Finding evaluate(
      Matcher matcher,
      ChangeEvent event,
      @org.jspecify.annotations.Nullable String system,
      Seen seen) {
    ChangeEvent resolved =
        event.withActor(event.actor().withPerson(identities.resolve(event.actor()).orElse(null)));
    return matcher.evaluate(resolved, system, seen);
  }

  private static byte[] resultLine(Finding finding) {
    return resultLine(finding.eventKey(), finding.verdict(), finding.recordId(), finding.ruleId());
  }

  /** What the result hash covers of one finding. */
  private static byte[] resultLine(
      String eventKey,
      Verdict verdict,
      @org.jspecify.annotations.Nullable String recordId,
      @org.jspecify.annotations.Nullable String ruleId) {
    return (eventKey + "|" + verdict + "|" + recordId + "|" + ruleId + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Every rejected input of a run: all counted, the first {@link #PROBLEMS_KEPT} kept. */
  final class Rejections {
    private final AtomicLong total = new AtomicLong();
    private final List<InputProblem> kept = new ArrayList<>();

    void add(String source, InputProblem problem) {
      total.incrementAndGet();
      synchronized (kept) {
        if (kept.size() < PROBLEMS_KEPT) {
          kept.add(problem);
        }
      }
      listener.rejected(source, problem);
    }

    long total() {
      return total.get();
    }

    List<InputProblem> kept() {
      synchronized (kept) {
        return List.copyOf(kept);
      }
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-256", e);
    }
  }
}
