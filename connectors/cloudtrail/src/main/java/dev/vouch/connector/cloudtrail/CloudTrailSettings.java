package dev.vouch.connector.cloudtrail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The typed settings of one CloudTrail source.
 *
 * @param path the directory tree or single file to read, already resolved against the base
 *     directory
 * @param lateDelivery how long after an event its log file may still be delivered; a pull also
 *     delivers the records of this long before its window, and files delivered later than the
 *     window's end plus this are not read
 * @param parallelism how many files are read at once (1 to {@link #MAX_PARALLELISM})
 * @param settle how long after a moment its log files are normally delivered; a window ends no
 *     later than now minus this
 */
record CloudTrailSettings(Path path, Duration lateDelivery, int parallelism, Duration settle) {
  static final String PATH = "path";
  static final String LATE_DELIVERY = "lateDelivery";
  static final String PARALLELISM = "parallelism";
  static final String SETTLE = "settle";

  /**
   * CloudTrail delivers within about 5 minutes on average, without a guarantee; a day covers the
   * hours-late deliveries AWS describes, and each run re-reads that far back for them.
   */
  static final Duration DEFAULT_LATE_DELIVERY = Duration.ofDays(1);

  /** A window is closed an hour after its end, when nearly every file has arrived. */
  static final Duration DEFAULT_SETTLE = Duration.ofHours(1);

  static final int MIN_PARALLELISM = 1;
  static final int MAX_PARALLELISM = 64;

  CloudTrailSettings {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(lateDelivery, "lateDelivery");
    Objects.requireNonNull(settle, "settle");
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
