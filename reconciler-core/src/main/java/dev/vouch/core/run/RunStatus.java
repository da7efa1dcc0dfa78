package dev.vouch.core.run;

/** Whether a run saw everything it was asked to look at. */
public enum RunStatus {
  /** Still running, or stopped before it finished. */
  RUNNING,
  /** Every source was read, every expected partition delivered data for every day. */
  COMPLETE,
  /**
   * A source failed, could not be read to the end, or a partition delivered nothing for a day: the
   * findings cannot show that nothing unauthorized happened.
   */
  INCOMPLETE,
  /**
   * The run stopped before it finished (killed, crashed): marked so by the next run. What it stored
   * is kept; its window counts as not reconciled.
   */
  INTERRUPTED
}
