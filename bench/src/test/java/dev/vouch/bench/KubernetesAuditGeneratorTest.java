package dev.vouch.bench;

import static dev.vouch.bench.GeneratedDataAssertions.assertCheckerAcceptsTheExpectations;
import static dev.vouch.bench.GeneratedDataAssertions.assertEveryOutputFileExists;
import static dev.vouch.bench.GeneratedDataAssertions.assertRefusesToOverwrite;
import static dev.vouch.bench.GeneratedDataAssertions.assertSameTextFiles;
import static dev.vouch.bench.GeneratedDataAssertions.changeLogRows;
import static dev.vouch.bench.GeneratedDataAssertions.readSummary;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesAuditGeneratorTest {

  private static final int EVENTS = 20_000;
  private static final int MAX_SIZE_MB = 1;
  private static final long MAX_BYTES = 1024L * 1024L;
  private static final Pattern ROTATED =
      Pattern.compile("audit-(\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}\\.\\d{3})\\.log(\\.gz)?");
  private static final DateTimeFormatter BACKUP_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.SSS");
  private static final Pattern MICRO_TIME =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z");
  private static final Set<String> INTERACTIVE = Set.of("exec", "attach", "portforward");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  private static Path out;
  private static List<LogFile> files;
  private static Map<String, String> expected;
  private static Properties summary;

  /** One file of the audit directory, in reading order, parsed. */
  private record LogFile(Path path, boolean gzip, Instant rotatedAt, List<Event> events) {}

  /** One line: the parsed event and its length in bytes. */
  private record Event(JsonNode json, int bytes) {
    String auditId() {
      return json.path("auditID").asText();
    }

    String stage() {
      return json.path("stage").asText();
    }

    Instant stageTime() {
      return Instant.parse(json.path("stageTimestamp").asText());
    }
  }

  @BeforeAll
  static void generate() throws IOException {
    out = dir.resolve("k8s");
    new KubernetesAuditGenerator(KubernetesAuditOptions.parse(args(out))).generate();
    files = readAudit(out.resolve("audit"));
    expected = FindingsChecker.readExpected(out.resolve(DataSetOutput.EXPECTED));
    summary = readSummary(out);
  }

  private static String[] args(Path target) {
    return new String[] {
      "--out",
      target.toString(),
      "--events",
      Integer.toString(EVENTS),
      "--start",
      "2026-10-01T00:00:00Z",
      "--days",
      "30",
      "--seed",
      "7",
      "--change-records",
      "40",
      "--max-size-mb",
      Integer.toString(MAX_SIZE_MB)
    };
  }

  @Test
  void writesEveryOutputFile() {
    assertEveryOutputFileExists(out, "audit");
    assertThat(summary.getProperty("params"))
        .isEqualTo(
            "events=20000 start=2026-10-01T00:00:00Z days=30 seed=7 change-records=40"
                + " max-size-mb=1");
  }

  @Test
  void auditDirectoryIsRotatedLikeLumberjack() throws IOException {
    assertThat(files.size()).isGreaterThan(KubernetesAuditGenerator.KEEP_UNCOMPRESSED + 2);
    LogFile live = files.get(files.size() - 1);
    assertThat(live.path().getFileName().toString()).isEqualTo("audit.log");
    List<LogFile> rotated = files.subList(0, files.size() - 1);
    for (int i = 0; i < rotated.size(); i++) {
      LogFile f = rotated.get(i);
      boolean newest = i >= rotated.size() - KubernetesAuditGenerator.KEEP_UNCOMPRESSED;
      assertThat(f.gzip()).as(f.path() + " compressed").isEqualTo(!newest);
      if (f.gzip()) {
        try (InputStream in = Files.newInputStream(f.path())) {
          byte[] magic = in.readNBytes(2);
          assertThat(magic).containsExactly(0x1f, 0x8b);
        }
      }
      long size = f.events().stream().mapToLong(Event::bytes).sum();
      assertThat(size).as(f.path() + " size").isLessThanOrEqualTo(MAX_BYTES);
      // Rotated when the next line would not fit, at the time of that line's event.
      Event next = files.get(i + 1).events().get(0);
      assertThat(size + next.bytes()).isGreaterThan(MAX_BYTES);
      assertThat(next.stageTime().toEpochMilli()).isEqualTo(f.rotatedAt().toEpochMilli());
      Instant newestEvent = f.events().get(f.events().size() - 1).stageTime();
      assertThat(newestEvent).isBeforeOrEqualTo(next.stageTime());
      assertThat(Files.getLastModifiedTime(f.path()).toInstant()).isEqualTo(newestEvent);
    }
    assertThat(Long.parseLong(summary.getProperty("files"))).isEqualTo(files.size());
    assertThat(Long.parseLong(summary.getProperty("files.gz")))
        .isEqualTo(files.stream().filter(LogFile::gzip).count());
  }

  @Test
  void eventsAreInStageOrderAcrossFilesAndWellFormed() {
    Instant previous = Instant.MIN;
    long count = 0;
    Instant from = Instant.parse("2026-10-01T00:00:00Z");
    Instant to = Instant.parse("2026-10-31T00:00:00Z");
    for (LogFile f : files) {
      for (Event e : f.events()) {
        JsonNode j = e.json();
        assertThat(j.path("kind").asText()).isEqualTo("Event");
        assertThat(j.path("apiVersion").asText()).isEqualTo("audit.k8s.io/v1");
        assertThat(j.path("auditID").asText()).matches("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");
        assertThat(j.path("requestReceivedTimestamp").asText()).matches(MICRO_TIME);
        assertThat(j.path("stageTimestamp").asText()).matches(MICRO_TIME);
        assertThat(e.stageTime()).isAfterOrEqualTo(previous).isAfterOrEqualTo(from).isBefore(to);
        previous = e.stageTime();
        count++;
      }
    }
    assertThat(count).isEqualTo(EVENTS);
    assertThat(Long.parseLong(summary.getProperty("events"))).isEqualTo(EVENTS);
  }

  @Test
  void requestsHaveStageDuplicatesAndExactlyOneCompletion() {
    Map<String, List<String>> stages = new HashMap<>();
    Map<String, JsonNode> completion = new HashMap<>();
    for (LogFile f : files) {
      for (Event e : f.events()) {
        stages.computeIfAbsent(e.auditId(), k -> new ArrayList<>()).add(e.stage());
        if (e.stage().equals("ResponseComplete") || e.stage().equals("Panic")) {
          assertThat(completion.put(e.auditId(), e.json())).as("one completion").isNull();
        }
        if (e.stage().equals("RequestReceived")) {
          assertThat(e.json().has("responseStatus")).isFalse();
          assertThat(e.json().has("annotations")).isFalse();
          assertThat(e.json().has("impersonatedUser")).isFalse();
          assertThat(e.json().path("stageTimestamp").asText())
              .isEqualTo(e.json().path("requestReceivedTimestamp").asText());
        }
      }
    }
    assertThat(completion.keySet()).isEqualTo(stages.keySet());
    int twoStages = 0;
    int threeStages = 0;
    for (Map.Entry<String, List<String>> e : stages.entrySet()) {
      List<String> s = e.getValue();
      JsonNode done = completion.get(e.getKey());
      String sub = done.path("objectRef").path("subresource").asText();
      boolean longRunning =
          done.path("verb").asText().equals("watch")
              || (INTERACTIVE.contains(sub)
                  && done.path("responseStatus").path("code").asInt() == 101)
              || (sub.equals("log") && done.path("requestURI").asText().contains("follow=true"));
      assertThat(s.contains("ResponseStarted")).as(e.getKey() + " " + s).isEqualTo(longRunning);
      assertThat(s.get(s.size() - 1)).isIn("ResponseComplete", "Panic");
      if (s.size() == 2) {
        twoStages++;
      } else if (s.size() == 3) {
        threeStages++;
        assertThat(s).containsExactly("RequestReceived", "ResponseStarted", "ResponseComplete");
      }
      // Control-plane traffic omits RequestReceived, everyone else's is logged.
      boolean system = KubernetesRules.excludedUser(done.path("user").path("username").asText());
      assertThat(s.contains("RequestReceived")).as(e.getKey()).isEqualTo(!system);
    }
    assertThat(twoStages).isPositive();
    assertThat(threeStages).isPositive();
    assertThat(Long.parseLong(summary.getProperty("requests"))).isEqualTo(stages.size());
    assertThat(Long.parseLong(summary.getProperty("stage.RequestReceived")))
        .isEqualTo(stages.values().stream().filter(s -> s.contains("RequestReceived")).count());
  }

  @Test
  void countsPerClassMatchTheSummary() {
    Map<String, Long> classes = new TreeMap<>();
    Set<String> changes = new HashSet<>();
    for (LogFile f : files) {
      for (Event e : f.events()) {
        if (!e.stage().equals("ResponseComplete") && !e.stage().equals("Panic")) {
          continue;
        }
        String c = classify(e.json());
        classes.merge(c, 1L, Long::sum);
        if (c.equals("CHANGE")) {
          changes.add(e.auditId());
        }
      }
    }
    for (String c : List.of("CHANGE", "READ_ONLY", "FAILED", "OTHER")) {
      assertThat(classes.getOrDefault(c, 0L))
          .as(c)
          .isEqualTo(Long.parseLong(summary.getProperty("class." + c)))
          .isPositive();
    }
    assertThat(expected.keySet()).isEqualTo(changes);
    long readOnly = classes.get("READ_ONLY");
    long requests = Long.parseLong(summary.getProperty("requests"));
    assertThat(readOnly * 100 / requests).as("mostly reads").isBetween(75L, 88L);
  }

  @Test
  void eachExpectedChangeAppearsExactlyOnceAtResponseCompleteWithTheRightVerdictSource() {
    Map<String, Integer> completions = new HashMap<>();
    Map<String, JsonNode> events = new HashMap<>();
    for (LogFile f : files) {
      for (Event e : f.events()) {
        if (e.stage().equals("ResponseComplete") && expected.containsKey(e.auditId())) {
          completions.merge(e.auditId(), 1, Integer::sum);
          events.put(e.auditId(), e.json());
        }
      }
    }
    assertThat(completions).hasSize(expected.size());
    assertThat(completions.values()).containsOnly(1);
    int getExec = 0;
    int impersonated = 0;
    for (Map.Entry<String, String> x : expected.entrySet()) {
      JsonNode e = events.get(x.getKey());
      boolean impersonatedRequest = e.has("impersonatedUser");
      String user =
          (impersonatedRequest ? e.path("impersonatedUser") : e.path("user"))
              .path("username")
              .asText();
      String rule =
          KubernetesRules.ruleVerdict(
              user,
              impersonatedRequest,
              e.path("objectRef").path("resource").asText(),
              e.path("objectRef").path("apiGroup").asText());
      if (rule != null) {
        assertThat(x.getValue()).as(x.getKey()).isEqualTo(rule);
      } else {
        assertThat(x.getValue()).isNotIn("EXCLUDED", "STANDARD_CHANGE");
      }
      if (e.path("verb").asText().equals("get")) {
        assertThat(e.path("objectRef").path("subresource").asText()).isIn(INTERACTIVE);
        getExec++;
      }
      if (impersonatedRequest) {
        impersonated++;
      }
    }
    assertThat(getExec).as("WebSocket exec/attach/port-forward").isPositive();
    assertThat(impersonated).isPositive();
    assertThat(Set.copyOf(expected.values()))
        .as("every verdict is exercised")
        .containsExactlyInAnyOrderElementsOf(KubernetesAuditGenerator.VERDICTS);
    for (String v : KubernetesAuditGenerator.VERDICTS) {
      assertThat(Long.parseLong(summary.getProperty("verdict." + v)))
          .as(v)
          .isEqualTo(expected.values().stream().filter(v::equals).count());
    }
  }

  @Test
  void changeIdsAppearOnlyInChangeIdAnnotationsAndNameRealRecords() throws IOException {
    Set<String> records = new HashSet<>();
    for (List<String> row : changeLogRows(out, 40)) {
      records.add(row.get(0));
    }
    Pattern chg = Pattern.compile("CHG\\d{5,}");
    Pattern jira = Pattern.compile("[A-Z][A-Z0-9]{1,9}-\\d+");
    int referencing = 0;
    for (LogFile f : files) {
      for (Event e : f.events()) {
        String text = e.json().toString();
        String id =
            e.json()
                .path("requestObject")
                .path("metadata")
                .path("annotations")
                .path("change-id")
                .asText(null);
        if (id != null) {
          assertThat(records).contains(id);
          text = text.replace("\"change-id\":\"" + id + "\"", "");
          if (e.stage().equals("ResponseComplete")) {
            referencing++;
          }
        }
        assertThat(chg.matcher(text).find()).as(text).isFalse();
        assertThat(jira.matcher(text).find()).as(text).isFalse();
      }
    }
    assertThat(referencing)
        .isPositive()
        .isEqualTo(Integer.parseInt(summary.getProperty("changes.explicitReference")));
  }

  @Test
  void configurationMapsEveryPersonAndTheArgoCdRule() throws IOException {
    String yaml = Files.readString(out.resolve("vouch.yaml"));
    assertThat(yaml)
        .contains("store: {type: sqlite, path: ./vouch-data/vouch.db}")
        .contains("kubernetes: {clusters: [prod-eu]}")
        .contains("{type: kubernetes-audit, name: prod-eu-audit, cluster: prod-eu, path: ./audit}")
        .contains("{type: file, name: change-log, path: ./changes.csv}")
        .contains("aliases: [\"oidc:alice@example.com\", \"alice@example.com\"]")
        .contains(
            "aliases: [\"bob\", \"arn:aws:sts::111111111111:assumed-role/eks-admins/bob\","
                + " \"bob@example.com\"]")
        .contains("aliases: [\"kubernetes-admin\", \"oidc:carol@example.com\"")
        .contains("id: bench.argocd")
        .contains("action: standard-change")
        .contains(
            "when: {k8s.user.username:"
                + " \"system:serviceaccount:argocd:argocd-application-controller\"}");
    for (KubernetesCatalog.Person p : KubernetesCatalog.PEOPLE) {
      assertThat(yaml).contains("  - person: " + p.id() + "\n");
    }
  }

  @Test
  void changeLogRowsAreWellFormed() throws IOException {
    Set<String> people = new HashSet<>();
    KubernetesCatalog.PEOPLE.forEach(p -> people.add(p.id()));
    for (List<String> row : changeLogRows(out, 40)) {
      assertThat(row.get(0)).matches("CHG00\\d{5}");
      assertThat(row.get(4)).isEqualTo("prod-eu");
      for (String implementer : row.get(7).split(";")) {
        assertThat(people).contains(implementer);
      }
    }
  }

  @Test
  void checkerAcceptsTheExpectationsKeyedByAuditId() throws IOException {
    assertCheckerAcceptsTheExpectations(
        out, expected, dir.resolve("self-findings.json"), "eventKey", "kubernetes-audit:");
  }

  @Test
  void sameSeedGivesIdenticalOutput() throws IOException {
    Path again = dir.resolve("again");
    new KubernetesAuditGenerator(KubernetesAuditOptions.parse(args(again))).generate();
    assertSameTextFiles(again, out);
    assertThat(digests(again.resolve("audit"))).isEqualTo(digests(out.resolve("audit")));
  }

  @Test
  void refusesToOverwriteGeneratedData() {
    assertRefusesToOverwrite(
        () -> new KubernetesAuditGenerator(KubernetesAuditOptions.parse(args(out))).generate());
  }

  // --------------------------------------------------------------------------------- helpers

  /** Questions to the API server, created and never stored: read-only. */
  private static final Set<String> REVIEWS =
      Set.of(
          "authentication.k8s.io/tokenreviews",
          "authentication.k8s.io/selfsubjectreviews",
          "authorization.k8s.io/subjectaccessreviews",
          "authorization.k8s.io/localsubjectaccessreviews",
          "authorization.k8s.io/selfsubjectaccessreviews",
          "authorization.k8s.io/selfsubjectrulesreviews");

  /** The class of a request from its completion event, implemented apart from the generator. */
  private static String classify(JsonNode e) {
    int code = e.path("responseStatus").path("code").asInt();
    String verb = e.path("verb").asText();
    String sub = e.path("objectRef").path("subresource").asText();
    if (code >= 400) {
      return "FAILED";
    }
    if (e.path("requestURI").asText().matches(".*[?&]dryRun=All(&.*)?")) {
      return "OTHER";
    }
    if (!e.has("objectRef")) {
      return "READ_ONLY";
    }
    String review =
        e.path("objectRef").path("apiGroup").asText()
            + "/"
            + e.path("objectRef").path("resource").asText();
    if (verb.equals("create") && sub.isEmpty() && REVIEWS.contains(review)) {
      return "READ_ONLY";
    }
    if (Set.of("create", "update", "patch", "delete", "deletecollection").contains(verb)
        || INTERACTIVE.contains(sub)) {
      return "CHANGE";
    }
    return Set.of("get", "list", "watch").contains(verb) ? "READ_ONLY" : "OTHER";
  }

  private static List<LogFile> readAudit(Path audit) throws IOException {
    List<Path> rotated = new ArrayList<>();
    try (Stream<Path> s = Files.list(audit)) {
      for (Path p : s.sorted().toList()) {
        String name = p.getFileName().toString();
        if (name.equals("audit.log")) {
          continue;
        }
        assertThat(name).matches(ROTATED);
        rotated.add(p);
      }
    }
    List<LogFile> result = new ArrayList<>();
    for (Path p : rotated) {
      Matcher m = ROTATED.matcher(p.getFileName().toString());
      assertThat(m.matches()).isTrue();
      Instant at = LocalDateTime.parse(m.group(1), BACKUP_TIME).toInstant(ZoneOffset.UTC);
      result.add(new LogFile(p, m.group(2) != null, at, read(p)));
    }
    Path live = audit.resolve("audit.log");
    assertThat(live).exists();
    result.add(new LogFile(live, false, null, read(live)));
    return result;
  }

  private static List<Event> read(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    if (file.toString().endsWith(".gz")) {
      in = new GZIPInputStream(in);
    }
    List<Event> events = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        events.add(
            new Event(JSON.readTree(line), line.getBytes(StandardCharsets.UTF_8).length + 1));
      }
    }
    return events;
  }

  private static Map<String, String> digests(Path root) throws IOException {
    Map<String, String> result = new TreeMap<>();
    try (Stream<Path> s = Files.list(root)) {
      for (Path p : s.toList()) {
        try {
          MessageDigest d = MessageDigest.getInstance("SHA-256");
          result.put(
              p.getFileName().toString(),
              HexFormat.of().formatHex(d.digest(Files.readAllBytes(p))));
        } catch (NoSuchAlgorithmException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return result;
  }
}
