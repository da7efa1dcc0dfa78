package dev.vouch.core.model;

/**
 * What kind of observation a source saw. Only {@link #CHANGE} is reconciled one by one; the other
 * classes are counted per source, system and day so that a report can state the whole population
 * that was examined.
 */
public enum EventClass {
  /** A successful call that modified the system. */
  CHANGE,
  /** A successful call that only read. */
  READ_ONLY,
  /** A call that failed (error code, HTTP status of 400 or more): it changed nothing. */
  FAILED,
  /** A sign-in or session event: access, not change. */
  SIGN_IN,
  /**
   * Data-plane activity (object reads and writes, function invocations). Not a change of the system
   * unless a rule opts it in.
   */
  DATA,
  /**
   * Anything else the source records that is neither a call nor a change (service events,
   * insights).
   */
  OTHER
}
