package dev.vouch.connector.cloudtrail;

import static dev.vouch.connector.cloudtrail.TestSupport.ALL_TIME;
import static dev.vouch.connector.cloudtrail.TestSupport.pull;
import static dev.vouch.connector.cloudtrail.TestSupport.record;
import static dev.vouch.connector.cloudtrail.TestSupport.recordsFile;
import static dev.vouch.connector.cloudtrail.TestSupport.source;
import static dev.vouch.connector.cloudtrail.TestSupport.writeGzip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.connector.cloudtrail.TestSupport.Pulled;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.spi.InputProblem;
import dev.vouch.core.spi.ObservationSink;
import dev.vouch.core.spi.PullRequest;
import dev.vouch.core.spi.SourceException;
import dev.vouch.testkit.CollectingObservationSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parallel reading of many files, and the failures that must fail the pull. */
class SourceFailureTest {
  @TempDir Path dir;

  private void manyFiles(int files, int recordsPerFile) {
    for (int f = 0; f < files; f++) {
      JsonNode[] records = new JsonNode[recordsPerFile];
      for (int r = 0; r < recordsPerFile; r++) {
        records[r] = record("f" + f + "-r" + r, "2024-03-14T10:00:00Z");
      }
      writeGzip(
          dir.resolve("part-" + (f % 7)).resolve("file-" + f + ".json.gz"), recordsFile(records));
    }
  }

  @Test
  void shouldReadManyFilesInParallelExactlyOnce() throws Exception {
    manyFiles(300, 5);

    Pulled pulled = pull(source(dir, Duration.ofDays(2), 4), ALL_TIME);

    assertThat(pulled.ids()).hasSize(1500).doesNotHaveDuplicates();
    assertThat(pulled.result().unitsRead()).isEqualTo(300);
    assertThat(pulled.sink().unitsDone()).hasSize(300).doesNotHaveDuplicates();
    assertThat(pulled.sink().rejections()).isEmpty();
  }

  @Test
  void shouldUseWorkerThreadsNamedAfterTheSource() throws Exception {
    manyFiles(20, 1);
    Set<String> threads = java.util.Collections.synchronizedSet(new HashSet<>());
    CollectingObservationSink sink = new CollectingObservationSink();
    ObservationSink recordingThreads =
        new ObservationSink() {
          @Override
          public void accept(ChangeEvent event) {
            threads.add(Thread.currentThread().getName());
            sink.accept(event);
          }

          @Override
          public void reject(InputProblem problem) {
            sink.reject(problem);
          }
        };

    source(dir, Duration.ofDays(2), 3).pull(new PullRequest(ALL_TIME, null), recordingThreads);

    assertThat(threads).isNotEmpty().allMatch(name -> name.startsWith("vouch-cloudtrail-trail-"));
    assertThat(sink.events()).hasSize(20);
  }

  @Test
  void shouldFailThePullWhenTheSinkFails() throws Exception {
    manyFiles(50, 4);
    AtomicInteger accepted = new AtomicInteger();
    ObservationSink failing =
        new ObservationSink() {
          @Override
          public void accept(ChangeEvent event) {
            if (accepted.incrementAndGet() == 10) {
              throw new IllegalStateException("store is full");
            }
          }

          @Override
          public void reject(InputProblem problem) {}
        };

    assertThatThrownBy(
            () -> source(dir, Duration.ofDays(2), 2).pull(new PullRequest(ALL_TIME, null), failing))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("store is full")
        .hasCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void shouldFailWhenThePathDoesNotExist() {
    Path missing = dir.resolve("AWSLogs-not-synced");

    assertThatThrownBy(() -> pull(missing, ALL_TIME))
        .isInstanceOf(SourceException.class)
        .hasMessage("CloudTrail path " + missing + " does not exist");
  }

  @Test
  void shouldFailWhenThePathIsNeitherFileNorDirectory() {
    Path device = Path.of("/dev/null");

    assertThatThrownBy(() -> pull(device, ALL_TIME))
        .isInstanceOf(SourceException.class)
        .hasMessage("CloudTrail path /dev/null is neither a directory nor a regular file");
  }

  @Test
  void shouldReadASingleFileWhateverItsName() throws Exception {
    Path file =
        TestSupport.write(
            dir.resolve("export.log"), recordsFile(record("one", "2024-03-14T10:00:00Z")));

    Pulled pulled = pull(file, ALL_TIME);

    assertThat(pulled.ids()).containsExactly(TestSupport.id("one"));
    assertThat(pulled.sink().unitsDone()).containsExactly(file.toString());
    assertThat(pulled.result().unitsRead()).isEqualTo(1);
  }
}
