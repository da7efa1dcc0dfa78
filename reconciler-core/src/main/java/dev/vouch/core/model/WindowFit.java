package dev.vouch.core.model;

/** How an event's time relates to a record's window. */
public enum WindowFit {
  /** Within the window, ends included. */
  INSIDE,
  /** Outside the window but within the configured grace before or after it. */
  IN_GRACE,
  /** Outside window and grace, but within the proximity that still ties it to the record. */
  NEAR,
  /** Further away. */
  OUTSIDE;

  public boolean covers() {
    return this == INSIDE || this == IN_GRACE;
  }
}
