package dev.vouch.core.match;

import static dev.vouch.core.match.Fixtures.at;
import static dev.vouch.core.match.Fixtures.change;
import static dev.vouch.core.match.Fixtures.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.core.catalog.IdentityMap;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.ChangeRecord;
import dev.vouch.core.model.ControlCheck;
import dev.vouch.core.model.Finding;
import dev.vouch.core.model.Seen;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.rules.RuleSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An approval's time is the record's own word. Vouch knows when it first stored the approval and
 * when it first stored the change: an approval it learnt of only after it had the change is not
 * taken on trust, whatever time it claims.
 */
class ApprovalSeenTest {
  private static final IdentityMap PEOPLE =
      new IdentityMap(
          Map.of("alice", List.of("alice@example.com"), "bob", List.of("bob@example.com")));
  private static final ChangeRecord CHG1 = record("CHG1").approvedAt("09:00:00").build();
  private static final ChangeEvent EVENT = resolved(change("e-1", "10:30:00", "alice"));

  private static ChangeEvent resolved(ChangeEvent event) {
    return event.withActor(event.actor().withPerson(PEOPLE.resolve(event.actor()).orElse(null)));
  }

  private static Finding evaluate(Seen approval, Seen event) {
    MatchPolicy policy = MatchPolicy.defaults();
    Matcher matcher =
        new Matcher(
            policy,
            new RecordIndex(List.of(CHG1), policy),
            PEOPLE,
            RuleSet.load(List.of()),
            Map.of(Matcher.recordRef("change-log", "CHG1"), approval));
    return matcher.evaluate(EVENT, "payments-prod", event);
  }

  private static ControlCheck check(Finding finding) {
    return finding.candidates().get(0).checks().stream()
        .filter(c -> c.name().equals(Matcher.APPROVAL_RECORDED))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void anApprovalStoredInALaterRunThanTheChangeIsApprovedAfterTheChange() {
    Finding finding =
        evaluate(new Seen(7, at("2026-11-19T08:00:00Z")), new Seen(5, at("11:00:00")));

    assertThat(finding.verdict()).isEqualTo(Verdict.APPROVED_AFTER_CHANGE);
    assertThat(finding.summary())
        .contains("its approval was recorded after the change")
        .contains("first seen 2026-11-19T08:00:00Z")
        .contains("claims approval at 2026-11-17T09:00:00Z");
    assertThat(check(finding).passed()).isFalse();
  }

  @Test
  void anApprovalStoredBeforeTheChangeHappenedIsTrusted() {
    Finding finding = evaluate(new Seen(2, at("08:00:00")), new Seen(5, at("11:00:00")));

    assertThat(finding.verdict()).isEqualTo(Verdict.AUTHORIZED);
    assertThat(check(finding).passed()).isTrue();
    assertThat(check(finding).detail()).contains("before the change");
  }

  @Test
  void anApprovalFirstSeenInTheSameRunAsTheChangeDecidesNothingButIsShown() {
    // The nightly review reads the day's records after the day's changes: not suspicious alone.
    Finding finding =
        evaluate(new Seen(5, at("2026-11-18T02:00:00Z")), new Seen(5, at("2026-11-18T02:00:00Z")));

    assertThat(finding.verdict()).isEqualTo(Verdict.AUTHORIZED);
    assertThat(check(finding).passed()).isTrue();
    assertThat(check(finding).detail())
        .contains("first seen by Vouch 2026-11-18T02:00:00Z")
        .contains("after the change")
        .contains("the record's own claim");
  }

  @Test
  void withoutProvenanceTheClaimedTimeDecidesAsBefore() {
    MatchPolicy policy = MatchPolicy.defaults();
    Matcher matcher =
        new Matcher(
            policy, new RecordIndex(List.of(CHG1), policy), PEOPLE, RuleSet.load(List.of()));

    assertThat(matcher.evaluate(EVENT, "payments-prod").verdict()).isEqualTo(Verdict.AUTHORIZED);
  }
}
