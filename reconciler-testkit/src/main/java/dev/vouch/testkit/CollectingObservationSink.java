package dev.vouch.testkit;

import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.spi.InputProblem;
import dev.vouch.core.spi.ObservationSink;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An {@link ObservationSink} that keeps everything it is given, for assertions in tests.
 *
 * <p>Thread-safe: a source may call it from several worker threads at once. The accessors return
 * snapshots in arrival order; with a multi-threaded source that order is not deterministic, so
 * compare contents, not positions.
 */
public final class CollectingObservationSink implements ObservationSink {
  private final List<ChangeEvent> events = Collections.synchronizedList(new ArrayList<>());
  private final List<InputProblem> rejections = Collections.synchronizedList(new ArrayList<>());
  private final List<String> unitsDone = Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong planned = new AtomicLong();
  private final AtomicLong plannedCalls = new AtomicLong();

  @Override
  public void accept(ChangeEvent event) {
    events.add(event);
  }

  @Override
  public void reject(InputProblem problem) {
    rejections.add(problem);
  }

  @Override
  public void planned(long units) {
    planned.addAndGet(units);
    plannedCalls.incrementAndGet();
  }

  @Override
  public void unitDone(String unit) {
    unitsDone.add(unit);
  }

  /** Every accepted event, in arrival order. */
  public List<ChangeEvent> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /** Every rejected piece of input, in arrival order. */
  public List<InputProblem> rejections() {
    synchronized (rejections) {
      return List.copyOf(rejections);
    }
  }

  /** The units reported done through {@link #unitDone}, in arrival order. */
  public List<String> unitsDone() {
    synchronized (unitsDone) {
      return List.copyOf(unitsDone);
    }
  }

  /** The sum of every {@link #planned} call; 0 when the source never announced a plan. */
  public long plannedUnits() {
    return planned.get();
  }

  /** Whether the source called {@link #planned} at all. */
  public boolean planAnnounced() {
    return plannedCalls.get() > 0;
  }

  /** The native ids of the accepted events, in arrival order, duplicates kept. */
  public List<String> nativeIds() {
    return events().stream().map(ChangeEvent::nativeId).toList();
  }

  /** The first accepted event with this native id, if any. */
  public Optional<ChangeEvent> event(String nativeId) {
    return events().stream().filter(e -> e.nativeId().equals(nativeId)).findFirst();
  }

  /**
   * The one accepted event with this native id.
   *
   * @throws AssertionError when there is none or more than one
   */
  public ChangeEvent onlyEvent(String nativeId) {
    List<ChangeEvent> matching =
        events().stream().filter(e -> e.nativeId().equals(nativeId)).toList();
    if (matching.size() != 1) {
      throw new AssertionError(
          "expected exactly one event with native id "
              + nativeId
              + " but found "
              + matching.size()
              + "; rejections: "
              + rejections());
    }
    return matching.get(0);
  }

  /** Forgets everything collected so far. */
  public void clear() {
    events.clear();
    rejections.clear();
    unitsDone.clear();
    planned.set(0);
    plannedCalls.set(0);
  }

  @Override
  public String toString() {
    return "CollectingObservationSink["
        + events.size()
        + " events, "
        + rejections.size()
        + " rejections, "
        + unitsDone.size()
        + " units done]";
  }
}
