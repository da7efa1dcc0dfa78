package dev.vouch.connector.cloudtrail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one pull, updated from the walker and the worker threads. */
final class PullStats {
  final LongAdder filesRead = new LongAdder();
  final LongAdder filesWithErrors = new LongAdder();
  final LongAdder digestFiles = new LongAdder();
  final LongAdder ignoredFiles = new LongAdder();
  final LongAdder filesOutsideDelivery = new LongAdder();
  final LongAdder foldersOutsideDelivery = new LongAdder();
  final LongAdder otherServiceFolders = new LongAdder();
  final LongAdder accepted = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder outsideWindow = new LongAdder();

  /**
   * The run-report line, such as {@code 412 files (3 digest files skipped, 2 other files ignored);
   * 10234 events, 17 rejected, 51 records outside the window}.
   */
  String describe(DeliveryRange range) {
    List<String> skipped = new ArrayList<>();
    skipped.add(plural(digestFiles.sum(), "digest file") + " skipped");
    skipped.add(plural(ignoredFiles.sum(), "other file") + " ignored");
    if (filesOutsideDelivery.sum() > 0) {
      skipped.add(
          plural(filesOutsideDelivery.sum(), "file") + " delivered outside " + range + " not read");
    }
    if (foldersOutsideDelivery.sum() > 0) {
      skipped.add(
          plural(foldersOutsideDelivery.sum(), "date folder") + " outside " + range + " not read");
    }
    if (otherServiceFolders.sum() > 0) {
      skipped.add(plural(otherServiceFolders.sum(), "non-CloudTrail AWSLogs folder") + " skipped");
    }
    if (filesWithErrors.sum() > 0) {
      skipped.add(plural(filesWithErrors.sum(), "file") + " not read to the end");
    }
    return plural(filesRead.sum(), "file")
        + " ("
        + String.join(", ", skipped)
        + "); "
        + plural(accepted.sum(), "event")
        + ", "
        + rejected.sum()
        + " rejected, "
        + plural(outsideWindow.sum(), "record")
        + " outside the window";
  }

  private static String plural(long count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }
}
