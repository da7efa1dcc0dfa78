package dev.vouch.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;

/** The command-line parsing both generators share, through their options. */
class OptionReaderTest {

  @Test
  void parsesTheOptionsAndKeepsTheDefaults() {
    GeneratorOptions ct = GeneratorOptions.parse("--out", "d", "--records", "5000", "--seed", "7");
    assertThat(ct)
        .isEqualTo(new GeneratorOptions(Path.of("d"), 5000, YearMonth.of(2026, 10), 7, 300, 5));
    KubernetesAuditOptions k8s =
        KubernetesAuditOptions.parse(
            "--days", "7", "--out", "k", "--start", "2025-01-01T00:00:00Z");
    assertThat(k8s)
        .isEqualTo(
            new KubernetesAuditOptions(
                Path.of("k"), 1_000_000, Instant.parse("2025-01-01T00:00:00Z"), 7, 42, 200, 50));
    assertThat(k8s.describe())
        .isEqualTo(
            "events=1000000 start=2025-01-01T00:00:00Z days=7 seed=42 change-records=200"
                + " max-size-mb=50");
  }

  @Test
  void reportsTheFirstProblemInArgumentOrder() {
    assertError("help requested", "--records", "5000", "--help");
    assertError("help requested", "-h");
    assertError("--seed needs a value", "--out", "d", "--seed");
    assertError("bad value for --records: many", "--records", "many", "--bogus", "1");
    assertError("bad value for --month: 2026-13", "--month", "2026-13", "--out", "d");
    assertError("unknown option --bogus", "--bogus", "1", "--records", "many");
    assertError("--out is required", "--records", "5000");
    assertError("--records must be at least 1000, was 999", "--out", "d", "--records", "999");
    assertError(
        "--change-records must be at least 1, was 0", "--out", "d", "--change-records", "0");
    assertThatThrownBy(() -> KubernetesAuditOptions.parse("--out", "k", "--events", "9999"))
        .hasMessage("--events must be at least 10000, was 9999");
    assertThatThrownBy(() -> KubernetesAuditOptions.parse("--out", "k", "--start", "yesterday"))
        .hasMessage("bad value for --start: yesterday");
    assertThatThrownBy(() -> KubernetesAuditOptions.parse("--out", "k", "--max-size-mb", "0"))
        .hasMessage("--max-size-mb must be at least 1, was 0");
  }

  private static void assertError(String message, String... args) {
    assertThatThrownBy(() -> GeneratorOptions.parse(args))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
