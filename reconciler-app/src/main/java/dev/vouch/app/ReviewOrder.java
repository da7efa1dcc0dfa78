package dev.vouch.app;

import dev.vouch.core.model.Finding;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The order in which the summary page lists the changes that need review: by the most severe risk
 * category a rule flagged on the change, then by time, oldest first, then by event key.
 *
 * <p>Risk categories, most severe first — what a reviewer should look at before anything else:
 *
 * <ol>
 *   <li>{@code logging}: trails, flow logs, detectors stopped or deleted; every later change may be
 *       unseen;
 *   <li>{@code iam}: who may do anything at all;
 *   <li>{@code keys}, then {@code secrets}: key material and secrets (KMS, Secrets Manager, ACM;
 *       Kubernetes secrets and service-account tokens);
 *   <li>{@code network}: security groups, routes, gateways: what can reach what;
 *   <li>{@code exposure}: snapshots, images and buckets shared or made public;
 *   <li>{@code backups}: recovery points deleted;
 *   <li>{@code data}: data stores changed or deleted;
 *   <li>then the Kubernetes categories: {@code rbac}, {@code admission}, {@code privileged-pod},
 *       {@code exec}, {@code audit}, {@code impersonation}.
 * </ol>
 *
 * <p>A category that configured rules add beyond these comes after them, alphabetically; a change
 * with no category comes last. The list covers every category the built-in rules emit (a test
 * checks it), so a new built-in category must be placed here. Chat alerts list their findings in
 * the same order within a risk level.
 */
public final class ReviewOrder {

  /** The known risk categories, most severe first. */
  public static final List<String> RISK_SEVERITY =
      List.of(
          "logging",
          "iam",
          "keys",
          "secrets",
          "network",
          "exposure",
          "backups",
          "data",
          "rbac",
          "admission",
          "privileged-pod",
          "exec",
          "audit",
          "impersonation");

  /** Findings in review order: most severe risk first, then oldest, then by event key. */
  static final Comparator<Finding> FOR_REVIEW =
      Comparator.comparing(ReviewOrder::mostSevereRisk, ReviewOrder::compareRisks)
          .thenComparing(Finding::occurredAt)
          .thenComparing(Finding::eventKey);

  private ReviewOrder() {}

  /** The finding's most severe risk category, or null when it has none. */
  static @Nullable String mostSevereRisk(Finding finding) {
    return finding.risks().stream().min(ReviewOrder::compareRisks).orElse(null);
  }

  /** Known categories by severity, then unknown ones alphabetically, then none (null). */
  public static int compareRisks(@Nullable String a, @Nullable String b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : 1) : -1;
    }
    int rankA = rank(a);
    int rankB = rank(b);
    return rankA != rankB ? Integer.compare(rankA, rankB) : a.compareTo(b);
  }

  private static int rank(String risk) {
    int index = RISK_SEVERITY.indexOf(risk);
    return index < 0 ? RISK_SEVERITY.size() : index;
  }
}
