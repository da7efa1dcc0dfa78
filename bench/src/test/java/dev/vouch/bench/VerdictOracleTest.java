package dev.vouch.bench;

import static dev.vouch.bench.VerdictOracle.HOUR;
import static dev.vouch.bench.VerdictOracle.MINUTE;
import static dev.vouch.bench.VerdictOracle.NOMINAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.bench.ChangeRecordRow.Scenario;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictOracleTest {

  private static final long START = 1_000_000;
  private static final long END = START + 2 * HOUR;

  private static ChangeRecordRow record(
      String id, String type, String state, List<String> approvers, Long approvedAt) {
    return record(id, type, state, approvers, approvedAt, START, END);
  }

  private static ChangeRecordRow record(
      String id,
      String type,
      String state,
      List<String> approvers,
      Long approvedAt,
      long start,
      long end) {
    return new ChangeRecordRow(
        id,
        Scenario.AUTHORIZED,
        Catalog.Theme.NETWORK,
        "t",
        type,
        state,
        List.of("payments-prod"),
        start,
        end,
        List.of("alice", "bob"),
        approvers,
        approvedAt,
        "alice",
        "low",
        "",
        "",
        end,
        0);
  }

  private static ExpectedVerdict verdict(String person, long t, ChangeRecordRow... records) {
    return VerdictOracle.verdict(person, "payments-prod", t, List.of(records), NOMINAL);
  }

  @Test
  void graceEdgesAreInclusive() {
    ChangeRecordRow r = record("C1", "normal", "approved", List.of("carol"), START - HOUR);
    assertThat(verdict("alice", START - 30 * MINUTE, r)).isEqualTo(ExpectedVerdict.AUTHORIZED);
    assertThat(verdict("alice", END + 30 * MINUTE, r)).isEqualTo(ExpectedVerdict.AUTHORIZED);
    assertThat(verdict("alice", END + 30 * MINUTE + 1, r))
        .isEqualTo(ExpectedVerdict.OUTSIDE_WINDOW);
  }

  @Test
  void anApprovalByAnyOfTheRecordsImplementersIsNotIndependent() {
    ChangeRecordRow r = record("C1", "normal", "closed", List.of("alice"), START - HOUR);
    assertThat(verdict("alice", START, r)).isEqualTo(ExpectedVerdict.SELF_APPROVED);
    // alice carries out the change with bob: her approval is not independent of his change.
    assertThat(verdict("bob", START, r)).isEqualTo(ExpectedVerdict.SELF_APPROVED);
    ChangeRecordRow outsider = record("C3", "normal", "closed", List.of("carol"), START - HOUR);
    assertThat(verdict("bob", START, outsider)).isEqualTo(ExpectedVerdict.AUTHORIZED);
    ChangeRecordRow co = record("C2", "normal", "closed", List.of("alice", "carol"), START - HOUR);
    assertThat(verdict("alice", START, co)).isEqualTo(ExpectedVerdict.AUTHORIZED);
  }

  @Test
  void approvalAfterTheChangeIsFlaggedForNormalRecords() {
    ChangeRecordRow r = record("C1", "standard", "implemented", List.of("carol"), START + HOUR);
    assertThat(verdict("alice", START + HOUR - 1, r))
        .isEqualTo(ExpectedVerdict.APPROVED_AFTER_CHANGE);
    assertThat(verdict("alice", START + HOUR, r)).isEqualTo(ExpectedVerdict.AUTHORIZED);
  }

  @Test
  void emergencyRecordsHaveSeventyTwoHoursToBeApproved() {
    ChangeRecordRow late =
        record("C1", "emergency", "closed", List.of("carol"), START + 72 * HOUR + 1);
    assertThat(verdict("alice", START, late)).isEqualTo(ExpectedVerdict.EMERGENCY_UNDOCUMENTED);
    ChangeRecordRow inTime =
        record("C2", "emergency", "closed", List.of("carol"), START + 72 * HOUR);
    assertThat(verdict("alice", START, inTime)).isEqualTo(ExpectedVerdict.AUTHORIZED);
    ChangeRecordRow never = record("C3", "emergency", "implemented", List.of(), null);
    assertThat(verdict("alice", START, never)).isEqualTo(ExpectedVerdict.EMERGENCY_UNDOCUMENTED);
  }

  @Test
  void rejectedRecordsCoverNothingAndOthersAreUnauthorized() {
    ChangeRecordRow r = record("C1", "normal", "rejected", List.of(), null);
    assertThat(verdict("alice", START, r)).isEqualTo(ExpectedVerdict.UNAUTHORIZED);
    ChangeRecordRow ok = record("C2", "normal", "approved", List.of("carol"), START - HOUR);
    assertThat(verdict("dave", START, ok)).isEqualTo(ExpectedVerdict.UNAUTHORIZED);
    assertThat(VerdictOracle.verdict("alice", "data-prod", START, List.of(ok), NOMINAL))
        .isEqualTo(ExpectedVerdict.UNAUTHORIZED);
    assertThat(VerdictOracle.verdict((String) null, "payments-prod", START, List.of(ok), NOMINAL))
        .isEqualTo(ExpectedVerdict.UNAUTHORIZED);
    assertThat(VerdictOracle.verdict("alice", null, START, List.of(ok), NOMINAL))
        .isEqualTo(ExpectedVerdict.UNAUTHORIZED);
  }

  @Test
  void aChangeMadeThroughImpersonationIsImplementedByBothPeople() {
    // alice impersonates bob: bob's record covers it, and neither may be its only approver.
    ChangeRecordRow bobs = record("C1", "normal", "approved", List.of("carol"), START - HOUR);
    assertThat(
            VerdictOracle.verdict(
                java.util.Set.of("alice", "bob"), "payments-prod", START, List.of(bobs), NOMINAL))
        .isEqualTo(ExpectedVerdict.AUTHORIZED);
    // bob's own record approved by alice: independent for bob alone, not when alice made it too.
    ChangeRecordRow approvedByAlice =
        new ChangeRecordRow(
            "C2",
            Scenario.AUTHORIZED,
            Catalog.Theme.NETWORK,
            "t",
            "normal",
            "approved",
            List.of("payments-prod"),
            START,
            END,
            List.of("bob"),
            List.of("alice"),
            START - HOUR,
            "bob",
            "low",
            "",
            "",
            END,
            0);
    assertThat(
            VerdictOracle.verdict("bob", "payments-prod", START, List.of(approvedByAlice), NOMINAL))
        .isEqualTo(ExpectedVerdict.AUTHORIZED);
    assertThat(
            VerdictOracle.verdict(
                java.util.Set.of("alice", "bob"),
                "payments-prod",
                START,
                List.of(approvedByAlice),
                NOMINAL))
        .isEqualTo(ExpectedVerdict.SELF_APPROVED);
  }

  @Test
  void proximityIsTwentyFourHoursFromTheWindow() {
    ChangeRecordRow r = record("C1", "normal", "approved", List.of("carol"), START - HOUR);
    assertThat(verdict("alice", START - 24 * HOUR, r)).isEqualTo(ExpectedVerdict.OUTSIDE_WINDOW);
    assertThat(verdict("alice", START - 24 * HOUR - 1, r)).isEqualTo(ExpectedVerdict.UNAUTHORIZED);
    assertThat(verdict("alice", END + 24 * HOUR, r)).isEqualTo(ExpectedVerdict.OUTSIDE_WINDOW);
  }

  @Test
  void twoCoveringRecordsAreAConstructionError() {
    ChangeRecordRow a = record("C1", "normal", "approved", List.of("carol"), START - HOUR);
    ChangeRecordRow b = record("C2", "normal", "approved", List.of("carol"), START - HOUR);
    assertThatThrownBy(() -> verdict("alice", START, a, b))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("C1")
        .hasMessageContaining("C2");
  }
}
