package dev.vouch.core.spi;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a change source reports after a complete pull.
 *
 * @param cursor the position to resume from next time; stored with the last batch it covers
 * @param unitsRead files (or pages) read
 * @param detail a short human description of what was read, for the run report
 * @param partitionsComplete partitions ({@link dev.vouch.core.model.Coordinates#partition()}) the
 *     pull proved it read in full for the whole window even where they held nothing, such as a git
 *     branch fetched to its head: a day without events there is a quiet day, not a gap. Sources
 *     that cannot prove silence (a log that may simply not have arrived) leave this empty.
 */
public record PullResult(
    @Nullable String cursor, long unitsRead, String detail, Set<String> partitionsComplete) {

  public PullResult {
    partitionsComplete = Set.copyOf(partitionsComplete);
  }

  /** A pull that proves no partition's silence. */
  public PullResult(@Nullable String cursor, long unitsRead, String detail) {
    this(cursor, unitsRead, detail, Set.of());
  }
}
