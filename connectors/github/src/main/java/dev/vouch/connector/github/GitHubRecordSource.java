package dev.vouch.connector.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.core.model.ChangeRecord;
import dev.vouch.core.spi.InputProblem;
import dev.vouch.core.spi.RecordSink;
import dev.vouch.core.spi.RecordSource;
import dev.vouch.core.spi.SourceException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the merged pull requests of the configured repositories as change records: for each
 * repository, the closed pull requests by last update, newest first, until one was last updated
 * before the lookback; for each merged one, the pull request itself, its reviews and its commits.
 * The mapping is {@link PullRequestMapper}'s.
 *
 * <p>Nothing reaches the sink until every repository has been read: a pull that fails delivers no
 * records at all, so a failure is never mistaken for a shorter list. A pull request whose data
 * cannot be made into a record is reported as a problem and the others are read.
 */
public final class GitHubRecordSource implements RecordSource {
  static final String TYPE = "github";

  private final String name;
  private final List<String> repos;
  private final GitHubTransport transport;
  private final Clock clock;
  private final Duration lookback;

  GitHubRecordSource(
      String name, List<String> repos, GitHubTransport transport, Clock clock, Duration lookback) {
    this.name = name;
    this.repos = List.copyOf(repos);
    this.transport = transport;
    this.clock = clock;
    this.lookback = lookback;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return TYPE;
  }

  /** The repositories read, as {@code owner/repo}. */
  public List<String> repos() {
    return repos;
  }

  GitHubTransport transport() {
    return transport;
  }

  Duration lookback() {
    return lookback;
  }

  @Override
  public String pull(RecordSink sink) throws SourceException {
    transport.startPull();
    Instant since = clock.instant().minus(lookback);
    List<ChangeRecord> records = new ArrayList<>();
    List<InputProblem> problems = new ArrayList<>();
    List<String> details = new ArrayList<>();
    for (String repo : repos) {
      details.add(pullRepository(repo, since, records, problems));
    }
    records.forEach(sink::accept);
    problems.forEach(sink::reject);
    return String.join("; ", details);
  }

  private String pullRepository(
      String repo, Instant since, List<ChangeRecord> records, List<InputProblem> problems)
      throws SourceException {
    long requestsBefore = transport.requests();
    long notModifiedBefore = transport.notModified();
    Map<Long, JsonNode> merged = mergedPullRequests(repo, since, problems);
    int count = 0;
    int stale = 0;
    int rejected = 0;
    for (long number : merged.keySet()) {
      String path = "/repos/" + repo + "/pulls/" + number;
      JsonNode pr = transport.get(path).body();
      List<JsonNode> reviews = all(path + "/reviews?per_page=100");
      List<JsonNode> commits = all(path + "/commits?per_page=100");
      String location = transport.location(path);
      try {
        PullRequestMapper.Mapped mapped =
            PullRequestMapper.map(name, repo, pr, reviews, commits, location);
        records.add(mapped.record());
        count++;
        stale += mapped.staleApprovals();
      } catch (PullRequestMapper.InvalidPullRequest e) {
        problems.add(
            new InputProblem(
                location, PullRequestMapper.key(repo, number) + ": " + e.getMessage()));
        rejected++;
      }
    }
    StringBuilder detail =
        new StringBuilder(repo)
            .append(": ")
            .append(count)
            .append(count == 1 ? " merged pull request (" : " merged pull requests (");
    if (rejected > 0) {
      detail.append(rejected).append(" rejected, ");
    }
    detail
        .append(stale)
        .append(stale == 1 ? " stale approval ignored, " : " stale approvals ignored, ")
        .append(
            transport.describe(
                transport.requests() - requestsBefore, transport.notModified() - notModifiedBefore))
        .append(')');
    return detail.toString();
  }

  /**
   * The merged pull requests last updated since {@code since}, by number, from the list sorted by
   * last update, newest first. An item that appears twice (it was updated while the pages were
   * read) is taken once.
   */
  private Map<Long, JsonNode> mergedPullRequests(
      String repo, Instant since, List<InputProblem> problems) throws SourceException {
    Map<Long, JsonNode> merged = new LinkedHashMap<>();
    String first =
        "/repos/" + repo + "/pulls?state=closed&sort=updated&direction=desc&per_page=100";
    String next = first;
    while (next != null) {
      GitHubTransport.Page page;
      try {
        page = transport.get(next);
      } catch (GitHubTransport.NotFoundException e) {
        throw new SourceException(
            repo
                + ": repository not found ("
                + e.getMessage()
                + "); check the name, or the token may lack access to it (it needs read access"
                + " to pull requests and metadata)");
      }
      if (!page.body().isArray()) {
        throw new SourceException(
            transport.location(first) + ": expected a JSON array of pull requests");
      }
      boolean older = false;
      for (JsonNode item : page.body()) {
        Instant updated = PullRequestMapper.time(item.path("updated_at"));
        if (updated != null && updated.isBefore(since)) {
          older = true; // sorted by update, newest first: the rest is older still
          break;
        }
        Optional<Instant> mergedAt = PullRequestMapper.mergedAt(item);
        if (mergedAt.isEmpty()) {
          continue; // closed without merging
        }
        try {
          merged.putIfAbsent(PullRequestMapper.number(item), item);
        } catch (PullRequestMapper.InvalidPullRequest e) {
          problems.add(new InputProblem(transport.location(first), repo + ": " + e.getMessage()));
        }
      }
      next = older ? null : page.next();
    }
    return merged;
  }

  /** Every item of a paginated list. */
  private List<JsonNode> all(String path) throws SourceException {
    List<JsonNode> items = new ArrayList<>();
    String next = path;
    while (next != null) {
      GitHubTransport.Page page = transport.get(next);
      if (!page.body().isArray()) {
        throw new SourceException(transport.location(path) + ": expected a JSON array");
      }
      page.body().forEach(items::add);
      next = page.next();
    }
    return items;
  }

  @Override
  public String toString() {
    return "GitHubRecordSource[" + name + ", " + repos + ", " + transport + "]";
  }
}
