package dev.vouch.app.notify;

import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * Finds how many findings a message can list in full and stay within its target's limits: the most
 * for which the rendered message fits. A message grows with every finding it lists, so a binary
 * search over the count finds it in a few renderings.
 */
final class Fitting {
  private Fitting() {}

  /** A rendered message and how many findings it lists. */
  record Fitted<T>(int shown, T message) {}

  /**
   * The rendering with the most findings (at most {@code max}) that {@code fits} accepts.
   *
   * @throws IllegalStateException when even the message without findings does not fit, which the
   *     renderers' fixed caps on every other part rule out
   */
  static <T> Fitted<T> largest(int max, IntFunction<T> render, Predicate<T> fits) {
    T best = render.apply(0);
    if (!fits.test(best)) {
      throw new IllegalStateException("a message without findings does not fit its limits");
    }
    int low = 0;
    int high = max;
    while (low < high) {
      int mid = (low + high + 1) >>> 1;
      T candidate = render.apply(mid);
      if (fits.test(candidate)) {
        low = mid;
        best = candidate;
      } else {
        high = mid - 1;
      }
    }
    // Accepted counts only grow during the search, so the last one accepted is the largest.
    return new Fitted<>(low, best);
  }
}
