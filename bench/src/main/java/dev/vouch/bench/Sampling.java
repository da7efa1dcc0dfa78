package dev.vouch.bench;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Weighted draws the generators share: activity by time of day, and draws from cumulative sums. */
final class Sampling {

  /**
   * Relative activity at an instant: the weight of its UTC hour, times {@code weekendWeight} on a
   * Saturday or Sunday.
   */
  static double activity(long epochSecond, double[] hourWeights, double weekendWeight) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
    boolean weekend =
        t.getDayOfWeek() == DayOfWeek.SATURDAY || t.getDayOfWeek() == DayOfWeek.SUNDAY;
    return hourWeights[t.getHour()] * (weekend ? weekendWeight : 1.0);
  }

  /**
   * An index drawn with a probability proportional to its weight, given the running sums of the
   * weights ({@code cumulative}) and their total ({@code sum}, the last running sum).
   */
  static int draw(double[] cumulative, double sum, SplittableRandom rng) {
    int idx = Arrays.binarySearch(cumulative, rng.nextDouble() * sum);
    return Math.min(idx >= 0 ? idx : -idx - 1, cumulative.length - 1);
  }

  /** How many of {@code n} such draws fall on each index. */
  static int[] counts(double[] cumulative, double sum, int n, SplittableRandom rng) {
    int[] counts = new int[cumulative.length];
    for (int i = 0; i < n; i++) {
      counts[draw(cumulative, sum, rng)]++;
    }
    return counts;
  }

  private Sampling() {}
}
