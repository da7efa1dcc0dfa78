package dev.vouch.connector.cloudtrail;

import static dev.vouch.connector.cloudtrail.TestSupport.pull;
import static dev.vouch.connector.cloudtrail.TestSupport.record;
import static dev.vouch.connector.cloudtrail.TestSupport.recordsFile;
import static dev.vouch.connector.cloudtrail.TestSupport.window;
import static dev.vouch.connector.cloudtrail.TestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.connector.cloudtrail.TestSupport.Pulled;
import dev.vouch.core.model.TimeWindow;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Records are chosen by eventTime in {@code [start, end)}, whatever form the time takes. */
class WindowBoundaryTest {
  private static final TimeWindow WINDOW = window("2024-03-14T00:00:00Z", "2024-03-15T00:00:00Z");

  @TempDir Path dir;

  @Test
  void shouldIncludeTheStartAndExcludeTheEnd() throws Exception {
    write(
        dir.resolve("boundaries.json"),
        recordsFile(
            record("before-start", "2024-03-13T23:59:59.999Z"),
            record("at-start", "2024-03-14T00:00:00Z"),
            record("last-millisecond", "2024-03-14T23:59:59.999Z"),
            record("at-end", "2024-03-15T00:00:00Z"),
            record("after-end", "2024-03-15T00:00:00.001Z")));

    Pulled pulled = pull(dir, WINDOW);

    assertThat(pulled.ids()).containsExactlyInAnyOrder("at-start", "last-millisecond");
    assertThat(pulled.sink().rejections()).isEmpty();
    assertThat(pulled.result().detail())
        .endsWith("2 events, 0 rejected, 3 records outside the window");
  }

  @Test
  void shouldPutABoundaryEventInExactlyOneOfTwoAdjacentWindows() throws Exception {
    write(dir.resolve("noon.json"), recordsFile(record("noon", "2024-03-14T12:00:00Z")));

    Pulled morning = pull(dir, window("2024-03-14T00:00:00Z", "2024-03-14T12:00:00Z"));
    Pulled afternoon = pull(dir, window("2024-03-14T12:00:00Z", "2024-03-15T00:00:00Z"));

    assertThat(morning.ids()).isEmpty();
    assertThat(afternoon.ids()).containsExactly("noon");
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

    assertThat(pull(dir, WINDOW).ids()).containsExactly("late-evening-in-paris");
  }

  @Test
  void shouldDropARecordOutsideTheWindowEvenWhenItHasOtherProblems() throws Exception {
    // Rejected by the pull of its own window only, not by every pull that reads its file.
    var noId = record("x", "2024-03-16T10:00:00Z");
    noId.remove("eventID");
    write(dir.resolve("elsewhere.json"), recordsFile(noId));

    assertThat(pull(dir, WINDOW).sink().rejections()).isEmpty();
    assertThat(
            pull(dir, window("2024-03-16T00:00:00Z", "2024-03-17T00:00:00Z")).sink().rejections())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("no eventID"));
  }
}
