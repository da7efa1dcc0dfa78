package dev.vouch.core.run;

import dev.vouch.core.spi.InputProblem;

/**
 * Hears about a run as it goes, for progress lines and warnings. Called from several threads;
 * implementations must be thread-safe and quick.
 */
public interface RunListener {

  /** A phase starts: "records", "ingest <source>", "match". */
  default void phase(String description) {}

  /** A source said how many units (files) it will read. */
  default void planned(String source, long units) {}

  /** A unit (file) was read. */
  default void unitDone(String source) {}

  /** An observation was read. */
  default void observed(String source) {}

  /** An input was rejected. */
  default void rejected(String source, InputProblem problem) {}

  /** A source failed as a whole. */
  default void sourceFailed(String source, String error) {}

  /** A change event was matched. */
  default void matched() {}

  RunListener NONE = new RunListener() {};
}
