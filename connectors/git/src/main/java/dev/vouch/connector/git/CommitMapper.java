package dev.vouch.connector.git;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.core.model.Actor;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.Coordinates;
import dev.vouch.core.model.EventClass;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.FooterLine;
import org.eclipse.jgit.revwalk.RevCommit;
import org.jspecify.annotations.Nullable;

/** Turns one commit of a protected branch into a {@link ChangeEvent}. */
final class CommitMapper {
  static final String SOURCE_TYPE = GitSourceFactory.TYPE;
  static final String PLATFORM = "git";
  static final String ACTOR_TYPE = "git";

  static final String KIND_MERGE = "merge";
  static final String KIND_SQUASH = "squash";
  static final String KIND_DIRECT = "direct";

  /**
   * Every attribute name a commit or history-rewrite event may carry, for checking rule conditions;
   * {@code evidence.*} attributes are allowed by the core for every connector.
   */
  static final Set<String> ATTRIBUTES =
      Set.of(
          "git.approvedBy",
          "git.author",
          "git.authorEmail",
          "git.branch",
          "git.coAuthoredBy",
          "git.committer",
          "git.committerEmail",
          "git.dropped",
          "git.kind",
          "git.newHead",
          "git.note",
          "git.oldHead",
          "git.parents",
          "git.prNumber",
          "git.pullRequest",
          "git.repo",
          "git.reverts",
          "git.reviewedBy",
          "git.sha",
          "git.signed",
          "git.subject",
          dev.vouch.core.model.ChangeEvent.HISTORY_REWRITTEN_ATTRIBUTE);

  static final String REPO = "git.repo";
  static final String BRANCH = "git.branch";
  static final String KIND = "git.kind";
  static final String SHA = "git.sha";
  static final String PARENTS = "git.parents";
  static final String AUTHOR = "git.author";
  static final String AUTHOR_EMAIL = "git.authorEmail";
  static final String COMMITTER = "git.committer";
  static final String COMMITTER_EMAIL = "git.committerEmail";
  static final String SUBJECT = "git.subject";
  static final String PR_NUMBER = "git.prNumber";
  static final String PULL_REQUEST = "git.pullRequest";
  static final String REVIEWED_BY = "git.reviewedBy";
  static final String APPROVED_BY = "git.approvedBy";
  static final String CO_AUTHORED_BY = "git.coAuthoredBy";
  static final String SIGNED = "git.signed";
  static final String REVERTS = "git.reverts";

  /** GitHub's merge commit: {@code Merge pull request #12 from acme/feature}. */
  private static final Pattern MERGED_PULL_REQUEST =
      Pattern.compile("^Merge pull request #(\\d+) from \\S");

  /** GitHub's squash merge (and the pull request's title on a merge): {@code Add login (#13)}. */
  private static final Pattern TRAILING_PULL_REQUEST = Pattern.compile("\\(#(\\d+)\\)\\s*$");

  /** What {@code git revert} writes in the message body. */
  private static final Pattern REVERT =
      Pattern.compile("This reverts commit ([0-9a-f]{40})", Pattern.CASE_INSENSITIVE);

  private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
  private static final int SHORT_SHA = 7;
  private static final int MAX_SUBJECT_IN_ACTION = 200;

  private final String sourceName;
  private final String repoName;
  private final @Nullable String pullRequestRepo;

  CommitMapper(String sourceName, String repoName, @Nullable String pullRequestRepo) {
    this.sourceName = sourceName;
    this.repoName = repoName;
    this.pullRequestRepo = pullRequestRepo;
  }

  /** The time a commit landed as git records it: its committer time; null when it has none. */
  static @Nullable Instant committedAt(RevCommit commit) {
    PersonIdent committer = commit.getCommitterIdent();
    return committer == null ? null : committer.getWhenAsInstant();
  }

  /**
   * {@code merge} (two or more parents), {@code squash} (one parent and a subject ending with
   * {@code (#N)}, as GitHub writes a squash merge) or {@code direct} (anything else: a push, a
   * rebase merge, a root commit).
   */
  static String kind(int parents, String subject) {
    if (parents >= 2) {
      return KIND_MERGE;
    }
    if (parents == 1 && TRAILING_PULL_REQUEST.matcher(subject).find()) {
      return KIND_SQUASH;
    }
    return KIND_DIRECT;
  }

  /** The pull request a subject names ({@code Merge pull request #N from} or {@code (#N)}). */
  static @Nullable String pullRequestNumber(String subject) {
    Matcher merged = MERGED_PULL_REQUEST.matcher(subject);
    if (merged.find()) {
      return merged.group(1);
    }
    Matcher trailing = TRAILING_PULL_REQUEST.matcher(subject);
    return trailing.find() ? trailing.group(1) : null;
  }

  /** Whether a committer is a platform's merge bot rather than a person. */
  static boolean isMergeBot(@Nullable PersonIdent ident) {
    if (ident == null) {
      return true;
    }
    String email = ident.getEmailAddress() == null ? "" : ident.getEmailAddress().strip();
    String name = ident.getName() == null ? "" : ident.getName().strip();
    return email.equalsIgnoreCase("noreply@github.com")
        || name.equalsIgnoreCase("web-flow")
        || email.toLowerCase(Locale.ROOT).startsWith("web-flow@");
  }

  ChangeEvent map(RevCommit commit, String branch) {
    String sha = commit.name();
    int parents = commit.getParentCount();
    String message = commit.getFullMessage();
    String subject = commit.getShortMessage();
    String kind = kind(parents, subject);
    String prNumber = pullRequestNumber(subject);
    PersonIdent author = commit.getAuthorIdent();
    PersonIdent committer = commit.getCommitterIdent();
    Instant committed = committer == null ? Instant.EPOCH : committer.getWhenAsInstant();
    List<FooterLine> trailers = commit.getFooterLines();
    boolean signed = commit.getRawGpgSignature() != null;

    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put(REPO, repoName);
    attributes.put(BRANCH, branch);
    attributes.put(KIND, kind);
    attributes.put(SHA, sha);
    attributes.put(PARENTS, Integer.toString(parents));
    putIdent(attributes, AUTHOR, AUTHOR_EMAIL, author);
    putIdent(attributes, COMMITTER, COMMITTER_EMAIL, committer);
    attributes.put(SUBJECT, subject);
    if (prNumber != null) {
      attributes.put(PR_NUMBER, prNumber);
      if (pullRequestRepo != null) {
        attributes.put(PULL_REQUEST, pullRequestRepo + "#" + prNumber);
      }
    }
    putTrailers(attributes, REVIEWED_BY, trailers, "Reviewed-by");
    putTrailers(attributes, APPROVED_BY, trailers, "Approved-by");
    putTrailers(attributes, CO_AUTHORED_BY, trailers, "Co-authored-by");
    // Review trailers are weaker evidence than a review recorded by the platform: they link the
    // commit to people, never authorize it, and every finding on the commit shows them.
    for (String trailer : List.of("Reviewed-by", "Approved-by")) {
      String key = trailer.equals("Reviewed-by") ? REVIEWED_BY : APPROVED_BY;
      if (attributes.containsKey(key)) {
        attributes.put(
            ChangeEvent.EVIDENCE_PREFIX + key,
            "commit trailer "
                + trailer
                + ": "
                + attributes.get(key)
                + " (weaker than a recorded review; not counted as an approval)");
      }
    }
    attributes.put(SIGNED, Boolean.toString(signed));
    Matcher revert = REVERT.matcher(message);
    if (revert.find()) {
      attributes.put(REVERTS, revert.group(1).toLowerCase(Locale.ROOT));
    }

    List<String> hints = new ArrayList<>();
    hints.add(message);
    if (prNumber != null && pullRequestRepo != null) {
      hints.add(pullRequestRepo + "#" + prNumber);
    }
    for (FooterLine trailer : trailers) {
      if (!trailer.getValue().isBlank()) {
        hints.add(trailer.getValue().strip());
      }
    }

    return new ChangeEvent(
        sourceName,
        SOURCE_TYPE,
        sha,
        committed,
        EventClass.CHANGE,
        true,
        new Coordinates(PLATFORM, repoName, branch),
        actor(author, committer),
        kind
            + " "
            + repoName
            + ":"
            + branch
            + " "
            + sha.substring(0, SHORT_SHA)
            + " "
            + shorten(subject),
        List.of(sha),
        hints,
        attributes,
        rawJson(commit, branch, message, author, committer, signed));
  }

  /**
   * The author is the actor: {@code Name <email>} as raw principal; aliases are the author's e-mail
   * and name, then the committer's (when the committer is a person, not a merge bot).
   */
  static Actor actor(@Nullable PersonIdent author, @Nullable PersonIdent committer) {
    Set<String> aliases = new LinkedHashSet<>();
    addIdent(aliases, author);
    if (!isMergeBot(committer)) {
      addIdent(aliases, committer);
    }
    String raw =
        author == null ? "unknown" : author.getName() + " <" + author.getEmailAddress() + ">";
    return new Actor(raw, ACTOR_TYPE, List.copyOf(aliases), null);
  }

  private static void addIdent(Set<String> aliases, @Nullable PersonIdent ident) {
    if (ident == null) {
      return;
    }
    add(aliases, ident.getEmailAddress());
    add(aliases, ident.getName());
  }

  private static void add(Set<String> aliases, @Nullable String alias) {
    if (alias != null && !alias.isBlank()) {
      aliases.add(alias.strip());
    }
  }

  private static void putIdent(
      Map<String, String> attributes,
      String nameKey,
      String emailKey,
      @Nullable PersonIdent ident) {
    if (ident == null) {
      return;
    }
    if (ident.getName() != null && !ident.getName().isBlank()) {
      attributes.put(nameKey, ident.getName());
    }
    if (ident.getEmailAddress() != null && !ident.getEmailAddress().isBlank()) {
      attributes.put(emailKey, ident.getEmailAddress());
    }
  }

  private static void putTrailers(
      Map<String, String> attributes, String attribute, List<FooterLine> trailers, String key) {
    List<String> values = new ArrayList<>();
    for (FooterLine trailer : trailers) {
      if (trailer.getKey().equalsIgnoreCase(key) && !trailer.getValue().isBlank()) {
        values.add(trailer.getValue().strip());
      }
    }
    if (!values.isEmpty()) {
      attributes.put(attribute, String.join("; ", values));
    }
  }

  private static String shorten(String subject) {
    return subject.length() <= MAX_SUBJECT_IN_ACTION
        ? subject
        : subject.substring(0, MAX_SUBJECT_IN_ACTION - 3) + "...";
  }

  private String rawJson(
      RevCommit commit,
      String branch,
      String message,
      @Nullable PersonIdent author,
      @Nullable PersonIdent committer,
      boolean signed) {
    ObjectNode root = HeadsCursor.MAPPER.createObjectNode();
    root.put("sha", commit.name());
    root.put("repo", repoName);
    root.put("branch", branch);
    ArrayNode parents = root.putArray("parents");
    for (RevCommit parent : commit.getParents()) {
      parents.add(parent.name());
    }
    putPerson(root, "author", author);
    putPerson(root, "committer", committer);
    root.put("message", message);
    root.put("signed", signed);
    return root.toString();
  }

  private static void putPerson(ObjectNode root, String field, @Nullable PersonIdent ident) {
    if (ident == null) {
      root.putNull(field);
      return;
    }
    ObjectNode person = root.putObject(field);
    person.put("name", ident.getName());
    person.put("email", ident.getEmailAddress());
    person.put(
        "time",
        TIME.format(OffsetDateTime.ofInstant(ident.getWhenAsInstant(), ident.getZoneOffset())));
  }
}
