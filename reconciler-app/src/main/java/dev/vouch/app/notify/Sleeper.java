package dev.vouch.app.notify;

import java.time.Duration;

/** Waits; injected so that tests wait on a clock of their own instead of real time. */
@FunctionalInterface
public interface Sleeper {
  Sleeper SYSTEM =
      duration -> {
        if (!duration.isNegative() && !duration.isZero()) {
          Thread.sleep(duration.toMillis());
        }
      };

  void sleep(Duration duration) throws InterruptedException;
}
