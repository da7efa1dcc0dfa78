package dev.vouch.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.core.model.ChangeRecord;
import dev.vouch.core.spi.RecordSource;
import dev.vouch.core.spi.SourceException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link RecordSource} must pass. Extend it in the connector's tests and say how
 * to build the two sources it needs:
 *
 * <pre>{@code
 * class FileRecordSourceContractTest extends RecordSourceContract {
 *   @TempDir Path dir;
 *
 *   protected RecordSource readableSource(String name) throws Exception { ... }
 *   protected RecordSource unreadableSource(String name) throws Exception { ... }
 * }
 * }</pre>
 *
 * <p>What it checks: the source reports its configured name; pulling twice (from the same source
 * object, and from a fresh one over the same input) yields the same records and problems; every
 * record has a non-empty key, the configured source name and a location; keys are unique within one
 * pull; and a source whose input cannot be read at all throws {@link SourceException} instead of
 * returning as if there were no records.
 */
public abstract class RecordSourceContract {

  /** The name the contract configures its sources with. */
  protected static final String SOURCE_NAME = "contract-records";

  /**
   * A source named {@code name} over readable input that holds at least one valid record. Each call
   * must return a source over the same input.
   */
  protected abstract RecordSource readableSource(String name) throws Exception;

  /**
   * A source named {@code name} whose input cannot be read at all: a missing file, a refused login,
   * an unreachable service.
   */
  protected abstract RecordSource unreadableSource(String name) throws Exception;

  @Test
  void reportsItsConfiguredNameAndAType() throws Exception {
    RecordSource source = readableSource(SOURCE_NAME);

    assertThat(source.name()).isEqualTo(SOURCE_NAME);
    assertThat(source.type()).isNotBlank();
  }

  @Test
  void readableInputYieldsRecordsAndADetail() throws Exception {
    CollectingRecordSink sink = new CollectingRecordSink();

    String detail = readableSource(SOURCE_NAME).pull(sink);

    assertThat(sink.records())
        .as("the readable fixture must hold at least one valid record")
        .isNotEmpty();
    assertThat(detail).as("pull must describe what it read").isNotBlank();
  }

  @Test
  void pullingTwiceYieldsTheSameRecords() throws Exception {
    RecordSource source = readableSource(SOURCE_NAME);
    CollectingRecordSink first = new CollectingRecordSink();
    CollectingRecordSink second = new CollectingRecordSink();

    source.pull(first);
    source.pull(second);

    assertThat(second.records()).containsExactlyInAnyOrderElementsOf(first.records());
    assertThat(second.problems()).containsExactlyInAnyOrderElementsOf(first.problems());
  }

  @Test
  void aFreshSourceOverTheSameInputYieldsTheSameRecords() throws Exception {
    CollectingRecordSink first = new CollectingRecordSink();
    CollectingRecordSink second = new CollectingRecordSink();

    readableSource(SOURCE_NAME).pull(first);
    readableSource(SOURCE_NAME).pull(second);

    assertThat(second.records()).containsExactlyInAnyOrderElementsOf(first.records());
    assertThat(second.problems()).containsExactlyInAnyOrderElementsOf(first.problems());
  }

  @Test
  void everyRecordHasAKeyTheSourceNameAndALocation() throws Exception {
    CollectingRecordSink sink = new CollectingRecordSink();

    readableSource(SOURCE_NAME).pull(sink);

    for (ChangeRecord record : sink.records()) {
      assertThat(record.key()).as("key of %s", record).isNotBlank();
      assertThat(record.source()).as("source of %s", record.key()).isEqualTo(SOURCE_NAME);
      assertThat(record.location()).as("location of %s", record.key()).isNotBlank();
    }
  }

  @Test
  void keysAreUniqueWithinOnePull() throws Exception {
    CollectingRecordSink sink = new CollectingRecordSink();

    readableSource(SOURCE_NAME).pull(sink);

    List<String> keys = sink.keys();
    Set<String> seen = new HashSet<>();
    List<String> duplicates = keys.stream().filter(k -> !seen.add(k)).toList();
    assertThat(duplicates).as("keys delivered more than once").isEmpty();
  }

  @Test
  void unreadableInputThrowsSourceExceptionInsteadOfAnEmptyResult() throws Exception {
    RecordSource source = unreadableSource(SOURCE_NAME);
    CollectingRecordSink sink = new CollectingRecordSink();

    assertThatThrownBy(() -> source.pull(sink))
        .isInstanceOf(SourceException.class)
        .satisfies(
            e -> assertThat(e.getMessage()).as("the error must say what failed").isNotBlank());
    assertThat(sink.records()).as("records delivered by a source that could not read").isEmpty();
  }
}
