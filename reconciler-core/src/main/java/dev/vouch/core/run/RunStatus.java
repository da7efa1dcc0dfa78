package dev.vouch.core.run;

/** Whether a run saw everything it was asked to look at. */
public enum RunStatus {
  /** Still running, or stopped before it finished. */
  RUNNING,
  /** Every source was read. */
  COMPLETE,
  /** A source failed: the findings cannot show that nothing unauthorized happened. */
  INCOMPLETE
}
