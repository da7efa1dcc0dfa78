package dev.vouch.core.config;

import dev.vouch.core.rules.Globs;
import java.time.Duration;
import java.util.List;

/**
 * What the configuration says about coverage and windows ({@code coverage:} in the YAML).
 *
 * @param quiet glob patterns of partitions that are not expected to deliver data every day (a
 *     region used once a month, a retired account), such as {@code aws:999988887777/*}
 * @param maxCatchUp how far back a run without {@code --from} reaches for time that no complete run
 *     has covered yet; older holes are named in the run's notes, not reconciled silently
 * @param firstRunLookback how much a first run without {@code --from} covers
 */
public record CoveragePolicy(List<String> quiet, Duration maxCatchUp, Duration firstRunLookback) {
  public static final Duration DEFAULT_MAX_CATCH_UP = Duration.ofDays(31);
  public static final Duration DEFAULT_FIRST_RUN_LOOKBACK = Duration.ofDays(1);

  public CoveragePolicy {
    quiet = List.copyOf(quiet);
  }

  public static CoveragePolicy defaults() {
    return new CoveragePolicy(List.of(), DEFAULT_MAX_CATCH_UP, DEFAULT_FIRST_RUN_LOOKBACK);
  }

  /** Whether a partition was declared quiet. Patterns are case-insensitive globs. */
  public boolean isQuiet(String partition) {
    return Globs.anyMatch(partition, quiet);
  }
}
