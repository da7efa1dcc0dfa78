package dev.vouch.core.store;

import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.spi.InputProblem;
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
  void write(ChangeEvent event, @Nullable String system);

  /**
   * Keeps a piece of input the source could not use, as evidence for an UNREADABLE finding.
   *
   * @param keepOnce true for input of an earlier window met again (a re-read for late delivery): it
   *     is kept only if no earlier run kept the same problem (source, location and message), so one
   *     bad record of a past day is one finding, not one a night; false for input of this run's own
   *     window, which each run that reads it reports
   */
  void reject(InputProblem problem, boolean keepOnce);

  /** Flushes everything written and saves the cursor, atomically. */
  void commit(@Nullable String cursor);

  /** Counts of what this writer stored and skipped so far (flushed or not). */
  IngestCounts counts();

  /** Flushes what was written, without saving a cursor. */
  @Override
  void close();

  /**
   * @param newChanges change events stored for the first time
   * @param duplicateChanges change events already stored
   * @param newPopulation other observations counted for the first time
   * @param duplicatePopulation other observations already counted
   * @param conflicts observations whose id was already stored with different content
   */
  record IngestCounts(
      long newChanges,
      long duplicateChanges,
      long newPopulation,
      long duplicatePopulation,
      long conflicts) {}
}
