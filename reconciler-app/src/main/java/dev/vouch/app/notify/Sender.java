package dev.vouch.app.notify;

import dev.vouch.core.config.NotificationSettings.Notification;
import java.time.Duration;
import java.util.Objects;

/**
 * Sends a message and waits for the outcome, retrying what may pass: at most {@code maxAttempts}
 * attempts, each after the wait {@link Backoff} gives ({@code Retry-After} when the channel said).
 * A wait longer than {@code maxWait} is not waited for: the last outcome ({@link
 * DeliveryOutcome.RetryLater}) is returned, for a caller with an outbox to try again later.
 *
 * <p>A small loop rather than a retry library: each attempt's outcome already says whether and when
 * to retry, and the same single attempt ({@link Deliverer#deliver}) must be callable on its own by
 * an outbox.
 */
public final class Sender {
  private final Deliverer deliverer;
  private final Sleeper sleeper;
  private final Backoff backoff;
  private final int maxAttempts;
  private final Duration maxWait;

  public Sender(
      Deliverer deliverer, Sleeper sleeper, Backoff backoff, int maxAttempts, Duration maxWait) {
    this.deliverer = Objects.requireNonNull(deliverer, "deliverer");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
    }
    this.maxAttempts = maxAttempts;
    this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
  }

  /** The final outcome and how many attempts it took. */
  public record Result(DeliveryOutcome outcome, int attempts) {
    public boolean delivered() {
      return outcome instanceof DeliveryOutcome.Delivered;
    }
  }

  public Result send(Notification notification, Payload payload) throws InterruptedException {
    int attempt = 0;
    while (true) {
      attempt++;
      DeliveryOutcome outcome = deliverer.deliver(notification, payload);
      if (!(outcome instanceof DeliveryOutcome.RetryLater later) || attempt >= maxAttempts) {
        return new Result(outcome, attempt);
      }
      Duration wait = backoff.delay(attempt, later.retryAfter());
      if (wait.compareTo(maxWait) > 0) {
        return new Result(outcome, attempt);
      }
      sleeper.sleep(wait);
    }
  }
}
