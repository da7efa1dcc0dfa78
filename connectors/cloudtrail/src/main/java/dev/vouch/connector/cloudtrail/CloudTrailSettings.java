package dev.vouch.connector.cloudtrail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The typed settings of one CloudTrail source.
 *
 * @param path the directory tree or single file to read, already resolved against the base
 *     directory
 * @param lateDelivery how long after an event its log file may still be delivered; files delivered
 *     later than the window's end plus this are not read
 * @param parallelism how many files are read at once (1 to {@link #MAX_PARALLELISM})
 */
record CloudTrailSettings(Path path, Duration lateDelivery, int parallelism) {
  static final String PATH = "path";
  static final String LATE_DELIVERY = "lateDelivery";
  static final String PARALLELISM = "parallelism";

  /** CloudTrail delivers within minutes, but can be hours late; two days covers what AWS shows. */
  static final Duration DEFAULT_LATE_DELIVERY = Duration.ofDays(2);

  static final int MIN_PARALLELISM = 1;
  static final int MAX_PARALLELISM = 64;

  CloudTrailSettings {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(lateDelivery, "lateDelivery");
    if (lateDelivery.isNegative()) {
      throw new IllegalArgumentException("lateDelivery must not be negative: " + lateDelivery);
    }
    if (parallelism < MIN_PARALLELISM || parallelism > MAX_PARALLELISM) {
      throw new IllegalArgumentException(
          "parallelism must be between "
              + MIN_PARALLELISM
              + " and "
              + MAX_PARALLELISM
              + ", not "
              + parallelism);
    }
  }
}
