package dev.vouch.core.spi;

import dev.vouch.core.model.ChangeRecord;

/** Receives what a {@link RecordSource} reads. */
public interface RecordSink {

  void accept(ChangeRecord record);

  /** Reports one unusable record (with file, line and column where known); reading goes on. */
  void reject(InputProblem problem);
}
