package dev.vouch.connector.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * GitHub REST answers for the tests, built on the real objects of octokit/webhooks' payload
 * examples (src/test/resources/octokit, see the README there): a pull request and a review are
 * copies of the samples' objects with the fields a test cares about replaced. A pull request's
 * commit, which the samples do not hold, follows the documented shape of {@code GET
 * /repos/{o}/{r}/pulls/{n}/commits}.
 */
final class Shapes {
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** Fields that only the single-PR answer has, not the items of the pull request list. */
  private static final List<String> SINGLE_ONLY =
      List.of(
          "merged",
          "mergeable",
          "rebaseable",
          "mergeable_state",
          "merged_by",
          "comments",
          "review_comments",
          "maintainer_can_modify",
          "commits",
          "additions",
          "deletions",
          "changed_files");

  private static final ObjectNode PULL_REQUEST =
      (ObjectNode) sample("webhook.pull_request.closed.payload.json").get("pull_request");
  private static final ObjectNode REVIEW =
      (ObjectNode) sample("webhook.pull_request_review.submitted.payload.json").get("review");

  private Shapes() {}

  static JsonNode sample(String fileName) {
    try (InputStream in = Shapes.class.getResourceAsStream("/octokit/" + fileName)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource octokit/" + fileName);
      }
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A merged pull request as {@code GET /repos/{o}/{r}/pulls/{n}} answers it. */
  static PullRequest pr(String repo, int number) {
    return new PullRequest(repo, number);
  }

  /** A pull request under construction; the defaults make a valid merged one. */
  static final class PullRequest {
    final String repo;
    final int number;
    String title;
    String author = "alice";
    String createdAt = "2026-11-17T09:00:00Z";
    String updatedAt = "2026-11-17T12:00:00Z";
    @Nullable String mergedAt = "2026-11-17T11:00:00Z";
    String headSha;
    @Nullable String mergedBy = "carol";
    String mergeCommitSha;

    PullRequest(String repo, int number) {
      this.repo = repo;
      this.number = number;
      this.title = "Change number " + number;
      this.headSha = sha("head-" + repo + "-" + number);
      this.mergeCommitSha = sha("merge-" + repo + "-" + number);
    }

    PullRequest title(String value) {
      title = value;
      return this;
    }

    PullRequest author(String value) {
      author = value;
      return this;
    }

    PullRequest created(String value) {
      createdAt = value;
      return this;
    }

    PullRequest updated(String value) {
      updatedAt = value;
      return this;
    }

    PullRequest merged(@Nullable String value) {
      mergedAt = value;
      return this;
    }

    PullRequest head(String value) {
      headSha = value;
      return this;
    }

    PullRequest mergedBy(@Nullable String value) {
      mergedBy = value;
      return this;
    }

    String key() {
      return repo + "#" + number;
    }

    /** The single-PR answer. */
    ObjectNode single() {
      ObjectNode pr = PULL_REQUEST.deepCopy();
      String api = "https://api.github.com/repos/" + repo;
      String html = "https://github.com/" + repo;
      pr.put("url", api + "/pulls/" + number);
      pr.put("id", 279147437L + number);
      pr.put("html_url", html + "/pull/" + number);
      pr.put("diff_url", html + "/pull/" + number + ".diff");
      pr.put("patch_url", html + "/pull/" + number + ".patch");
      pr.put("issue_url", api + "/issues/" + number);
      pr.put("commits_url", api + "/pulls/" + number + "/commits");
      pr.put("number", number);
      pr.put("title", title);
      pr.put("state", "closed");
      ((ObjectNode) pr.get("user")).put("login", author);
      pr.put("created_at", createdAt);
      pr.put("updated_at", updatedAt);
      pr.put("closed_at", mergedAt == null ? updatedAt : mergedAt);
      pr.put("merged_at", mergedAt);
      pr.put("merged", mergedAt != null);
      pr.put("merge_commit_sha", mergeCommitSha);
      ((ObjectNode) pr.get("head")).put("sha", headSha);
      if (mergedBy == null || mergedAt == null) {
        pr.putNull("merged_by");
      } else {
        ObjectNode by = ((ObjectNode) pr.get("user")).deepCopy();
        by.put("login", mergedBy);
        pr.set("merged_by", by);
      }
      return pr;
    }

    /** The item of {@code GET /repos/{o}/{r}/pulls}: the same without the single-PR fields. */
    ObjectNode listItem() {
      ObjectNode item = single();
      item.remove(SINGLE_ONLY);
      return item;
    }
  }

  /** A review as {@code GET /repos/{o}/{r}/pulls/{n}/reviews} answers it. */
  static ObjectNode review(
      long id, String login, String state, String commitId, @Nullable String submittedAt) {
    ObjectNode review = REVIEW.deepCopy();
    review.put("id", id);
    ((ObjectNode) review.get("user")).put("login", login);
    review.put("state", state);
    review.put("commit_id", commitId);
    if (submittedAt == null) {
      review.remove("submitted_at");
    } else {
      review.put("submitted_at", submittedAt);
    }
    return review;
  }

  /**
   * A commit as {@code GET /repos/{o}/{r}/pulls/{n}/commits} answers it; {@code login} is null when
   * GitHub cannot tie the commit's e-mail to an account.
   */
  static ObjectNode commit(
      String sha, @Nullable String login, String name, String email, String message) {
    ObjectNode commit = MAPPER.createObjectNode();
    commit.put("sha", sha);
    commit.put("node_id", "C_" + sha.substring(0, 10));
    ObjectNode inner = commit.putObject("commit");
    ObjectNode author = inner.putObject("author");
    author.put("name", name);
    author.put("email", email);
    author.put("date", "2026-11-17T09:30:00Z");
    ObjectNode committer = inner.putObject("committer");
    committer.put("name", name);
    committer.put("email", email);
    committer.put("date", "2026-11-17T09:30:00Z");
    inner.put("message", message);
    inner.putObject("tree").put("sha", sha("tree-" + sha));
    inner.put("comment_count", 0);
    if (login == null) {
      commit.putNull("author");
      commit.putNull("committer");
    } else {
      ObjectNode user = ((ObjectNode) PULL_REQUEST.get("user")).deepCopy();
      user.put("login", login);
      commit.set("author", user);
      commit.set("committer", user.deepCopy());
    }
    commit.putArray("parents").addObject().put("sha", sha("parent-" + sha));
    return commit;
  }

  /** A stable 40-hex-digit "commit id" made from a label. */
  static String sha(String label) {
    StringBuilder hex = new StringBuilder();
    long h = 1125899906842597L;
    for (int round = 0; hex.length() < 40; round++) {
      for (char c : (label + round).toCharArray()) {
        h = 31 * h + c;
      }
      hex.append(String.format("%016x", h));
    }
    return hex.substring(0, 40);
  }
}
