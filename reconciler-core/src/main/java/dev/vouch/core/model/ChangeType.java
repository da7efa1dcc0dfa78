package dev.vouch.core.model;

import java.util.Locale;

/** The ITIL change types. */
public enum ChangeType {
  /** Pre-approved, low-risk, repeatable. */
  STANDARD,
  /** Assessed and approved before it is made. */
  NORMAL,
  /** Made first to restore service; documented and approved afterwards within a deadline. */
  EMERGENCY;

  public static ChangeType parse(String text) {
    return valueOf(text.trim().toUpperCase(Locale.ROOT));
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
