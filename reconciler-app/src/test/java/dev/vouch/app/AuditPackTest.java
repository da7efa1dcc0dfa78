package dev.vouch.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.core.json.Json;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.Verdict;
import dev.vouch.testkit.MutableClock;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vouch report} and {@code vouch verify-pack} through the command line, on the bundled demo
 * week reconciled once (2026-11-16 to 2026-11-22).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditPackTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);

  private Path work;
  private Path config;
  private Path runOut;

  record Result(int exitCode, String out, String err) {
    String all() {
      return out + err;
    }
  }

  @BeforeAll
  void reconcileTheDemoWeek(@TempDir Path dir) throws IOException {
    work = dir;
    config = DemoRunTest.copyDemo(work);
    runOut = work.resolve("run");
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
            runOut.toString(),
            "--quiet");
    assertThat(run.exitCode()).as(run.all()).isIn(ExitCodes.FINDINGS, ExitCodes.INCOMPLETE);
  }

  private static Result vouch(String... args) {
    return vouchAt(CLOCK, args);
  }

  private static Result vouchAt(Clock clock, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = VouchCli.commandLine(clock);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private Path report(String name, String... extra) {
    Path dir = work.resolve(name);
    List<String> args =
        new ArrayList<>(
            List.of(
                "report",
                "--config",
                config.toString(),
                "--month",
                "2026-11",
                "--out",
                dir.toString()));
    args.addAll(List.of(extra));
    Result result = vouch(args.toArray(String[]::new));
    assertThat(result.exitCode()).as(result.all()).isEqualTo(ExitCodes.OK);
    assertThat(dir.resolve(PackManifest.FILE)).exists();
    return dir;
  }

  private static JsonNode pack(Path dir) throws IOException {
    return Json.mapper().readTree(dir.resolve("pack.json").toFile());
  }

  private static List<String> sampleKeys(Path dir) throws IOException {
    List<String> keys = new ArrayList<>();
    pack(dir).get("sample").get("changes").forEach(c -> keys.add(c.get("eventKey").asText()));
    return keys;
  }

  private static List<CSVRecord> csv(Path file) throws IOException {
    try (CSVParser parser =
        CSVFormat.DEFAULT
            .builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .get()
            .parse(new StringReader(Files.readString(file, StandardCharsets.UTF_8)))) {
      return parser.getRecords();
    }
  }

  @Test
  void theNumbersAreThoseOfTheStoredFindings() throws IOException {
    Path dir = report("numbers");
    JsonNode pack = pack(dir);
    // The run's findings.json holds one finding per change it judged; it is the only run.
    Map<String, Long> expectedGroups = new TreeMap<>();
    long changes = 0;
    long fine = 0;
    for (JsonNode finding : Json.mapper().readTree(runOut.resolve("findings.json").toFile())) {
      String at = finding.path("occurredAt").asText("");
      if (!at.startsWith("2026-11")) {
        continue;
      }
      changes++;
      Verdict verdict = Verdict.valueOf(finding.get("verdict").asText());
      if (verdict.needsReview()) {
        expectedGroups.merge(verdict.name(), 1L, Long::sum);
      } else if (verdict != Verdict.EXCLUDED) {
        fine++;
      }
    }
    long exceptions = expectedGroups.values().stream().mapToLong(Long::longValue).sum();
    assertThat(changes).isGreaterThan(0);
    assertThat(exceptions).isGreaterThan(0);
    JsonNode counts = pack.get("counts");
    assertThat(counts.get("changes").asLong()).isEqualTo(changes);
    assertThat(counts.get("authorizedOrStandard").asLong()).isEqualTo(fine);
    assertThat(counts.get("exceptions").asLong()).isEqualTo(exceptions);
    assertThat(counts.get("resolved").asLong() + counts.get("open").asLong()).isEqualTo(exceptions);
    Map<String, Long> groups = new TreeMap<>();
    pack.get("exceptions")
        .fields()
        .forEachRemaining(e -> groups.put(e.getKey(), (long) e.getValue().size()));
    assertThat(groups).isEqualTo(expectedGroups);
    assertThat(pack.get("reconciliation")).hasSize((int) changes);
    assertThat(csv(dir.resolve("changes.csv"))).hasSize((int) changes);
    assertThat(pack.get("conclusion").asText())
        .contains(changes + " changes, " + fine + " authorized or standard")
        .contains(exceptions + " exceptions: ");
    assertThat(pack.get("period").get("month").asText()).isEqualTo("2026-11");
    // The month has days before and after the demo week: they were not run, and it says so.
    assertThat(pack.get("warnings").toString()).contains("no complete coverage");
    List<String> statuses = new ArrayList<>();
    pack.get("coverage").forEach(d -> statuses.add(d.get("status").asText()));
    assertThat(statuses).contains("complete", "not run");
    assertThat(pack.get("population").size()).isGreaterThan(0);

    JsonNode manifest = Json.mapper().readTree(dir.resolve(PackManifest.FILE).toFile());
    assertThat(manifest.get("month").asText()).isEqualTo("2026-11");
    assertThat(manifest.get("runs")).hasSize(1);
    assertThat(manifest.get("configuration").get("sha256").asText())
        .isEqualTo(PackManifest.sha256(config));
    assertThat(manifest.get("rules").get("sha256").asText()).hasSize(64);
    assertThat(manifest.get("files").get("changes.csv").asText())
        .isEqualTo(PackManifest.sha256(dir.resolve("changes.csv")));
  }

  @Test
  void theHtmlPageSaysWhatPackJsonSaysWithOneCoverageCellPerPartitionDay() throws Exception {
    Path dir = report("html", "--sample", "3");
    JsonNode pack = pack(dir);
    String html = Files.readString(dir.resolve(PackPage.FILE), StandardCharsets.UTF_8);
    String conclusion = pack.get("conclusion").asText();
    assertThat(html).contains("<p class=\"conclusion\" id=\"conclusion\">" + conclusion + "</p>");
    // In the order an auditor reads it: warnings before the conclusion, the sample last.
    assertThat(html.indexOf("class=\"warnings\""))
        .isPositive()
        .isLessThan(html.indexOf(conclusion));
    assertThat(html.indexOf(conclusion))
        .isLessThan(html.indexOf("<h2>Coverage</h2>"))
        .isLessThan(html.indexOf("<h2>Reconciliation</h2>"));
    assertThat(html.indexOf("<h2>Reconciliation</h2>")).isLessThan(html.indexOf("<h2>Sample</h2>"));

    Set<String> partitions = new HashSet<>();
    pack.get("coverage")
        .forEach(c -> partitions.add(c.get("source").asText() + "/" + c.get("partition").asText()));
    assertThat(partitions).isNotEmpty();
    int cells = count(html, "<td class=\"cell s-");
    assertThat(cells).isEqualTo(pack.get("coverage").size()).isEqualTo(partitions.size() * 30);
    // Each cell carries its letter as well as its colour, so the grid reads in black and white.
    for (JsonNode c : pack.get("coverage")) {
      String letter =
          c.get("status").asText().equals("not run")
              ? "N"
              : c.get("status").asText().substring(0, 1).toUpperCase(java.util.Locale.ROOT);
      assertThat(html).contains("s-" + letter + "\" title=\"" + c.get("status").asText());
    }
    assertThat(count(html, "<div class=\"sample-entry\">")).isEqualTo(3);
    // Self-contained: nothing is fetched (the only URL is the SVG namespace, which is a name).
    assertThat(html)
        .doesNotContain("<script")
        .doesNotContain("src=")
        .doesNotContain("href=")
        .doesNotContain("<link")
        .doesNotContain("url(")
        .doesNotContain("@import");
    for (JsonNode item : pack.get("sample").get("changes")) {
      if (!item.get("event").isNull()) {
        assertThat(html)
            .contains("<code>" + item.get("event").get("rawSha256").asText() + "</code>");
      }
    }
    // Both charts are well-formed SVG, the daily one with a bar for each of November's 30 days.
    List<String> svgs = new ArrayList<>();
    for (int at = html.indexOf("<svg"); at >= 0; at = html.indexOf("<svg", at + 1)) {
      svgs.add(html.substring(at, html.indexOf("</svg>", at) + "</svg>".length()));
    }
    assertThat(svgs).hasSize(2);
    assertThat(PackChartsTest.bars(PackChartsTest.parse(svgs.get(0)))).isEqualTo(30);
    PackChartsTest.parse(svgs.get(1));
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void hostileEventFieldsAreEscapedTextInTheHtmlPage() throws IOException {
    String script = "<script>alert(1)</script>";
    String formula = "=HYPERLINK(\"http://x\")";
    ObjectNode pack = (ObjectNode) pack(report("hostile", "--sample", "1"));
    ObjectNode change = (ObjectNode) pack.get("reconciliation").get(0);
    change.put("actor", script);
    change.put("action", formula + script);
    ObjectNode sampled = (ObjectNode) pack.get("sample").get("changes").get(0);
    sampled.put("actor", script);
    ObjectNode event = sampled.putObject("event");
    event.put("raw", "{\"user\":\"" + script + "\"}");
    event.put("rawSha256", "0".repeat(64));
    ((ObjectNode) pack.get("population")).putObject(script).put("DEPLOY", 1);
    String html = PackPage.render(pack);
    assertThat(html).doesNotContain("<script").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    // Quotes need no escaping in element text (jte escapes them inside attributes); what matters
    // is that the formula is text in a cell and the tag is not a tag.
    assertThat(html)
        .contains("<td>=HYPERLINK(\"http://x\")&lt;script&gt;alert(1)&lt;/script&gt;</td>");
  }

  @Test
  void theSampleIsReproducibleAndCarriesItsEvidence() throws IOException {
    List<String> first = sampleKeys(report("seed7a", "--sample", "5", "--seed", "7"));
    List<String> again = sampleKeys(report("seed7b", "--sample", "5", "--seed", "7"));
    List<String> other = sampleKeys(report("seed8", "--sample", "5", "--seed", "8"));
    assertThat(first).hasSize(5).doesNotHaveDuplicates().isEqualTo(again);
    assertThat(other).hasSize(5).isNotEqualTo(first);
    for (JsonNode item : pack(work.resolve("seed7a")).get("sample").get("changes")) {
      JsonNode event = item.get("event");
      if (!event.isNull()) {
        assertThat(event.get("rawSha256").asText())
            .isEqualTo(ChangeEvent.sha256Hex(event.get("raw").asText()));
        assertThat(event.get("key").asText()).isEqualTo(item.get("eventKey").asText());
      }
      if (!item.get("record").isNull()) {
        assertThat(item.get("matchedRecord").get("key").asText())
            .isEqualTo(item.get("record").asText());
      }
    }
  }

  @Test
  void verifyPackNamesEveryFileChangedAddedOrRemoved() throws IOException {
    Path dir = report("verify");
    Result ok = vouch("verify-pack", dir.toString());
    assertThat(ok.exitCode()).as(ok.all()).isEqualTo(ExitCodes.OK);
    assertThat(ok.out().trim()).isEqualTo("OK");

    Path csv = dir.resolve("changes.csv");
    byte[] original = Files.readAllBytes(csv);
    byte[] tampered = original.clone();
    int at = tampered.length / 2;
    tampered[at] = (byte) (tampered[at] == 'x' ? 'y' : 'x');
    Files.write(csv, tampered);
    Result changed = vouch("verify-pack", dir.toString());
    assertThat(changed.exitCode()).isEqualTo(ExitCodes.VERIFY_FAILED);
    assertThat(changed.out()).contains("CHANGED: changes.csv").doesNotContain("pack.json");
    Files.write(csv, original);
    assertThat(vouch("verify-pack", dir.toString()).exitCode()).isEqualTo(ExitCodes.OK);

    Files.writeString(dir.resolve("notes.txt"), "added later\n");
    Result added = vouch("verify-pack", dir.toString());
    assertThat(added.exitCode()).isEqualTo(ExitCodes.VERIFY_FAILED);
    assertThat(added.out()).contains("ADDED: notes.txt");
    Files.delete(dir.resolve("notes.txt"));

    Path page = dir.resolve(PackPage.FILE);
    byte[] html = Files.readAllBytes(page);
    byte[] edited = html.clone();
    edited[html.length - 10] ^= 1;
    Files.write(page, edited);
    Result htmlChanged = vouch("verify-pack", dir.toString());
    assertThat(htmlChanged.exitCode()).isEqualTo(ExitCodes.VERIFY_FAILED);
    assertThat(htmlChanged.out()).contains("CHANGED: pack.html");
    Files.write(page, html);

    Files.delete(dir.resolve("pack.json"));
    Result removed = vouch("verify-pack", dir.toString());
    assertThat(removed.exitCode()).isEqualTo(ExitCodes.VERIFY_FAILED);
    assertThat(removed.out()).contains("REMOVED: pack.json");
  }

  @Test
  void aResolvedFindingShowsAsResolvedInTheNextPack() throws IOException {
    JsonNode before = pack(report("before-resolve"));
    long resolved = before.get("counts").get("resolved").asLong();
    long open = before.get("counts").get("open").asLong();
    String key = null;
    for (JsonNode change : before.get("reconciliation")) {
      if (change.get("triage").asText().equals("open")
          && !change.get("verdict").asText().equals("UNREADABLE")) {
        key = change.get("eventKey").asText();
        break;
      }
    }
    assertThat(key).isNotNull();
    Result resolve =
        vouch(
            "findings",
            "resolve",
            key,
            "--as",
            "false-positive",
            "--reason",
            "a test change of the platform team",
            "--by",
            "priya",
            "--config",
            config.toString());
    assertThat(resolve.exitCode()).as(resolve.all()).isEqualTo(ExitCodes.OK);

    JsonNode after = pack(report("after-resolve"));
    assertThat(after.get("counts").get("resolved").asLong()).isEqualTo(resolved + 1);
    assertThat(after.get("counts").get("open").asLong()).isEqualTo(open - 1);
    assertThat(after.get("conclusion").asText())
        .contains((resolved + 1) + " resolved, " + (open - 1) + " open");
    String resolvedKey = key;
    JsonNode inGroup = null;
    for (JsonNode group : after.get("exceptions")) {
      for (JsonNode e : group) {
        if (e.get("eventKey").asText().equals(resolvedKey)) {
          inGroup = e;
        }
      }
    }
    assertThat(inGroup).isNotNull();
    assertThat(inGroup.get("triage").asText()).isEqualTo("false-positive");
    assertThat(inGroup.get("triageHistory")).hasSize(1);
    assertThat(inGroup.get("triageHistory").get(0).get("by").asText()).isEqualTo("priya");
  }

  @Test
  void aMonthWithoutARunIsAUsageError() {
    Result result =
        vouch(
            "report",
            "--config",
            config.toString(),
            "--month",
            "2026-10",
            "--out",
            work.resolve("october").toString());
    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("no finished run").contains("2026-10");
    assertThat(work.resolve("october")).doesNotExist();
    Result badMonth = vouch("report", "--config", config.toString(), "--month", "November");
    assertThat(badMonth.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badMonth.err()).contains("YYYY-MM");
  }

  @Test
  void aFormulaInAnEventFieldIsWrittenAsTextInChangesCsv(@TempDir Path dir) throws Exception {
    String formula = "=HYPERLINK(\"http://evil.example/\",\"open\")";
    CsvFormulaTest.installationWithACommitBy(dir, formula);
    Clock clock = MutableClock.at("2026-11-19T02:00:00Z");
    String yaml = dir.resolve("vouch.yaml").toString();
    Result run =
        vouchAt(
            clock,
            "run",
            "--config",
            yaml,
            "--from",
            "2026-11-17",
            "--to",
            "2026-11-18",
            "--out",
            dir.resolve("out").toString(),
            "--quiet");
    assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCodes.FINDINGS);
    Path pack = dir.resolve("pack");
    Result report =
        vouchAt(clock, "report", "--config", yaml, "--month", "2026-11", "--out", pack.toString());
    assertThat(report.exitCode()).as(report.all()).isEqualTo(ExitCodes.OK);
    List<CSVRecord> rows = csv(pack.resolve("changes.csv"));
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).get("actor")).startsWith("'=HYPERLINK(");
    for (String cell : rows.get(0).values()) {
      assertThat(cell).doesNotStartWith("=").doesNotStartWith("+").doesNotStartWith("@");
    }
    assertThat(Files.readString(pack.resolve("changes.csv"))).doesNotContain(",=HYPERLINK(");
  }
}
