package dev.vouch.core.match;

import dev.vouch.core.model.ChangeRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Change records indexed by system and time, so that finding the records near an event costs O(log
 * n + k) instead of a scan of every record: per system, an interval tree laid out over the records
 * sorted by the start of their reach (window widened by grace and proximity), each node holding the
 * latest reach end of its subtree.
 *
 * <p>Also indexes records by key, for change ids named explicitly in an event.
 */
public final class RecordIndex {
  private final Map<String, IntervalTree> bySystem = new HashMap<>();
  private final Map<String, List<ChangeRecord>> byKey = new HashMap<>();
  private final int size;

  public RecordIndex(Collection<ChangeRecord> records, MatchPolicy policy) {
    Map<String, List<ChangeRecord>> grouped = new HashMap<>();
    for (ChangeRecord record : records) {
      // A reference-only record (a pull request) covers what names it, not a stretch of time.
      if (!record.referenceOnly()) {
        for (String system : record.systems()) {
          grouped.computeIfAbsent(system, s -> new ArrayList<>()).add(record);
        }
      }
      byKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record);
    }
    grouped.forEach((system, list) -> bySystem.put(system, new IntervalTree(list, policy)));
    this.size = records.size();
  }

  public int size() {
    return size;
  }

  /** Records of the system whose window, widened by grace and proximity, contains the instant. */
  public List<ChangeRecord> near(String system, Instant at) {
    IntervalTree tree = bySystem.get(system);
    if (tree == null) {
      return List.of();
    }
    List<ChangeRecord> found = new ArrayList<>();
    tree.stab(at.toEpochMilli(), 0, tree.records.length - 1, found);
    return found;
  }

  /** Records with this key, in any source and for any system. */
  public List<ChangeRecord> byKey(String key) {
    return byKey.getOrDefault(key, List.of());
  }

  private static final class IntervalTree {
    final ChangeRecord[] records;
    final long[] low;
    final long[] high;
    final long[] maxHigh;

    IntervalTree(List<ChangeRecord> list, MatchPolicy policy) {
      long before = policy.reachBefore().toMillis();
      long after = policy.reachAfter().toMillis();
      records = list.toArray(ChangeRecord[]::new);
      Arrays.sort(
          records,
          Comparator.comparing((ChangeRecord r) -> r.window().start())
              .thenComparing(ChangeRecord::key)
              .thenComparing(ChangeRecord::source));
      int n = records.length;
      low = new long[n];
      high = new long[n];
      maxHigh = new long[n];
      for (int i = 0; i < n; i++) {
        low[i] = records[i].window().start().toEpochMilli() - before;
        high[i] = records[i].window().end().toEpochMilli() + after;
      }
      build(0, n - 1);
    }

    private long build(int from, int to) {
      if (from > to) {
        return Long.MIN_VALUE;
      }
      int mid = (from + to) >>> 1;
      long max = Math.max(high[mid], Math.max(build(from, mid - 1), build(mid + 1, to)));
      maxHigh[mid] = max;
      return max;
    }

    void stab(long at, int from, int to, List<ChangeRecord> out) {
      if (from > to) {
        return;
      }
      int mid = (from + to) >>> 1;
      if (maxHigh[mid] < at) {
        return;
      }
      stab(at, from, mid - 1, out);
      if (low[mid] <= at) {
        if (high[mid] >= at) {
          out.add(records[mid]);
        }
        stab(at, mid + 1, to, out);
      }
    }
  }
}
