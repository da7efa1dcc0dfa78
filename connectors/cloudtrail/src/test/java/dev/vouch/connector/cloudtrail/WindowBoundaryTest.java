package dev.vouch.connector.cloudtrail;

import static dev.vouch.connector.cloudtrail.TestSupport.id;
import static dev.vouch.connector.cloudtrail.TestSupport.pull;
import static dev.vouch.connector.cloudtrail.TestSupport.record;
import static dev.vouch.connector.cloudtrail.TestSupport.recordsFile;
import static dev.vouch.connector.cloudtrail.TestSupport.source;
import static dev.vouch.connector.cloudtrail.TestSupport.window;
import static dev.vouch.connector.cloudtrail.TestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.connector.cloudtrail.TestSupport.Pulled;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.spi.InputProblem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Records are chosen by eventTime in {@code [start - lateDelivery, end)}, whatever form the time
 * takes: the window's own events, and the late deliveries of the allowance before it.
 */
class WindowBoundaryTest {
  private static final TimeWindow WINDOW = window("2024-03-14T00:00:00Z", "2024-03-15T00:00:00Z");

  @TempDir Path dir;

  @Test
  void shouldIncludeTheStartAndExcludeTheEndToTheNanosecond() throws Exception {
    write(
        dir.resolve("boundaries.json"),
        recordsFile(
            record("before-start", "2024-03-13T23:59:59.999999999Z"),
            record("at-start", "2024-03-14T00:00:00Z"),
            record("last-nanosecond", "2024-03-14T23:59:59.999999999Z"),
            record("at-end", "2024-03-15T00:00:00Z"),
            record("after-end", "2024-03-15T00:00:00.000000001Z")));

    Pulled pulled = pull(dir, WINDOW);

    assertThat(pulled.windowIds()).containsExactlyInAnyOrder(id("at-start"), id("last-nanosecond"));
    // The nanosecond before the start belongs to the window before: delivered late, not as ours.
    assertThat(pulled.ids())
        .containsExactlyInAnyOrder(id("before-start"), id("at-start"), id("last-nanosecond"));
    assertThat(pulled.sink().rejections()).isEmpty();
    assertThat(pulled.result().detail())
        .endsWith("3 events, 0 rejected, 2 records outside the window");
  }

  @Test
  void shouldDeliverTheLateAllowanceBeforeTheStartAndNothingOlder() throws Exception {
    write(
        dir.resolve("allowance.json"),
        recordsFile(
            record("older-than-allowance", "2024-03-12T23:59:59.999999999Z"),
            record("allowance-start", "2024-03-13T00:00:00Z"),
            record("in-window", "2024-03-14T10:00:00Z")));

    Pulled oneDay = pull(source(dir, Duration.ofDays(1), 1), WINDOW);
    Pulled sixHours = pull(source(dir, Duration.ofHours(6), 1), WINDOW);

    assertThat(oneDay.ids()).containsExactlyInAnyOrder(id("allowance-start"), id("in-window"));
    assertThat(sixHours.ids()).containsExactly(id("in-window"));
  }

  @Test
  void shouldSplitTheWindowsOwnEventsBetweenTwoAdjacentWindowsWithoutGapOrDouble()
      throws Exception {
    write(
        dir.resolve("noon.json"),
        recordsFile(
            record("morning", "2024-03-14T06:00:00Z"),
            record("just-before-noon", "2024-03-14T11:59:59.999999999Z"),
            record("noon", "2024-03-14T12:00:00Z")));
    TimeWindow am = window("2024-03-14T00:00:00Z", "2024-03-14T12:00:00Z");
    TimeWindow pm = window("2024-03-14T12:00:00Z", "2024-03-15T00:00:00Z");

    Pulled whole = pull(dir, WINDOW);
    Pulled morning = pull(dir, am);
    Pulled afternoon = pull(dir, pm);

    assertThat(morning.windowIds())
        .containsExactlyInAnyOrder(id("morning"), id("just-before-noon"));
    assertThat(afternoon.windowIds()).containsExactly(id("noon"));
    assertThat(whole.windowIds())
        .containsExactlyInAnyOrder(id("morning"), id("just-before-noon"), id("noon"));
    // The afternoon's allowance reaches back over the morning, whose events it delivers again
    // (the store keeps one copy); noon itself is never the morning's.
    assertThat(morning.ids()).containsExactlyInAnyOrder(id("morning"), id("just-before-noon"));
    assertThat(afternoon.ids())
        .containsExactlyInAnyOrder(id("noon"), id("morning"), id("just-before-noon"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "2024-03-14T08:43:17Z, 2024-03-14T08:43:17Z",
    "2024-03-14T08:43:17.123Z, 2024-03-14T08:43:17.123Z",
    "2024-03-14 08:43:17, 2024-03-14T08:43:17Z",
    "2024-03-14 08:43:17.000000000, 2024-03-14T08:43:17Z",
    "2024-03-14 08:43:17Z, 2024-03-14T08:43:17Z",
    "2024-03-14T09:43:17+01:00, 2024-03-14T08:43:17Z",
    "2024-03-14T01:43:17-0700, 2024-03-14T08:43:17Z",
    "2024-03-14T08:43Z, 2024-03-14T08:43:00Z"
  })
  void shouldReadTheTimeFormsFoundInExportsAsUtc(String eventTime, String instant) {
    assertThat(RecordMapper.parseTime(eventTime)).hasToString(instant);
  }

  @ParameterizedTest
  @CsvSource({
    "redacted",
    "...",
    "2024-13-01T00:00:00Z",
    "2024-03-14",
    "1710405797",
    "14/03/2024 08:43"
  })
  void shouldNotReadAnythingElseAsATime(String eventTime) {
    assertThat(RecordMapper.parseTime(eventTime)).isNull();
  }

  @Test
  void shouldJudgeAnOffsetTimeByItsInstant() throws Exception {
    write(
        dir.resolve("offsets.json"),
        recordsFile(
            record("late-evening-in-paris", "2024-03-15T00:30:00+01:00"),
            record("midnight-in-paris", "2024-03-15T01:00:00+01:00")));

    assertThat(pull(dir, WINDOW).ids()).containsExactly(id("late-evening-in-paris"));
  }

  @Test
  void shouldDropARecordOutsideTheWindowAndItsAllowanceEvenWhenItHasOtherProblems()
      throws Exception {
    // Rejected by the pulls that would deliver it (its own window's, and the next one's, whose
    // allowance covers it), not by every pull that reads its file.
    var noId = record("x", "2024-03-16T10:00:00Z");
    noId.remove("eventID");
    Path file = write(dir.resolve("elsewhere.json"), recordsFile(noId));
    InputProblem rejection =
        new InputProblem(
            file + ":1",
            "CloudTrail record iam.amazonaws.com:CreateRole: no eventID (record 1 in the file)",
            InputProblem.Extent.RECORD,
            Map.of(
                InputProblem.EVENT_NAME,
                "iam.amazonaws.com:CreateRole",
                InputProblem.ACTOR,
                "arn:aws:iam::111122223333:user/alice",
                InputProblem.TIME,
                "2024-03-16T10:00:00Z"));

    assertThat(pull(dir, WINDOW).sink().rejections()).isEmpty();
    assertThat(
            pull(dir, window("2024-03-16T00:00:00Z", "2024-03-17T00:00:00Z")).sink().rejections())
        .containsExactly(rejection);
    assertThat(
            pull(dir, window("2024-03-17T00:00:00Z", "2024-03-18T00:00:00Z")).sink().rejections())
        .containsExactly(rejection);
    assertThat(
            pull(dir, window("2024-03-18T00:00:00Z", "2024-03-19T00:00:00Z")).sink().rejections())
        .isEmpty();
  }
}
