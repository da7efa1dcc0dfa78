package dev.vouch.core.store;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a person decided about a change whose finding needed review. Written on the command line in
 * lower case with hyphens ({@code retro-approved}); stored by its constant name.
 */
public enum TriageDecision {
  /** Approved after the fact by a change record, which the action names. */
  RETRO_APPROVED,
  /** Not a change that needed a record (the finding was wrong). */
  FALSE_POSITIVE,
  /** An incident: the change was not authorized; a ticket may track the response. */
  INCIDENT,
  /** Known, not approved, and the risk is accepted by the person who acts. */
  ACCEPTED_RISK;

  /** The name as written on the command line and in reports: {@code retro-approved}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The decision written as {@link #label()} (or as its constant name), if it is one. */
  public static Optional<TriageDecision> fromLabel(String text) {
    String wanted = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    return Arrays.stream(values()).filter(d -> d.name().equals(wanted)).findFirst();
  }
}
