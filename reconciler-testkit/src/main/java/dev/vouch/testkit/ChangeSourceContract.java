package dev.vouch.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ChangeSource} passes. A connector's test class extends this, points it
 * at fixture input whose events it knows, and inherits the tests.
 *
 * <p>What it checks:
 *
 * <ul>
 *   <li>a pull of the window delivers exactly the expected events, each stamped with the source's
 *       name and type and lying inside the window;
 *   <li>pulling the same window again (with the cursor the first pull returned, and afresh from a
 *       new instance with no cursor) delivers the same events: same native ids, none lost, none
 *       added;
 *   <li>two adjacent windows that split the window deliver together exactly what the whole window
 *       delivers: no gap and no double delivery at the boundary;
 *   <li>an empty window delivers nothing;
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

  /** Pulls once into a new sink. */
  protected final Pull pull(ChangeSource source, PullRequest request) throws SourceException {
    CollectingObservationSink sink = new CollectingObservationSink();
    PullResult result = source.pull(request, sink);
    return new Pull(result, sink);
  }

  /** One pull's result and what its sink collected. */
  protected record Pull(PullResult result, CollectingObservationSink sink) {
    public List<String> nativeIds() {
      return sink.nativeIds();
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
      assertThat(event.sourceType()).as("sourceType of %s", event).isEqualTo(source.type());
      assertThat(window.contains(event.occurredAt()))
          .as("%s occurred at %s, inside %s", event.key(), event.occurredAt(), window)
          .isTrue();
    }
  }

  @Test
  void shouldDeliverTheSameEventsWhenTheSameWindowIsPulledAgain() throws Exception {
    ChangeSource source = createSource();
    TimeWindow window = window();

    Pull first = pull(source, new PullRequest(window, null));
    Pull again = pull(source, new PullRequest(window, first.result().cursor()));
    Pull afresh = pull(createSource(), new PullRequest(window, null));

    assertThat(again.nativeIds())
        .as("second pull of %s with the cursor of the first", window)
        .containsExactlyInAnyOrderElementsOf(first.nativeIds());
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

    assertThat(pull.nativeIds()).isEmpty();
    assertThat(pull.result().cursor()).isNotNull();
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
