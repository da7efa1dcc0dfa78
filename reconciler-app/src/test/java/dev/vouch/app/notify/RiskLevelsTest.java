package dev.vouch.app.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.app.ReviewOrder;
import dev.vouch.core.config.NotificationSettings.RiskLevel;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.rules.Rule;
import dev.vouch.core.rules.RuleAction;
import dev.vouch.core.rules.RuleSet;
import dev.vouch.testkit.TestData;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RiskLevelsTest {
  @Test
  void everyCategoryTheBuiltInRulesFlagHasADecidedLevel() {
    Set<String> builtIn =
        RuleSet.load(List.of()).rules().stream()
            .filter(r -> r.action() == RuleAction.RISK)
            .map(Rule::risk)
            .collect(Collectors.toSet());

    assertThat(RiskLevels.CATEGORIES.keySet()).isEqualTo(builtIn);
    assertThat(ReviewOrder.RISK_SEVERITY).containsExactlyInAnyOrderElementsOf(builtIn);
  }

  @Test
  void aFindingTakesItsHighestCategoryAndItsVerdictsFloor() {
    assertThat(RiskLevels.of(TestData.finding("a").build())).isEqualTo(RiskLevel.LOW);
    assertThat(RiskLevels.of(TestData.finding("a").risks("data", "iam").build()))
        .isEqualTo(RiskLevel.HIGH);
    assertThat(RiskLevels.of(TestData.finding("a").risks("exec", "audit").build()))
        .isEqualTo(RiskLevel.CRITICAL);
    assertThat(RiskLevels.of(TestData.finding("a").risks("dns").build()))
        .as("a category only a configured rule flags")
        .isEqualTo(RiskLevel.MEDIUM);
    assertThat(RiskLevels.of(TestData.finding("a").verdict(Verdict.CONFLICTING_EVIDENCE).build()))
        .isEqualTo(RiskLevel.HIGH);
    assertThat(
            RiskLevels.of(
                TestData.finding("a").verdict(Verdict.HISTORY_REWRITTEN).risks("logging").build()))
        .isEqualTo(RiskLevel.CRITICAL);
    assertThat(RiskLevels.of(TestData.finding("a").verdict(Verdict.UNREADABLE).build()))
        .isEqualTo(RiskLevel.MEDIUM);
  }
}
