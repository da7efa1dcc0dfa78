package dev.vouch.connector.git;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.core.model.Actor;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.Coordinates;
import dev.vouch.core.model.EventClass;
import dev.vouch.core.model.TimeWindow;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.jspecify.annotations.Nullable;

/**
 * A branch whose new head does not contain the head it had at the last pull: its history was
 * rewritten (force push, reset), and the commits that were on it and are no longer are named.
 *
 * @param branch the branch
 * @param oldHead the head remembered by the cursor
 * @param newHead the head now
 * @param dropped the commits reachable from the old head and not from the new one, newest first, at
 *     most {@link #MAX_LISTED}
 * @param truncated whether more commits were dropped than are listed
 * @param oldHeadMissing whether the mirror no longer holds the old head (it was re-created after
 *     the rewrite): then only the old head itself can be named
 */
record HistoryRewrite(
    String branch,
    String oldHead,
    String newHead,
    List<String> dropped,
    boolean truncated,
    boolean oldHeadMissing) {

  /** The attribute the core's matcher turns into verdict HISTORY_REWRITTEN. */
  static final String HISTORY_REWRITTEN_ATTRIBUTE = ChangeEvent.HISTORY_REWRITTEN_ATTRIBUTE;

  static final String OLD_HEAD = "git.oldHead";
  static final String NEW_HEAD = "git.newHead";
  static final String DROPPED = "git.dropped";
  static final String NOTE = "git.note";
  static final String KIND_REWRITE = "rewrite";

  /** At most this many dropped commits are named; a note says when there were more. */
  static final int MAX_LISTED = 1000;

  HistoryRewrite {
    dropped = List.copyOf(dropped);
  }

  /**
   * Compares a branch's remembered head with its new head.
   *
   * @return the rewrite, or null when the new head contains the old one (the branch only moved
   *     forward)
   */
  static @Nullable HistoryRewrite detect(
      Repository repository, String branch, String oldHead, ObjectId newHead) throws IOException {
    ObjectId old = ObjectId.fromString(oldHead);
    if (old.equals(newHead)) {
      return null;
    }
    try (RevWalk walk = new RevWalk(repository)) {
      RevCommit tip = walk.parseCommit(newHead);
      RevCommit base;
      try {
        base = walk.parseCommit(old);
      } catch (MissingObjectException | IncorrectObjectTypeException e) {
        return new HistoryRewrite(branch, oldHead, newHead.name(), List.of(oldHead), false, true);
      }
      if (walk.isMergedInto(base, tip)) {
        return null;
      }
    }
    List<String> dropped = new ArrayList<>();
    boolean truncated = false;
    try (RevWalk walk = new RevWalk(repository)) {
      walk.setRetainBody(false);
      walk.markStart(walk.parseCommit(old));
      walk.markUninteresting(walk.parseCommit(newHead));
      for (RevCommit commit : walk) {
        if (dropped.size() == MAX_LISTED) {
          truncated = true;
          break;
        }
        dropped.add(commit.name());
      }
    }
    return new HistoryRewrite(branch, oldHead, newHead.name(), dropped, truncated, false);
  }

  /**
   * When the rewrite is reported: the detection time, clamped into the window so that the run that
   * detects it reports it ({@code window.end - 1 ms} when the clock is past the window). Null when
   * the window is empty and holds no instant at all.
   */
  static @Nullable Instant reportedAt(Instant detectedAt, TimeWindow window) {
    if (!window.start().isBefore(window.end())) {
      return null;
    }
    Instant at = detectedAt;
    if (!at.isBefore(window.end())) {
      at = window.end().minusMillis(1);
    }
    if (at.isBefore(window.start())) {
      at = window.start();
    }
    return at;
  }

  String nativeId(String repoName) {
    return "rewrite:" + repoName + ":" + branch + ":" + oldHead + ".." + newHead;
  }

  String note() {
    if (oldHeadMissing) {
      return "the mirror no longer holds the old head (was it re-created after the rewrite?), so"
          + " only the old head is named; the commits that went with it cannot be listed";
    }
    if (truncated) {
      return "more than "
          + MAX_LISTED
          + " commits left the branch; the first "
          + MAX_LISTED
          + " (newest first) are named";
    }
    return "";
  }

  ChangeEvent toEvent(String sourceName, String repoName, Instant reportedAt, Instant detectedAt) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put(HISTORY_REWRITTEN_ATTRIBUTE, "true");
    attributes.put(CommitMapper.REPO, repoName);
    attributes.put(CommitMapper.BRANCH, branch);
    attributes.put(CommitMapper.KIND, KIND_REWRITE);
    attributes.put(OLD_HEAD, oldHead);
    attributes.put(NEW_HEAD, newHead);
    attributes.put(DROPPED, (truncated ? "more than " : "") + dropped.size());
    String note = note();
    if (!note.isEmpty()) {
      attributes.put(NOTE, note);
    }

    ObjectNode root = HeadsCursor.MAPPER.createObjectNode();
    ObjectNode rewrite = root.putObject("historyRewrite");
    rewrite.put("repo", repoName);
    rewrite.put("branch", branch);
    rewrite.put("oldHead", oldHead);
    rewrite.put("newHead", newHead);
    rewrite.put("detectedAt", detectedAt.toString());
    ArrayNode list = rewrite.putArray("dropped");
    dropped.forEach(list::add);
    rewrite.put("truncated", truncated);
    rewrite.put("oldHeadMissing", oldHeadMissing);
    if (!note.isEmpty()) {
      rewrite.put("note", note);
    }

    return new ChangeEvent(
        sourceName,
        CommitMapper.SOURCE_TYPE,
        nativeId(repoName),
        reportedAt,
        EventClass.CHANGE,
        true,
        new Coordinates(CommitMapper.PLATFORM, repoName, branch),
        new Actor("unknown", CommitMapper.ACTOR_TYPE, List.of(), null),
        "history rewritten " + repoName + ":" + branch,
        dropped,
        List.of(),
        attributes,
        root.toString());
  }
}
