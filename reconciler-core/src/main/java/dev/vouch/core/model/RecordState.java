package dev.vouch.core.model;

import java.util.Locale;

/** Life-cycle state of a change record. Only some states authorize a change. */
public enum RecordState {
  DRAFT(false),
  REQUESTED(false),
  APPROVED(true),
  IMPLEMENTED(true),
  CLOSED(true),
  REJECTED(false),
  CANCELLED(false);

  private final boolean authorizing;

  RecordState(boolean authorizing) {
    this.authorizing = authorizing;
  }

  /** True for the states in which a record can back a change: approved, implemented, closed. */
  public boolean authorizes() {
    return authorizing;
  }

  public static RecordState parse(String text) {
    String normal = text.trim().toUpperCase(Locale.ROOT);
    if (normal.equals("CANCELED")) {
      return CANCELLED;
    }
    return valueOf(normal);
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
