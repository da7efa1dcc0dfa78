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
  HISTORY_REWRITTEN(true);

  private final boolean needsReview;

  Verdict(boolean needsReview) {
    this.needsReview = needsReview;
  }

  /** True for verdicts that a person must triage; these make {@code vouch run} exit with 1. */
  public boolean needsReview() {
    return needsReview;
  }
}
