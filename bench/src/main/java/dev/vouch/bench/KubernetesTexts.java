package dev.vouch.bench;

import dev.vouch.bench.Catalog.Theme;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Free text for the change records of the Kubernetes benchmark. Like {@link Texts}, some titles
 * hold commas and double quotes and some back-out plans span lines, so the CSV needs quoting.
 */
final class KubernetesTexts {

  private static final Map<Theme, List<String>> TITLES =
      Map.of(
          Theme.COMPUTE,
          List.of(
              "Roll out new images in %s, restart pods",
              "Scale %s workloads for the month-end peak, 4 -> 8 replicas",
              "Debug pod in %s for \"connection reset\" incident"),
          Theme.CONFIG,
          List.of(
              "Rotate credentials in %s secrets",
              "Update feature flags in %s config maps", "Raise timeouts in %s config, 30s -> 60s"),
          Theme.IAM,
          List.of(
              "Grant on-call edit rights in %s",
              "Tighten RBAC: remove \"secrets\" from %s roles",
              "Set admission webhook failurePolicy for %s, Ignore -> Fail"),
          Theme.NETWORK,
          List.of(
              "Default-deny network policy for %s",
              "Move %s ingress to the new certificate, TLS 1.3 only",
              "Expose %s service on port 8443"),
          Theme.FUNCTIONS,
          List.of(
              "Suspend %s cron jobs during the migration",
              "Re-run failed nightly job in %s", "Change %s job schedule, 02:00 -> 03:30 UTC"),
          Theme.STORAGE,
          List.of(
              "Resize %s volume claims, 100Gi -> 200Gi", "Remove orphaned volume claims in %s"));

  private static final Map<Theme, List<String>> BACKOUT =
      Map.of(
          Theme.COMPUTE,
          List.of(
              "kubectl rollout undo to the previous revision",
              "1. Scale back to the previous replica count\n2. Watch error rate for 15 min"),
          Theme.CONFIG,
          List.of(
              "Re-apply the previous manifest from git (tag \"before\")",
              "Keep the old credentials valid for 24 h, then revoke"),
          Theme.IAM,
          List.of(
              "Delete the new binding; nothing depends on it yet",
              "1. Re-apply the previous ClusterRole\n2. Verify with kubectl auth can-i"),
          Theme.NETWORK,
          List.of(
              "Delete the network policy", "Point the ingress back at the previous certificate"),
          Theme.FUNCTIONS,
          List.of("Resume the cron jobs", "Restore the previous schedule from git"),
          Theme.STORAGE,
          List.of(
              "Volume expansion cannot be undone; restore from the snapshot taken before",
              "Recreate the claim from the snapshot"));

  static String title(Theme theme, String scope, SplittableRandom rng) {
    return String.format(KubernetesCatalog.pick(TITLES.get(theme), rng), scope);
  }

  static String backoutPlan(Theme theme, SplittableRandom rng) {
    return rng.nextDouble() < 0.05 ? "" : KubernetesCatalog.pick(BACKOUT.get(theme), rng);
  }

  private KubernetesTexts() {}
}
