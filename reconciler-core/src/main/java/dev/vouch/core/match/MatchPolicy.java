package dev.vouch.core.match;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The tolerances and controls the matcher applies.
 *
 * @param graceBefore how long before a record's window a change still counts as inside it
 * @param graceAfter how long after a record's window a change still counts as inside it
 * @param proximity how far outside window and grace a change by a record's implementer on the
 *     record's system is still tied to that record (and reported OUTSIDE_WINDOW)
 * @param requireApprovalBeforeChange whether an approval dated after the change makes the finding
 *     APPROVED_AFTER_CHANGE
 * @param segregationOfDuties whether a record approved only by the person who made the change makes
 *     the finding SELF_APPROVED
 * @param emergencyDocumentationDeadline how long after an emergency change its record may be
 *     approved
 * @param referencePatterns patterns that find change ids in event text (session names, tags)
 */
public record MatchPolicy(
    Duration graceBefore,
    Duration graceAfter,
    Duration proximity,
    boolean requireApprovalBeforeChange,
    boolean segregationOfDuties,
    Duration emergencyDocumentationDeadline,
    List<Pattern> referencePatterns) {

  public static final List<String> DEFAULT_REFERENCE_PATTERNS =
      List.of("CHG\\d{5,}", "[A-Z][A-Z0-9]{1,9}-\\d+", "[\\w.-]+/[\\w.-]+#\\d+");

  public MatchPolicy {
    Objects.requireNonNull(graceBefore, "graceBefore");
    Objects.requireNonNull(graceAfter, "graceAfter");
    Objects.requireNonNull(proximity, "proximity");
    Objects.requireNonNull(emergencyDocumentationDeadline, "emergencyDocumentationDeadline");
    referencePatterns = List.copyOf(referencePatterns);
  }

  /**
   * The defaults: 30 minutes of grace each side, 24 h proximity, both controls on, 72 h deadline.
   */
  public static MatchPolicy defaults() {
    return new MatchPolicy(
        Duration.ofMinutes(30),
        Duration.ofMinutes(30),
        Duration.ofHours(24),
        true,
        true,
        Duration.ofHours(72),
        DEFAULT_REFERENCE_PATTERNS.stream().map(Pattern::compile).toList());
  }

  /** The widest distance from a window at which a record can still matter to an event. */
  Duration reachBefore() {
    return max(graceBefore, proximity);
  }

  Duration reachAfter() {
    return max(graceAfter, proximity);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
