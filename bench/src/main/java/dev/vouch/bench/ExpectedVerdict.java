package dev.vouch.bench;

/**
 * The verdicts a generated change can deserve. Names match Vouch's {@code Verdict} so the checker
 * can compare by name without depending on Vouch.
 */
enum ExpectedVerdict {
  AUTHORIZED,
  UNAUTHORIZED,
  APPROVED_AFTER_CHANGE,
  OUTSIDE_WINDOW,
  SELF_APPROVED,
  EMERGENCY_UNDOCUMENTED,
  EXCLUDED
}
