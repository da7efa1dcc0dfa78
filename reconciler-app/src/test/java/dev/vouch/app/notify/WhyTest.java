package dev.vouch.app.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.core.catalog.IdentityMap;
import dev.vouch.core.match.MatchPolicy;
import dev.vouch.core.match.Matcher;
import dev.vouch.core.match.RecordIndex;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.ChangeRecord;
import dev.vouch.core.model.ChangeType;
import dev.vouch.core.model.Finding;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.rules.RuleSet;
import dev.vouch.testkit.TestData;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The few words a digest gives for each verdict, from findings the real matcher made, so a change
 * to the matcher's checks that these words depend on shows here.
 */
class WhyTest {
  private static final IdentityMap PEOPLE =
      new IdentityMap(Map.of("alice", List.of("alice"), "carol", List.of("carol")));

  private static Finding match(ChangeEvent event, String system, ChangeRecord... records) {
    MatchPolicy policy = MatchPolicy.defaults();
    Matcher matcher =
        new Matcher(
            policy, new RecordIndex(List.of(records), policy), PEOPLE, RuleSet.load(List.of()));
    ChangeEvent resolved = event.withActor(event.actor().withPerson("alice"));
    return matcher.evaluate(resolved, system);
  }

  private static ChangeEvent change(Instant at) {
    return TestData.event("e1").at(at).build();
  }

  @Test
  void unauthorizedSaysForWhichSystemAndWhen() {
    Finding none = match(change(Instant.parse("2026-10-01T02:14:09Z")), "payments");
    assertThat(none.verdict()).isEqualTo(Verdict.UNAUTHORIZED);
    assertThat(Why.of(none)).isEqualTo("no approved record for payments at 02:14Z");

    ChangeRecord draft =
        TestData.record("CHG9").state(dev.vouch.core.model.RecordState.DRAFT).build();
    Finding considered = match(change(TestData.T0), "payments", draft);
    assertThat(Why.of(considered))
        .isEqualTo("no approved record for payments at 12:00Z covers it (1 considered)");

    Finding nowhere = match(change(TestData.T0), null);
    assertThat(Why.of(nowhere)).isEqualTo("on no configured system, so no record can cover it");
  }

  @Test
  void approvedAfterTheChangeSaysHowLongAfter() {
    ChangeRecord late =
        TestData.record("CHG1")
            .unapproved()
            .approvedBy("carol", TestData.T0.plus(Duration.ofHours(3)).plus(Duration.ofMinutes(5)))
            .build();
    Finding finding = match(change(TestData.T0), "payments", late);

    assertThat(finding.verdict()).isEqualTo(Verdict.APPROVED_AFTER_CHANGE);
    assertThat(Why.of(finding)).isEqualTo("CHG1 approved 3 h 05 min after the change");
  }

  @Test
  void outsideTheWindowSaysByHowMuch() {
    ChangeRecord earlier =
        TestData.record("CHG7")
            .window(
                new TimeWindow(
                    TestData.T0.minus(Duration.ofHours(5)), TestData.T0.minus(Duration.ofHours(2))))
            .build();
    Finding finding = match(change(TestData.T0), "payments", earlier);

    assertThat(finding.verdict()).isEqualTo(Verdict.OUTSIDE_WINDOW);
    assertThat(Why.of(finding)).isEqualTo("made 2 h 00 min outside the window of CHG7");
  }

  @Test
  void selfApprovedAndEmergencySayWhichRecord() {
    ChangeRecord own =
        TestData.record("CHG2")
            .unapproved()
            .approvedBy("alice", TestData.T0.minusSeconds(60))
            .build();
    Finding self = match(change(TestData.T0), "payments", own);
    assertThat(self.verdict()).isEqualTo(Verdict.SELF_APPROVED);
    assertThat(Why.of(self))
        .isEqualTo("CHG2 has no approver independent of alice and its implementers");

    ChangeRecord emergency =
        TestData.record("CHG3").type(ChangeType.EMERGENCY).unapproved().build();
    Finding undocumented = match(change(TestData.T0), "payments", emergency);
    assertThat(undocumented.verdict()).isEqualTo(Verdict.EMERGENCY_UNDOCUMENTED);
    assertThat(Why.of(undocumented))
        .isEqualTo("emergency record CHG3 not approved within its deadline");
  }

  @Test
  void verdictsThatSayItInTheirSummaryKeepIt() {
    Finding unreadable =
        TestData.finding("cloudtrail:trail/file.json.gz:12")
            .verdict(Verdict.UNREADABLE)
            .summary("file.json.gz:12: record without eventID")
            .build();
    assertThat(Why.of(unreadable)).isEqualTo("file.json.gz:12: record without eventID");
  }
}
