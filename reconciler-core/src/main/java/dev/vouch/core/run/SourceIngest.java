package dev.vouch.core.run;

import dev.vouch.core.catalog.SystemCatalog;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.Coordinates;
import dev.vouch.core.model.EventClass;
import dev.vouch.core.model.Finding;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.rules.RuleSet;
import dev.vouch.core.spi.ChangeSource;
import dev.vouch.core.spi.InputProblem;
import dev.vouch.core.spi.Observation;
import dev.vouch.core.spi.ObservationSink;
import dev.vouch.core.spi.PullRequest;
import dev.vouch.core.spi.PullResult;
import dev.vouch.core.spi.SourceException;
import dev.vouch.core.spi.UnitSink;
import dev.vouch.core.store.IngestWriter;
import dev.vouch.core.store.Store;
import dev.vouch.core.store.UnitTally;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Ingests what one change source reads in one run. The source hands observations to a bounded queue
 * from its own threads; one writer thread drains it into the store, so memory stays flat however
 * large the trail. Along the way it counts observations per partition and day, for the coverage
 * judgement, and keeps every rejected input in the store, for the UNREADABLE findings.
 */
final class SourceIngest {
  /** How many observations may wait between the sources' threads and the store writer. */
  private static final int QUEUE_CAPACITY = 8_192;

  /**
   * What the ingest of one source came to.
   *
   * @param outcome how the source fared
   * @param newChanges change events stored for the first time
   * @param counts observations per partition and UTC day, every class
   * @param windowObservations observations that occurred inside the window
   * @param provenComplete the partitions the source proved it read in full
   */
  record Result(
      SourceOutcome outcome,
      long newChanges,
      Map<String, Map<LocalDate, Long>> counts,
      long windowObservations,
      Set<String> provenComplete) {}

  /**
   * One item on its way to the store: an observation with the system the catalog gave it, a
   * rejected input, or the counts of a unit read to its end; {@link #END} tells the writer the
   * source is done.
   */
  private record Item(
      IngestWriter.@Nullable Prepared observation,
      @Nullable InputProblem problem,
      @Nullable UnitTally unit) {}

  private static final Item END = new Item(null, null, null);

  /**
   * Matches a change this run stores first, while the source is read: the finding is stored with
   * the change, so the change need not be read back. Thread-safe.
   */
  @FunctionalInterface
  interface Evaluator {
    Finding evaluate(ChangeEvent change, @Nullable String system);
  }

  private record PartitionDayKey(String partition, LocalDate day) {}

  private final Store store;
  private final SystemCatalog catalog;
  private final RuleSet rules;
  private final RunListener listener;
  private final Reconciler.Rejections rejections;
  private final long runId;
  private final TimeWindow window;
  private final Evaluator evaluator;
  private final RunControl control;
  private final Map<Coordinates, String> partitions = new ConcurrentHashMap<>();
  private final Map<PartitionDayKey, LongAdder> counts = new ConcurrentHashMap<>();
  private final LongAdder inWindow = new LongAdder();

  SourceIngest(
      Store store,
      SystemCatalog catalog,
      RuleSet rules,
      RunListener listener,
      Reconciler.Rejections rejections,
      long runId,
      TimeWindow window,
      Evaluator evaluator,
      RunControl control) {
    this.evaluator = evaluator;
    this.control = control;
    this.store = store;
    this.catalog = catalog;
    this.rules = rules;
    this.listener = listener;
    this.rejections = rejections;
    this.runId = runId;
    this.window = window;
  }

  Result ingest(ChangeSource source) {
    BlockingQueue<Item> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    AtomicLong observed = new AtomicLong();
    AtomicLong rejected = new AtomicLong();
    AtomicLong cutShort = new AtomicLong();
    AtomicReference<Throwable> writerFailure = new AtomicReference<>();
    IngestWriter writer = store.ingest(runId, source.name());
    Thread writerThread =
        new Thread(
            () -> {
              try {
                while (true) {
                  Item next = queue.take();
                  if (next == END) {
                    return;
                  }
                  if (next.unit() != null) {
                    writer.unit(next.unit());
                  } else if (next.problem() != null) {
                    InputProblem problem = next.problem();
                    boolean ofEarlierWindow =
                        problem
                            .readableTime()
                            .map(time -> time.isBefore(window.start()))
                            .orElse(false);
                    writer.reject(problem, ofEarlierWindow);
                  } else {
                    writer.write(Objects.requireNonNull(next.observation()));
                  }
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

    Handoff handoff =
        item -> {
          if (control.stopRequested()) {
            throw new RunControl.StopRequested();
          }
          if (writerFailure.get() != null) {
            throw new IllegalStateException(
                "the store stopped accepting events", writerFailure.get());
          }
          try {
            queue.put(item);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing an event to the store", e);
          }
        };
    boolean inclusions = rules.hasInclusions();
    ObservationSink sink =
        new ObservationSink() {
          @Override
          public void accept(ChangeEvent event) {
            String system = catalog.resolve(event.coordinates()).orElse(null);
            ChangeEvent classified = classify(event, system);
            observed(source, observed, event.coordinates(), event.occurredAt());
            handoff.put(new Item(prepare(writer, classified, system), null, null));
          }

          @Override
          public void reject(InputProblem problem) {
            rejected.incrementAndGet();
            if (problem.cutShort()) {
              cutShort.incrementAndGet();
            }
            rejections.add(source.name(), problem);
            handoff.put(new Item(null, problem, null));
          }

          @Override
          public void planned(long units) {
            listener.planned(source.name(), units);
          }

          @Override
          public void unitDone(String unit) {
            listener.unitDone(source.name());
          }

          @Override
          public UnitSink unit(String key) {
            ObservationSink outer = this;
            Map<UnitTally.Key, Long> tally = new HashMap<>();
            return new UnitSink() {
              @Override
              public void accept(ChangeEvent event) {
                String system = catalog.resolve(event.coordinates()).orElse(null);
                ChangeEvent classified = classify(event, system);
                observed(source, observed, event.coordinates(), event.occurredAt());
                if (classified.eventClass() == EventClass.CHANGE) {
                  handoff.put(new Item(prepare(writer, classified, system), null, null));
                } else {
                  tally(system, classified.occurredAt(), classified.eventClass());
                }
              }

              @Override
              public void reject(InputProblem problem) {
                outer.reject(problem);
              }

              @Override
              public boolean countable(EventClass eventClass, boolean mutating) {
                return eventClass != EventClass.CHANGE
                    && !(eventClass == EventClass.DATA && mutating && inclusions);
              }

              @Override
              public void count(Observation observation) {
                String system = catalog.resolve(observation.coordinates()).orElse(null);
                observed(source, observed, observation.coordinates(), observation.occurredAt());
                tally(system, observation.occurredAt(), observation.eventClass());
              }

              private void tally(@Nullable String system, Instant at, EventClass eventClass) {
                tally.merge(
                    new UnitTally.Key(system, LocalDate.ofInstant(at, ZoneOffset.UTC), eventClass),
                    1L,
                    Long::sum);
              }

              @Override
              public void close(String contentSha256) {
                handoff.put(new Item(null, null, new UnitTally(key, contentSha256, tally)));
              }
            };
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
    IngestWriter.IngestCounts stored = writer.counts();
    for (InputProblem changed : stored.changedUnits()) {
      rejected.incrementAndGet();
      rejections.add(source.name(), changed);
    }
    String storedText =
        stored.newChanges()
            + " new changes, "
            + stored.duplicateChanges()
            + " already stored; "
            + (stored.newPopulation() + stored.duplicatePopulation())
            + " other observations"
            + (stored.conflicts() > 0
                ? "; " + stored.conflicts() + " delivered again with different content"
                : "")
            + (stored.changedUnits().isEmpty()
                ? ""
                : "; "
                    + stored.changedUnits().size()
                    + " file(s) changed since an earlier run counted them");
    Map<String, Map<LocalDate, Long>> perPartition = new HashMap<>();
    counts.forEach(
        (key, count) ->
            perPartition
                .computeIfAbsent(key.partition(), k -> new HashMap<>())
                .put(key.day(), count.sum()));
    if (failure != null) {
      if (!control.stopRequested()) {
        listener.sourceFailed(source.name(), Messages.of(failure));
      }
      return new Result(
          new SourceOutcome(
              source.name(),
              source.type(),
              SourceOutcome.Kind.CHANGES,
              SourceOutcome.Coverage.FAILED,
              observed.get(),
              rejected.get(),
              storedText,
              Messages.of(failure)),
          stored.newChanges(),
          perPartition,
          inWindow.sum(),
          Set.of());
    }
    boolean partial = cutShort.get() > 0;
    String detail =
        result.detail()
            + "; "
            + storedText
            + (partial
                ? "; "
                    + cutShort.get()
                    + " file(s) or page(s) not read to the end, so part of the window is unseen"
                : "");
    return new Result(
        new SourceOutcome(
            source.name(),
            source.type(),
            SourceOutcome.Kind.CHANGES,
            partial ? SourceOutcome.Coverage.PARTIAL : SourceOutcome.Coverage.COMPLETE,
            observed.get(),
            rejected.get(),
            detail,
            null),
        stored.newChanges(),
        perPartition,
        inWindow.sum(),
        result.partitionsComplete());
  }

  /**
   * Encodes an observation for the store on the calling (source) thread; a change is matched here
   * too, as if stored first now (the store drops the finding when it was stored before). A change
   * of an earlier window, delivered late, says so in its finding.
   */
  private IngestWriter.Prepared prepare(
      IngestWriter writer, ChangeEvent event, @Nullable String system) {
    if (event.eventClass() != EventClass.CHANGE) {
      return writer.prepare(event, system, null);
    }
    Finding finding = evaluator.evaluate(event, system);
    if (event.occurredAt().isBefore(window.start())) {
      finding = Reconciler.late(finding, event.occurredAt());
    }
    listener.matched();
    return writer.prepare(event, system, finding);
  }

  /** Hands an item to the store writer, waiting while the queue is full. */
  @FunctionalInterface
  private interface Handoff {
    void put(Item item);
  }

  /** Counts one observation for coverage and progress. */
  private void observed(
      ChangeSource source, AtomicLong observed, Coordinates coordinates, Instant occurredAt) {
    observed.incrementAndGet();
    String partition = partitions.computeIfAbsent(coordinates, Coordinates::partition);
    LocalDate day = LocalDate.ofInstant(occurredAt, ZoneOffset.UTC);
    counts.computeIfAbsent(new PartitionDayKey(partition, day), k -> new LongAdder()).increment();
    if (window.contains(occurredAt)) {
      inWindow.increment();
    }
    listener.observed(source.name());
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
}
