package dev.vouch.connector.git;

import dev.vouch.core.model.Coordinates;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.spi.ChangeSource;
import dev.vouch.core.spi.InputProblem;
import dev.vouch.core.spi.ObservationSink;
import dev.vouch.core.spi.PullRequest;
import dev.vouch.core.spi.PullResult;
import dev.vouch.core.spi.SourceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.jspecify.annotations.Nullable;

/**
 * A {@code git} source: what landed on a repository's protected branches.
 *
 * <p>A pull updates Vouch's mirror of the repository, then, for each branch, walks the first-parent
 * chain from the branch head (the commits that landed on the branch: pushes, merge commits, squash
 * merges, not the commits of merged feature branches) and delivers every commit whose committer
 * time lies in the window. The walk stops at the first commit committed before the window's start
 * minus {@code lookback}, so its cost is the commits since the window's start, not the repository's
 * history. It is a windowed source: the window alone decides which commits a pull delivers.
 *
 * <p>The cursor remembers each branch's head. When a branch's new head does not contain the old one
 * (force push, reset), the pull delivers one more event, marked {@code vouch.historyRewritten},
 * naming the commits that are no longer on the branch; the matcher reports it as HISTORY_REWRITTEN.
 */
final class GitSource implements ChangeSource {
  private final String name;
  private final GitSettings settings;
  private final Clock clock;
  private final CommitMapper mapper;
  private volatile @Nullable PullStats lastStats;

  GitSource(String name, GitSettings settings, Clock clock) {
    this.name = Objects.requireNonNull(name, "name");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.mapper = new CommitMapper(name, settings.repoName(), settings.pullRequestRepo());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return GitSourceFactory.TYPE;
  }

  @Override
  public String platform() {
    return CommitMapper.PLATFORM;
  }

  /** The repository's URL or path, as given, names the same repository as {@code repoName}. */
  @Override
  public Map<String, String> scopeNames() {
    return Map.of(settings.repo().uri(), settings.repoName());
  }

  @Override
  public List<String> preflight() {
    if (settings.repo().kind() == RepoLocation.Kind.LOCAL
        && !settings.repo().uri().contains("://")
        && !Files.exists(Path.of(settings.repo().uri()))) {
      return List.of(
          "repo: "
              + settings.repo().uri()
              + " does not exist (relative paths are resolved against the configuration's folder)");
    }
    return List.of();
  }

  GitSettings settings() {
    return settings;
  }

  /** The counters of the last pull that succeeded, or null before the first. */
  @Nullable PullStats lastStats() {
    return lastStats;
  }

  @Override
  public PullResult pull(PullRequest request, ObservationSink sink) throws SourceException {
    HeadsCursor previous;
    try {
      previous = HeadsCursor.parse(request.cursor());
    } catch (IllegalArgumentException e) {
      throw new SourceException(
          "cannot resume source "
              + name
              + ": "
              + e.getMessage()
              + "; reset the source's cursor (history rewrites since the last pull would then go"
              + " unnoticed once)",
          e);
    }
    PullStats stats = new PullStats();
    Mirror mirror =
        new Mirror(settings.repo(), settings.mirror(), settings.token(), settings.ssh());
    Map<String, String> heads = new LinkedHashMap<>();
    boolean followHead = settings.branches().isEmpty();
    try (Repository repository = mirror.open(stats, followHead)) {
      // Keep the remembered heads reachable before the fetch moves (or prunes) the branches.
      mirror.anchor(repository, previous.heads());
      if (!stats.cloned) {
        mirror.fetch(repository, stats, followHead);
      }
      List<String> branches =
          settings.branches().isEmpty()
              ? List.of(mirror.defaultBranch(repository))
              : settings.branches();
      sink.planned(branches.size());
      Set<String> delivered = new HashSet<>();
      for (String branch : branches) {
        ObjectId head = head(repository, branch);
        String kept =
            rewrite(repository, branch, previous.head(branch), head, request, sink, stats);
        walk(repository, branch, head, request.window(), sink, delivered, stats);
        heads.put(branch, kept == null ? head.name() : kept);
        stats.heads.add(branch + " at " + head.name().substring(0, 7));
        sink.unitDone(branch);
      }
      mirror.anchor(repository, heads);
    } catch (IOException | RuntimeException e) {
      throw mirror.failure(
          "cannot read repo " + settings.repo().shown() + " from the mirror " + settings.mirror(),
          e);
    }
    lastStats = stats;
    // The branches were fetched and walked to their heads: a day without commits is a quiet day in
    // this repository, not a gap.
    return new PullResult(
        HeadsCursor.of(heads).toJson(),
        heads.size(),
        stats.describe(settings.repoName()),
        Set.of(new Coordinates(CommitMapper.PLATFORM, settings.repoName(), null).partition()));
  }

  private ObjectId head(Repository repository, String branch) throws IOException, SourceException {
    Ref ref = repository.exactRef(Constants.R_HEADS + branch);
    if (ref == null || ref.getObjectId() == null) {
      throw new SourceException(
          "repo "
              + settings.repo().shown()
              + " has no branch "
              + branch
              + " (deleted or renamed?); fix branches, or restore the branch");
    }
    return ref.getObjectId();
  }

  /**
   * Reports a rewrite of the branch since the last pull.
   *
   * @return the head to keep in the cursor instead of the new one (the old head, when a rewrite was
   *     found but the window is empty and cannot hold its report), or null to take the new head
   */
  private @Nullable String rewrite(
      Repository repository,
      String branch,
      @Nullable String oldHead,
      ObjectId newHead,
      PullRequest request,
      ObservationSink sink,
      PullStats stats)
      throws IOException {
    if (oldHead == null) {
      return null;
    }
    HistoryRewrite rewrite = HistoryRewrite.detect(repository, branch, oldHead, newHead);
    if (rewrite == null) {
      return null;
    }
    Instant detectedAt = clock.instant();
    Instant reportedAt = HistoryRewrite.reportedAt(detectedAt, request.window());
    if (reportedAt == null) {
      stats.rewritesDeferred++;
      return oldHead;
    }
    sink.accept(rewrite.toEvent(name, settings.repoName(), reportedAt, detectedAt));
    stats.rewrites++;
    return null;
  }

  /**
   * Walks the first-parent chain from the head and delivers the commits of the window; stops at the
   * first commit committed before {@code window.start - lookback}.
   */
  private void walk(
      Repository repository,
      String branch,
      ObjectId head,
      TimeWindow window,
      ObservationSink sink,
      Set<String> delivered,
      PullStats stats)
      throws IOException {
    Instant stopBefore = window.start().minus(settings.lookback());
    try (RevWalk walk = new RevWalk(repository)) {
      RevCommit commit = walk.parseCommit(head);
      while (true) {
        stats.commitsRead++;
        Instant committed = CommitMapper.committedAt(commit);
        if (committed == null) {
          stats.rejected++;
          sink.reject(
              new InputProblem(
                  settings.repoName() + ":" + branch + "@" + commit.name(),
                  "the commit has no committer line, so when it landed is unknown; it was skipped"));
        } else if (committed.isBefore(stopBefore)) {
          break;
        } else if (window.contains(committed)) {
          if (delivered.add(commit.name())) {
            sink.accept(mapper.map(commit, branch));
            stats.delivered++;
          } else {
            stats.duplicates++;
          }
        }
        if (commit.getParentCount() == 0) {
          break;
        }
        RevCommit parent = commit.getParent(0);
        commit.disposeBody();
        commit = walk.parseCommit(parent);
      }
    }
  }

  @Override
  public String toString() {
    return "GitSource[" + name + ", " + settings + "]";
  }
}
