package dev.vouch.app.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.core.config.NotificationSettings.Notification;
import dev.vouch.core.config.NotificationSettings.RiskLevel;
import dev.vouch.core.config.NotificationSettings.Route;
import dev.vouch.core.config.NotificationSettings.Type;
import dev.vouch.core.model.Finding;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.run.RunStatus;
import dev.vouch.core.run.RunSummary;
import dev.vouch.core.run.SourceOutcome;
import dev.vouch.testkit.TestData;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DigestsTest {
  private static final URI URL = URI.create("http://127.0.0.1/");

  private static Finding finding(String key, Verdict verdict, String system, String... risks) {
    return TestData.finding(key).verdict(verdict).system(system).risks(risks).build();
  }

  private static Optional<Digest> digest(Route route, RunSummary run, List<Finding> findings) {
    return Digests.build(
        Fixtures.notification("n", Type.SLACK, URL, null, route), run, findings, null);
  }

  private static List<String> keys(Digest digest) {
    return digest.items().stream().map(Digest.Item::eventKey).toList();
  }

  private static final List<Finding> MIXED =
      List.of(
          finding("authorized", Verdict.AUTHORIZED, "payments", "iam"),
          finding("excluded", Verdict.EXCLUDED, "payments", "logging"),
          finding("standard", Verdict.STANDARD_CHANGE, "payments"),
          finding("unauthorized-iam", Verdict.UNAUTHORIZED, "payments", "iam"),
          finding("self-approved", Verdict.SELF_APPROVED, "shop"),
          finding("nowhere-data", Verdict.UNAUTHORIZED, null, "data"),
          finding("rewritten", Verdict.HISTORY_REWRITTEN, "shop-code"),
          finding("unreadable", Verdict.UNREADABLE, null));

  @Test
  void byDefaultEveryVerdictThatNeedsReviewGoesAndNothingElse() {
    Digest digest = digest(Route.DEFAULT, Fixtures.run(3), MIXED).orElseThrow();

    assertThat(digest.total()).isEqualTo(5);
    assertThat(digest.counts())
        .containsExactly(
            Map.entry(Verdict.UNAUTHORIZED, 2L),
            Map.entry(Verdict.SELF_APPROVED, 1L),
            Map.entry(Verdict.HISTORY_REWRITTEN, 1L),
            Map.entry(Verdict.UNREADABLE, 1L));
    assertThat(digest.allNeedReview()).isTrue();
    assertThat(digest.incomplete()).isNull();
    assertThat(digest.reportUrl()).isNull();
  }

  @Test
  void aRouteSelectsByVerdictSystemRiskCategoryAndLevel() {
    Route systems =
        new Route(Route.DEFAULT.verdicts(), Set.of("payments", "shop"), Set.of(), null, true);
    assertThat(keys(digest(systems, Fixtures.run(3), MIXED).orElseThrow()))
        .containsExactlyInAnyOrder("unauthorized-iam", "self-approved");

    Route risks =
        new Route(Set.of(Verdict.values()), Set.of(), Set.of("iam", "logging"), null, true);
    assertThat(keys(digest(risks, Fixtures.run(3), MIXED).orElseThrow()))
        .containsExactlyInAnyOrder("authorized", "excluded", "unauthorized-iam");

    Route high = new Route(Route.DEFAULT.verdicts(), Set.of(), Set.of(), RiskLevel.HIGH, true);
    // iam is high; a history rewrite is at least high whatever its categories; data is medium.
    assertThat(keys(digest(high, Fixtures.run(3), MIXED).orElseThrow()))
        .containsExactly("unauthorized-iam", "rewritten");

    Route onlySelf = new Route(Set.of(Verdict.SELF_APPROVED), Set.of(), Set.of(), null, true);
    Digest self = digest(onlySelf, Fixtures.run(3), MIXED).orElseThrow();
    assertThat(keys(self)).containsExactly("self-approved");
  }

  @Test
  void theRiskiestComeFirstThenTheOldest() {
    List<Finding> findings =
        List.of(
            TestData.finding("low-old").occurredAt(TestData.T0).build(),
            TestData.finding("audit").risks("audit").occurredAt(TestData.T0.plusSeconds(9)).build(),
            TestData.finding("logging-late")
                .risks("logging")
                .occurredAt(TestData.T0.plusSeconds(5))
                .build(),
            TestData.finding("logging-early")
                .risks("data", "logging")
                .occurredAt(TestData.T0.plusSeconds(1))
                .build(),
            TestData.finding("network").risks("network").build(),
            TestData.finding("iam").risks("iam").occurredAt(TestData.T0.plusSeconds(3)).build(),
            TestData.finding("backups").risks("backups").build());

    Digest digest = digest(Route.DEFAULT, Fixtures.run(3), findings).orElseThrow();

    assertThat(keys(digest))
        .containsExactly(
            "logging-early", "logging-late", "audit", "iam", "network", "backups", "low-old");
    assertThat(digest.items().get(0).level()).isEqualTo(RiskLevel.CRITICAL);
    assertThat(digest.items().get(6).level()).isEqualTo(RiskLevel.LOW);
  }

  @Test
  void aDigestListsAtMostAHundredFindingsAndCountsThemAll() {
    Digest digest = digest(Route.DEFAULT, Fixtures.run(3), Fixtures.hostile(500)).orElseThrow();

    assertThat(digest.total()).isEqualTo(500);
    assertThat(digest.items()).hasSize(Digest.MAX_ITEMS);
    assertThat(digest.counts().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(500);
    assertThat(digest.items())
        .allSatisfy(
            item -> {
              assertThat(item.actor())
                  .hasSizeLessThanOrEqualTo(Digest.MAX_VALUE)
                  .doesNotContain("\n");
              assertThat(item.action()).hasSizeLessThanOrEqualTo(Digest.MAX_VALUE);
              assertThat(item.why()).hasSizeLessThanOrEqualTo(Digest.MAX_VALUE);
              assertThat(item.eventKey()).hasSizeLessThanOrEqualTo(Digest.MAX_VALUE);
            });
  }

  private static RunSummary incomplete() {
    return TestData.runSummary(4, TestData.DAY)
        .status(RunStatus.INCOMPLETE)
        .changeSource("k8s", "kubernetes-audit", 10)
        .source(
            new SourceOutcome(
                "org-trail",
                "cloudtrail",
                SourceOutcome.Kind.CHANGES,
                SourceOutcome.Coverage.PARTIAL,
                5,
                1,
                "1 file not read to its end",
                null))
        .source(
            new SourceOutcome(
                "change-log",
                "file",
                SourceOutcome.Kind.RECORDS,
                SourceOutcome.Coverage.FAILED,
                0,
                0,
                "",
                "changes.csv: no such file"))
        .gap("kubernetes:prod-eu", LocalDate.parse("2026-10-01"), "no audit event all day")
        .build();
  }

  @Test
  void anIncompleteRunIsAnnouncedWithWhatWasNotSeenEvenWithoutFindings() {
    Digest digest = digest(Route.DEFAULT, incomplete(), List.of()).orElseThrow();

    assertThat(digest.total()).isZero();
    assertThat(digest.status()).isEqualTo(RunStatus.INCOMPLETE);
    assertThat(digest.incomplete().sources())
        .extracting(SourceOutcome::name, SourceOutcome::coverage)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("org-trail", SourceOutcome.Coverage.PARTIAL),
            org.assertj.core.groups.Tuple.tuple("change-log", SourceOutcome.Coverage.FAILED));
    assertThat(digest.incomplete().gaps())
        .singleElement()
        .satisfies(g -> assertThat(g.partition()).isEqualTo("kubernetes:prod-eu"));
    assertThat(new DigestText(Text::plain).headline(digest))
        .isEqualTo("Vouch run 4: INCOMPLETE, not everything was seen");
  }

  @Test
  void nothingIsSentWhenNothingGoesToTheChannel() {
    assertThat(digest(Route.DEFAULT, Fixtures.run(3), List.of())).isEmpty();
    assertThat(
            digest(
                Route.DEFAULT,
                Fixtures.run(3),
                List.of(finding("ok", Verdict.AUTHORIZED, "payments"))))
        .isEmpty();
    Route quiet = new Route(Route.DEFAULT.verdicts(), Set.of(), Set.of(), null, false);
    assertThat(digest(quiet, incomplete(), List.of())).isEmpty();
    // A channel that does not want incomplete runs still gets its findings, without the rest.
    Digest findingsOnly =
        digest(quiet, incomplete(), List.of(finding("u", Verdict.UNAUTHORIZED, "payments")))
            .orElseThrow();
    assertThat(findingsOnly.incomplete()).isNull();
  }

  @Test
  void theReportLinkFollowsThePublicUrl() {
    Notification n = Fixtures.notification("n", Type.SLACK, URL);
    List<Finding> one = List.of(finding("u", Verdict.UNAUTHORIZED, "payments"));
    for (String base :
        List.of("https://vouch.example.com/reports", "https://vouch.example.com/reports/")) {
      assertThat(
              Digests.build(n, Fixtures.run(42), one, URI.create(base)).orElseThrow().reportUrl())
          .isEqualTo(URI.create("https://vouch.example.com/reports/run-42/summary.html"));
    }
  }

  @Test
  void theSampleIsMarkedAsATestAndRendersForEveryTarget() {
    Digest sample = Digests.sample("security", TestData.T0.plus(Duration.ofMinutes(30)), null);

    assertThat(sample.sample()).isTrue();
    // The day before the last whole hour, like a nightly run's window.
    assertThat(sample.window())
        .isEqualTo(new TimeWindow(TestData.T0.minus(Duration.ofDays(1)), TestData.T0));
    assertThat(new DigestText(Text::plain).headline(sample))
        .isEqualTo("Vouch test message: the findings below are examples, not real");
    for (Type type : Type.values()) {
      assertThat(Renderer.of(type).render(sample).shown()).as(type.name()).isEqualTo(2);
    }
  }
}
