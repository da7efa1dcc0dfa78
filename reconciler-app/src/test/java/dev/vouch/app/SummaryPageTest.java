package dev.vouch.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.core.catalog.IdentityMap;
import dev.vouch.core.model.Approval;
import dev.vouch.core.model.CandidateEvaluation;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.ChangeRecord;
import dev.vouch.core.model.ChangeType;
import dev.vouch.core.model.ControlCheck;
import dev.vouch.core.model.Finding;
import dev.vouch.core.model.KeyResult;
import dev.vouch.core.model.RecordState;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.model.WindowFit;
import dev.vouch.core.rules.Rule;
import dev.vouch.core.rules.RuleSet;
import dev.vouch.core.store.FindingWriter;
import dev.vouch.core.store.IngestWriter;
import dev.vouch.core.store.Store;
import dev.vouch.store.SqliteStore;
import dev.vouch.testkit.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The changes that need review on summary.html, written by {@link ReportWriter} from a real store:
 * their order (risk, then time), risk badges, changed resources, links, one-line explanations with
 * the gap in numbers, times to the second, and HTML escaping.
 */
class SummaryPageTest {
  private static final TimeWindow WINDOW =
      TestData.window("2026-11-14T00:00:00Z", "2026-11-21T00:00:00Z");
  private static final String CHANGE_LOG = "change-log";
  private static final String PULLS = "shop-pulls";
  private static final IdentityMap IDENTITIES =
      new IdentityMap(Map.of("alice", List.of("alice@example.com"), "bob", List.of()));

  @TempDir Path dir;
  private Store store;
  private long run;
  private final List<ChangeEvent> events = new ArrayList<>();
  private final List<ChangeRecord> changeLog = new ArrayList<>();
  private final List<ChangeRecord> pulls = new ArrayList<>();
  private final List<Finding> findings = new ArrayList<>();

  @BeforeEach
  void openStore() {
    store = SqliteStore.open(dir.resolve("vouch.db"));
    run = store.startRun(WINDOW, WINDOW.end(), TestData.SHA256);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void listsTheChangesThatNeedReviewByRiskThenTimeWithLinksAndExplanations() throws IOException {
    // logging: a trail stopped, no record for the system at all.
    ChangeEvent stop =
        cloudTrail("stop", "2026-11-17T10:00:05.123456789Z", "cloudtrail.amazonaws.com:StopLogging")
            .targets("arn:aws:cloudtrail:eu-west-1:111122223333:trail/main")
            .build();
    review(stop, TestData.finding(stop).system("payments-prod").risks("logging"));

    // iam, earlier: approved 3 h 12 min after the change.
    ChangeEvent createUser =
        cloudTrail("create-user", "2026-11-16T08:00:00Z", "iam.amazonaws.com:CreateUser")
            .targets("arn:aws:iam::111122223333:user/bob")
            .build();
    ChangeRecord chg1 =
        changeLog("CHG1", "2026-11-16T07:30:00Z", "2026-11-16T09:00:00Z")
            .approvals(new Approval("bob", true, Instant.parse("2026-11-16T11:12:00Z")))
            .url("https://changes.example.com/CHG1")
            .build();
    review(
        createUser,
        TestData.finding(createUser)
            .system("payments-prod")
            .risks("iam")
            .verdict(Verdict.APPROVED_AFTER_CHANGE)
            .recordId("CHG1")
            .candidates(covering(chg1, Verdict.APPROVED_AFTER_CHANGE, "approval-before-change")));

    // iam too (its most severe category), later; its action and resource try to inject markup.
    ChangeEvent injected =
        cloudTrail("injected", "2026-11-17T09:00:00Z", "iam:<script>alert(\"x\")</script>")
            .targets("\"><img src=x onerror=alert(1)>")
            .build();
    review(injected, TestData.finding(injected).system("payments-prod").risks("zz-custom", "iam"));

    // network: 2 h 05 min after the window closed; the record's url is not a web address.
    ChangeEvent ingress =
        cloudTrail(
                "ingress",
                "2026-11-15T15:05:00Z",
                "ec2.amazonaws.com:AuthorizeSecurityGroupIngress")
            .targets("sg-0123456789abcdef0")
            .build();
    ChangeRecord chg2 =
        changeLog("CHG2", "2026-11-15T12:00:00Z", "2026-11-15T13:00:00Z")
            .approvals(new Approval("bob", true, Instant.parse("2026-11-14T09:00:00Z")))
            .url("javascript:alert(1)")
            .build();
    review(
        ingress,
        TestData.finding(ingress)
            .system("payments-prod")
            .risks("network")
            .verdict(Verdict.OUTSIDE_WINDOW)
            .recordId("CHG2")
            .candidates(
                candidate(chg2, WindowFit.NEAR, Duration.ofMinutes(125), Verdict.OUTSIDE_WINDOW)));

    // rbac, after the AWS categories: an emergency record approved 3 days after the change.
    ChangeEvent role =
        TestData.event("prod-eu:audit-1")
            .source("prod-eu-audit")
            .sourceType("kubernetes-audit")
            .coordinates("kubernetes", "prod-eu", "shop")
            .at("2026-11-14T06:00:00Z")
            .action("create rbac.authorization.k8s.io/v1/roles shop/deployer")
            .targets("rbac.authorization.k8s.io/v1/roles shop/deployer")
            .build();
    ChangeRecord chg3 =
        changeLog("CHG3", "2026-11-14T05:00:00Z", "2026-11-14T07:00:00Z")
            .type(ChangeType.EMERGENCY)
            .approvals(new Approval("bob", true, Instant.parse("2026-11-17T08:30:00Z")))
            .build();
    review(
        role,
        TestData.finding(role)
            .system("payments-prod")
            .risks("rbac")
            .verdict(Verdict.EMERGENCY_UNDOCUMENTED)
            .recordId("CHG3")
            .candidates(covering(chg3, Verdict.EMERGENCY_UNDOCUMENTED, "emergency-documented")));

    // No category: a squash commit whose pull request alice approved herself.
    ChangeEvent squash =
        commit("1111111", "2026-11-14T09:30:00Z")
            .attribute("git.pullRequest", "acme/shop#7")
            .build();
    ChangeRecord pr7 =
        pullRequest("acme/shop#7", RecordState.CLOSED)
            .approvals(
                new Approval("alice@example.com", true, Instant.parse("2026-11-14T09:00:00Z")))
            .build();
    review(
        squash,
        TestData.finding(squash)
            .system("shop-code")
            .verdict(Verdict.SELF_APPROVED)
            .recordId("acme/shop#7")
            .candidates(covering(pr7, Verdict.SELF_APPROVED, "segregation-of-duties")));

    // No category, later: a commit whose pull request was rejected.
    ChangeEvent direct =
        commit("2222222", "2026-11-18T12:00:00Z")
            .attribute("git.pullRequest", "acme/shop#8")
            .build();
    ChangeRecord pr8 = pullRequest("acme/shop#8", RecordState.REJECTED).unapproved().build();
    review(
        direct,
        TestData.finding(direct)
            .system("shop-code")
            .candidates(candidate(pr8, WindowFit.INSIDE, Duration.ZERO, Verdict.UNAUTHORIZED)));

    // Authorized: not listed.
    ChangeEvent fine =
        cloudTrail("fine", "2026-11-16T12:00:00Z", "iam.amazonaws.com:TagUser").build();
    review(
        fine,
        TestData.finding(fine)
            .system("payments-prod")
            .risks("logging")
            .verdict(Verdict.AUTHORIZED)
            .recordId("CHG1"));

    String page = writeReports();
    List<String> rows = reviewRows(page);

    assertThat(rows).hasSize(7);
    assertThat(rows.get(0))
        .contains("<span class=\"risk t1\">logging</span>")
        .contains("2026-11-17 10:00:05Z")
        .contains("arn:aws:cloudtrail:eu-west-1:111122223333:trail/main")
        .contains("aws:111122223333/eu-west-1")
        .contains("<code>stop</code>")
        .contains("No approved record for payments-prod at this time");
    assertThat(rows.get(1))
        .contains("<span class=\"risk t1\">iam</span>")
        .contains("2026-11-16 08:00:00Z")
        .contains("arn:aws:iam::111122223333:user/bob")
        .contains(
            "<a href=\"https://changes.example.com/CHG1\" rel=\"noopener noreferrer\">CHG1</a>")
        .contains("CHG1 was approved 3 h 12 min after the change");
    assertThat(rows.get(2))
        .contains("<span class=\"risk t1\">iam</span><span class=\"risk\">zz-custom</span>")
        .contains("iam:&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;")
        .contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    assertThat(rows.get(3))
        .contains("<span class=\"risk t2\">network</span>")
        .contains("sg-0123456789abcdef0")
        .contains(
            "Made 2 h 05 min after the window of CHG2 closed"
                + " (2026-11-15 12:00:00Z to 2026-11-15 13:00:00Z)")
        .contains("<td>CHG2</td>")
        .doesNotContain("javascript:");
    assertThat(rows.get(4))
        .contains("<span class=\"risk t3\">rbac</span>")
        .contains("rbac.authorization.k8s.io/v1/roles shop/deployer")
        .contains("kubernetes:prod-eu/shop")
        .contains("<code>prod-eu:audit-1</code>")
        .contains(
            "Emergency record CHG3 was approved 3 d 2 h 30 min after the change, later than its"
                + " documentation deadline");
    assertThat(rows.get(5))
        .doesNotContain("class=\"risk")
        .contains("2026-11-14 09:30:00Z")
        .contains("git:acme/shop/main")
        .contains(
            "<a href=\"https://github.com/acme/shop/pull/7\" rel=\"noopener noreferrer\">"
                + "acme/shop#7</a>")
        .contains("Approved only by alice@example.com, who made the change");
    assertThat(rows.get(6))
        .contains("2026-11-18 12:00:00Z")
        .contains("No approved record for shop-code covers this change: acme/shop#8 was rejected")
        .contains(
            "pull request</span> <a href=\"https://github.com/acme/shop/pull/8\""
                + " rel=\"noopener noreferrer\">acme/shop#8</a>");
    assertThat(page).doesNotContain("<script").doesNotContain("<img").doesNotContain("TagUser");
    // Every time to the second, none in ISO-8601 form with fractions.
    assertThat(page).doesNotContainPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:");
    assertThat(page).doesNotContain("10:00:05.123");
  }

  @Test
  void whenMoreNeedReviewThanAreListedTheMostSevereAreKept() throws IOException {
    for (int i = 0; i < ReportWriter.HTML_FINDINGS_LISTED + 5; i++) {
      ChangeEvent quiet =
          cloudTrail("quiet-" + i, "2026-11-15T00:00:00Z", "ec2.amazonaws.com:CreateTags")
              .at(Instant.parse("2026-11-15T00:00:00Z").plusSeconds(i))
              .build();
      review(quiet, TestData.finding(quiet).system("payments-prod"));
    }
    ChangeEvent last =
        cloudTrail("last", "2026-11-20T23:00:00Z", "cloudtrail.amazonaws.com:DeleteTrail").build();
    review(last, TestData.finding(last).system("payments-prod").risks("logging"));

    String page = writeReports();
    List<String> rows = reviewRows(page);

    assertThat(rows).hasSize(ReportWriter.HTML_FINDINGS_LISTED);
    assertThat(rows.get(0)).contains("DeleteTrail");
    assertThat(rows.get(1)).contains("<code>quiet-0</code>");
    assertThat(page).contains("The 200 most severe of 206 are listed");
  }

  @Test
  void everyRiskCategoryOfTheBuiltInRulesHasItsPlaceInTheReviewOrder() {
    List<String> builtIn =
        RuleSet.load(List.of()).rules().stream().map(Rule::risk).filter(Objects::nonNull).toList();

    assertThat(builtIn).isNotEmpty();
    assertThat(ReviewOrder.RISK_SEVERITY).containsAll(builtIn);
  }

  @Test
  void gapsAreToTheSecondUnderAnHourAndToTheMinuteBeyond() {
    assertThat(Explanation.gap(Duration.ofSeconds(40))).isEqualTo("40 s");
    assertThat(Explanation.gap(Duration.ofSeconds(62))).isEqualTo("1 min 2 s");
    assertThat(Explanation.gap(Duration.ofMinutes(25))).isEqualTo("25 min");
    assertThat(Explanation.gap(Duration.ofMinutes(125).plusSeconds(59))).isEqualTo("2 h 05 min");
    assertThat(Explanation.gap(Duration.ofHours(102).plusMinutes(40))).isEqualTo("4 d 6 h 40 min");
    assertThat(Explanation.gap(Duration.ofMinutes(-90))).isEqualTo("1 h 30 min");
  }

  // ----------------------------------------------------------------------------------- helpers

  private static TestData.EventBuilder cloudTrail(String id, String at, String action) {
    return TestData.event(id).at(at).action(action);
  }

  private static TestData.EventBuilder commit(String sha, String at) {
    return TestData.event(sha)
        .source("shop-repo")
        .sourceType("git")
        .coordinates("git", "acme/shop", "main")
        .at(at)
        .action("squash acme/shop:main " + sha + " Rotate the signing key")
        .actor("alice <alice@example.com>", "alice@example.com")
        .person("alice")
        .targets(sha);
  }

  private TestData.RecordBuilder changeLog(String key, String start, String end) {
    return TestData.record(key)
        .source(CHANGE_LOG)
        .systems("payments-prod")
        .window(start, end)
        .implementers("alice");
  }

  private TestData.RecordBuilder pullRequest(String key, RecordState state) {
    return TestData.record(key)
        .source(PULLS)
        .systems("shop-code")
        .state(state)
        .window("2026-11-14T08:00:00Z", "2026-11-18T13:00:00Z")
        .implementers("alice")
        .url("https://github.com/acme/shop/pull/" + key.substring(key.indexOf('#') + 1));
  }

  /** A record that covers the change, with the failed control check that decided the verdict. */
  private CandidateEvaluation covering(ChangeRecord record, Verdict outcome, String failedCheck) {
    keep(record);
    return new CandidateEvaluation(
        record.key(),
        record.source(),
        record.state(),
        KeyResult.MATCH,
        WindowFit.INSIDE,
        Duration.ZERO,
        KeyResult.MATCH,
        false,
        List.of(new ControlCheck(failedCheck, false, "as the matcher words it")),
        outcome);
  }

  private CandidateEvaluation candidate(
      ChangeRecord record, WindowFit fit, Duration outsideBy, Verdict outcome) {
    keep(record);
    return new CandidateEvaluation(
        record.key(),
        record.source(),
        record.state(),
        KeyResult.MATCH,
        fit,
        outsideBy,
        KeyResult.MATCH,
        false,
        List.of(),
        outcome);
  }

  private void keep(ChangeRecord record) {
    (record.source().equals(PULLS) ? pulls : changeLog).add(record);
  }

  /** A change and its finding, to be stored by {@link #writeReports}. */
  private void review(ChangeEvent event, TestData.FindingBuilder finding) {
    events.add(event);
    findings.add(finding.build());
  }

  /** Stores the events, records and findings, finishes the run and returns its summary.html. */
  private String writeReports() throws IOException {
    for (String source : events.stream().map(ChangeEvent::source).distinct().toList()) {
      try (IngestWriter writer = store.ingest(run, source)) {
        for (ChangeEvent event : events) {
          if (event.source().equals(source)) {
            writer.write(event, null);
          }
        }
        writer.commit(null);
      }
    }
    store.saveRecords(run, CHANGE_LOG, changeLog);
    store.saveRecords(run, PULLS, pulls);
    long needReview = 0;
    try (FindingWriter writer = store.findingWriter(run)) {
      for (Finding finding : findings) {
        writer.write(finding);
        needReview += finding.verdict().needsReview() ? 1 : 0;
      }
    }
    var summary = TestData.runSummary(run, WINDOW).build();
    store.finishRun(summary, List.of());
    Path out = dir.resolve("out");
    new ReportWriter(store, IDENTITIES).write(summary, out);
    assertThat(needReview).isPositive();
    return Files.readString(out.resolve("summary.html"));
  }

  /** The rows of the table of changes that need review, header left out. */
  private static List<String> reviewRows(String page) {
    int start = page.indexOf("<h2>Changes that need review</h2>");
    int end = page.indexOf("</table>", start);
    List<String> rows = new ArrayList<>();
    Matcher row = Pattern.compile("<tr><td>(.*?)</tr>").matcher(page.substring(start, end));
    while (row.find()) {
      rows.add(row.group(1));
    }
    return rows;
  }
}
