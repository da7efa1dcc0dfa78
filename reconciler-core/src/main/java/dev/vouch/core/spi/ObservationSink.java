package dev.vouch.core.spi;

import dev.vouch.core.model.ChangeEvent;

/**
 * Receives what a {@link ChangeSource} reads. Implementations are thread-safe: a source may call
 * them from several worker threads at once. {@link #accept} may block to apply back-pressure.
 */
public interface ObservationSink {

  /** Hands over one parsed observation of any {@link dev.vouch.core.model.EventClass}. */
  void accept(ChangeEvent event);

  /** Reports one unusable piece of input; the run counts it and goes on. */
  void reject(InputProblem problem);

  /** Says how many units (files, pages) the source is going to read, for progress reporting. */
  default void planned(long units) {}

  /** Says one unit is done, for progress reporting. */
  default void unitDone(String unit) {}
}
