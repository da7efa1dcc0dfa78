package dev.vouch.core.rules;

import java.util.Locale;

/** What a rule does to the events it matches. */
public enum RuleAction {
  /** Takes a change out of review: verdict EXCLUDED, stored with the rule id. */
  EXCLUDE("exclude"),
  /** Pre-approves a change as a standard change: verdict STANDARD_CHANGE with the rule id. */
  STANDARD_CHANGE("standard-change"),
  /** Opts data-plane writes (class DATA) in as changes, to be reconciled like any other. */
  INCLUDE("include"),
  /** Flags a risk category on the finding; does not change the verdict. */
  RISK("risk");

  private final String label;

  RuleAction(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static RuleAction parse(String text) {
    String wanted = text.trim().toLowerCase(Locale.ROOT);
    for (RuleAction action : values()) {
      if (action.label.equals(wanted)) {
        return action;
      }
    }
    throw new IllegalArgumentException(
        "'" + text + "' is not a rule action; use exclude, standard-change, include or risk");
  }
}
