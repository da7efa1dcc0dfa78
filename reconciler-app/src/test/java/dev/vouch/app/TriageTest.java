package dev.vouch.app;

import static dev.vouch.app.Workbench.PAYMENTS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.core.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vouch findings resolve} and {@code findings show} end to end: one run leaves an
 * UNAUTHORIZED change (alice, no record) and an AUTHORIZED one (priya, within CHG1), then people
 * triage the first through the command line.
 */
class TriageTest {
  private static final Instant NOW = Instant.parse("2026-11-19T02:00:00Z");
  private static final Instant MADE = Instant.parse("2026-11-17T10:30:00Z");
  private static final Instant FINE = Instant.parse("2026-11-17T10:00:00Z");

  @TempDir Path dir;
  private Workbench bench;
  private String made;
  private String fine;

  @BeforeEach
  void runOnce() throws IOException {
    bench = new Workbench(dir, NOW);
    bench.changeLog(
        "CHG1,Create report user,normal,approved,payments-prod,2026-11-17T09:00:00Z,"
            + "2026-11-17T11:00:00Z,priya,alice,2026-11-16T12:00:00Z\n");
    bench.background(LocalDate.of(2026, 11, 17), LocalDate.of(2026, 11, 18));
    bench.deliver(PAYMENTS, MADE.plusSeconds(300), Workbench.change("made", MADE));
    bench.deliver(
        PAYMENTS,
        FINE.plusSeconds(300),
        Workbench.record(
            "fine", PAYMENTS, FINE, "iam.amazonaws.com", "CreateUser", false, "priya"));
    Workbench.Result run = bench.vouch("run", "--from", "2026-11-17", "--to", "2026-11-19");
    assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCodes.FINDINGS);
    for (JsonNode finding : listJson()) {
      String key = finding.get("eventKey").asText();
      if (key.endsWith(":made")) {
        made = key;
        assertThat(finding.get("verdict").asText()).isEqualTo("UNAUTHORIZED");
      } else if (key.endsWith(":fine")) {
        fine = key;
        assertThat(finding.get("verdict").asText()).isEqualTo("AUTHORIZED");
      }
    }
    assertThat(made).isNotNull();
    assertThat(fine).isNotNull();
  }

  private Workbench.Result findings(String subcommand, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = VouchCli.commandLine(bench.clock);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    List<String> all =
        new ArrayList<>(List.of("findings", subcommand, "--config", bench.config().toString()));
    all.addAll(List.of(args));
    int code = cli.execute(all.toArray(String[]::new));
    return new Workbench.Result(code, out.toString(), err.toString());
  }

  private List<JsonNode> listJson(String... options) throws IOException {
    List<String> args = new ArrayList<>(List.of(options));
    args.add("--json");
    Workbench.Result result = findings("list", args.toArray(String[]::new));
    assertThat(result.exitCode()).as(result.err()).isZero();
    List<JsonNode> list = new ArrayList<>();
    Json.mapper().readTree(result.out()).forEach(list::add);
    return list;
  }

  private Workbench.Result resolve(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    return findings("resolve", all.toArray(String[]::new));
  }

  @Test
  void resolveThenShowGivesTheHistoryAndALaterActionFollowsTheFirst() throws IOException {
    Workbench.Result first =
        resolve(
            made,
            "--as",
            "incident",
            "--reason",
            "nobody asked for this user",
            "--by",
            "PRIYA",
            "--ticket",
            "INC-7");
    assertThat(first.exitCode()).as(first.all()).isZero();
    assertThat(first.out())
        .contains("Recorded triage action 1: " + made + " (UNAUTHORIZED in run 1) is incident")
        .contains("ticket INC-7, decided by priya at " + NOW);

    bench.clock.set(NOW.plus(Duration.ofHours(2)));
    Workbench.Result second =
        resolve(
            made,
            "--as",
            "retro-approved",
            "--reason",
            "CHG1 covered it; the implementer was wrong on the record",
            "--by",
            "alice",
            "--record",
            "CHG1");
    assertThat(second.exitCode()).as(second.all()).isZero();
    assertThat(second.out())
        .contains("is retro-approved by record CHG1, decided by alice at 2026-11-19T04:00:00Z")
        .contains("It supersedes incident by priya at " + NOW);

    Workbench.Result show = findings("show", made);
    assertThat(show.exitCode()).as(show.all()).isZero();
    assertThat(show.out())
        .contains("Change " + made)
        .contains("source:      org-trail (cloudtrail)")
        .contains("system:      payments-prod")
        .contains("person:      alice")
        .contains("action:      iam.amazonaws.com:CreateUser")
        .contains("run 1 (COMPLETE): UNAUTHORIZED, record -")
        .contains("Status: retro-approved");
    assertThat(show.out().indexOf(NOW + " incident by priya, ticket INC-7"))
        .isPositive()
        .isLessThan(
            show.out().indexOf("2026-11-19T04:00:00Z retro-approved by alice, record CHG1"));
    assertThat(show.out()).contains("reason: nobody asked for this user");

    JsonNode json = Json.mapper().readTree(findings("show", made, "--json", "--raw").out());
    assertThat(json.get("event").get("rawSha256").asText()).hasSize(64);
    assertThat(json.get("event").get("raw").asText()).contains("\"eventID\":\"made\"");
    assertThat(json.get("findings")).hasSize(1);
    assertThat(json.get("findings").get(0).get("runStatus").asText()).isEqualTo("COMPLETE");
    assertThat(json.get("triage"))
        .extracting(a -> a.get("decision").asText() + "/" + a.get("by").asText())
        .containsExactly("incident/priya", "retro-approved/alice");
    assertThat(json.get("triage").get(0).get("ticket").asText()).isEqualTo("INC-7");
    assertThat(json.get("triage").get(1).get("record").asText()).isEqualTo("CHG1");

    JsonNode listed =
        listJson().stream().filter(f -> f.get("eventKey").asText().equals(made)).findFirst().get();
    assertThat(listed.get("triage").get("decision").asText()).isEqualTo("retro-approved");
    assertThat(listed.get("triage").get("by").asText()).isEqualTo("alice");
    assertThat(listed.get("triage").get("at").asText()).isEqualTo("2026-11-19T04:00:00Z");
    Workbench.Result table = findings("list");
    assertThat(table.out().lines().filter(l -> l.endsWith(made)))
        .singleElement()
        .asString()
        .contains(" retro-approved ");
    assertThat(table.out().lines().filter(l -> l.endsWith(fine)))
        .singleElement()
        .asString()
        .contains(" open ");

    // The actions are evidence: verify recomputes their hashes.
    StringWriter out = new StringWriter();
    CommandLine cli = VouchCli.commandLine(bench.clock);
    cli.setOut(new PrintWriter(out, true));
    assertThat(cli.execute("verify", "--config", bench.config().toString())).isZero();
  }

  @Test
  void listOpenLeavesOutAResolvedFindingAndFindingsThatNeedNoReview() throws IOException {
    assertThat(listJson("--open"))
        .extracting(f -> f.get("eventKey").asText())
        .containsExactly(made);
    assertThat(listJson("--open").get(0).get("triage").isNull()).isTrue();

    Workbench.Result resolved =
        resolve(made, "--as", "false-positive", "--reason", "a test user", "--by", "alice");
    assertThat(resolved.exitCode()).as(resolved.all()).isZero();

    assertThat(listJson("--open")).isEmpty();
    assertThat(findings("list", "--open").out()).endsWith("0 finding(s)\n");
    assertThat(listJson("--needs-review"))
        .extracting(f -> f.get("eventKey").asText())
        .containsExactly(made);
    Workbench.Result onlyFine = findings("list", "--open", "--verdict", "AUTHORIZED");
    assertThat(onlyFine.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(onlyFine.err()).contains("--open lists findings that need review");
  }

  @Test
  void eachRuleOfResolveIsAUsageErrorThatSaysWhatWasExpected() {
    assertError(
        resolve("cloudtrail:nope", "--as", "incident", "--reason", "r", "--by", "alice"),
        "no change or finding is stored under the key 'cloudtrail:nope'");
    assertError(
        resolve(fine, "--as", "incident", "--reason", "r", "--by", "alice"),
        "the latest finding on " + fine + " (run 1) is AUTHORIZED, which needs no review");
    assertError(
            resolve(made, "--as", "incident", "--reason", "r", "--by", "prya"),
            "--by 'prya' is not a person of identities in")
        .contains("did you mean priya?");
    assertError(
        resolve(made, "--as", "incident", "--reason", "r", "--by", "zebedee"),
        "its people are: alice, priya");
    assertError(
        resolve(made, "--as", "incident", "--reason", "  ", "--by", "alice"),
        "--reason must say why, and was blank");
    assertError(
        resolve(made, "--as", "retro-approved", "--reason", "r", "--by", "alice"),
        "--as retro-approved needs --record KEY");
    assertError(
        resolve(
            made, "--as", "retro-approved", "--reason", "r", "--by", "alice", "--record", "CHG2"),
        "--record 'CHG2' names no change record the store holds; did you mean CHG1?");
    assertError(
        resolve(made, "--as", "incident", "--reason", "r", "--by", "alice", "--record", "CHG1"),
        "--record goes only with --as retro-approved, not with --as incident");
    assertError(
        resolve(
            made, "--as", "accepted-risk", "--reason", "r", "--by", "alice", "--ticket", "INC-1"),
        "--ticket goes only with --as incident, not with --as accepted-risk");
    assertError(
        resolve(made, "--as", "approved", "--reason", "r", "--by", "alice"),
        "'approved' is not a decision; expected one of retro-approved, false-positive,"
            + " incident, accepted-risk");
    assertError(resolve(made, "--as", "incident", "--by", "alice"), "--reason");

    // Nothing was recorded by any of them.
    assertThat(findings("show", made).out()).contains("Triage, oldest first:\n  (none)\n");
  }

  @Test
  void showOfAnUnknownKeyIsAUsageError() {
    Workbench.Result result = findings("show", "cloudtrail:" + PAYMENTS + ":nope");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("no change or finding is stored under the key");
    assertThat(result.out()).isEmpty();
  }

  private static org.assertj.core.api.AbstractStringAssert<?> assertError(
      Workbench.Result result, String message) {
    assertThat(result.exitCode()).as(result.all()).isEqualTo(ExitCodes.USAGE);
    return assertThat(result.err()).contains(message);
  }
}
