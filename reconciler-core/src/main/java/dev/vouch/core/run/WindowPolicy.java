package dev.vouch.core.run;

import dev.vouch.core.config.CoveragePolicy;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.spi.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Decides which window a run reconciles: one rule for {@code vouch run} and the scheduler alike.
 *
 * <ul>
 *   <li>The end is the requested end, or the last whole hour before now minus the settle time (the
 *       longest of the sources', so that late deliveries have time to arrive). A requested end
 *       later than now minus the settle time is capped there, and the run says so: a window whose
 *       end has not happened yet cannot have been seen in full.
 *   <li>The start is the requested start, or else where complete coverage ends: the first instant
 *       after the earliest complete run that no COMPLETE run covered. So a night whose run failed
 *       or was interrupted is reconciled by the next run instead of being skipped, and a window run
 *       by hand ahead of the schedule does not hide the hole behind it. A hole older than {@link
 *       CoveragePolicy#maxCatchUp()} is named in the notes rather than silently reached for; with
 *       no complete run yet, the start is {@link CoveragePolicy#firstRunLookback()} back.
 * </ul>
 */
public final class WindowPolicy {

  /** A window cannot be decided: the message says what was asked and what to do. */
  public static final class WindowException extends Exception {
    private static final long serialVersionUID = 1L;

    public WindowException(String message) {
      super(message);
    }
  }

  /**
   * The window a run is to reconcile and what was decided about it.
   *
   * @param window the window
   * @param notes decisions worth telling the user (a capped end, a catch-up, an old hole)
   */
  public record Decision(TimeWindow window, List<String> notes) {
    public Decision {
      notes = List.copyOf(notes);
    }
  }

  /**
   * How long after a moment every source's record of it is normally complete.
   *
   * @param settle the longest settle time among the sources
   * @param source the source that has it, for messages; empty when no source needs one
   */
  public record Settle(Duration settle, String source) {
    public Settle {
      Objects.requireNonNull(settle, "settle");
      Objects.requireNonNull(source, "source");
    }
  }

  private final CoveragePolicy policy;

  public WindowPolicy(CoveragePolicy policy) {
    this.policy = policy;
  }

  /**
   * Decides the window.
   *
   * @param from the requested start, or null to continue where complete coverage ends
   * @param to the requested end, or null for the last whole hour that has settled
   * @param now the current time
   * @param settle the longest settle time of the sources
   * @param completeWindows the windows of every COMPLETE run so far
   */
  public Decision decide(
      @Nullable Instant from,
      @Nullable Instant to,
      Instant now,
      Settle settle,
      List<TimeWindow> completeWindows)
      throws WindowException {
    List<String> notes = new ArrayList<>();
    Instant settled = now.minus(settle.settle());
    Instant end;
    if (to == null) {
      end = settled.truncatedTo(ChronoUnit.HOURS);
    } else if (to.isAfter(settled)) {
      end = settled.truncatedTo(ChronoUnit.SECONDS);
      notes.add(
          "the requested end "
              + to
              + " has not settled yet; the window ends at "
              + end
              + ", now minus the "
              + Durations.format(settle.settle())
              + " settle time"
              + (settle.source().isEmpty() ? "" : " of source " + settle.source())
              + ", so late deliveries can still arrive");
    } else {
      end = to;
    }
    Instant start;
    if (from != null) {
      start = from;
    } else {
      start = continuation(end, completeWindows, notes);
    }
    if (!start.isBefore(end)) {
      if (from == null) {
        throw new WindowException(
            "nothing to reconcile: complete runs already cover everything up to "
                + start
                + ", and the next window cannot end before "
                + end.plus(1, ChronoUnit.HOURS)
                + " settles; give --from and --to to run a window again");
      }
      throw new WindowException(
          "the window is empty: --from " + start + " is not before the window end " + end);
    }
    return new Decision(new TimeWindow(start, end), notes);
  }

  private Instant continuation(Instant end, List<TimeWindow> completeWindows, List<String> notes) {
    if (completeWindows.isEmpty()) {
      notes.add(
          "no complete run yet: the window starts "
              + Durations.format(policy.firstRunLookback())
              + " before its end");
      return end.minus(policy.firstRunLookback());
    }
    List<TimeWindow> merged = merge(completeWindows);
    Instant hole = merged.get(0).end();
    Instant coveredTo = merged.get(merged.size() - 1).end();
    Instant limit = end.minus(policy.maxCatchUp());
    if (hole.isBefore(limit)) {
      // The hole is old: name it, then catch up only as far back as the limit allows.
      Instant holeEnd = merged.size() > 1 ? merged.get(1).start() : end;
      notes.add(
          "time from "
              + hole
              + " to "
              + (holeEnd.isAfter(end) ? end : holeEnd)
              + " has never been reconciled by a complete run and is more than "
              + Durations.format(policy.maxCatchUp())
              + " old (coverage.maxCatchUp); reconcile it with --from "
              + hole
              + " --to "
              + (holeEnd.isAfter(end) ? end : holeEnd));
      Instant resume = coveredAfter(merged, limit);
      return resume;
    }
    if (merged.size() > 1) {
      notes.add(
          "starting at "
              + hole
              + ", where complete coverage ends: no complete run covers "
              + hole
              + " to "
              + merged.get(1).start()
              + " (a run there failed, was interrupted or never ran), though later time up to "
              + coveredTo
              + " is covered");
    }
    return hole;
  }

  /** The first instant at or after {@code limit} that no complete window covers. */
  private static Instant coveredAfter(List<TimeWindow> merged, Instant limit) {
    Instant at = limit;
    for (TimeWindow window : merged) {
      if (window.start().isAfter(at)) {
        break;
      }
      if (window.end().isAfter(at)) {
        at = window.end();
      }
    }
    return at;
  }

  /** The union of windows as disjoint windows in time order; touching windows join. */
  static List<TimeWindow> merge(List<TimeWindow> windows) {
    List<TimeWindow> sorted = new ArrayList<>(windows);
    sorted.sort(Comparator.comparing(TimeWindow::start).thenComparing(TimeWindow::end));
    List<TimeWindow> merged = new ArrayList<>();
    for (TimeWindow window : sorted) {
      if (!merged.isEmpty() && !window.start().isAfter(merged.get(merged.size() - 1).end())) {
        TimeWindow last = merged.remove(merged.size() - 1);
        merged.add(
            new TimeWindow(
                last.start(), window.end().isAfter(last.end()) ? window.end() : last.end()));
      } else {
        merged.add(window);
      }
    }
    return merged;
  }
}
