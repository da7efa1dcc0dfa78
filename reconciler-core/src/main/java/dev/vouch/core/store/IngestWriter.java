package dev.vouch.core.store;

import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.Finding;
import dev.vouch.core.spi.InputProblem;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Writes what one change source reads in one run. Used from a single thread. Writes are batched;
 * {@link #commit} makes them durable together with the source's cursor, in one transaction.
 */
public interface IngestWriter extends AutoCloseable {

  /**
   * Stores an observation. A {@code CHANGE} event is kept whole (normalised form, raw payload and
   * its SHA-256) under its key; any other class is counted once per native id under the given
   * system and the UTC day it occurred. An observation already stored (same source type and native
   * id) with the same content adds nothing; one with different content is kept beside the first as
   * a conflicting copy, and the event is matched again (CONFLICTING_EVIDENCE).
   *
   * @param system the logical system the event maps to, or null when it maps to none
   */
  default void write(ChangeEvent event, @Nullable String system) {
    write(prepare(event, system, null));
  }

  /**
   * Encodes and hashes an observation for {@link #write(Prepared)}, with the finding the run made
   * of it while reading it. Thread-safe, so that the sources' threads do this work and the one
   * thread that writes only writes.
   *
   * @param system the logical system the event maps to, or null when it maps to none
   * @param finding the run's finding on a change, kept (in the same transaction) when this is the
   *     first time the event is stored and dropped when it was stored before, since a run matches
   *     such an event from the store (see {@link Store#forEachEventToMatch}); or null for none
   */
  Prepared prepare(ChangeEvent event, @Nullable String system, @Nullable Finding finding);

  /** Stores a prepared observation as {@link #write(ChangeEvent, String)} describes. */
  void write(Prepared observation);

  /** An observation encoded by {@link #prepare}, for the writer that prepared it. */
  interface Prepared {}

  /**
   * Keeps a piece of input the source could not use, as evidence for an UNREADABLE finding.
   *
   * @param keepOnce true for input of an earlier window met again (a re-read for late delivery): it
   *     is kept only if no earlier run kept the same problem (source, location and message), so one
   *     bad record of a past day is one finding, not one a night; false for input of this run's own
   *     window, which each run that reads it reports
   */
  void reject(InputProblem problem, boolean keepOnce);

  /**
   * Keeps the counts of one unit of input. A unit already counted with the same content (same
   * source, key and SHA-256) adds nothing; one counted before under the same key with other content
   * is kept as a new version, whose counts replace the older one's, and is reported as unusable
   * input of this run ({@link IngestCounts#changedUnits}), since a log file that changed after it
   * was delivered can no longer be trusted as it stands.
   */
  void unit(UnitTally tally);

  /** Flushes everything written and saves the cursor, atomically. */
  void commit(@Nullable String cursor);

  /** Counts of what this writer stored and skipped so far (flushed or not). */
  IngestCounts counts();

  /** Flushes what was written, without saving a cursor. */
  @Override
  void close();

  /**
   * @param newChanges change events stored for the first time (each with its finding, if it had
   *     one)
   * @param duplicateChanges change events already stored
   * @param newPopulation other observations counted for the first time
   * @param duplicatePopulation other observations already counted
   * @param conflicts observations whose id was already stored with different content
   * @param changedUnits units counted before under the same key with other content, as the problems
   *     this run reported for them
   */
  record IngestCounts(
      long newChanges,
      long duplicateChanges,
      long newPopulation,
      long duplicatePopulation,
      long conflicts,
      List<InputProblem> changedUnits) {

    public IngestCounts {
      changedUnits = List.copyOf(changedUnits);
    }

    /** Counts with no changed unit. */
    public IngestCounts(
        long newChanges,
        long duplicateChanges,
        long newPopulation,
        long duplicatePopulation,
        long conflicts) {
      this(newChanges, duplicateChanges, newPopulation, duplicatePopulation, conflicts, List.of());
    }
  }
}
