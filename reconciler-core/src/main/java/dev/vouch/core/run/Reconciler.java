package dev.vouch.core.run;

import dev.vouch.core.catalog.IdentityMap;
import dev.vouch.core.catalog.SystemCatalog;
import dev.vouch.core.match.MatchPolicy;
import dev.vouch.core.match.Matcher;
import dev.vouch.core.match.RecordIndex;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.ChangeRecord;
import dev.vouch.core.model.EventClass;
import dev.vouch.core.model.Finding;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.rules.RuleSet;
import dev.vouch.core.spi.ChangeSource;
import dev.vouch.core.spi.InputProblem;
import dev.vouch.core.spi.ObservationSink;
import dev.vouch.core.spi.PullRequest;
import dev.vouch.core.spi.PullResult;
import dev.vouch.core.spi.RecordSink;
import dev.vouch.core.spi.RecordSource;
import dev.vouch.core.spi.SourceException;
import dev.vouch.core.store.FindingWriter;
import dev.vouch.core.store.IngestWriter;
import dev.vouch.core.store.PopulationCount;
import dev.vouch.core.store.RecordSaveResult;
import dev.vouch.core.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Runs one reconciliation: reads the change records, ingests the observations of every change
 * source into the store (with their cursors), matches the stored changes of the window against the
 * records, and writes the findings and the run summary.
 *
 * <p>Ingestion is streamed: sources hand observations to a bounded queue that one writer thread
 * drains into the store, so memory does not grow with the size of the trail. Matching streams the
 * stored events of the window back out. A source that fails makes the run INCOMPLETE; the other
 * sources still run, so the report shows everything that could be seen.
 */
public final class Reconciler {
  /** How many observations may wait between the sources' threads and the store writer. */
  private static final int QUEUE_CAPACITY = 8_192;

  /** How many rejected inputs a run summary lists one by one (all are counted). */
  public static final int PROBLEMS_KEPT = 200;

  private final Store store;
  private final Clock clock;
  private final SystemCatalog catalog;
  private final IdentityMap identities;
  private final RuleSet rules;
  private final MatchPolicy policy;
  private final RunListener listener;

  public Reconciler(
      Store store,
      Clock clock,
      SystemCatalog catalog,
      IdentityMap identities,
      RuleSet rules,
      MatchPolicy policy,
      RunListener listener) {
    this.store = store;
    this.clock = clock;
    this.catalog = catalog;
    this.identities = identities;
    this.rules = rules;
    this.policy = policy;
    this.listener = listener;
  }

  public RunSummary run(
      TimeWindow window,
      List<ChangeSource> changeSources,
      List<RecordSource> recordSources,
      String configSha256) {
    Instant startedAt = clock.instant();
    long runId = store.startRun(window, startedAt, configSha256);
    List<SourceOutcome> outcomes = new ArrayList<>();
    Rejections rejections = new Rejections();

    listener.phase("records");
    List<ChangeRecord> records = new ArrayList<>();
    List<String> failedRecordSources = new ArrayList<>();
    for (RecordSource source : recordSources) {
      RecordPull pull = pullRecords(runId, source, rejections);
      outcomes.add(pull.outcome());
      if (pull.outcome().coverage() == SourceOutcome.Coverage.FAILED) {
        failedRecordSources.add(source.name());
      } else {
        records.addAll(pull.records());
      }
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

    records = resolveSystems(records, rejections);

    long newEvents = 0;
    for (ChangeSource source : changeSources) {
      listener.phase("ingest " + source.name());
      Ingest ingest = ingest(runId, window, source, rejections);
      outcomes.add(ingest.outcome());
      newEvents += ingest.newChanges();
    }

    listener.phase("match");
    Map<Verdict, Long> verdicts = new EnumMap<>(Verdict.class);
    for (Verdict verdict : Verdict.values()) {
      verdicts.put(verdict, 0L);
    }
    String resultSha = match(runId, window, records, verdicts);

    Map<EventClass, Long> population = new EnumMap<>(EventClass.class);
    for (EventClass eventClass : EventClass.values()) {
      population.put(eventClass, 0L);
    }
    for (PopulationCount count : store.population(window)) {
      population.merge(count.eventClass(), count.count(), Long::sum);
    }

    boolean failed = outcomes.stream().anyMatch(o -> o.coverage() == SourceOutcome.Coverage.FAILED);
    RunSummary summary =
        new RunSummary(
            runId,
            window,
            startedAt,
            clock.instant(),
            failed ? RunStatus.INCOMPLETE : RunStatus.COMPLETE,
            outcomes,
            verdicts,
            population,
            newEvents,
            rejections.total(),
            rejections.kept(),
            configSha256,
            rules.sha256(),
            resultSha);
    store.finishRun(summary);
    return summary;
  }

  private record RecordPull(SourceOutcome outcome, List<ChangeRecord> records) {}

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
          records);
    } catch (SourceException | RuntimeException e) {
      listener.sourceFailed(source.name(), message(e));
      return new RecordPull(
          new SourceOutcome(
              source.name(),
              source.type(),
              SourceOutcome.Kind.RECORDS,
              SourceOutcome.Coverage.FAILED,
              records.size(),
              rejected.get(),
              "could not be read",
              message(e)),
          List.of());
    }
  }

  private record Ingest(SourceOutcome outcome, long newChanges) {}

  /**
   * One observation on its way to the store, with the system the catalog gave it; {@link #END} (no
   * event) tells the writer the source is done.
   */
  private record Observed(@Nullable ChangeEvent event, @Nullable String system) {}

  private static final Observed END = new Observed(null, null);

  private Ingest ingest(long runId, TimeWindow window, ChangeSource source, Rejections rejections) {
    BlockingQueue<Observed> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    AtomicLong observed = new AtomicLong();
    AtomicLong rejected = new AtomicLong();
    AtomicReference<Throwable> writerFailure = new AtomicReference<>();
    IngestWriter writer = store.ingest(runId, source.name());
    Thread writerThread =
        new Thread(
            () -> {
              try {
                while (true) {
                  Observed next = queue.take();
                  if (next == END) {
                    return;
                  }
                  writer.write(Objects.requireNonNull(next.event()), next.system());
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (RuntimeException e) {
                writerFailure.set(e);
                queue.clear();
              }
            },
            "vouch-store-writer-" + source.name());
    writerThread.setDaemon(true);
    writerThread.start();

    ObservationSink sink =
        new ObservationSink() {
          @Override
          public void accept(ChangeEvent event) {
            if (writerFailure.get() != null) {
              throw new IllegalStateException(
                  "the store stopped accepting events", writerFailure.get());
            }
            String system = catalog.resolve(event.coordinates()).orElse(null);
            ChangeEvent classified = classify(event, system);
            observed.incrementAndGet();
            listener.observed(source.name());
            try {
              queue.put(new Observed(classified, system));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException("interrupted while handing an event to the store", e);
            }
          }

          @Override
          public void reject(InputProblem problem) {
            rejected.incrementAndGet();
            rejections.add(source.name(), problem);
          }

          @Override
          public void planned(long units) {
            listener.planned(source.name(), units);
          }

          @Override
          public void unitDone(String unit) {
            listener.unitDone(source.name());
          }
        };

    PullResult result = null;
    Exception failure = null;
    try {
      result = source.pull(new PullRequest(window, store.cursor(source.name()).orElse(null)), sink);
    } catch (SourceException | RuntimeException e) {
      failure = e;
    } finally {
      try {
        queue.put(END);
        writerThread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = failure == null ? e : failure;
      }
    }
    if (failure == null && writerFailure.get() != null) {
      failure = new IllegalStateException("storing events failed", writerFailure.get());
    }
    try {
      if (failure == null) {
        writer.commit(Objects.requireNonNull(result).cursor());
      } else {
        writer.close();
      }
    } catch (RuntimeException e) {
      failure = failure == null ? e : failure;
    }
    IngestWriter.IngestCounts counts = writer.counts();
    String stored =
        counts.newChanges()
            + " new changes, "
            + counts.duplicateChanges()
            + " already stored; "
            + (counts.newPopulation() + counts.duplicatePopulation())
            + " other observations";
    if (failure != null) {
      listener.sourceFailed(source.name(), message(failure));
      return new Ingest(
          new SourceOutcome(
              source.name(),
              source.type(),
              SourceOutcome.Kind.CHANGES,
              SourceOutcome.Coverage.FAILED,
              observed.get(),
              rejected.get(),
              stored,
              message(failure)),
          counts.newChanges());
    }
    return new Ingest(
        new SourceOutcome(
            source.name(),
            source.type(),
            SourceOutcome.Kind.CHANGES,
            rejected.get() > 0 ? SourceOutcome.Coverage.PARTIAL : SourceOutcome.Coverage.COMPLETE,
            observed.get(),
            rejected.get(),
            result.detail() + "; " + stored,
            null),
        counts.newChanges());
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

  /** Opts data-plane writes in as changes when an include rule says so. */
  private ChangeEvent classify(ChangeEvent event, @Nullable String system) {
    if (event.eventClass() == EventClass.DATA
        && event.mutating()
        && rules.inclusion(event, system).isPresent()) {
      return event.withEventClass(EventClass.CHANGE);
    }
    return event;
  }

  private String match(
      long runId, TimeWindow window, List<ChangeRecord> records, Map<Verdict, Long> verdicts) {
    Matcher matcher = new Matcher(policy, new RecordIndex(records, policy), identities, rules);
    MessageDigest digest = sha256();
    try (FindingWriter findings = store.findingWriter(runId)) {
      store.forEachEvent(
          window,
          event -> {
            String system = catalog.resolve(event.coordinates()).orElse(null);
            ChangeEvent resolved =
                event.withActor(
                    event.actor().withPerson(identities.resolve(event.actor()).orElse(null)));
            Finding finding = matcher.evaluate(resolved, system);
            findings.write(finding);
            verdicts.merge(finding.verdict(), 1L, Long::sum);
            digest.update(
                (finding.eventKey()
                        + "|"
                        + finding.verdict()
                        + "|"
                        + finding.recordId()
                        + "|"
                        + finding.ruleId()
                        + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            listener.matched();
          });
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Every rejected input of a run: all counted, the first {@link #PROBLEMS_KEPT} kept. */
  private final class Rejections {
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

  private static String message(Throwable e) {
    String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null && !text.contains(cause.getMessage())) {
      text += ": " + cause.getMessage();
    }
    return text;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-256", e);
    }
  }
}
