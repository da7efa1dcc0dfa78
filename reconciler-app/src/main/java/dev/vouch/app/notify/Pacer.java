package dev.vouch.app.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps posts to one webhook at least {@link #INTERVAL} apart, since Slack allows one message per
 * second per incoming webhook, Google Chat one write per second per space, and Teams' Workflows
 * should see no more. A channel that answered 429 with {@code Retry-After} is held until then, for
 * every message to it, not just the one that was throttled.
 *
 * <p>Webhooks are told apart by their URL, kept only in memory: two notifications that post to the
 * same webhook share its pace. Thread-safe; callers to one webhook wait their turn in order.
 */
public final class Pacer {
  public static final Duration INTERVAL = Duration.ofSeconds(1);

  private final Clock clock;
  private final Sleeper sleeper;
  private final Duration interval;
  private final Map<String, Slot> slots = new ConcurrentHashMap<>();

  public Pacer(Clock clock, Sleeper sleeper, Duration interval) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.interval = Objects.requireNonNull(interval, "interval");
  }

  public Pacer(Clock clock, Sleeper sleeper) {
    this(clock, sleeper, INTERVAL);
  }

  /** The earliest time of the next post to one webhook. */
  private static final class Slot {
    Instant next = Instant.MIN;
  }

  /** Waits until a post to the webhook is allowed, and takes that turn. */
  public void awaitTurn(String webhook) throws InterruptedException {
    Slot slot = slots.computeIfAbsent(webhook, k -> new Slot());
    synchronized (slot) {
      Instant now = clock.instant();
      if (now.isBefore(slot.next)) {
        sleeper.sleep(Duration.between(now, slot.next));
        now = clock.instant();
      }
      slot.next = later(slot.next, now.plus(interval));
    }
  }

  /** Holds every post to the webhook until {@code until} (a {@code Retry-After}). */
  public void holdUntil(String webhook, Instant until) {
    Slot slot = slots.computeIfAbsent(webhook, k -> new Slot());
    synchronized (slot) {
      slot.next = later(slot.next, until);
    }
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
