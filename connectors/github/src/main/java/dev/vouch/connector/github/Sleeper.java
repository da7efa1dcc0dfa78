package dev.vouch.connector.github;

import java.time.Duration;

/** Waits: {@link Thread#sleep} in production, a recorder in tests, so that no test sleeps. */
@FunctionalInterface
interface Sleeper {
  Sleeper REAL = duration -> Thread.sleep(duration.toMillis());

  void sleep(Duration duration) throws InterruptedException;
}
