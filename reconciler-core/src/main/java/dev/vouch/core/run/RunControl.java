package dev.vouch.core.run;

/**
 * Lets a run be asked to stop while it reads, as a service does when it is shutting down. A run
 * that is asked stops handing observations to the store: the batch being written is completed,
 * cursors stay where the last completed pull left them, and the run is recorded INTERRUPTED, so its
 * window is not counted as covered and the next run reads it again (what was already stored counts
 * as duplicates: nothing lost, nothing doubled).
 */
public final class RunControl {
  private volatile boolean stopRequested;

  /** Asks the run to stop at its next observation. Safe from any thread, e.g. a shutdown hook. */
  public void requestStop() {
    stopRequested = true;
  }

  public boolean stopRequested() {
    return stopRequested;
  }

  /** Thrown to the source's reading threads once a stop was requested, to unwind the read. */
  static final class StopRequested extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StopRequested() {
      super("the run was asked to stop", null, false, false);
    }
  }
}
