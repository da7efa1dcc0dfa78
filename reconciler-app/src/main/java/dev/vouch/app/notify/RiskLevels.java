package dev.vouch.app.notify;

import dev.vouch.core.config.NotificationSettings.RiskLevel;
import dev.vouch.core.model.Finding;
import dev.vouch.core.model.Verdict;
import java.util.Map;

/**
 * How risky a finding is, for routing ({@code when.minRisk}) and for ordering a digest: the highest
 * level among its risk categories, raised for verdicts that put the evidence itself in doubt.
 *
 * <ul>
 *   <li><b>critical</b>: {@code logging}, {@code audit} — the trail every later review depends on
 *       was stopped, deleted or redirected;
 *   <li><b>high</b>: {@code iam}, {@code impersonation}, {@code keys}, {@code secrets}, {@code
 *       exposure}, {@code network}, {@code rbac}, {@code admission}, {@code privileged-pod} — who
 *       may do what, key material, and what can reach what;
 *   <li><b>medium</b>: {@code backups}, {@code data}, {@code exec}, and any category a configured
 *       rule adds (unknown to Vouch, so neither dismissed nor exaggerated);
 *   <li><b>low</b>: no category.
 * </ul>
 *
 * <p>Whatever its categories, a {@code HISTORY_REWRITTEN} or {@code CONFLICTING_EVIDENCE} finding
 * is at least high (commits vanished, or a record was altered: possible tampering), and an {@code
 * UNREADABLE} one at least medium (input nobody has seen may hold any change). A test keeps this
 * table in step with the categories the built-in rules flag.
 */
public final class RiskLevels {
  static final Map<String, RiskLevel> CATEGORIES =
      Map.ofEntries(
          Map.entry("logging", RiskLevel.CRITICAL),
          Map.entry("audit", RiskLevel.CRITICAL),
          Map.entry("iam", RiskLevel.HIGH),
          Map.entry("impersonation", RiskLevel.HIGH),
          Map.entry("keys", RiskLevel.HIGH),
          Map.entry("secrets", RiskLevel.HIGH),
          Map.entry("exposure", RiskLevel.HIGH),
          Map.entry("network", RiskLevel.HIGH),
          Map.entry("rbac", RiskLevel.HIGH),
          Map.entry("admission", RiskLevel.HIGH),
          Map.entry("privileged-pod", RiskLevel.HIGH),
          Map.entry("backups", RiskLevel.MEDIUM),
          Map.entry("data", RiskLevel.MEDIUM),
          Map.entry("exec", RiskLevel.MEDIUM));

  private RiskLevels() {}

  /** The level of one category; one Vouch does not know is medium. */
  public static RiskLevel of(String category) {
    return CATEGORIES.getOrDefault(category, RiskLevel.MEDIUM);
  }

  /** The level of a finding: its highest category, at least its verdict's floor. */
  public static RiskLevel of(Finding finding) {
    RiskLevel level = floor(finding.verdict());
    for (String risk : finding.risks()) {
      RiskLevel category = of(risk);
      if (category.compareTo(level) > 0) {
        level = category;
      }
    }
    return level;
  }

  private static RiskLevel floor(Verdict verdict) {
    return switch (verdict) {
      case HISTORY_REWRITTEN, CONFLICTING_EVIDENCE -> RiskLevel.HIGH;
      case UNREADABLE -> RiskLevel.MEDIUM;
      default -> RiskLevel.LOW;
    };
  }
}
