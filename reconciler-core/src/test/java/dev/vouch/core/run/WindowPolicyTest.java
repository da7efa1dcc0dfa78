package dev.vouch.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.core.config.CoveragePolicy;
import dev.vouch.core.model.TimeWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowPolicyTest {
  private static final Instant NOW = Instant.parse("2026-11-20T02:17:00Z");
  private static final WindowPolicy.Settle HOUR =
      new WindowPolicy.Settle(Duration.ofHours(1), "org-trail");
  private static final WindowPolicy POLICY = new WindowPolicy(CoveragePolicy.defaults());

  private static Instant t(String text) {
    return Instant.parse(text);
  }

  private static TimeWindow w(String from, String to) {
    return new TimeWindow(t(from), t(to));
  }

  @Test
  void aFirstRunCoversTheLookbackUpToTheLastSettledHour() throws Exception {
    WindowPolicy.Decision decision = POLICY.decide(null, null, NOW, HOUR, List.of());

    assertThat(decision.window()).isEqualTo(w("2026-11-19T01:00:00Z", "2026-11-20T01:00:00Z"));
    assertThat(decision.notes()).singleElement().asString().contains("no complete run yet");
  }

  @Test
  void aRunContinuesWhereCompleteCoverageEnds() throws Exception {
    List<TimeWindow> complete =
        List.of(
            w("2026-11-17T01:00:00Z", "2026-11-18T01:00:00Z"),
            w("2026-11-18T01:00:00Z", "2026-11-19T01:00:00Z"));

    WindowPolicy.Decision decision = POLICY.decide(null, null, NOW, HOUR, complete);

    assertThat(decision.window()).isEqualTo(w("2026-11-19T01:00:00Z", "2026-11-20T01:00:00Z"));
    assertThat(decision.notes()).isEmpty();
  }

  @Test
  void aFailedNightIsNotSkipped() throws Exception {
    // The run of the 18th failed (INCOMPLETE): only the 17th's window is complete.
    List<TimeWindow> complete = List.of(w("2026-11-17T01:00:00Z", "2026-11-18T01:00:00Z"));

    WindowPolicy.Decision decision = POLICY.decide(null, null, NOW, HOUR, complete);

    assertThat(decision.window().start()).isEqualTo(t("2026-11-18T01:00:00Z"));
  }

  @Test
  void aWindowRunByHandAheadOfTheScheduleDoesNotHideTheHoleBehindIt() throws Exception {
    List<TimeWindow> complete =
        List.of(
            w("2026-11-16T01:00:00Z", "2026-11-17T01:00:00Z"),
            w("2026-11-18T00:00:00Z", "2026-11-19T00:00:00Z"));

    WindowPolicy.Decision decision = POLICY.decide(null, null, NOW, HOUR, complete);

    assertThat(decision.window()).isEqualTo(w("2026-11-17T01:00:00Z", "2026-11-20T01:00:00Z"));
    assertThat(decision.notes()).singleElement().asString().contains("no complete run covers");
  }

  @Test
  void aHoleOlderThanTheCatchUpLimitIsNamedNotReachedFor() throws Exception {
    WindowPolicy policy =
        new WindowPolicy(new CoveragePolicy(List.of(), Duration.ofDays(3), Duration.ofDays(1)));
    List<TimeWindow> complete =
        List.of(
            w("2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z"),
            w("2026-11-15T00:00:00Z", "2026-11-18T00:00:00Z"));

    WindowPolicy.Decision decision = policy.decide(null, null, NOW, HOUR, complete);

    assertThat(decision.window()).isEqualTo(w("2026-11-18T00:00:00Z", "2026-11-20T01:00:00Z"));
    assertThat(decision.notes())
        .singleElement()
        .asString()
        .contains("2026-11-02T00:00:00Z to 2026-11-15T00:00:00Z")
        .contains("--from 2026-11-02T00:00:00Z --to 2026-11-15T00:00:00Z");
  }

  @Test
  void anEndThatHasNotSettledIsCappedAndSaysWhy() throws Exception {
    WindowPolicy.Decision decision =
        POLICY.decide(t("2026-11-19T00:00:00Z"), t("2026-11-21T00:00:00Z"), NOW, HOUR, List.of());

    assertThat(decision.window().end()).isEqualTo(t("2026-11-20T01:17:00Z"));
    assertThat(decision.notes())
        .singleElement()
        .asString()
        .contains("2026-11-21T00:00:00Z has not settled yet")
        .contains("1h settle time of source org-trail");
  }

  @Test
  void aSettledEndIsKeptExactly() throws Exception {
    WindowPolicy.Decision decision =
        POLICY.decide(t("2026-11-18T00:00:00Z"), t("2026-11-19T00:00:00Z"), NOW, HOUR, List.of());

    assertThat(decision.window()).isEqualTo(w("2026-11-18T00:00:00Z", "2026-11-19T00:00:00Z"));
    assertThat(decision.notes()).isEmpty();
  }

  @Test
  void nothingLeftToReconcileIsAClearRefusal() {
    List<TimeWindow> complete = List.of(w("2026-11-19T00:00:00Z", "2026-11-20T01:00:00Z"));

    assertThatThrownBy(() -> POLICY.decide(null, null, NOW, HOUR, complete))
        .isInstanceOf(WindowPolicy.WindowException.class)
        .hasMessageContaining("already cover everything up to 2026-11-20T01:00:00Z");
    assertThatThrownBy(
            () ->
                POLICY.decide(
                    t("2026-11-21T00:00:00Z"), t("2026-11-22T00:00:00Z"), NOW, HOUR, List.of()))
        .isInstanceOf(WindowPolicy.WindowException.class)
        .hasMessageContaining("is not before the window end");
  }
}
