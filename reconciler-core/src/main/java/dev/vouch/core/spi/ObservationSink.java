package dev.vouch.core.spi;

import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.EventClass;

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

  /**
   * Opens a unit of input whose content does not change once written, such as one log file; what is
   * read from it goes to the returned sink (see {@link UnitSink}). The default hands everything on
   * to this sink, one observation at a time.
   *
   * @param key the unit's stable name within the source, such as a log file's path below the
   *     source's root; the same file must get the same key in every run
   */
  default UnitSink unit(String key) {
    ObservationSink outer = this;
    return new UnitSink() {
      @Override
      public void accept(ChangeEvent event) {
        outer.accept(event);
      }

      @Override
      public void reject(InputProblem problem) {
        outer.reject(problem);
      }

      @Override
      public boolean countable(EventClass eventClass, boolean mutating) {
        return false;
      }

      @Override
      public void count(Observation observation) {
        throw new IllegalStateException(
            "this sink takes whole events only: countable() said no for " + observation);
      }

      @Override
      public void close(String contentSha256) {}
    };
  }
}
