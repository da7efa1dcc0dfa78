package dev.vouch.core.model;

/** What a finding says about one change. */
public enum Verdict {
  AUTHORIZED(false),
  UNAUTHORIZED(true),
  APPROVED_AFTER_CHANGE(true),
  OUTSIDE_WINDOW(true),
  SELF_APPROVED(true),
  EMERGENCY_UNDOCUMENTED(true),
  STANDARD_CHANGE(false),
  EXCLUDED(false),
  /**
   * A protected branch's history was rewritten (force push, reset): commits that were on it are
   * gone. A finding of its own, naming the commits that disappeared.
   */
  HISTORY_REWRITTEN(true),
  /**
   * A record of a source of change could not be read (malformed, truncated, missing its id or
   * time), or the rest of a file could not be: whatever it held is unseen and may be a change. The
   * finding names the file, line and reason, and whatever fields could still be read.
   */
  UNREADABLE(true),
  /**
   * Two records share one event id but differ in content (possible tampering, or misconfigured
   * shipping): both are kept as evidence, and the change is not decided on either alone.
   */
  CONFLICTING_EVIDENCE(true);

  private final boolean needsReview;

  Verdict(boolean needsReview) {
    this.needsReview = needsReview;
  }

  /** True for verdicts that a person must triage; these make {@code vouch run} exit with 1. */
  public boolean needsReview() {
    return needsReview;
  }
}
