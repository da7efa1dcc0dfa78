package dev.vouch.core.store;

import dev.vouch.core.model.Finding;

/** Appends the findings of one run. Batched; {@link #close} flushes. Used from a single thread. */
public interface FindingWriter extends AutoCloseable {

  /** Adds a finding; a second finding for the same event in the same run is refused. */
  void write(Finding finding);

  /**
   * Adds a finding, or replaces the one the run already holds for the same event: for a change the
   * run matched while reading it and that then received a conflicting copy in the same run. Only
   * while the run has not finished.
   */
  void replace(Finding finding);

  @Override
  void close();
}
