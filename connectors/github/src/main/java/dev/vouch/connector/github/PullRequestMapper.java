package dev.vouch.connector.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.core.model.Approval;
import dev.vouch.core.model.ChangeRecord;
import dev.vouch.core.model.ChangeType;
import dev.vouch.core.model.RecordState;
import dev.vouch.core.model.TimeWindow;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns one merged pull request — the single-PR answer, its reviews and its commits — into a {@link
 * ChangeRecord}. Pure: no I/O, no clock.
 *
 * <ul>
 *   <li>key {@code owner/repo#N}, the form in which commits name pull requests; type normal, state
 *       implemented; systems {@code git:owner/repo}; window {@code created_at .. merged_at};
 *       reference-only (a pull request covers the commits that name it, not its repository for the
 *       whole time it was open);
 *   <li>implementers: the author, then the authors of its commits (GitHub login, else the e-mail),
 *       then the {@code Co-authored-by:} trailers of their messages (e-mail, or the login of a
 *       GitHub no-reply address);
 *   <li>approvals: per reviewer, the latest review that decides (APPROVED, CHANGES_REQUESTED or
 *       DISMISSED; COMMENTED and PENDING do not), counted when it is APPROVED on the head commit
 *       the pull request was merged with; an approval of an older commit is stale and only counted
 *       in the pull's detail.
 * </ul>
 */
final class PullRequestMapper {
  private static final Pattern CO_AUTHOR =
      Pattern.compile(
          "^[ \\t]*co-authored-by:[ \\t]*(.*?)[ \\t]*<([^<>\\s]+)>[ \\t]*$",
          Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);
  private static final Pattern NOREPLY =
      Pattern.compile(
          "^(?:\\d+\\+)?([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\[bot])?)"
              + "@users\\.noreply\\.github\\.com$",
          Pattern.CASE_INSENSITIVE);
  private static final Set<String> DECIDING = Set.of("APPROVED", "CHANGES_REQUESTED", "DISMISSED");

  private PullRequestMapper() {}

  /**
   * The record and what the pull's detail reports about it.
   *
   * @param staleApprovals reviewers whose standing approval was given on an older commit than the
   *     merged head, and is therefore not counted
   * @param mergedBy who merged, when GitHub says (the core's record has no field for it)
   * @param mergeCommitSha the merge, squash or rebase commit GitHub made (no field either)
   */
  record Mapped(
      ChangeRecord record,
      int staleApprovals,
      @Nullable String mergedBy,
      @Nullable String mergeCommitSha) {}

  /** The pull request cannot be made into a record; the message says which field and why. */
  static final class InvalidPullRequest extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidPullRequest(String message) {
      super(message);
    }
  }

  static String key(String repo, long number) {
    return repo + "#" + number;
  }

  static String system(String repo) {
    return "git:" + repo;
  }

  static Mapped map(
      String sourceName,
      String repo,
      JsonNode pr,
      List<JsonNode> reviews,
      List<JsonNode> commits,
      String location)
      throws InvalidPullRequest {
    long number = number(pr);
    String key = key(repo, number);
    Instant created = requiredTime(pr, "created_at");
    Instant merged = requiredTime(pr, "merged_at");
    if (merged.isBefore(created)) {
      throw new InvalidPullRequest(
          "merged_at " + merged + " is before created_at " + created + "; expected merged after");
    }
    String headSha = text(pr.path("head").path("sha"));
    if (headSha == null) {
      throw new InvalidPullRequest(
          "head.sha is missing; without the merged head commit no approval can be checked");
    }
    String author = login(pr.path("user"));
    if (author == null) {
      // GitHub shows a deleted account as "ghost".
      author = "ghost";
    }
    String title = text(pr.path("title"));

    Approvals approvals = approvals(reviews, headSha);
    ChangeRecord record =
        new ChangeRecord(
            key,
            sourceName,
            title == null ? "pull request #" + number : title,
            ChangeType.NORMAL,
            RecordState.IMPLEMENTED,
            Set.of(system(repo)),
            new TimeWindow(created, merged),
            implementers(author, commits),
            approvals.counted(),
            author,
            null,
            null,
            null,
            text(pr.path("html_url")),
            optionalTime(pr, "updated_at"),
            location,
            true);
    return new Mapped(
        record, approvals.stale(), login(pr.path("merged_by")), text(pr.path("merge_commit_sha")));
  }

  private record Approvals(List<Approval> counted, int stale) {}

  private record Review(
      String login, String state, @Nullable String commitId, Instant at, int order) {}

  /**
   * GitHub's own rule, per reviewer: the latest deciding review stands. It counts when it is an
   * approval of the merged head commit.
   */
  private static Approvals approvals(List<JsonNode> reviews, String headSha) {
    List<Review> deciding = new ArrayList<>();
    for (int i = 0; i < reviews.size(); i++) {
      JsonNode review = reviews.get(i);
      String login = login(review.path("user"));
      String state = text(review.path("state"));
      Instant at = time(review.path("submitted_at"));
      if (login == null || state == null || at == null) {
        continue; // a pending review (no submitted_at), or one whose author is gone
      }
      state = state.toUpperCase(Locale.ROOT);
      if (DECIDING.contains(state)) {
        deciding.add(new Review(login, state, text(review.path("commit_id")), at, i));
      }
    }
    deciding.sort(Comparator.comparing(Review::at).thenComparingInt(Review::order));
    Map<String, Review> latest = new LinkedHashMap<>();
    for (Review review : deciding) {
      String reviewer = review.login().toLowerCase(Locale.ROOT);
      latest.remove(reviewer); // re-insert, so the map keeps the order of the standing decisions
      latest.put(reviewer, review);
    }
    List<Approval> counted = new ArrayList<>();
    int stale = 0;
    for (Review review : latest.values()) {
      if (!review.state().equals("APPROVED")) {
        continue;
      }
      if (headSha.equalsIgnoreCase(String.valueOf(review.commitId()))) {
        counted.add(new Approval(review.login(), true, review.at()));
      } else {
        stale++;
      }
    }
    return new Approvals(counted, stale);
  }

  /** The author, then commit authors, then co-authors; each once, compared ignoring case. */
  private static List<String> implementers(String author, List<JsonNode> commits) {
    Map<String, String> people = new LinkedHashMap<>();
    add(people, author);
    for (JsonNode commit : commits) {
      String login = login(commit.path("author"));
      if (login != null) {
        add(people, login);
      } else {
        String email = text(commit.path("commit").path("author").path("email"));
        if (email != null) {
          add(people, person(email));
        }
      }
    }
    for (JsonNode commit : commits) {
      String message = text(commit.path("commit").path("message"));
      if (message == null) {
        continue;
      }
      Matcher trailer = CO_AUTHOR.matcher(message);
      while (trailer.find()) {
        add(people, person(trailer.group(2)));
      }
    }
    return List.copyOf(people.values());
  }

  /** A GitHub no-reply address stands for its login; any other address is kept as it is. */
  static String person(String email) {
    Matcher noreply = NOREPLY.matcher(email.trim());
    return noreply.matches() ? noreply.group(1) : email.trim();
  }

  private static void add(Map<String, String> people, String name) {
    people.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
  }

  static long number(JsonNode pr) throws InvalidPullRequest {
    JsonNode number = pr.path("number");
    if (!number.canConvertToLong() || !number.isIntegralNumber() || number.longValue() <= 0) {
      throw new InvalidPullRequest("number is missing or not a positive whole number");
    }
    return number.longValue();
  }

  private static @Nullable String login(JsonNode user) {
    return text(user.path("login"));
  }

  private static @Nullable String text(JsonNode node) {
    if (node.isMissingNode() || node.isNull() || !node.isValueNode()) {
      return null;
    }
    String text = node.asText();
    return text.isBlank() ? null : text;
  }

  private static Instant requiredTime(JsonNode pr, String field) throws InvalidPullRequest {
    JsonNode node = pr.path(field);
    String text = text(node);
    if (text == null) {
      throw new InvalidPullRequest(field + " is missing; expected an ISO-8601 time");
    }
    Instant time = time(node);
    if (time == null) {
      throw new InvalidPullRequest(
          field + " '" + text + "' is not an ISO-8601 time such as 2026-11-17T09:00:00Z");
    }
    return time;
  }

  private static @Nullable Instant optionalTime(JsonNode pr, String field) {
    return time(pr.path(field));
  }

  static @Nullable Instant time(JsonNode node) {
    String text = text(node);
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** The merged_at of a list item, or empty when it was closed without merging. */
  static Optional<Instant> mergedAt(JsonNode item) {
    return Optional.ofNullable(time(item.path("merged_at")));
  }
}
