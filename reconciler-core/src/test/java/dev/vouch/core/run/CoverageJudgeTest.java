package dev.vouch.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.core.catalog.SystemDefinition;
import dev.vouch.core.config.CoveragePolicy;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.store.PartitionDay;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CoverageJudgeTest {
  private static final LocalDate D16 = LocalDate.of(2026, 11, 16);
  private static final LocalDate D17 = LocalDate.of(2026, 11, 17);
  private static final TimeWindow TWO_DAYS =
      new TimeWindow(Instant.parse("2026-11-16T00:00:00Z"), Instant.parse("2026-11-18T00:00:00Z"));

  private static SystemDefinition aws(String name, String account, String... regions) {
    return new SystemDefinition(
        name, List.of(new SystemDefinition.Scope("aws", Set.of(account), Set.of(regions))));
  }

  private static CoverageJudge.SourceReading trail(
      Map<String, Map<LocalDate, Long>> counts, SourceOutcome.Coverage coverage) {
    return new CoverageJudge.SourceReading(
        "org-trail", "aws", coverage, false, Set.of(), counts, 1);
  }

  private static CoverageJudge.Judgement judge(
      List<SystemDefinition> systems,
      CoveragePolicy policy,
      List<CoverageJudge.SourceReading> readings,
      Map<String, LocalDate> seen) {
    return new CoverageJudge(policy, systems).judge(TWO_DAYS, readings, List.of(), seen);
  }

  @Test
  void onlyWholeDaysThatEndByTheWindowsEndAreJudged() {
    assertThat(CoverageJudge.judgedDays(TWO_DAYS)).containsExactly(D16, D17);
    assertThat(
            CoverageJudge.judgedDays(
                new TimeWindow(
                    Instant.parse("2026-11-16T01:00:00Z"), Instant.parse("2026-11-17T01:00:00Z"))))
        .containsExactly(D16);
    assertThat(
            CoverageJudge.judgedDays(
                new TimeWindow(
                    Instant.parse("2026-11-16T01:00:00Z"), Instant.parse("2026-11-16T05:00:00Z"))))
        .isEmpty();
  }

  @Test
  void anAccountNamedByASystemNeedsDataInSomeRegionEveryDay() {
    CoverageJudge.Judgement judgement =
        judge(
            List.of(aws("payments", "111122223333")),
            CoveragePolicy.defaults(),
            List.of(
                trail(
                    Map.of("aws:111122223333/eu-west-1", Map.of(D16, 5L)),
                    SourceOutcome.Coverage.COMPLETE)),
            Map.of());

    assertThat(judgement.gaps())
        .extracting(CoverageGap::partition, CoverageGap::day)
        .contains(
            org.assertj.core.groups.Tuple.tuple("aws:111122223333", D17),
            org.assertj.core.groups.Tuple.tuple("aws:111122223333/eu-west-1", D17))
        .doesNotContain(org.assertj.core.groups.Tuple.tuple("aws:111122223333", D16));
    assertThat(judgement.rows())
        .extracting(PartitionDay::partition, PartitionDay::day, PartitionDay::status)
        .contains(
            org.assertj.core.groups.Tuple.tuple("aws:111122223333/eu-west-1", D16, "COMPLETE"),
            org.assertj.core.groups.Tuple.tuple("aws:111122223333", D17, "GAP"));
  }

  @Test
  void namedRegionsAreEachExpected() {
    CoverageJudge.Judgement judgement =
        judge(
            List.of(aws("payments", "111122223333", "eu-west-1", "us-east-1")),
            CoveragePolicy.defaults(),
            List.of(
                trail(
                    Map.of("aws:111122223333/eu-west-1", Map.of(D16, 5L, D17, 2L)),
                    SourceOutcome.Coverage.COMPLETE)),
            Map.of());

    assertThat(judgement.gaps())
        .extracting(CoverageGap::partition)
        .containsExactly("aws:111122223333/us-east-1", "aws:111122223333/us-east-1");
  }

  @Test
  void aPartitionSeenOnAnEarlierDayIsExpectedFromThatDayOn() {
    CoverageJudge.Judgement judgement =
        judge(
            List.of(),
            CoveragePolicy.defaults(),
            List.of(
                trail(
                    Map.of("aws:999988887777/eu-west-1", Map.of(D16, 1L)),
                    SourceOutcome.Coverage.COMPLETE)),
            Map.of("aws:555566667777/us-east-1", D17));

    assertThat(judgement.gaps())
        .extracting(CoverageGap::partition, CoverageGap::day)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("aws:999988887777/eu-west-1", D17),
            org.assertj.core.groups.Tuple.tuple("aws:555566667777/us-east-1", D17));
  }

  @Test
  void partitionsDeclaredQuietAreNotExpected() {
    CoverageJudge.Judgement judgement =
        judge(
            List.of(
                new SystemDefinition(
                    "archive",
                    List.of(new SystemDefinition.Scope("aws", Set.of("444455556666"), Set.of())),
                    false)),
            new CoveragePolicy(
                List.of("aws:999988887777/*"), Duration.ofDays(31), Duration.ofDays(1)),
            List.of(
                trail(
                    Map.of("aws:111122223333/eu-west-1", Map.of(D16, 1L, D17, 1L)),
                    SourceOutcome.Coverage.COMPLETE)),
            Map.of("aws:999988887777/eu-west-1", D16, "aws:444455556666/us-east-1", D16));

    assertThat(judgement.gaps()).isEmpty();
  }

  @Test
  void dataFromAnEarlierRunCoversTheDay() {
    CoverageJudge judge =
        new CoverageJudge(CoveragePolicy.defaults(), List.of(aws("payments", "111122223333")));

    CoverageJudge.Judgement judgement =
        judge.judge(
            TWO_DAYS,
            List.of(
                trail(
                    Map.of("aws:111122223333/eu-west-1", Map.of(D17, 3L)),
                    SourceOutcome.Coverage.COMPLETE)),
            List.of(
                new PartitionDay("org-trail", "aws:111122223333/eu-west-1", D16, 9, false, "SUM")),
            Map.of());

    assertThat(judgement.gaps()).isEmpty();
  }

  @Test
  void aSourceThatDeliveredNothingIsAGapEvenWhenNoSystemNamesItsPartitions() {
    CoverageJudge.Judgement judgement =
        judge(
            List.of(),
            CoveragePolicy.defaults(),
            List.of(trail(Map.of(), SourceOutcome.Coverage.COMPLETE)),
            Map.of());

    assertThat(judgement.gaps())
        .extracting(CoverageGap::partition, CoverageGap::day)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("source:org-trail", D16),
            org.assertj.core.groups.Tuple.tuple("source:org-trail", D17));
  }

  @Test
  void aSourceDeclaredQuietIsNotASourceGap() {
    CoverageJudge.Judgement judgement =
        judge(
            List.of(),
            CoveragePolicy.defaults(),
            List.of(
                new CoverageJudge.SourceReading(
                    "org-trail",
                    "aws",
                    SourceOutcome.Coverage.COMPLETE,
                    true,
                    Set.of(),
                    Map.of(),
                    0)),
            Map.of());

    assertThat(judgement.gaps()).isEmpty();
  }

  @Test
  void aRepositoryFetchedToItsHeadIsCoveredOnDaysWithoutCommits() {
    SystemDefinition code =
        new SystemDefinition(
            "shop-code", List.of(new SystemDefinition.Scope("git", Set.of("acme/shop"), Set.of())));
    CoverageJudge.Judgement judgement =
        judge(
            List.of(code),
            CoveragePolicy.defaults(),
            List.of(
                new CoverageJudge.SourceReading(
                    "shop-repo",
                    "git",
                    SourceOutcome.Coverage.COMPLETE,
                    false,
                    Set.of("git:acme/shop"),
                    Map.of(),
                    0)),
            Map.of());

    assertThat(judgement.gaps()).isEmpty();
    assertThat(judgement.rows())
        .extracting(PartitionDay::partition, PartitionDay::provenComplete)
        .containsOnly(org.assertj.core.groups.Tuple.tuple("git:acme/shop", true));
  }

  @Test
  void aPlatformNoSourceReadsIsAGapThatSaysSo() {
    SystemDefinition project =
        new SystemDefinition(
            "analytics",
            List.of(new SystemDefinition.Scope("gcp", Set.of("acme-analytics"), Set.of())));

    CoverageJudge.Judgement judgement =
        judge(List.of(project), CoveragePolicy.defaults(), List.of(), Map.of());

    assertThat(judgement.gaps())
        .hasSize(2)
        .allSatisfy(
            gap -> assertThat(gap.reason()).contains("no configured source reads gcp changes"));
  }

  @Test
  void aFailedSourcesPartitionsAreMarkedFailedRatherThanGaps() {
    CoverageJudge.Judgement judgement =
        judge(
            List.of(aws("payments", "111122223333")),
            CoveragePolicy.defaults(),
            List.of(trail(Map.of(), SourceOutcome.Coverage.FAILED)),
            Map.of());

    assertThat(judgement.gaps()).isEmpty();
    assertThat(judgement.rows())
        .extracting(PartitionDay::status)
        .containsExactly("FAILED", "FAILED");
  }
}
