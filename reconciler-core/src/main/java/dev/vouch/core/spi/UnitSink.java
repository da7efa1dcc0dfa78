package dev.vouch.core.spi;

import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.EventClass;

/**
 * Receives what a source reads from one unit of input whose content does not change once written,
 * such as one CloudTrail log file, opened with {@link ObservationSink#unit}. Its observations that
 * are not changes are counted together and the count is kept with the unit's key and content hash:
 * a unit read again with the same content (a re-read for late delivery, a repeated window) is not
 * counted again, and one whose content changed is reported and counted anew. So the population
 * stays exact across repeated and overlapping runs without one stored row per observation.
 *
 * <p>A unit's count covers every observation in it, whatever its time: it is a fact about the
 * content, not about the window that caused it to be read. Changes are handed over whole with
 * {@link #accept} and kept one by one as always. Used from one thread at a time.
 */
public interface UnitSink {

  /** Hands over one parsed observation of any class; a change is kept whole. */
  void accept(ChangeEvent event);

  /** Reports one unusable piece of the unit; the run counts it and goes on. */
  void reject(InputProblem problem);

  /**
   * Whether an observation of this class may be handed over with {@link #count} instead of whole.
   * Never for a change; a source that cannot tell, or whose sink says no, builds the whole event
   * and calls {@link #accept}.
   *
   * @param mutating whether the action writes (a data-plane write may be made a change by a rule)
   */
  boolean countable(EventClass eventClass, boolean mutating);

  /** Counts one observation that is not a change; only when {@link #countable} said so. */
  void count(Observation observation);

  /**
   * Ends the unit. Its counts are kept (unless the same content was counted before) together with
   * whatever the unit's changes and problems were stored with.
   *
   * @param contentSha256 the hex SHA-256 of the unit's content as read (a file's bytes, before any
   *     decompression)
   */
  void close(String contentSha256);
}
