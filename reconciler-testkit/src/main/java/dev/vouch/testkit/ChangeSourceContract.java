package dev.vouch.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.spi.ChangeSource;
import dev.vouch.core.spi.PullRequest;
import dev.vouch.core.spi.PullResult;
import dev.vouch.core.spi.SourceException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ChangeSource} passes. A connector's test class extends this, points it
 * at fixture input whose events it knows, and inherits the tests.
 *
 * <p>Two kinds of source pass it. A <em>windowed</em> source (the default, {@link
 * #deliversOnlyWindow()} true) selects events by the request's window: the window alone decides
 * what a pull delivers, and pulling a window again delivers it again. Besides the window it
 * delivers the events of its {@linkplain ChangeSource#lateDelivery() lateness allowance} before it
 * (a late delivery of an earlier window); the checks below look at the events of each pull's own
 * window, and check that nothing else falls outside the allowance. A <em>streaming</em> source
 * ({@link #deliversOnlyWindow()} false), such as a log read by position, delivers every event it
 * has not delivered before, whatever its time, and its cursor is a position in the stream: the
 * store keeps what it is given and matching selects by window.
 *
 * <p>What it checks:
 *
 * <ul>
 *   <li>a pull delivers exactly the expected events, each stamped with the source's name and
 *       {@linkplain #expectedSourceType source type}; a windowed source's events all lie inside the
 *       window or its lateness allowance before it;
 *   <li>windowed: pulling the same window again (with the cursor the first pull returned, by the
 *       same and by a new instance, and afresh from a new instance with no cursor) delivers the
 *       same events: same native ids, none lost, none added. Streaming: resuming from the cursor
 *       delivers nothing already delivered (also from a new instance given that cursor), and a new
 *       instance without a cursor delivers the same events again;
 *   <li>two adjacent windows that split the window deliver together exactly what the whole window
 *       delivers: no gap and no double delivery at the boundary;
 *   <li>windowed: an empty window delivers nothing. Streaming: the window does not filter the
 *       stream, so an empty window delivers everything not yet delivered;
 *   <li>streaming, when the fixture can grow ({@link #appendEvents}): events appended after a pull
 *       are delivered by the next pull from its cursor, exactly once, and nothing else is;
 *   <li>a successful pull returns a non-null cursor;
 *   <li>a source pointed at input that cannot be read at all throws {@link SourceException} rather
 *       than returning normally (an empty result must never stand in for an error).
 * </ul>
 *
 * <p>Each test gets fresh sources from the factory methods, so an implementation may keep state in
 * instance fields (JUnit creates a test instance per test method).
 */
public abstract class ChangeSourceContract {

  /** A new source over readable fixture input holding the expected events of {@link #window()}. */
  protected abstract ChangeSource createSource() throws Exception;

  /**
   * A new source pointed at input that cannot be read at all (a missing directory, an unreachable
   * endpoint, refused credentials).
   */
  protected abstract ChangeSource createUnreadableSource() throws Exception;

  /** The window to pull. */
  protected abstract TimeWindow window();

  /** The native ids of every event the fixture holds inside {@link #window()}. */
  protected abstract Collection<String> expectedNativeIds();

  /**
   * How many rejections a pull of {@link #window()} reports; 0 unless the fixture holds bad input
   * on purpose.
   */
  protected int expectedRejections() {
    return 0;
  }

  /**
   * Where {@link #shouldNeitherLoseNorDoubleEventsAcrossAdjacentWindows} splits the window; the
   * middle of it unless overridden (put an event exactly on the split point to test the boundary).
   */
  protected Instant splitPoint() {
    TimeWindow w = window();
    return w.start().plus(w.length().dividedBy(2));
  }

  /**
   * Whether the source delivers only the events of the request's window (true, the default), or is
   * a stream that delivers everything not delivered before, whatever its time (false).
   */
  protected boolean deliversOnlyWindow() {
    return true;
  }

  /**
   * The {@link ChangeEvent#sourceType()} the source's events carry: its {@link ChangeSource#type()}
   * unless overridden (several connector types may feed one kind of event, such as a log file and a
   * webhook both delivering Kubernetes audit events, so that the store de-duplicates across them).
   */
  protected String expectedSourceType(ChangeSource source) {
    return source.type();
  }

  /**
   * For streaming sources: appends new events to the fixture input that {@link #createSource()}
   * reads, and returns their native ids. The default returns null, which means the fixture cannot
   * grow and the test of appended events is skipped.
   */
  protected @Nullable Collection<String> appendEvents() throws Exception {
    return null;
  }

  /** Pulls once into a new sink. */
  protected final Pull pull(ChangeSource source, PullRequest request) throws SourceException {
    CollectingObservationSink sink = new CollectingObservationSink();
    PullResult result = source.pull(request, sink);
    return new Pull(result, sink, deliversOnlyWindow() ? request.window() : null);
  }

  /**
   * One pull's result and what its sink collected.
   *
   * @param window for a windowed source, the window asked for: {@link #nativeIds()} are the events
   *     of that window, without the late deliveries of earlier ones; null for a stream
   */
  protected record Pull(
      PullResult result, CollectingObservationSink sink, @Nullable TimeWindow window) {
    public List<String> nativeIds() {
      if (window == null) {
        return sink.nativeIds();
      }
      return sink.events().stream()
          .filter(event -> window.contains(event.occurredAt()))
          .map(ChangeEvent::nativeId)
          .toList();
    }
  }

  @Test
  void shouldDeliverTheExpectedEventsOfTheWindow() throws Exception {
    ChangeSource source = createSource();
    TimeWindow window = window();

    Pull pull = pull(source, new PullRequest(window, null));

    assertThat(pull.nativeIds())
        .as("native ids delivered for %s (rejections: %s)", window, pull.sink().rejections())
        .containsExactlyInAnyOrderElementsOf(expectedNativeIds());
    assertThat(pull.sink().rejections()).hasSize(expectedRejections());
    for (ChangeEvent event : pull.sink().events()) {
      assertThat(event.source()).as("source of %s", event).isEqualTo(source.name());
      assertThat(event.sourceType())
          .as("sourceType of %s", event)
          .isEqualTo(expectedSourceType(source));
      if (deliversOnlyWindow()) {
        TimeWindow allowed = window.widen(source.lateDelivery(), java.time.Duration.ZERO);
        assertThat(allowed.contains(event.occurredAt()))
            .as(
                "%s occurred at %s, inside %s or its lateness allowance (%s) before it",
                event.key(), event.occurredAt(), window, source.lateDelivery())
            .isTrue();
      }
    }
  }

  @Test
  void shouldDeliverTheSameEventsWhenTheSameWindowIsPulledAgain() throws Exception {
    ChangeSource source = createSource();
    TimeWindow window = window();

    Pull first = pull(source, new PullRequest(window, null));
    Pull again = pull(source, new PullRequest(window, first.result().cursor()));
    Pull resumed = pull(createSource(), new PullRequest(window, first.result().cursor()));
    Pull afresh = pull(createSource(), new PullRequest(window, null));

    if (deliversOnlyWindow()) {
      assertThat(again.nativeIds())
          .as("second pull of %s with the cursor of the first", window)
          .containsExactlyInAnyOrderElementsOf(first.nativeIds());
      assertThat(resumed.nativeIds())
          .as("pull of %s by a new instance with the cursor of the first", window)
          .containsExactlyInAnyOrderElementsOf(first.nativeIds());
    } else {
      assertThat(again.nativeIds())
          .as("stream resumed from the cursor of the first pull: nothing delivered twice")
          .isEmpty();
      assertThat(resumed.nativeIds())
          .as("stream resumed by a new instance from the cursor of the first pull")
          .isEmpty();
      assertThat(again.result().cursor()).as("cursor after a pull that found nothing").isNotNull();
    }
    assertThat(afresh.nativeIds())
        .as("pull of %s by a new instance without a cursor", window)
        .containsExactlyInAnyOrderElementsOf(first.nativeIds());
  }

  @Test
  void shouldNeitherLoseNorDoubleEventsAcrossAdjacentWindows() throws Exception {
    TimeWindow window = window();
    Instant split = splitPoint();
    ChangeSource source = createSource();

    Pull whole = pull(source, new PullRequest(window, null));
    Pull before = pull(source, new PullRequest(new TimeWindow(window.start(), split), null));
    Pull after =
        pull(
            source, new PullRequest(new TimeWindow(split, window.end()), before.result().cursor()));

    Set<String> overlap = new HashSet<>(before.nativeIds());
    overlap.retainAll(new HashSet<>(after.nativeIds()));
    assertThat(overlap).as("events delivered on both sides of %s", split).isEmpty();
    List<String> union = new ArrayList<>(before.nativeIds());
    union.addAll(after.nativeIds());
    assertThat(union)
        .as("events of [%s, %s) + [%s, %s)", window.start(), split, split, window.end())
        .containsExactlyInAnyOrderElementsOf(whole.nativeIds());
  }

  @Test
  void shouldDeliverNothingForAnEmptyWindow() throws Exception {
    Instant at = splitPoint();

    Pull pull = pull(createSource(), new PullRequest(new TimeWindow(at, at), null));

    if (deliversOnlyWindow()) {
      assertThat(pull.nativeIds()).isEmpty();
    } else {
      assertThat(pull.nativeIds())
          .as("a stream delivers what it has not delivered yet, whatever the window")
          .containsExactlyInAnyOrderElementsOf(expectedNativeIds());
    }
    assertThat(pull.result().cursor()).isNotNull();
  }

  @Test
  void shouldDeliverAppendedEventsOnTheNextPull() throws Exception {
    assumeFalse(deliversOnlyWindow(), "only streaming sources deliver by position");
    ChangeSource source = createSource();
    TimeWindow window = window();
    Pull first = pull(source, new PullRequest(window, null));

    Collection<String> appended = appendEvents();
    assumeFalse(appended == null, "the fixture cannot grow");

    Pull next = pull(source, new PullRequest(window, first.result().cursor()));
    Pull resumed = pull(createSource(), new PullRequest(window, first.result().cursor()));
    Pull after = pull(source, new PullRequest(window, next.result().cursor()));

    assertThat(next.nativeIds())
        .as(
            "events appended after the first pull, delivered by the next (rejections: %s)",
            next.sink().rejections())
        .containsExactlyInAnyOrderElementsOf(appended);
    assertThat(resumed.nativeIds())
        .as("the same, pulled by a new instance from the first pull's cursor")
        .containsExactlyInAnyOrderElementsOf(appended);
    assertThat(after.nativeIds()).as("a third pull, with nothing appended").isEmpty();
    Set<String> twice = new HashSet<>(first.nativeIds());
    twice.retainAll(new HashSet<>(next.nativeIds()));
    assertThat(twice).as("events delivered by both pulls").isEmpty();
  }

  @Test
  void shouldReturnACursorAfterASuccessfulPull() throws Exception {
    Pull pull = pull(createSource(), new PullRequest(window(), null));

    assertThat(pull.result().cursor()).isNotNull();
    assertThat(pull.result().detail()).isNotNull();
  }

  @Test
  void shouldThrowSourceExceptionWhenTheInputCannotBeRead() throws Exception {
    ChangeSource source = createUnreadableSource();
    CollectingObservationSink sink = new CollectingObservationSink();

    assertThatThrownBy(() -> source.pull(new PullRequest(window(), null), sink))
        .isInstanceOf(SourceException.class)
        .satisfies(e -> assertThat(e.getMessage()).as("message").isNotBlank());
    assertThat(sink.events()).as("events delivered before failing").isEmpty();
  }
}
