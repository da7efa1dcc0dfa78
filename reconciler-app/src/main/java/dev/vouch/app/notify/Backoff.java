package dev.vouch.app.notify;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * How long to wait before the next attempt: what the channel asked for ({@code Retry-After}) when
 * it said, else exponential from {@code initial}, doubling per attempt up to {@code max}, with up
 * to a fifth more at random so that many senders throttled at once do not return at once.
 *
 * @param initial the wait after the first failed attempt
 * @param max the longest wait Vouch chooses itself (a channel's {@code Retry-After} is honoured
 *     whatever it is)
 * @param jitter a number in [0, 1) per call; fixed in tests
 */
public record Backoff(Duration initial, Duration max, DoubleSupplier jitter) {
  public Backoff {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    Objects.requireNonNull(jitter, "jitter");
  }

  /** 1 s, 2 s, 4 s, ... up to 5 min. */
  public static Backoff standard() {
    return new Backoff(
        Duration.ofSeconds(1),
        Duration.ofMinutes(5),
        () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * The wait before attempt {@code failedAttempts + 1}.
   *
   * @param failedAttempts how many attempts have failed so far (1 after the first)
   * @param retryAfter what the channel asked for, or null
   */
  public Duration delay(int failedAttempts, @Nullable Duration retryAfter) {
    if (retryAfter != null) {
      return retryAfter.isNegative() ? Duration.ZERO : retryAfter;
    }
    int doublings = Math.max(0, Math.min(failedAttempts - 1, 30));
    Duration base = initial.multipliedBy(1L << doublings);
    if (base.compareTo(max) > 0 || base.isNegative()) {
      base = max;
    }
    long extraMillis = (long) (base.toMillis() * 0.2 * jitter.getAsDouble());
    return base.plusMillis(extraMillis);
  }
}
