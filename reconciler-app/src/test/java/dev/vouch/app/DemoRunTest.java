package dev.vouch.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.core.json.Json;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.store.PartitionDay;
import dev.vouch.core.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs the bundled demo end to end through the command line, as a user would. */
class DemoRunTest {
  private static final Path DEMO = Path.of("..", "config", "demo");
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);

  /** Every partition the demo's sources of change read, each expected to deliver every day. */
  private static final Set<String> PARTITIONS =
      Set.of(
          "aws:111122223333/eu-west-1",
          "aws:111122223333/us-east-1",
          "aws:444455556666/eu-west-1",
          "aws:444455556666/us-east-1",
          "aws:999988887777/eu-west-1",
          "kubernetes:minikube");

  /** The file holding the CloudTrail record whose eventID was removed (see NOTICE.md). */
  private static final String UNREADABLE_FILE =
      "444455556666_CloudTrail_us-east-1_20261121T1047Z_UneT1Ixr1U8G1YPk.json.gz";

  /** The eventID delivered twice with different content (see NOTICE.md). */
  private static final String CONFLICTING_EVENT_ID = "bad2a316-b335-5ecc-9c30-2141f2d4b1b1";

  @TempDir Path work;
  private Path config;

  record Result(int exitCode, String out, String err) {}

  @BeforeEach
  void copyDemo() throws IOException {
    config = copyDemo(work);
  }

  /**
   * Copies the repository's config/demo to {@code work}/config/demo, so the demo's store and git
   * mirror ({@code ../../vouch-data}) land in {@code work}; returns its configuration file.
   */
  static Path copyDemo(Path work) throws IOException {
    Path target = work.resolve("config/demo");
    try (Stream<Path> files = Files.walk(DEMO)) {
      for (Path source : (Iterable<Path>) files::iterator) {
        Path destination = target.resolve(DEMO.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(destination);
        } else {
          Files.copy(source, destination, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return target.resolve("vouch.yaml");
  }

  private Result vouch(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = VouchCli.commandLine(CLOCK);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private Result runDemo(Path out) {
    return vouch(
        "run",
        "--config",
        config.toString(),
        "--from",
        "2026-11-16T00:00:00Z",
        "--to",
        "2026-11-23T00:00:00Z",
        "--out",
        out.toString(),
        "--quiet");
  }

  private static Map<String, JsonNode> findingsByEventName(Path out) throws IOException {
    Map<String, JsonNode> byAction = new TreeMap<>();
    for (JsonNode finding : Json.mapper().readTree(out.resolve("findings.json").toFile())) {
      byAction.put(
          finding.get("action").asText() + "@" + finding.get("occurredAt").asText(), finding);
    }
    return byAction;
  }

  @Test
  void theDemoShowsEveryVerdictAndExitsWithFindingsToReview() throws IOException {
    Path out = work.resolve("out");

    Result result = runDemo(out);

    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.FINDINGS);
    Map<String, Integer> verdicts = new TreeMap<>();
    for (JsonNode finding : Json.mapper().readTree(out.resolve("findings.json").toFile())) {
      verdicts.merge(finding.get("verdict").asText(), 1, Integer::sum);
    }
    assertThat(verdicts)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "AUTHORIZED", 9 + 8 + 1,
                "UNAUTHORIZED", 7 + 2 + 1,
                "APPROVED_AFTER_CHANGE", 1 + 1,
                "OUTSIDE_WINDOW", 2 + 1,
                "SELF_APPROVED", 1 + 2 + 1,
                "EMERGENCY_UNDOCUMENTED", 1,
                "STANDARD_CHANGE", 6,
                "EXCLUDED", 1 + 4,
                "UNREADABLE", 1,
                "CONFLICTING_EVIDENCE", 1));
    assertThat(result.out())
        .contains("COMPLETE")
        .doesNotContain("INCOMPLETE")
        .contains("UNAUTHORIZED")
        .contains("need review");
    JsonNode run = Json.mapper().readTree(out.resolve("run.json").toFile());
    assertThat(run.get("status").asText()).isEqualTo("COMPLETE");
    assertThat(out.resolve("findings.csv")).exists();
    assertThat(Files.readString(out.resolve("summary.html")))
        .contains("change(s) need review")
        .contains("changes.csv:10");
  }

  @Test
  void theSummaryListsTheRiskiestChangesFirstAndExplainsEachVerdictInNumbers() throws IOException {
    Path out = work.resolve("out");
    runDemo(out);
    String page = Files.readString(out.resolve("summary.html"));
    String review = page.substring(page.indexOf("<h2>Changes that need review</h2>"));

    // Logging changes first (the flow logs deleted on 2026-11-19 02:20 the earliest of them).
    assertThat(review.indexOf("<span class=\"risk t1\">logging</span>"))
        .isLessThan(review.indexOf("<span class=\"risk t1\">iam</span>"));
    assertThat(review.indexOf("DeleteFlowLogs")).isLessThan(review.indexOf("StopLogging"));
    assertThat(review)
        .contains("2026-11-19 02:20:00Z")
        .contains(
            "Emergency record CHG0001004 was approved 4 d 6 h 40 min after the change, later than"
                + " its documentation deadline")
        .contains("CHG0001002 was approved 25 min after the change")
        .contains(
            "Made 2 h 40 min after the window of CHG0001006 closed"
                + " (2026-11-16 16:00:00Z to 2026-11-16 17:00:00Z)")
        .contains("Approved only by christophe, who made the change")
        .contains("Approved only by sam, who is one of the record&#39;s implementers")
        .contains(
            "No approved record for payments-prod covers this change: CHG0001007 was rejected")
        .contains("No approved record for data-prod at this time")
        .contains("aws:999988887777/eu-west-1 belongs to no configured system")
        .contains("<a href=\"https://changes.example.com/CHG0001002\" rel=\"noopener noreferrer\">")
        .contains("<a href=\"https://github.com/acme/shop/pull/2\" rel=\"noopener noreferrer\">")
        .contains("stratus-red-team-ct-stop-trail-buykxbqejv");
  }

  @Test
  void theDemoCommandExtractsTheDemoFromTheClassPathAndRunsItAsTheLauncherDid() throws IOException {
    Path dir = work.resolve("elsewhere");
    Path out = work.resolve("demo-out");

    Result first = vouch("demo", "--dir", dir.toString(), "--out", out.toString(), "--quiet");

    assertThat(first.exitCode()).as(first.err()).isEqualTo(ExitCodes.FINDINGS);
    assertThat(first.err()).contains("Extracted the bundled demo").contains(dir.toString());
    assertThat(first.out())
        .contains("Vouch run 1: 2026-11-16T00:00:00Z to 2026-11-23T00:00:00Z, COMPLETE")
        .contains("Complete: 22 change(s) need review.");
    assertSameFiles(DEMO, dir.resolve("config/demo"));
    assertThat(dir.resolve("vouch-data/demo.db")).exists();
    assertThat(out.resolve("run.json")).exists();
    assertThat(out.resolve("summary.html")).exists();

    // Run again: the extracted demo is used as it is, and the run adds nothing new.
    Result second = vouch("demo", "--dir", dir.toString(), "--out", out.toString(), "--quiet");

    assertThat(second.exitCode()).isEqualTo(ExitCodes.FINDINGS);
    assertThat(second.err()).doesNotContain("Extracted");
    assertThat(Json.mapper().readTree(out.resolve("run.json").toFile()).get("newEvents").asLong())
        .isZero();
  }

  @Test
  void theDemoIsExtractedFromInsideAJarToo() throws IOException {
    // The demo as the build put it on the class path, packed into a jar of its own.
    Path classes = Path.of("target", "classes");
    Path jar = work.resolve("demo.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(classes.resolve(DemoCommand.RESOURCES))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
        Files.copy(file, out);
        out.closeEntry();
      }
    }
    Path target = work.resolve("from-jar/config/demo");

    int copied;
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      copied = DemoCommand.extract(loader, target);
    }

    assertSameFiles(DEMO, target);
    try (Stream<Path> files = Files.walk(DEMO)) {
      assertThat(copied).isEqualTo(files.filter(Files::isRegularFile).count());
    }
  }

  @Test
  void aDemoDirectoryWithoutItsConfigurationIsNotOverwritten() throws IOException {
    Path dir = work.resolve("half");
    Files.createDirectories(dir.resolve("config/demo/cloudtrail"));

    Result result = vouch("demo", "--dir", dir.toString(), "--quiet");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("holds no vouch.yaml").contains("remove it");
    assertThat(dir.resolve("config/demo/cloudtrail")).isEmptyDirectory();
  }

  /** Every file under {@code expected} is under {@code actual} with the same bytes, and no more. */
  private static void assertSameFiles(Path expected, Path actual) throws IOException {
    List<String> expectedNames;
    try (Stream<Path> files = Files.walk(expected)) {
      expectedNames =
          files
              .filter(Files::isRegularFile)
              .map(f -> expected.relativize(f).toString())
              .sorted()
              .toList();
    }
    try (Stream<Path> files = Files.walk(actual)) {
      assertThat(
              files.filter(Files::isRegularFile).map(f -> actual.relativize(f).toString()).sorted())
          .containsExactlyElementsOf(expectedNames);
    }
    for (String name : expectedNames) {
      assertThat(Files.mismatch(expected.resolve(name), actual.resolve(name)))
          .as(name)
          .isEqualTo(-1);
    }
  }

  @Test
  void eachDemoChangeGetsTheVerdictItsRecordCalls() throws IOException {
    Path out = work.resolve("out");
    runDemo(out);
    Map<String, JsonNode> findings = findingsByEventName(out);

    assertVerdict(
        findings,
        "lambda.amazonaws.com:UpdateFunctionCode20150331v2@2026-11-16T14:05:00Z",
        "APPROVED_AFTER_CHANGE",
        "CHG0001002");
    assertVerdict(
        findings,
        "iam.amazonaws.com:CreateRole@2026-11-16T19:40:00Z",
        "OUTSIDE_WINDOW",
        "CHG0001006");
    assertVerdict(
        findings,
        "rds.amazonaws.com:ModifyDBSnapshotAttribute@2026-11-18T09:12:00Z",
        "SELF_APPROVED",
        "CHG0001003");
    assertVerdict(
        findings,
        "ec2.amazonaws.com:DeleteFlowLogs@2026-11-19T02:20:00Z",
        "EMERGENCY_UNDOCUMENTED",
        "CHG0001004");
    assertVerdict(
        findings, "ssm.amazonaws.com:SendCommand@2026-11-19T06:20:58Z", "AUTHORIZED", "CHG0001005");
    assertVerdict(
        findings,
        "ec2-instance-connect.amazonaws.com:SendSerialConsoleSSHPublicKey@2026-11-17T20:10:00Z",
        "AUTHORIZED",
        "CHG0001008");
    JsonNode unknown =
        findings.get("cloudtrail.amazonaws.com:PutEventSelectors@2026-11-19T15:00:00Z");
    assertThat(unknown.get("verdict").asText()).isEqualTo("UNAUTHORIZED");
    assertThat(unknown.get("system").isNull()).isTrue();
    assertThat(unknown.get("reasons").get("summary").asText()).contains("Unknown system");
    JsonNode rejectedRecord =
        findings.get("cloudtrail.amazonaws.com:DeleteTrail@2026-11-21T23:05:00Z");
    assertThat(rejectedRecord.get("verdict").asText()).isEqualTo("UNAUTHORIZED");
    assertThat(rejectedRecord.get("reasons").get("candidates").get(0).get("state").asText())
        .isEqualTo("REJECTED");
    assertThat(rejectedRecord.get("risks").toString()).contains("logging");
    JsonNode excluded = findings.get("ec2.amazonaws.com:RunInstances@2026-11-18T13:20:00Z");
    assertThat(excluded.get("verdict").asText()).isEqualTo("EXCLUDED");
    assertThat(excluded.get("ruleId").asText()).isEqualTo("builtin.aws.invoked-by.autoscaling");
    // CloudFormation made this call for someone's stack operation, with their credentials: a
    // change like any other, which no record of the change log covers.
    JsonNode stack = findings.get("rds.amazonaws.com:CreateDBInstance@2026-11-18T13:45:00Z");
    assertThat(stack.get("verdict").asText()).isEqualTo("UNAUTHORIZED");
    assertThat(texts(stack.get("reasons").get("evidence")))
        .contains("made through cloudformation.amazonaws.com (userIdentity.invokedBy)")
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith("readOnly absent: AWS gives rds:CreateDBInstance the access"));
    JsonNode standard = findings.get("ssm.amazonaws.com:StartSession@2026-11-17T11:00:27Z");
    assertThat(standard.get("verdict").asText()).isEqualTo("STANDARD_CHANGE");
    assertThat(standard.get("ruleId").asText()).isEqualTo("demo.ssm-maintenance-sessions");
  }

  @Test
  void clusterChangesAreReconciledNextToCloudChanges() throws IOException {
    Path out = work.resolve("out");
    runDemo(out);
    Map<String, JsonNode> byId = findingsByAuditId(out);

    assertCluster(byId, "c5be68f4-80b8-4159-adc4-76ddb195334e", "AUTHORIZED", "CHG0002001");
    assertCluster(byId, "c97244c7-4aec-4714-946a-8204d00ecdca", "OUTSIDE_WINDOW", "CHG0002001");
    assertThat(byId.get("c97244c7-4aec-4714-946a-8204d00ecdca").get("risks").toString())
        .contains("rbac");
    assertCluster(byId, "55a81824-ab56-46c5-8b02-96336f5e78d7", "SELF_APPROVED", "CHG0002002");
    assertCluster(
        byId, "8bb19a30-3d68-4fd7-999e-90a9014afac0", "APPROVED_AFTER_CHANGE", "CHG0002003");
    assertCluster(byId, "e75d04b8-60f8-43b6-9410-d229f4f855e7", "AUTHORIZED", "CHG0002003");
    assertCluster(byId, "452ed910-bbe7-419d-a72d-bcd6e085f5a9", "AUTHORIZED", "CHG0002004");
    assertThat(byId.get("263db4e4-f0bb-41b4-913d-c03815f49be5").get("verdict").asText())
        .isEqualTo("UNAUTHORIZED");
    assertThat(byId.get("841d3e6d-90d2-43df-8da4-684738bee3d5").get("verdict").asText())
        .isEqualTo("UNAUTHORIZED");
    JsonNode controller = byId.get("a362d22b-db3c-4590-9505-23782f12925f");
    assertThat(controller.get("verdict").asText()).isEqualTo("EXCLUDED");
    assertThat(controller.get("ruleId").asText()).startsWith("builtin.k8s.");
    assertThat(controller.get("risks").toString()).contains("privileged-pod");
    assertThat(byId).doesNotContainKey("8ae98948-66b2-4963-9b99-e2b7e2f499f1");
  }

  @Test
  void commitsOnTheProtectedBranchAreTracedToTheirPullRequests() throws IOException {
    Path out = work.resolve("out");
    runDemo(out);
    Map<String, JsonNode> byId = new TreeMap<>();
    for (JsonNode finding : Json.mapper().readTree(out.resolve("findings.json").toFile())) {
      byId.put(finding.get("eventId").asText(), finding);
    }

    JsonNode merge = byId.get("b0960d0934d6dfd16340cb66bbc39d0811ff6559");
    assertThat(merge.get("verdict").asText()).isEqualTo("AUTHORIZED");
    assertThat(merge.get("recordId").asText()).isEqualTo("acme/shop#1");
    assertThat(merge.get("system").asText()).isEqualTo("shop-code");
    assertThat(merge.get("reasons").get("candidates").get(0).get("explicitReference").asBoolean())
        .isTrue();
    JsonNode direct = byId.get("bd973229a30ee9e4e0d110df931a13e21310d981");
    assertThat(direct.get("verdict").asText()).isEqualTo("UNAUTHORIZED");
    assertThat(direct.get("action").asText()).startsWith("direct acme/shop:main");
    JsonNode squash = byId.get("3e3ef5513d9e8ba2b1fadceb298e4ae2a2ce9346");
    assertThat(squash.get("verdict").asText()).isEqualTo("SELF_APPROVED");
    assertThat(squash.get("recordId").asText()).isEqualTo("acme/shop#2");
    assertThat(byId).doesNotContainKey("a6486e12a4385978b7fd9e4953766d47acc1efbf");
  }

  /**
   * The findings of the cluster's changes by the auditID part of their event id ({@code
   * minikube:<auditID>:<hash of the request>}).
   */
  private static Map<String, JsonNode> findingsByAuditId(Path out) throws IOException {
    Map<String, JsonNode> byAuditId = new TreeMap<>();
    for (JsonNode finding : Json.mapper().readTree(out.resolve("findings.json").toFile())) {
      String[] id = finding.get("eventId").asText().split(":");
      if (id.length == 3 && id[0].equals("minikube")) {
        assertThat(byAuditId.put(id[1], finding)).as(id[1]).isNull();
      }
    }
    return byAuditId;
  }

  private static void assertCluster(
      Map<String, JsonNode> byId, String auditId, String verdict, String record) {
    assertThat(byId).containsKey(auditId);
    JsonNode finding = byId.get(auditId);
    assertThat(finding.get("system").asText()).isEqualTo("shop-k8s");
    assertThat(finding.get("person").asText()).isEqualTo("mina");
    assertThat(finding.get("verdict").asText()).as(auditId).isEqualTo(verdict);
    assertThat(finding.get("recordId").asText()).as(auditId).isEqualTo(record);
  }

  private static void assertVerdict(
      Map<String, JsonNode> findings, String key, String verdict, String record) {
    assertThat(findings).containsKey(key);
    assertThat(findings.get(key).get("verdict").asText()).as(key).isEqualTo(verdict);
    assertThat(findings.get(key).get("recordId").asText()).as(key).isEqualTo(record);
  }

  @Test
  void aRecordWithoutEventIdIsAnUnreadableFindingThatSaysWhereItIsAndWhatItSays()
      throws IOException {
    Path out = work.resolve("out");
    runDemo(out);

    List<JsonNode> unreadable = findingsWithVerdict(out, "UNREADABLE");
    assertThat(unreadable).hasSize(1);
    JsonNode finding = unreadable.get(0);
    assertThat(finding.get("source").asText()).isEqualTo("org-trail");
    assertThat(finding.get("eventKey").asText())
        .startsWith("unreadable:org-trail:")
        .endsWith(UNREADABLE_FILE + ":1");
    assertThat(finding.get("reasons").get("summary").asText())
        .contains("iam.amazonaws.com:CreateAccessKey")
        .contains("no eventID")
        .contains("record 5 in the file");
    assertThat(finding.get("action").asText()).isEqualTo("iam.amazonaws.com:CreateAccessKey");
    assertThat(finding.get("actor").asText())
        .isEqualTo("arn:aws:iam::444455556666:user/christophe");
    assertThat(finding.get("occurredAt").asText()).isEqualTo("2026-11-21T10:41:04Z");
    assertThat(finding.get("system").isNull()).isTrue();
    assertThat(texts(finding.get("reasons").get("evidence")))
        .anySatisfy(line -> assertThat(line).startsWith("where: ").endsWith(UNREADABLE_FILE + ":1"))
        .contains(
            "readable eventName: iam.amazonaws.com:CreateAccessKey",
            "readable actor: arn:aws:iam::444455556666:user/christophe",
            "readable time: 2026-11-21T10:41:04Z");
  }

  @Test
  void oneEventIdDeliveredWithTwoContentsIsConflictingEvidenceListingBothCopies()
      throws IOException {
    Path out = work.resolve("out");
    runDemo(out);

    List<JsonNode> conflicting = findingsWithVerdict(out, "CONFLICTING_EVIDENCE");
    assertThat(conflicting).hasSize(1);
    JsonNode finding = conflicting.get(0);
    assertThat(finding.get("eventId").asText()).isEqualTo("444455556666:" + CONFLICTING_EVENT_ID);
    assertThat(finding.get("system").asText()).isEqualTo("data-prod");
    assertThat(finding.get("action").asText())
        .isEqualTo("ec2.amazonaws.com:ModifySnapshotAttribute");
    assertThat(finding.get("reasons").get("summary").asText())
        .contains("2 different records were delivered under one event id");
    List<String> copies = deliveredCopies(CONFLICTING_EVENT_ID);
    assertThat(copies).hasSize(2);
    assertThat(copies.get(0)).isNotEqualTo(copies.get(1));
    List<String> evidence = texts(finding.get("reasons").get("evidence"));
    for (String copy : copies) {
      String sha256 = ChangeEvent.sha256Hex(copy);
      assertThat(evidence).anySatisfy(line -> assertThat(line).startsWith("copy sha256 " + sha256));
    }
    assertThat(evidence)
        .anySatisfy(
            line -> assertThat(line).contains("by arn:aws:iam::444455556666:user/christophe"))
        .anySatisfy(line -> assertThat(line).contains("by arn:aws:iam::444455556666:user/sam"));
  }

  @Test
  void everyPartitionOfTheDemoDeliversDataEveryDayAndTheRunHasNoGaps() throws Exception {
    Path out = work.resolve("out");
    runDemo(out);

    JsonNode run = Json.mapper().readTree(out.resolve("run.json").toFile());
    assertThat(run.get("gaps")).isEmpty();
    LocalDate first = LocalDate.parse("2026-11-16");
    LocalDate last = LocalDate.parse("2026-11-22");
    Map<String, Map<LocalDate, Long>> observed = new TreeMap<>();
    Set<String> provenComplete = new TreeSet<>();
    try (Store store = Workspace.openStore(Workspace.loadConfig(config))) {
      for (PartitionDay row : store.coverage(first, last)) {
        observed
            .computeIfAbsent(row.partition(), p -> new TreeMap<>())
            .merge(row.day(), row.observations(), Long::sum);
        if (row.provenComplete()) {
          provenComplete.add(row.partition());
        }
      }
    }
    assertThat(observed.keySet()).containsAll(PARTITIONS);
    for (String partition : PARTITIONS) {
      for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
        assertThat(observed.get(partition).getOrDefault(day, 0L))
            .as(partition + " on " + day)
            .isPositive();
      }
    }
    // git proves its own coverage by fetching: a day without commits is no gap.
    assertThat(provenComplete).contains("git:acme/shop");
  }

  private static List<JsonNode> findingsWithVerdict(Path out, String verdict) throws IOException {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode finding : Json.mapper().readTree(out.resolve("findings.json").toFile())) {
      if (finding.get("verdict").asText().equals(verdict)) {
        found.add(finding);
      }
    }
    return found;
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }

  /** Every record of the demo's CloudTrail files with this eventID, as compact JSON. */
  private static List<String> deliveredCopies(String eventId) throws IOException {
    List<String> copies = new ArrayList<>();
    try (Stream<Path> files = Files.walk(DEMO.resolve("cloudtrail"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json.gz")).sorted().toList()) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
          for (JsonNode record : Json.mapper().readTree(in).get("Records")) {
            if (eventId.equals(record.path("eventID").asText(null))) {
              copies.add(Json.mapper().writeValueAsString(record));
            }
          }
        }
      }
    }
    return copies;
  }

  @Test
  void aSecondRunOverTheSameWindowAddsNothingAndGivesTheSameResult() throws IOException {
    Result first = runDemo(work.resolve("out1"));
    Result second = runDemo(work.resolve("out2"));

    JsonNode run1 = Json.mapper().readTree(work.resolve("out1/run.json").toFile());
    JsonNode run2 = Json.mapper().readTree(work.resolve("out2/run.json").toFile());
    assertThat(first.exitCode()).isEqualTo(second.exitCode());
    // 29 CloudTrail changes (the conflicting record is one event with two copies), 18 cluster
    // changes and 3 commits.
    assertThat(run1.get("newEvents").asLong()).isEqualTo(29 + 18 + 3);
    assertThat(run2.get("newEvents").asLong()).isZero();
    assertThat(run2.get("resultSha256").asText()).isEqualTo(run1.get("resultSha256").asText());
    assertThat(run2.get("population")).isEqualTo(run1.get("population"));
    assertThat(run2.get("verdicts")).isEqualTo(run1.get("verdicts"));
  }

  @Test
  void aSourceThatCannotBeReadMakesTheRunIncompleteAndSaysSo() throws IOException {
    Files.writeString(
        config, Files.readString(config).replace("path: ./cloudtrail", "path: ./no-such-dir"));

    Result result = runDemo(work.resolve("out"));

    assertThat(result.exitCode()).isEqualTo(ExitCodes.INCOMPLETE);
    assertThat(result.out())
        .contains("INCOMPLETE")
        .contains("org-trail")
        .doesNotContain("Complete:");
    assertThat(result.err()).contains("org-trail").contains("no-such-dir");
    assertThat(Files.readString(work.resolve("out/summary.html"))).contains("INCOMPLETE");
  }

  @Test
  void findingsListReadsTheStoreWithFilters() {
    runDemo(work.resolve("out"));

    Result result =
        vouch("findings", "list", "--config", config.toString(), "--verdict", "self_approved");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out())
        .contains("SELF_APPROVED")
        .contains("CHG0001003")
        .contains("CHG0002002")
        .contains("4 finding(s)");
    assertThat(result.out()).doesNotContain("UNAUTHORIZED");
  }

  @Test
  void findingsListNeedsNoSourceCredentials() throws IOException {
    runDemo(work.resolve("out"));
    Files.writeString(
        config,
        Files.readString(config)
            .replace("fixtures: ./github", "token: env:VOUCH_TEST_TOKEN_THAT_IS_NOT_SET"));

    Result list = vouch("findings", "list", "--config", config.toString(), "--limit", "5");
    Result check = vouch("config", "check", "--config", config.toString());

    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out()).contains("5 of 51 finding(s)");
    assertThat(check.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(check.err()).contains("VOUCH_TEST_TOKEN_THAT_IS_NOT_SET");
  }

  @Test
  void configCheckListsEveryProblemAndExitsWithTheConfigCode() throws IOException {
    Files.writeString(
        config,
        Files.readString(config)
            .replace("graceBefore: 30m", "graceBefore: half an hour")
            .replace("path: ./changes.csv", "path: ./changes.csv\n    colour: blue"));

    Result result = vouch("config", "check", "--config", config.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(result.err())
        .contains("matching.graceBefore: 'half an hour' is not a duration")
        .contains("records[0] (change-log).colour: unknown setting");
  }

  @Test
  void configCheckAcceptsTheDemo() {
    Result result = vouch("config", "check", "--config", config.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("valid");
  }

  @Test
  void badArgumentsAreAUsageError() {
    Result result = vouch("run", "--config", config.toString(), "--from", "yesterday");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("--from");
  }
}
