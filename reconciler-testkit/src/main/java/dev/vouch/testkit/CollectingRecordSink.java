package dev.vouch.testkit;

import dev.vouch.core.model.ChangeRecord;
import dev.vouch.core.spi.InputProblem;
import dev.vouch.core.spi.RecordSink;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A {@link RecordSink} that keeps everything it is given, in order, for assertions. Thread-safe, so
 * it also serves sources that call the sink from worker threads.
 */
public final class CollectingRecordSink implements RecordSink {
  private final List<ChangeRecord> records = new ArrayList<>();
  private final List<InputProblem> problems = new ArrayList<>();

  @Override
  public synchronized void accept(ChangeRecord record) {
    records.add(record);
  }

  @Override
  public synchronized void reject(InputProblem problem) {
    problems.add(problem);
  }

  /** The accepted records, in the order they arrived. */
  public synchronized List<ChangeRecord> records() {
    return List.copyOf(records);
  }

  /** The reported problems, in the order they arrived. */
  public synchronized List<InputProblem> problems() {
    return List.copyOf(problems);
  }

  /** The keys of the accepted records, in the order they arrived. */
  public synchronized List<String> keys() {
    return records.stream().map(ChangeRecord::key).toList();
  }

  /** The problems as {@code location: message} lines, which read well in assertion failures. */
  public synchronized List<String> problemLines() {
    return problems.stream().map(InputProblem::toString).toList();
  }

  /**
   * The accepted record with this key.
   *
   * @throws NoSuchElementException when no record has the key
   */
  public synchronized ChangeRecord record(String key) {
    return records.stream()
        .filter(r -> r.key().equals(key))
        .findFirst()
        .orElseThrow(() -> new NoSuchElementException("no record '" + key + "' among " + keys()));
  }

  /** Forgets everything collected so far. */
  public synchronized void clear() {
    records.clear();
    problems.clear();
  }
}
