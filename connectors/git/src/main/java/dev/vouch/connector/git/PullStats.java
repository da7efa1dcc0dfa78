package dev.vouch.connector.git;

import java.util.ArrayList;
import java.util.List;

/** Counters of one pull, for its detail line and for tests. A pull runs on one thread. */
final class PullStats {
  /** Whether this pull created the mirror (clone) rather than updating it (fetch). */
  boolean cloned;

  /** Refs the fetch changed (new, moved or deleted branches). */
  long refsUpdated;

  /** Commits parsed while walking first-parent chains (what the walk cost). */
  long commitsRead;

  /** Commits delivered: committed inside the window. */
  long delivered;

  /** Commits in the window already delivered for another branch of this pull. */
  long duplicates;

  /** Commits without a committer time, rejected. */
  long rejected;

  /** History rewrites reported. */
  long rewrites;

  /** History rewrites found but not reported because the window was empty (kept for later). */
  long rewritesDeferred;

  final List<String> heads = new ArrayList<>();

  /**
   * The run-report line, such as {@code acme/shop: fetched (2 refs updated); main at 1a2b3c4; 57
   * commits read, 31 delivered; 1 history rewrite}.
   */
  String describe(String repoName) {
    StringBuilder text = new StringBuilder(repoName).append(": ");
    text.append(
        cloned ? "mirror cloned" : "fetched (" + plural(refsUpdated, "ref", "refs") + " updated)");
    text.append("; ").append(String.join(", ", heads));
    text.append("; ")
        .append(plural(commitsRead, "commit", "commits"))
        .append(" read, ")
        .append(delivered)
        .append(" delivered");
    if (duplicates > 0) {
      text.append(", ").append(duplicates).append(" already delivered for another branch");
    }
    if (rejected > 0) {
      text.append(", ").append(rejected).append(" rejected");
    }
    if (rewrites > 0) {
      text.append("; ").append(plural(rewrites, "history rewrite", "history rewrites"));
    }
    if (rewritesDeferred > 0) {
      text.append("; ")
          .append(plural(rewritesDeferred, "history rewrite", "history rewrites"))
          .append(" left for a pull with a non-empty window");
    }
    return text.toString();
  }

  private static String plural(long count, String one, String many) {
    return count + " " + (count == 1 ? one : many);
  }
}
