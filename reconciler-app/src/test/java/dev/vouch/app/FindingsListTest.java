package dev.vouch.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.core.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vouch findings list} over the store of one demo run: each filter, the JSON form and the "N
 * of M" line, checked against the run's own findings.json.
 */
class FindingsListTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);

  @TempDir static Path work;
  private static Path config;

  /** The demo run's findings.json objects, by event key. */
  private static Map<String, JsonNode> written;

  record Result(int exitCode, String out, String err) {
    /** The table's data rows (everything between the header and the count line). */
    List<String> rows() {
      List<String> lines = new ArrayList<>(Arrays.asList(out.split("\n")));
      return lines.subList(1, lines.size() - 1);
    }
  }

  @BeforeAll
  static void runTheDemoOnce() throws IOException {
    config = DemoRunTest.copyDemo(work);
    Path out = work.resolve("out");
    Result run =
        vouch(
            "run",
            "--config",
            config.toString(),
            "--from",
            "2026-11-16",
            "--to",
            "2026-11-23",
            "--out",
            out.toString(),
            "--quiet");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.FINDINGS);
    written = new TreeMap<>();
    for (JsonNode finding : Json.mapper().readTree(out.resolve("findings.json").toFile())) {
      written.put(finding.get("eventKey").asText(), finding);
    }
    assertThat(written).hasSize(51);
  }

  private static Result vouch(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = VouchCli.commandLine(CLOCK);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private static Result list(String... options) {
    List<String> args = new ArrayList<>(List.of("findings", "list", "--config", config.toString()));
    args.addAll(List.of(options));
    return vouch(args.toArray(String[]::new));
  }

  private static List<JsonNode> listJson(String... options) throws IOException {
    List<String> args = new ArrayList<>(List.of(options));
    args.add("--json");
    Result result = list(args.toArray(String[]::new));
    assertThat(result.exitCode()).as(result.err()).isZero();
    List<JsonNode> findings = new ArrayList<>();
    Json.mapper().readTree(result.out()).forEach(findings::add);
    return findings;
  }

  private static long writtenWith(String verdict) {
    return written.values().stream().filter(f -> f.get("verdict").asText().equals(verdict)).count();
  }

  @Test
  void severalVerdictsCanBeRepeatedOrSeparatedByCommas() {
    Result repeated = list("--verdict", "self_approved", "--verdict", "OUTSIDE_WINDOW");
    Result commas = list("--verdict", "SELF_APPROVED,outside_window");

    assertThat(repeated.exitCode()).as(repeated.err()).isZero();
    assertThat(repeated.out()).isEqualTo(commas.out());
    long expected = writtenWith("SELF_APPROVED") + writtenWith("OUTSIDE_WINDOW");
    assertThat(expected).isEqualTo(7);
    assertThat(repeated.rows())
        .hasSize(7)
        .allSatisfy(row -> assertThat(row).containsAnyOf(" SELF_APPROVED ", " OUTSIDE_WINDOW "));
    assertThat(repeated.out()).endsWith("7 finding(s)\n");
  }

  @Test
  void needsReviewListsEveryVerdictThatNeedsReview() throws IOException {
    List<JsonNode> findings = listJson("--needs-review");

    // The demo ends with "Complete: 22 change(s) need review."
    assertThat(findings).hasSize(22);
    assertThat(findings)
        .extracting(f -> f.get("verdict").asText())
        .doesNotContain("AUTHORIZED", "STANDARD_CHANGE", "EXCLUDED")
        .contains("UNAUTHORIZED", "UNREADABLE", "CONFLICTING_EVIDENCE");
    List<JsonNode> withExcluded = listJson("--needs-review", "--verdict", "EXCLUDED");
    assertThat(withExcluded).hasSize(22 + (int) writtenWith("EXCLUDED"));
  }

  @Test
  void sinceAndUntilTakeDatesAndOffsetsAndSelectOnTheChangesTime() throws IOException {
    // 2026-11-20T01:00:00+01:00 is midnight UTC: the one UTC day 2026-11-19.
    List<JsonNode> findings =
        listJson("--since", "2026-11-19", "--until", "2026-11-20T01:00:00+01:00");

    Instant since = Instant.parse("2026-11-19T00:00:00Z");
    Instant until = Instant.parse("2026-11-20T00:00:00Z");
    long expected =
        written.values().stream()
            .map(f -> Instant.parse(f.get("occurredAt").asText()))
            .filter(t -> !t.isBefore(since) && t.isBefore(until))
            .count();
    assertThat(expected).isPositive().isLessThan(written.size());
    assertThat(findings).hasSize((int) expected);
    assertThat(findings)
        .extracting(f -> Instant.parse(f.get("occurredAt").asText()))
        .allSatisfy(t -> assertThat(t).isAfterOrEqualTo(since).isBefore(until))
        .isSortedAccordingTo((a, b) -> b.compareTo(a));
  }

  @Test
  void jsonHasTheShapeOfFindingsJson() throws IOException {
    List<JsonNode> findings = listJson("--limit", "100");

    assertThat(findings).hasSize(written.size());
    for (JsonNode finding : findings) {
      // The list adds the change's triage (none yet: null) to the object of findings.json.
      assertThat(finding.get("triage").isNull()).isTrue();
      ((com.fasterxml.jackson.databind.node.ObjectNode) finding).remove("triage");
      assertThat(finding).isEqualTo(written.get(finding.get("eventKey").asText()));
    }
  }

  @Test
  void aLimitThatCutsTheListSaysHowManyMatched() throws IOException {
    Result table = list("--needs-review", "--limit", "5");
    Result json = list("--needs-review", "--limit", "5", "--json");
    Result whole = list("--needs-review", "--limit", "22");

    assertThat(table.rows()).hasSize(5);
    assertThat(table.out()).endsWith("5 of 22 finding(s); raise --limit to list more\n");
    assertThat(Json.mapper().readTree(json.out())).hasSize(5);
    assertThat(json.err()).contains("5 of 22 finding(s)");
    assertThat(whole.out()).endsWith("\n22 finding(s)\n");
  }

  @Test
  void anUnknownSystemIsAUsageErrorNamingTheKnownOnes() {
    Result result = list("--system", "payments");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err())
        .contains("--system 'payments' is not a system of")
        .contains("data-prod, payments-prod, shop-code, shop-k8s");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void aKnownSystemFilters() {
    Result result = list("--system", "shop-code");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.rows()).isNotEmpty().allSatisfy(row -> assertThat(row).contains("shop-code"));
  }

  @Test
  void sinceNotBeforeUntilIsAUsageError() {
    Result result = list("--since", "2026-11-20", "--until", "2026-11-19");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("--since 2026-11-20T00:00:00Z is not before --until");
  }

  @Test
  void aBadTimeOrVerdictIsAUsageError() {
    assertThat(list("--since", "last week").exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(list("--verdict", "AUTHORISED").exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(list("--limit", "0").exitCode()).isEqualTo(ExitCodes.USAGE);
  }
}
