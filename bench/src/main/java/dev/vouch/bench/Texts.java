package dev.vouch.bench;

import dev.vouch.bench.Catalog.Theme;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Free text for generated change records. Some titles hold commas and double quotes and some
 * back-out plans span lines, as exported change logs do, so the CSV needs proper quoting.
 */
final class Texts {

  private static final Map<Theme, List<String>> TITLES =
      Map.of(
          Theme.NETWORK,
          List.of(
              "Open TCP 443 from partner CIDR on %s ALB security group",
              "Tighten egress rules for %s, remove 0.0.0.0/0",
              "New security group for %s \"blue\" environment"),
          Theme.COMPUTE,
          List.of(
              "Replace %s worker fleet with m7g instances",
              "Patch and restart %s bastion hosts", "Scale out %s batch nodes, 4 -> 8"),
          Theme.IAM,
          List.of(
              "Create deploy role for %s pipeline",
              "Attach read-only policy to %s auditors role",
              "Rotate trust policy of %s cross-account role"),
          Theme.STORAGE,
          List.of(
              "Enforce TLS-only bucket policy on %s buckets",
              "Enable default encryption (SSE-KMS) on %s exports",
              "Enable versioning on %s artefact bucket"),
          Theme.FUNCTIONS,
          List.of(
              "Deploy %s API v2.14.0",
              "Hotfix: %s webhook retries, timeout 30s -> 60s",
              "Raise %s worker memory to 1024 MB"),
          Theme.DATABASE,
          List.of(
              "Scale %s primary db.r6g.large -> db.r6g.xlarge",
              "Apply parameter group \"%s-pg16\" (max_connections=800)",
              "Pre-upgrade snapshot of %s databases"),
          Theme.DNS,
          List.of("Cut over %s endpoints to the new ALB", "Add CAA and TXT records for %s domains"),
          Theme.CONFIG,
          List.of(
              "Raise %s log retention to 400 days",
              "Rotate %s API keys in Secrets Manager",
              "Update %s feature flags in Parameter Store"));

  private static final Map<Theme, List<String>> BACKOUT =
      Map.of(
          Theme.NETWORK,
          List.of(
              "1. Restore the previous rules from Terraform state\n2. Check ALB health, then close",
              "Revoke the new rule; no dependency on it yet"),
          Theme.COMPUTE,
          List.of(
              "Roll the Auto Scaling group back to the previous launch template",
              "Start the stopped instances again, \"as was\""),
          Theme.IAM,
          List.of(
              "Detach the policy and delete the role",
              "Re-apply the previous trust policy (saved in the ticket)"),
          Theme.STORAGE,
          List.of(
              "Put back the previous bucket policy, saved as policy-before.json",
              "Suspend versioning; existing objects unaffected"),
          Theme.FUNCTIONS,
          List.of(
              "Point the live alias at the previous version",
              "1. Re-deploy previous artefact\n2. Replay failed webhooks from the DLQ"),
          Theme.DATABASE,
          List.of(
              "Restore from the snapshot taken before the change",
              "Modify back to the previous instance class, apply immediately"),
          Theme.DNS,
          List.of("Restore the previous record set (TTL 60 s)"),
          Theme.CONFIG,
          List.of(
              "Restore previous parameter versions", "Keep old keys valid for 24 h, then revoke"));

  static String title(Theme theme, String prefix, SplittableRandom rng) {
    return String.format(Catalog.pick(TITLES.get(theme), rng), prefix);
  }

  static String backoutPlan(Theme theme, SplittableRandom rng) {
    return rng.nextDouble() < 0.05 ? "" : Catalog.pick(BACKOUT.get(theme), rng);
  }

  static String testEvidence(SplittableRandom rng) {
    double u = rng.nextDouble();
    if (u < 0.6) {
      return "https://ci.example.com/runs/" + (100_000 + rng.nextInt(900_000));
    }
    return u < 0.85 ? "Verified in staging, see runbook" : "";
  }

  private Texts() {}
}
