package dev.vouch.core.run;

import dev.vouch.core.catalog.SystemDefinition;
import dev.vouch.core.config.CoveragePolicy;
import dev.vouch.core.model.Coordinates;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.store.PartitionDay;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides, for each day a run completes, whether every partition expected to deliver data did.
 * Pure: everything it needs is passed in, so the rules are tested without a store.
 *
 * <p>A partition is expected when a system that expects daily activity names it (an account and its
 * regions, a cluster, a repository), or when an earlier run saw it deliver data (from the first day
 * it did). A partition declared quiet ({@code coverage.quiet}, or named by a system with {@code
 * expectDailyActivity: false}) is not. A day is judged once it is over, by the end of the window:
 * data from any run, this one or an earlier one, counts. A source that proves its partitions
 * complete (a git branch fetched to its head) covers them whether or not they held anything. A
 * source of change that is not declared quiet and delivered nothing at all on a day is a gap of its
 * own ({@code source:<name>}), so an empty trail directory is never read as a quiet day.
 */
final class CoverageJudge {
  static final String COMPLETE = "COMPLETE";
  static final String PARTIAL = "PARTIAL";
  static final String FAILED = "FAILED";
  static final String GAP = "GAP";
  static final String SOURCE_PARTITION_PREFIX = "source:";

  /** What one source did in this run, as far as coverage is concerned. */
  record SourceReading(
      String name,
      String platform,
      SourceOutcome.Coverage coverage,
      boolean quiet,
      Set<String> provenComplete,
      Map<String, Map<LocalDate, Long>> counts,
      long windowObservations) {}

  /** The judgement: the gaps, and the coverage rows to keep for this run. */
  record Judgement(List<CoverageGap> gaps, List<PartitionDay> rows) {}

  private final CoveragePolicy policy;
  private final List<SystemDefinition> systems;
  private final @org.jspecify.annotations.Nullable Set<String> platforms;

  CoverageJudge(CoveragePolicy policy, List<SystemDefinition> systems) {
    this(policy, systems, null);
  }

  /**
   * @param platforms the only platforms whose partitions are expected (an extra job reads some
   *     sources only), or null for every platform
   */
  CoverageJudge(
      CoveragePolicy policy,
      List<SystemDefinition> systems,
      @org.jspecify.annotations.Nullable Set<String> platforms) {
    this.policy = policy;
    this.systems = List.copyOf(systems);
    this.platforms = platforms == null ? null : Set.copyOf(platforms);
  }

  /** The UTC days a run over this window completes: those that end by the window's end. */
  static List<LocalDate> judgedDays(TimeWindow window) {
    List<LocalDate> days = new ArrayList<>();
    LocalDate day = LocalDate.ofInstant(window.start(), ZoneOffset.UTC);
    while (!day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().isAfter(window.end())) {
      days.add(day);
      day = day.plusDays(1);
    }
    return days;
  }

  /**
   * Judges the run.
   *
   * @param window the run's window
   * @param readings what each source of change did
   * @param earlier coverage summed over earlier runs for the judged days
   * @param seen every partition earlier runs saw, with the first day it delivered data
   */
  Judgement judge(
      TimeWindow window,
      List<SourceReading> readings,
      List<PartitionDay> earlier,
      Map<String, LocalDate> seen) {
    List<LocalDate> days = judgedDays(window);
    List<PartitionDay> rows = new ArrayList<>();
    List<CoverageGap> gaps = new ArrayList<>();

    // Observations per partition and day, from earlier runs and this one; and per source and day.
    Map<String, Map<LocalDate, Long>> byPartition = new HashMap<>();
    Map<String, Map<LocalDate, Long>> bySource = new HashMap<>();
    for (PartitionDay row : earlier) {
      add(byPartition, row.partition(), row.day(), row.observations());
      add(bySource, row.source(), row.day(), row.observations());
    }
    for (SourceReading reading : readings) {
      String status = reading.coverage() == SourceOutcome.Coverage.COMPLETE ? COMPLETE : PARTIAL;
      reading.counts().entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(
              partition ->
                  new TreeMap<>(partition.getValue())
                      .forEach(
                          (day, count) -> {
                            add(byPartition, partition.getKey(), day, count);
                            add(bySource, reading.name(), day, count);
                            if (reading.coverage() != SourceOutcome.Coverage.FAILED) {
                              rows.add(
                                  new PartitionDay(
                                      reading.name(),
                                      partition.getKey(),
                                      day,
                                      count,
                                      false,
                                      status));
                            }
                          }));
      if (reading.coverage() != SourceOutcome.Coverage.FAILED) {
        for (String partition : new java.util.TreeSet<>(reading.provenComplete())) {
          for (LocalDate day : days) {
            long count = reading.counts().getOrDefault(partition, Map.of()).getOrDefault(day, 0L);
            if (count == 0) {
              rows.add(new PartitionDay(reading.name(), partition, day, 0, true, status));
            }
          }
        }
      }
    }

    for (Map.Entry<String, Expectation> entry : expectations(readings, seen).entrySet()) {
      String partition = entry.getKey();
      Expectation expectation = entry.getValue();
      List<SourceReading> platformSources =
          readings.stream().filter(r -> r.platform().equals(expectation.platform())).toList();
      for (LocalDate day : days) {
        if (expectation.since() != null && day.isBefore(expectation.since())) {
          continue;
        }
        if (observed(byPartition, partition, day) > 0
            || platformSources.stream()
                .anyMatch(
                    r ->
                        r.coverage() != SourceOutcome.Coverage.FAILED
                            && r.provenComplete().stream()
                                .anyMatch(p -> Coordinates.partitionCovers(partition, p)))) {
          continue;
        }
        String sourceName =
            platformSources.isEmpty()
                ? ""
                : String.join(",", platformSources.stream().map(SourceReading::name).toList());
        boolean failed =
            platformSources.stream().anyMatch(r -> r.coverage() == SourceOutcome.Coverage.FAILED);
        if (failed) {
          rows.add(new PartitionDay(sourceName, partition, day, 0, false, FAILED));
          continue;
        }
        String reason =
            platformSources.isEmpty()
                ? expectation.why()
                    + ", but no configured source reads "
                    + expectation.platform()
                    + " changes"
                : expectation.why()
                    + ", but "
                    + (platformSources.size() == 1
                        ? "source " + sourceName
                        : "sources " + sourceName)
                    + " delivered nothing from it for this day";
        gaps.add(new CoverageGap(partition, day, reason));
        rows.add(new PartitionDay(sourceName, partition, day, 0, false, GAP));
      }
    }

    for (SourceReading reading : readings) {
      if (reading.quiet()
          || !reading.provenComplete().isEmpty()
          || reading.coverage() == SourceOutcome.Coverage.FAILED) {
        continue;
      }
      if (days.isEmpty() && reading.windowObservations() == 0) {
        // A window shorter than a day is judged as a whole: a source that delivered nothing at
        // all for it is no more trusted than one that delivered nothing for a day.
        sourceGap(
            reading,
            LocalDate.ofInstant(window.start(), ZoneOffset.UTC),
            "the window " + window,
            gaps,
            rows);
      }
      for (LocalDate day : days) {
        // A day already reported as a gap of one of the platform's partitions needs no second
        // line: the source-wide check is for sources whose partitions nobody named.
        boolean reported =
            gaps.stream()
                .anyMatch(
                    gap ->
                        gap.day().equals(day)
                            && gap.partition().startsWith(reading.platform() + ":"));
        if (!reported && observed(bySource, reading.name(), day) == 0) {
          sourceGap(reading, day, "this day", gaps, rows);
        }
      }
    }
    return new Judgement(gaps, rows);
  }

  /** A source of change that delivered nothing at all for a day (or a window shorter than one). */
  private static void sourceGap(
      SourceReading reading,
      LocalDate day,
      String when,
      List<CoverageGap> gaps,
      List<PartitionDay> rows) {
    String partition = SOURCE_PARTITION_PREFIX + reading.name();
    gaps.add(
        new CoverageGap(
            partition,
            day,
            "source "
                + reading.name()
                + " delivered nothing at all for "
                + when
                + " (an empty or missing input, or a source that stopped); if it is quiet on"
                + " purpose, set expectDailyActivity: false on it"));
    rows.add(new PartitionDay(reading.name(), partition, day, 0, false, GAP));
  }

  /** Why a partition is expected, on which platform, and from which day (null: every day). */
  private record Expectation(String platform, String why, LocalDate since) {}

  private Map<String, Expectation> expectations(
      List<SourceReading> readings, Map<String, LocalDate> seen) {
    Map<String, Expectation> expected = new LinkedHashMap<>();
    List<String> quietConfigured = new ArrayList<>();
    for (SystemDefinition system : systems) {
      for (String partition : system.partitions()) {
        if (platforms != null && !platforms.contains(platform(partition))) {
          continue;
        }
        if (!system.expectDailyActivity()) {
          quietConfigured.add(partition);
        } else if (!policy.isQuiet(partition)) {
          expected.putIfAbsent(
              partition,
              new Expectation(
                  platform(partition),
                  "system "
                      + system.name()
                      + " names "
                      + partition
                      + " and expects activity every day",
                  null));
        }
      }
    }
    Map<String, LocalDate> known = new TreeMap<>(seen);
    for (SourceReading reading : readings) {
      for (Map.Entry<String, Map<LocalDate, Long>> partition : reading.counts().entrySet()) {
        partition.getValue().keySet().stream()
            .min(LocalDate::compareTo)
            .ifPresent(
                first -> known.merge(partition.getKey(), first, (a, b) -> a.isBefore(b) ? a : b));
      }
    }
    for (Map.Entry<String, LocalDate> partition : known.entrySet()) {
      String name = partition.getKey();
      if (name.startsWith(SOURCE_PARTITION_PREFIX)
          || (platforms != null && !platforms.contains(platform(name)))
          || expected.containsKey(name)
          || policy.isQuiet(name)
          || quietConfigured.stream().anyMatch(q -> Coordinates.partitionCovers(q, name))) {
        continue;
      }
      expected.put(
          name,
          new Expectation(
              platform(name),
              name + " has delivered data since " + partition.getValue(),
              partition.getValue()));
    }
    return expected;
  }

  private static String platform(String partition) {
    int colon = partition.indexOf(':');
    return colon < 0 ? partition : partition.substring(0, colon);
  }

  /** Observations of a partition (or a source) on a day. */
  private static long observed(
      Map<String, Map<LocalDate, Long>> totals, String partition, LocalDate day) {
    return totals.getOrDefault(partition, Map.of()).getOrDefault(day, 0L);
  }

  /**
   * Adds observations to a partition's totals, and to its whole scope's when it is one of several
   * sub-scope partitions (an AWS region's to its account's), so an account-wide expectation is a
   * single look-up however many regions there are.
   */
  private static void add(
      Map<String, Map<LocalDate, Long>> totals, String key, LocalDate day, long count) {
    totals.computeIfAbsent(key, k -> new HashMap<>()).merge(day, count, Long::sum);
    int colon = key.indexOf(':');
    int slash = key.indexOf('/');
    if (colon > 0 && slash > colon && Coordinates.partitionedBySubScope(key.substring(0, colon))) {
      totals
          .computeIfAbsent(key.substring(0, slash), k -> new HashMap<>())
          .merge(day, count, Long::sum);
    }
  }
}
