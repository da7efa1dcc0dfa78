package dev.vouch.connector.k8s;

import java.util.ArrayList;
import java.util.List;

/** Counters of one pull, for its detail line. A pull runs on one thread. */
final class PullStats {
  long files;
  long gzipFiles;
  long upToDate;
  long notReady;
  long vanished;
  long ignored;
  long compressing;
  long filesWithErrors;
  long lines;
  long delivered;
  long changes;
  long otherStages;
  long duplicates;
  long controlMessages;
  long rejected;
  long partialLines;
  long incompleteDocuments;

  /**
   * The run-report line, such as {@code 3 files (1 gzip, 1 already read to the end), 1204 new
   * lines; 1100 events delivered (310 changes), 80 at other stages skipped, 20 repeated events
   * skipped, 4 rejected; 1 partial last line left for the next pull}.
   */
  String describe() {
    List<String> fileNotes = new ArrayList<>();
    if (gzipFiles > 0) {
      fileNotes.add(gzipFiles + " gzip");
    }
    if (upToDate > 0) {
      fileNotes.add(upToDate + " already read to the end");
    }
    if (notReady > 0) {
      fileNotes.add(
          plural(
              notReady, "without a complete first line yet", "without a complete first line yet"));
    }
    if (compressing > 0) {
      fileNotes.add(plural(compressing, "gzip copy", "gzip copies") + " being written skipped");
    }
    if (vanished > 0) {
      fileNotes.add(plural(vanished, "file", "files") + " gone while reading");
    }
    if (ignored > 0) {
      fileNotes.add(plural(ignored, "other file", "other files") + " ignored");
    }
    if (filesWithErrors > 0) {
      fileNotes.add(plural(filesWithErrors, "file", "files") + " not read to the end");
    }
    StringBuilder text = new StringBuilder(plural(files, "file", "files"));
    if (!fileNotes.isEmpty()) {
      text.append(" (").append(String.join(", ", fileNotes)).append(')');
    }
    text.append(", ")
        .append(plural(lines, "new line", "new lines"))
        .append("; ")
        .append(plural(delivered, "event", "events"))
        .append(" delivered (")
        .append(plural(changes, "change", "changes"))
        .append("), ")
        .append(otherStages)
        .append(" at other stages skipped, ")
        .append(plural(duplicates, "repeated event", "repeated events"))
        .append(" skipped, ");
    if (controlMessages > 0) {
      text.append(
              plural(
                  controlMessages,
                  "CloudWatch Logs control message",
                  "CloudWatch Logs control messages"))
          .append(" skipped, ");
    }
    text.append(rejected).append(" rejected");
    if (partialLines > 0) {
      text.append("; ")
          .append(plural(partialLines, "partial last line", "partial last lines"))
          .append(" left for the next pull");
    }
    if (incompleteDocuments > 0) {
      text.append("; ")
          .append(plural(incompleteDocuments, "JSON document", "JSON documents"))
          .append(" ending inside a value left for the next pull");
    }
    return text.toString();
  }

  private static String plural(long count, String one, String many) {
    return count + " " + (count == 1 ? one : many);
  }
}
