package dev.vouch.app.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FittingTest {
  /** A message of n findings, 100 characters each, after a 50-character head. */
  private static String message(int n) {
    return "h".repeat(50) + "f".repeat(100 * n);
  }

  @Test
  void listsTheMostFindingsThatFit() {
    for (int limit : new int[] {50, 149, 150, 151, 949, 950, 1_050, 100_000}) {
      Fitting.Fitted<String> fitted =
          Fitting.largest(10, FittingTest::message, m -> m.length() <= limit);
      int expected = Math.min(10, (limit - 50) / 100);
      assertThat(fitted.shown()).as("limit %d", limit).isEqualTo(expected);
      assertThat(fitted.message()).isEqualTo(message(expected));
    }
  }

  @Test
  void aHeadThatDoesNotFitIsABug() {
    assertThatThrownBy(() -> Fitting.largest(10, FittingTest::message, m -> m.length() < 50))
        .isInstanceOf(IllegalStateException.class);
  }
}
