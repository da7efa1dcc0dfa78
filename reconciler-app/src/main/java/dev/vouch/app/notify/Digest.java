package dev.vouch.app.notify;

import dev.vouch.core.config.NotificationSettings.RiskLevel;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.run.CoverageGap;
import dev.vouch.core.run.RunStatus;
import dev.vouch.core.run.SourceOutcome;
import java.net.URI;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one channel is told about one run: the findings its route selected, counted by verdict, the
 * riskiest of them in full, and, for an incomplete run, what was not seen. Renderers turn it into a
 * message; it holds nothing of the channel's URL or secret.
 *
 * <p>Every text value is already on one line and at most {@link #MAX_VALUE} characters long;
 * renderers cut further to fit their targets.
 *
 * @param notification the channel's configured name
 * @param runId the run, 0 for a sample
 * @param window the run's window
 * @param status the run's status
 * @param counts the selected findings per verdict, in the order of {@link Verdict}
 * @param total how many findings were selected, all of them counted in {@code counts}
 * @param items the riskiest selected findings, riskiest first, at most {@link #MAX_ITEMS}
 * @param incomplete what an incomplete run did not see, or null when the run was complete or the
 *     route does not announce incomplete runs
 * @param reportUrl the link to the run's report, or null without {@code server.publicUrl}
 * @param sample true for the example message of {@code vouch notify test}: nothing in it is real
 */
public record Digest(
    String notification,
    long runId,
    TimeWindow window,
    RunStatus status,
    Map<Verdict, Long> counts,
    long total,
    List<Item> items,
    @Nullable Incomplete incomplete,
    @Nullable URI reportUrl,
    boolean sample) {

  /** The most findings a digest carries in full; the rest are counted. */
  public static final int MAX_ITEMS = 100;

  /** The longest text value a digest keeps, in characters. */
  public static final int MAX_VALUE = 1_000;

  public Digest {
    Objects.requireNonNull(notification, "notification");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(status, "status");
    EnumMap<Verdict, Long> ordered = new EnumMap<>(Verdict.class);
    ordered.putAll(counts);
    ordered.values().removeIf(count -> count == 0);
    counts = Collections.unmodifiableMap(ordered);
    items = List.copyOf(items);
    if (items.size() > MAX_ITEMS) {
      throw new IllegalArgumentException(items.size() + " items, more than " + MAX_ITEMS);
    }
    if (total < items.size()) {
      throw new IllegalArgumentException("total " + total + " < " + items.size() + " items");
    }
  }

  /** True when every selected verdict needs review (the usual route). */
  public boolean allNeedReview() {
    return counts.keySet().stream().allMatch(Verdict::needsReview);
  }

  /**
   * One finding as a digest shows it.
   *
   * @param eventKey the change's key in the store
   * @param source the source that read the change
   * @param verdict the verdict
   * @param level the finding's risk level
   * @param risks the risk categories rules flagged on it
   * @param system the system, or null for a change on no configured system
   * @param actor the raw principal that made the change
   * @param person the person it resolved to, or null
   * @param action what was done
   * @param occurredAt when
   * @param why why it needs review, in a few words
   * @param recordId the record the verdict rests on, or null
   */
  public record Item(
      String eventKey,
      String source,
      Verdict verdict,
      RiskLevel level,
      List<String> risks,
      @Nullable String system,
      String actor,
      @Nullable String person,
      String action,
      Instant occurredAt,
      String why,
      @Nullable String recordId) {
    public Item {
      Objects.requireNonNull(verdict, "verdict");
      Objects.requireNonNull(occurredAt, "occurredAt");
      risks = List.copyOf(risks);
    }

    /** The resolved person, else the raw principal. */
    public String who() {
      return person != null ? person : actor;
    }
  }

  /**
   * What an incomplete run did not see.
   *
   * @param sources the sources that failed or were not read to the end, at most {@link #MAX_LISTED}
   * @param sourceCount how many there were
   * @param gaps the days on which an expected partition delivered nothing, at most {@link
   *     #MAX_LISTED}
   * @param gapCount how many there were
   */
  public record Incomplete(
      List<SourceOutcome> sources, int sourceCount, List<CoverageGap> gaps, int gapCount) {
    public static final int MAX_LISTED = 20;

    public Incomplete {
      sources = List.copyOf(sources);
      gaps = List.copyOf(gaps);
    }
  }
}
