package dev.vouch.app;

/** Exit codes of {@code vouch}, documented in the README. */
public final class ExitCodes {
  /** The run is complete and nothing needs review. */
  public static final int OK = 0;

  /** Findings need review: unauthorized or badly controlled changes. */
  public static final int FINDINGS = 1;

  /** The run is incomplete: a source failed, so the absence of findings proves nothing. */
  public static final int INCOMPLETE = 2;

  /** The command line was wrong. */
  public static final int USAGE = 64;

  /** Vouch itself failed unexpectedly (a bug or an environment problem); the message says which. */
  public static final int INTERNAL = 70;

  /** The store could not be opened or written. */
  public static final int STORE_ERROR = 74;

  /** The configuration has problems. */
  public static final int CONFIG = 78;

  private ExitCodes() {}
}
