package dev.vouch.core.store;

import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.ChangeRecord;
import dev.vouch.core.model.Finding;
import dev.vouch.core.model.Seen;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.run.RunSummary;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Durable memory of Vouch: runs, change events kept as evidence, versioned change records,
 * findings, population counts and cursors.
 *
 * <p>Evidence is append-only: a stored event is never rewritten, a record that changes upstream
 * gets a new version, findings of a run are added, never edited. Implementations are safe to use
 * from one thread per method call; the runner writes events from one thread and reads from another.
 */
public interface Store extends AutoCloseable {

  /** Records the start of a run and returns its id. */
  default long startRun(TimeWindow window, Instant startedAt, String configSha256) {
    return startRun(window, startedAt, configSha256, REVIEW);
  }

  /**
   * Starts a run of a scope: {@link #REVIEW} for a review of every source, {@code job:<name>} for
   * an extra scheduled job that reviews some sources. Windows and the last run are kept per scope.
   */
  long startRun(TimeWindow window, Instant startedAt, String configSha256, String scope);

  /** The scope of a review of every source ({@code vouch run}, the periodic review). */
  String REVIEW = "";

  /**
   * Marks every run still RUNNING as INTERRUPTED: its process died before finishing (only one run
   * uses a store at a time, so a run found RUNNING when another starts is dead). What it stored
   * stays, and it gets its link in the hash chain.
   *
   * @return the summaries of the runs so marked
   */
  List<RunSummary> interruptAbandonedRuns(Instant now);

  /**
   * Takes the store's run lock, which one reconciliation holds from before it marks abandoned runs
   * until it has finished: so that a run started while another process reconciles on the same store
   * (a {@code vouch run} beside {@code vouch serve}) waits its turn instead of marking the live run
   * INTERRUPTED. The lock dies with the process that holds it.
   *
   * @return the lock, to close when the run has ended; empty when another run holds it
   */
  Optional<RunLock> tryLockRuns();

  /** The outbox and memory of chat alerts. */
  Alerts alerts();

  /** The store's run lock, held until closed. */
  interface RunLock extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Marks one RUNNING run as INTERRUPTED because it was asked to stop: what it stored stays, and it
   * gets its link in the hash chain. Its window does not count as covered.
   *
   * @return the run's summary as so marked
   */
  RunSummary interruptRun(long runId, Instant now);

  /**
   * Saves the finished run's summary (the summary's runId names the run), its coverage and the
   * run's link in the hash chain, atomically.
   *
   * @return the chain head after this run, to be shown in the run's reports and kept outside the
   *     store
   */
  String finishRun(RunSummary summary, List<PartitionDay> coverage);

  /** The windows of every COMPLETE run, oldest first: what has been reconciled in full. */
  default List<TimeWindow> completeWindows() {
    return completeWindows(REVIEW);
  }

  /** The windows of every COMPLETE run of the scope. */
  List<TimeWindow> completeWindows(String scope);

  /**
   * Coverage summed over every finished run, per source, partition and day, for the days from
   * {@code first} to {@code last} inclusive; {@code status} is {@code SUM}.
   */
  List<PartitionDay> coverage(LocalDate first, LocalDate last);

  /** Every partition that ever delivered an observation, with the first day it did. */
  Map<String, LocalDate> partitionsSeen();

  /** Opens a writer for what one change source reads in one run. */
  IngestWriter ingest(long runId, String sourceName);

  /**
   * Stores the records one record source returned: a record not seen before is added as version 1;
   * a record whose content differs from its latest version gets a new version; an identical record
   * adds nothing.
   */
  RecordSaveResult saveRecords(long runId, String sourceName, List<ChangeRecord> records);

  /** The latest version of every record of every source. */
  List<ChangeRecord> currentRecords();

  /** Every version of one record, oldest first. */
  List<ChangeRecord> recordHistory(String sourceName, String key);

  /**
   * The stored change event under a key ({@code sourceType:nativeId}), with its raw payload; empty
   * when none is stored under it (the key of an UNREADABLE finding names no stored event). For
   * reports, which show the resources a finding's change acted on.
   */
  Optional<ChangeEvent> event(String eventKey);

  /**
   * Streams the stored change events that occurred in the window (start inclusive, end exclusive),
   * ordered by time and then key, without loading them all into memory.
   */
  void forEachEvent(TimeWindow window, Consumer<ChangeEvent> consumer);

  /**
   * Streams what a run must still match once it has read its sources, ordered by time and then key:
   * the change events of its window that earlier runs stored (a run matches the events it stores
   * first while it reads them, late deliveries of earlier windows included, see {@link
   * IngestWriter#write(ChangeEvent, String, Finding)}), and every event that received a conflicting
   * copy in this run, whenever it occurred and whoever stored it.
   */
  void forEachEventToMatch(long runId, TimeWindow window, Consumer<StoredEvent> consumer);

  /**
   * Streams the verdicts of a run's findings on change events (not those on unusable input) in the
   * order a run's result hash covers them: the late deliveries it stored first, then its window,
   * then the other events it matched (conflicting copies), each group by time and then key.
   */
  void forEachVerdict(long runId, TimeWindow window, Consumer<StoredVerdict> consumer);

  /**
   * Streams the stored changes that occurred in {@code span} whose latest finding (of a finished
   * run, as {@link #latestFindings} counts) has one of {@code verdicts}, but for changes that run
   * {@code runId} has already judged: the open findings a run evaluates again when change records
   * have changed. In time order, then by key.
   */
  void forEachOpenFinding(
      long runId, TimeWindow span, Set<Verdict> verdicts, Consumer<OpenFinding> consumer);

  /** Streams the input of change sources that a run could not use, in the order it was met. */
  void forEachRejection(long runId, Consumer<StoredRejection> consumer);

  /**
   * When each current record of a source got its current approvals: the run that first stored a
   * version with the same approvals as the latest version, keyed by record key.
   */
  Map<String, Seen> approvalsSeen(String sourceName);

  /** Number of stored change events. */
  long eventCount();

  /** Opens a writer for the findings of a run. */
  FindingWriter findingWriter(long runId);

  /** Streams the findings of one run, ordered by time and then event key. */
  void forEachFinding(long runId, Consumer<Finding> consumer);

  /**
   * The latest finding of every event (from the most recent finished run that has one), filtered by
   * the query's verdicts, system and change time, newest change first, at most the query's limit.
   */
  List<Finding> latestFindings(FindingQuery query);

  /**
   * How many findings {@link #latestFindings} would list for the query without its limit: what "N
   * of M" needs when the limit cuts the list.
   */
  long countLatestFindings(FindingQuery query);

  /**
   * Every finding the change under {@code eventKey} received, one per run that judged it, oldest
   * run first, each with its run's id and current status (findings of a run still in progress
   * included, marked {@code RUNNING}); empty when no run judged it.
   */
  List<RunFinding> findingHistory(String eventKey);

  /**
   * Appends a triage action on a change and returns it as stored, with its id. Actions are never
   * edited: a later one on the same change supersedes it as the current status, and both stay.
   *
   * @throws IllegalArgumentException when no finished run has a finding on the change, or the
   *     action names a change record the store does not hold
   */
  TriageAction appendTriage(TriageAction action);

  /** Every triage action on one change, in the order they were appended. */
  List<TriageAction> triageHistory(String eventKey);

  /**
   * The current triage status of every change that has one: its latest action, keyed by event key.
   * Triage actions are taken by people, so there are few enough to hold at once.
   */
  Map<String, TriageAction> currentTriage();

  /** Observations counted in the window per source, system, day and class, changes included. */
  List<PopulationCount> population(TimeWindow window);

  /** The cursor a change source saved with its last committed batch. */
  Optional<String> cursor(String sourceName);

  /** The summary of a finished run. */
  Optional<RunSummary> run(long runId);

  /** The most recent finished run. */
  Optional<RunSummary> lastRun();

  /** The most recent finished run of the scope. */
  Optional<RunSummary> lastRun(String scope);

  /**
   * Recomputes the hash of every evidence row and every run's link in the hash chain, and names
   * each that no longer matches what was recorded.
   */
  Verification verify();

  @Override
  void close();
}
