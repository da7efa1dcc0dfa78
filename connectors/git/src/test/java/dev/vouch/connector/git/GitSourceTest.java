package dev.vouch.connector.git;

import static dev.vouch.connector.git.Origin.person;
import static dev.vouch.connector.git.TestSupport.pull;
import static dev.vouch.connector.git.TestSupport.settings;
import static dev.vouch.connector.git.TestSupport.source;
import static dev.vouch.connector.git.TestSupport.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.connector.git.TestSupport.Pulled;
import dev.vouch.core.catalog.IdentityMap;
import dev.vouch.core.match.MatchPolicy;
import dev.vouch.core.match.Matcher;
import dev.vouch.core.match.RecordIndex;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.Coordinates;
import dev.vouch.core.model.EventClass;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.rules.RuleSet;
import dev.vouch.core.spi.SourceException;
import dev.vouch.testkit.MutableClock;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.BundleWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code git} source against a real repository built with JGit: a merge of a feature branch, a
 * squash merge, a direct push, a revert and a commit with trailers on {@code main}, then a force
 * push.
 */
class GitSourceTest {
  static final TimeWindow DAY = window("2026-10-01T00:00:00Z", "2026-10-02T00:00:00Z");

  @TempDir Path dir;
  final MutableClock clock = MutableClock.at("2026-10-01T20:00:00Z");

  Origin origin;
  ObjectId initial;
  ObjectId ci;
  ObjectId feature1;
  ObjectId feature2;
  ObjectId merge;
  ObjectId squash;
  ObjectId direct;
  ObjectId revert;
  ObjectId trailers;

  static PersonIdent bob(String time) {
    return person("Bob", "bob@example.com", "2026-10-01T" + time + "Z");
  }

  static PersonIdent carol(String time) {
    return person("Carol", "carol@example.com", "2026-10-01T" + time + "Z");
  }

  static PersonIdent dave(String time) {
    return person("Dave", "dave@example.com", "2026-10-01T" + time + "Z");
  }

  static PersonIdent heidi(String time) {
    return person("Heidi", "heidi@example.com", "2026-10-01T" + time + "Z");
  }

  static PersonIdent github(String time) {
    return new PersonIdent(Origin.GITHUB, Instant.parse("2026-10-01T" + time + "Z"), Origin.ZONE);
  }

  @BeforeEach
  void history() {
    origin = Origin.create(dir.resolve("origin.git"), "main");
    initial = origin.commit("Initial commit", "2026-09-01T10:00:00Z");
    ci = origin.commit("Set up CI", "2026-09-30T12:00:00Z", initial);
    feature1 = origin.commit(bob("08:00:00"), bob("08:00:00"), "Login form", false, ci);
    feature2 = origin.commit(bob("08:30:00"), bob("08:30:00"), "Login API", false, feature1);
    merge =
        origin.commit(
            bob("09:00:00"),
            github("09:00:00"),
            "Merge pull request #12 from acme/feature\n\nAdd the login page\n",
            false,
            ci,
            feature2);
    squash =
        origin.commit(
            carol("10:00:00"),
            github("10:00:00"),
            "Add login (#13)\n\n* Add form\n* Add API\n\nCo-authored-by: Dave <dave@example.com>\n",
            true,
            merge);
    direct =
        origin.commit(
            dave("11:00:00"),
            heidi("11:00:00"),
            "Raise the timeout for CHG0012345\n",
            false,
            squash);
    revert =
        origin.commit(
            dave("12:00:00"),
            dave("12:00:00"),
            "Revert \"Raise the timeout for CHG0012345\"\n\nThis reverts commit "
                + direct.name()
                + ".\n",
            false,
            direct);
    trailers =
        origin.commit(
            Origin.alice("2026-10-01T13:00:00Z"),
            Origin.alice("2026-10-01T13:00:00Z"),
            "Tune the cache for PROJ-123\n\nWarm it at start.\n\n"
                + "Reviewed-by: Erin <erin@example.com>\n"
                + "Approved-by: Frank <frank@example.com>\n"
                + "Approved-by: Grace <grace@example.com>\n"
                + "Co-authored-by: Heidi <heidi@example.com>\n",
            false,
            revert);
    origin.branch("main", trailers).branch("feature", feature2);
  }

  @AfterEach
  void close() {
    origin.close();
  }

  Path mirror() {
    return dir.resolve("vouch/mirror.git");
  }

  GitSource source(String extra) {
    return TestSupport.source(dir, clock, settings(origin, mirror(), extra));
  }

  GitSource source() {
    return source("");
  }

  @Nested
  class Commits {
    @Test
    void shouldDeliverTheFirstParentCommitsOfTheWindowNewestFirst() throws Exception {
      Pulled pulled = pull(source(), DAY, null);

      assertThat(pulled.ids())
          .containsExactly(
              trailers.name(), revert.name(), direct.name(), squash.name(), merge.name());
      assertThat(pulled.ids())
          .as("feature-branch commits are not on main's first-parent chain")
          .doesNotContain(feature1.name(), feature2.name());
      assertThat(pulled.sink().rejections()).isEmpty();
      assertThat(pulled.cursor()).isEqualTo("{\"heads\":{\"main\":\"" + trailers.name() + "\"}}");
      assertThat(pulled.result().unitsRead()).isEqualTo(1);
      assertThat(pulled.result().detail())
          .isEqualTo(
              "acme/shop: mirror cloned; main at "
                  + trailers.name().substring(0, 7)
                  + "; 7 commits read, 5 delivered");
    }

    @Test
    void shouldDescribeAMergeCommit() throws Exception {
      ChangeEvent event = pull(source(), DAY, null).event(merge.name());

      assertThat(event.source()).isEqualTo(TestSupport.SOURCE);
      assertThat(event.sourceType()).isEqualTo("git");
      assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-10-01T09:00:00Z"));
      assertThat(event.eventClass()).isEqualTo(EventClass.CHANGE);
      assertThat(event.mutating()).isTrue();
      assertThat(event.coordinates()).isEqualTo(new Coordinates("git", "acme/shop", "main"));
      assertThat(event.action())
          .isEqualTo(
              "merge acme/shop:main "
                  + merge.name().substring(0, 7)
                  + " Merge pull request #12 from acme/feature");
      assertThat(event.targets()).containsExactly(merge.name());
      assertThat(event.actor().raw()).isEqualTo("Bob <bob@example.com>");
      assertThat(event.actor().type()).isEqualTo("git");
      assertThat(event.actor().aliases())
          .as("GitHub's merge bot is not an alias")
          .containsExactly("bob@example.com", "Bob");
      assertThat(event.attributes())
          .containsEntry("git.repo", "acme/shop")
          .containsEntry("git.branch", "main")
          .containsEntry("git.kind", "merge")
          .containsEntry("git.sha", merge.name())
          .containsEntry("git.parents", "2")
          .containsEntry("git.author", "Bob")
          .containsEntry("git.authorEmail", "bob@example.com")
          .containsEntry("git.committer", "GitHub")
          .containsEntry("git.committerEmail", "noreply@github.com")
          .containsEntry("git.subject", "Merge pull request #12 from acme/feature")
          .containsEntry("git.prNumber", "12")
          .containsEntry("git.pullRequest", "acme/shop#12")
          .containsEntry("git.signed", "false")
          .doesNotContainKeys("git.reviewedBy", "git.approvedBy", "git.coAuthoredBy");
      assertThat(event.referenceHints())
          .containsExactly(
              "Merge pull request #12 from acme/feature\n\nAdd the login page\n", "acme/shop#12");
      assertThat(references(event)).containsExactly("acme/shop#12");
    }

    @Test
    void shouldKeepTheCommitAsEvidence() throws Exception {
      ChangeEvent event = pull(source(), DAY, null).event(merge.name());

      JsonNode raw = TestSupport.json(event.rawJson());
      assertThat(raw.get("sha").asText()).isEqualTo(merge.name());
      assertThat(raw.get("repo").asText()).isEqualTo("acme/shop");
      assertThat(raw.get("branch").asText()).isEqualTo("main");
      assertThat(raw.get("parents")).hasSize(2);
      assertThat(raw.get("parents").get(0).asText()).isEqualTo(ci.name());
      assertThat(raw.get("parents").get(1).asText()).isEqualTo(feature2.name());
      assertThat(raw.at("/author/name").asText()).isEqualTo("Bob");
      assertThat(raw.at("/author/email").asText()).isEqualTo("bob@example.com");
      assertThat(raw.at("/author/time").asText()).isEqualTo("2026-10-01T11:00:00+02:00");
      assertThat(raw.at("/committer/email").asText()).isEqualTo("noreply@github.com");
      assertThat(raw.get("message").asText())
          .isEqualTo("Merge pull request #12 from acme/feature\n\nAdd the login page\n");
      assertThat(raw.get("signed").asBoolean()).isFalse();
      assertThat(event.rawJson()).doesNotContain("\n  ").as("compact");
    }

    @Test
    void shouldDescribeASignedSquashMerge() throws Exception {
      ChangeEvent event = pull(source(), DAY, null).event(squash.name());

      assertThat(event.action())
          .isEqualTo("squash acme/shop:main " + squash.name().substring(0, 7) + " Add login (#13)");
      assertThat(event.actor().raw()).isEqualTo("Carol <carol@example.com>");
      assertThat(event.actor().aliases()).containsExactly("carol@example.com", "Carol");
      assertThat(event.attributes())
          .containsEntry("git.kind", "squash")
          .containsEntry("git.parents", "1")
          .containsEntry("git.prNumber", "13")
          .containsEntry("git.coAuthoredBy", "Dave <dave@example.com>")
          .containsEntry("git.signed", "true");
      assertThat(event.referenceHints())
          .containsExactly(
              "Add login (#13)\n\n* Add form\n* Add API\n\nCo-authored-by: Dave <dave@example.com>\n",
              "acme/shop#13",
              "Dave <dave@example.com>");
      assertThat(TestSupport.json(event.rawJson()).get("signed").asBoolean()).isTrue();
    }

    @Test
    void shouldDescribeADirectPushWithAChangeIdAndACommitterOfItsOwn() throws Exception {
      ChangeEvent event = pull(source(), DAY, null).event(direct.name());

      assertThat(event.action())
          .isEqualTo(
              "direct acme/shop:main "
                  + direct.name().substring(0, 7)
                  + " Raise the timeout for CHG0012345");
      assertThat(event.actor().raw()).isEqualTo("Dave <dave@example.com>");
      assertThat(event.actor().aliases())
          .as("author first, then the committer, who is a person here")
          .containsExactly("dave@example.com", "Dave", "heidi@example.com", "Heidi");
      assertThat(event.attributes())
          .containsEntry("git.kind", "direct")
          .containsEntry("git.committer", "Heidi")
          .doesNotContainKeys("git.prNumber", "git.pullRequest");
      assertThat(event.referenceHints()).containsExactly("Raise the timeout for CHG0012345\n");
      assertThat(references(event)).containsExactly("CHG0012345");
    }

    @Test
    void shouldNameTheCommitARevertReverts() throws Exception {
      ChangeEvent event = pull(source(), DAY, null).event(revert.name());

      assertThat(event.attributes())
          .containsEntry("git.kind", "direct")
          .containsEntry("git.reverts", direct.name())
          .containsEntry("git.subject", "Revert \"Raise the timeout for CHG0012345\"");
      assertThat(event.actor().aliases()).containsExactly("dave@example.com", "Dave");
    }

    @Test
    void shouldReadTrailersAsAttributesAndReferences() throws Exception {
      ChangeEvent event = pull(source(), DAY, null).event(trailers.name());

      assertThat(event.attributes())
          .containsEntry("git.reviewedBy", "Erin <erin@example.com>")
          .containsEntry("git.approvedBy", "Frank <frank@example.com>; Grace <grace@example.com>")
          .containsEntry("git.coAuthoredBy", "Heidi <heidi@example.com>")
          .containsEntry("git.subject", "Tune the cache for PROJ-123")
          .containsEntry(
              "evidence.git.reviewedBy",
              "commit trailer Reviewed-by: Erin <erin@example.com> (weaker than a recorded review;"
                  + " not counted as an approval)");
      assertThat(event.referenceHints())
          .containsExactly(
              "Tune the cache for PROJ-123\n\nWarm it at start.\n\n"
                  + "Reviewed-by: Erin <erin@example.com>\n"
                  + "Approved-by: Frank <frank@example.com>\n"
                  + "Approved-by: Grace <grace@example.com>\n"
                  + "Co-authored-by: Heidi <heidi@example.com>\n",
              "Erin <erin@example.com>",
              "Frank <frank@example.com>",
              "Grace <grace@example.com>",
              "Heidi <heidi@example.com>");
      assertThat(references(event)).containsExactly("PROJ-123");
    }

    @Test
    void shouldReadAGitBundleFile() throws Exception {
      Path bundle = dir.resolve("shop.bundle");
      try (OutputStream out = Files.newOutputStream(bundle)) {
        BundleWriter writer = new BundleWriter(origin.repository());
        writer.include("refs/heads/main", trailers);
        writer.include("HEAD", trailers);
        writer.writeBundle(NullProgressMonitor.INSTANCE, out);
      }
      GitSource source =
          TestSupport.source(dir, clock, "{\"repo\":\"shop.bundle\",\"mirror\":\"b.git\"}");

      Pulled pulled = pull(source, DAY, null);

      assertThat(source.settings().repoName()).isEqualTo("shop");
      assertThat(pulled.ids())
          .containsExactly(
              trailers.name(), revert.name(), direct.name(), squash.name(), merge.name());
      assertThat(pulled.event(merge.name()).coordinates())
          .isEqualTo(new Coordinates("git", "shop", "main"));
    }

    @Test
    void shouldNameNoPullRequestRepositoryWhenTheRepoNameIsNotOwnerSlashRepo() throws Exception {
      GitSource source =
          TestSupport.source(
              dir,
              clock,
              "{\"repo\":\""
                  + origin.dir()
                  + "\",\"mirror\":\""
                  + mirror()
                  + "\"}"); // repoName derived from the directory: origin

      ChangeEvent event = pull(source, DAY, null).event(merge.name());

      assertThat(event.coordinates()).isEqualTo(new Coordinates("git", "origin", "main"));
      assertThat(event.attributes()).containsEntry("git.prNumber", "12");
      assertThat(event.attributes()).doesNotContainKey("git.pullRequest");
      assertThat(event.referenceHints()).hasSize(1);
    }

    @Test
    void shouldNamePullRequestsWithTheConfiguredRepository() throws Exception {
      ChangeEvent event =
          pull(source("\"pullRequestRepo\":\"acme/storefront\""), DAY, null).event(merge.name());

      assertThat(event.referenceHints()).contains("acme/storefront#12");
      assertThat(event.attributes()).containsEntry("git.pullRequest", "acme/storefront#12");
    }

    @Test
    void shouldReadEveryConfiguredBranchAndDeliverASharedCommitOnce() throws Exception {
      ObjectId hotfix = origin.commit("Hotfix on release", "2026-10-01T14:00:00Z", direct);
      origin.branch("release", hotfix);

      Pulled pulled = pull(source("\"branches\":[\"main\",\"refs/heads/release\"]"), DAY, null);

      assertThat(pulled.ids())
          .containsExactly(
              trailers.name(),
              revert.name(),
              direct.name(),
              squash.name(),
              merge.name(),
              hotfix.name());
      assertThat(pulled.event(hotfix.name()).coordinates())
          .isEqualTo(new Coordinates("git", "acme/shop", "release"));
      assertThat(pulled.event(direct.name()).coordinates().subScope()).isEqualTo("main");
      assertThat(pulled.stats().duplicates).isEqualTo(3);
      assertThat(TestSupport.json(pulled.cursor()).get("heads").size()).isEqualTo(2);
    }
  }

  @Nested
  class Window {
    @Test
    void shouldSelectCommitsByCommitterTimeNotAuthorTime() throws Exception {
      // authored long before the window, landed in it (a rebased or long-reviewed change) ...
      ObjectId landed =
          origin.commit(
              person("Ivan", "ivan@example.com", "2026-09-01T10:00:00Z"),
              person("Ivan", "ivan@example.com", "2026-10-01T15:00:00Z"),
              "Old work, landed today",
              false,
              trailers);
      // ... and authored in the window but landed after it
      ObjectId late =
          origin.commit(
              person("Judy", "judy@example.com", "2026-10-01T16:00:00Z"),
              person("Judy", "judy@example.com", "2026-10-02T00:00:00Z"),
              "Landed at midnight",
              false,
              landed);
      origin.branch("main", late);

      Pulled pulled = pull(source(), DAY, null);

      assertThat(pulled.ids()).contains(landed.name()).doesNotContain(late.name());
      assertThat(pulled.event(landed.name()).occurredAt())
          .isEqualTo(Instant.parse("2026-10-01T15:00:00Z"));
    }

    @Test
    void shouldDeliverOnlyThePartOfTheWindowAsked() throws Exception {
      GitSource source = source();

      Pulled morning = pull(source, window("2026-10-01T00:00:00Z", "2026-10-01T11:00:00Z"), null);
      Pulled rest = pull(source, window("2026-10-01T11:00:00Z", "2026-10-02T00:00:00Z"), null);
      Pulled before = pull(source, window("2026-09-30T00:00:00Z", "2026-10-01T00:00:00Z"), null);

      assertThat(morning.ids()).containsExactly(squash.name(), merge.name());
      assertThat(rest.ids()).containsExactly(trailers.name(), revert.name(), direct.name());
      assertThat(before.ids()).containsExactly(ci.name());
      assertThat(rest.stats().cloned).isFalse();
    }

    @Test
    void shouldWalkPastCommitsWhoseCommitterClockWasBehind() throws Exception {
      // main: ... trailers <- skewed (committed "before" the window by a clock 2 h behind) <- after
      ObjectId skewed =
          origin.commit("Committed with a slow clock", "2026-09-30T22:00:00Z", trailers);
      ObjectId after = origin.commit("After it", "2026-10-01T18:00:00Z", skewed);
      origin.branch("main", after);

      Pulled withLookback = pull(source(), DAY, null);
      Pulled without = pull(source("\"lookback\":\"0s\""), DAY, null);

      assertThat(withLookback.ids())
          .containsExactly(
              after.name(),
              trailers.name(),
              revert.name(),
              direct.name(),
              squash.name(),
              merge.name());
      assertThat(without.ids())
          .as("without lookback the walk stops at the skewed commit")
          .containsExactly(after.name());
    }

    @Test
    void shouldStopAtTheFirstCommitBeforeTheLookback() throws Exception {
      Pulled pulled = pull(source(), DAY, null);

      // trailers, revert, direct, squash, merge, ci (within the 1d lookback), initial (beyond:
      // stop)
      assertThat(pulled.stats().commitsRead).isEqualTo(7);
      assertThat(pull(source("\"lookback\":\"0s\""), DAY, null).stats().commitsRead)
          .as("merge, then ci is already before the window")
          .isEqualTo(6);
      assertThat(pull(source("\"lookback\":\"60d\""), DAY, null).stats().commitsRead)
          .as("the root ends the walk")
          .isEqualTo(7);
    }

    @Test
    void shouldReadOnlyTheCommitsNearTheWindowOfALongHistory() throws Exception {
      Origin big = Origin.create(dir.resolve("big.git"), "main");
      Instant first = Instant.parse("2026-01-01T00:00:00Z");
      ObjectId tip = big.chain(null, 5_000, first, Duration.ofHours(1)); // ~208 days
      big.branch("main", tip);
      Instant last = first.plus(Duration.ofHours(4_999));
      TimeWindow lastDay =
          new TimeWindow(last.minus(Duration.ofHours(23)), last.plus(Duration.ofHours(1)));
      GitSource source =
          TestSupport.source(
              dir,
              clock,
              "{\"repo\":\"big.git\",\"mirror\":\"big-mirror.git\",\"repoName\":\"acme/big\"}");

      Pulled pulled = pull(source, lastDay, null);

      assertThat(pulled.ids()).hasSize(24);
      assertThat(pulled.stats().commitsRead)
          .as("24 commits of the window, 24 of the 1-day lookback and the one that stops the walk")
          .isEqualTo(49)
          .isLessThan(5_000 / 50);
      big.close();
    }
  }

  @Nested
  class HistoryRewrites {
    /** Origin's main reset to the direct push and a new commit added: revert and trailers drop. */
    ObjectId forcePush() {
      ObjectId fix = origin.commit("Fix the timeout properly", "2026-10-01T15:00:00Z", direct);
      origin.branch("main", fix);
      return fix;
    }

    @Test
    void shouldReportTheDroppedCommitsOnceAfterAForcePush() throws Exception {
      GitSource source = source();
      clock.set(Instant.parse("2026-10-01T14:00:00Z"));
      Pulled first = pull(source, DAY, null);
      ObjectId fix = forcePush();
      clock.set(Instant.parse("2026-10-01T16:00:00Z"));

      Pulled second = pull(source, DAY, first.cursor());
      Pulled third = pull(source, DAY, second.cursor());

      assertThat(first.rewrites()).isEmpty();
      assertThat(second.rewrites()).hasSize(1);
      ChangeEvent rewrite = second.rewrites().get(0);
      assertThat(rewrite.nativeId())
          .isEqualTo("rewrite:acme/shop:main:" + trailers.name() + ".." + fix.name());
      assertThat(rewrite.targets())
          .as("exactly the commits that left the branch")
          .containsExactlyInAnyOrder(trailers.name(), revert.name());
      assertThat(rewrite.occurredAt()).isEqualTo(Instant.parse("2026-10-01T16:00:00Z"));
      assertThat(rewrite.eventClass()).isEqualTo(EventClass.CHANGE);
      assertThat(rewrite.mutating()).isTrue();
      assertThat(rewrite.coordinates()).isEqualTo(new Coordinates("git", "acme/shop", "main"));
      assertThat(rewrite.action()).isEqualTo("history rewritten acme/shop:main");
      assertThat(rewrite.actor().raw()).isEqualTo("unknown");
      assertThat(rewrite.actor().type()).isEqualTo("git");
      assertThat(rewrite.actor().aliases()).isEmpty();
      assertThat(rewrite.attributes())
          .containsEntry("vouch.historyRewritten", "true")
          .containsEntry("git.oldHead", trailers.name())
          .containsEntry("git.newHead", fix.name())
          .containsEntry("git.dropped", "2")
          .containsEntry("git.kind", "rewrite")
          .doesNotContainKey("git.note");
      assertThat(TestSupport.json(rewrite.rawJson()).at("/historyRewrite/detectedAt").asText())
          .isEqualTo("2026-10-01T16:00:00Z");
      assertThat(second.ids())
          .as("the new history is delivered as usual")
          .contains(fix.name(), direct.name(), squash.name(), merge.name())
          .doesNotContain(trailers.name(), revert.name());
      assertThat(second.result().detail()).endsWith("; 1 history rewrite");
      assertThat(third.rewrites()).as("reported once").isEmpty();
      assertThat(third.cursor()).isEqualTo("{\"heads\":{\"main\":\"" + fix.name() + "\"}}");
      assertThat(verdict(rewrite)).isEqualTo(Verdict.HISTORY_REWRITTEN);
    }

    @Test
    void shouldFindTheRewriteFromTheCursorAloneWhateverTheMirrorsRefsSay() throws Exception {
      Pulled first = pull(source(), DAY, null);
      // a pull whose cursor was not stored moved the mirror's anchor on: the cursor still rules
      try (Repository mirror = new FileRepositoryBuilder().setGitDir(mirror().toFile()).build()) {
        assertThat(mirror.exactRef("refs/vouch/last/main").getObjectId()).isEqualTo(trailers);
        mirror.updateRef("refs/vouch/last/main").delete();
      }
      ObjectId fix = forcePush();

      Pulled second = pull(source(), DAY, first.cursor());

      assertThat(second.rewrites()).hasSize(1);
      assertThat(second.rewrites().get(0).targets())
          .containsExactlyInAnyOrder(trailers.name(), revert.name());
      try (Repository mirror = new FileRepositoryBuilder().setGitDir(mirror().toFile()).build()) {
        assertThat(mirror.exactRef("refs/vouch/last/main").getObjectId()).isEqualTo(fix);
      }
    }

    @Test
    void shouldReportAResetWithoutNewCommits() throws Exception {
      Pulled first = pull(source(), DAY, null);
      origin.branch("main", squash);

      Pulled second = pull(source(), DAY, first.cursor());

      assertThat(second.rewrites()).hasSize(1);
      assertThat(second.rewrites().get(0).targets())
          .containsExactly(trailers.name(), revert.name(), direct.name());
    }

    @Test
    void shouldNotReportABranchThatMovedForward() throws Exception {
      Pulled first = pull(source(), DAY, null);
      ObjectId next = origin.commit("Next", "2026-10-01T15:00:00Z", trailers);
      origin.branch("main", next);

      Pulled second = pull(source(), DAY, first.cursor());

      assertThat(second.rewrites()).isEmpty();
      assertThat(second.ids()).contains(next.name());
      assertThat(second.stats().refsUpdated).isEqualTo(1);
    }

    @Test
    void shouldPlaceTheReportInTheWindowWhenTheClockIsPastIt() throws Exception {
      Pulled first = pull(source(), DAY, null);
      forcePush();
      clock.set(Instant.parse("2026-10-05T09:00:00Z"));

      Pulled second = pull(source(), DAY, first.cursor());

      assertThat(second.rewrites().get(0).occurredAt())
          .isEqualTo(Instant.parse("2026-10-01T23:59:59.999Z"));
      clock.set(Instant.parse("2026-09-01T00:00:00Z"));
      Pulled early = pull(source(), DAY, first.cursor());
      assertThat(early.rewrites().get(0).occurredAt()).isEqualTo(DAY.start());
    }

    @Test
    void shouldKeepARewriteForLaterWhenTheWindowIsEmpty() throws Exception {
      Pulled first = pull(source(), DAY, null);
      ObjectId fix = forcePush();
      Instant at = Instant.parse("2026-10-01T12:00:00Z");

      Pulled empty = pull(source(), new TimeWindow(at, at), first.cursor());
      Pulled next = pull(source(), DAY, empty.cursor());

      assertThat(empty.ids()).isEmpty();
      assertThat(empty.cursor()).as("the old head is kept").isEqualTo(first.cursor());
      assertThat(empty.result().detail())
          .endsWith("; 1 history rewrite left for a pull with a non-empty window");
      assertThat(next.rewrites()).hasSize(1);
      assertThat(next.rewrites().get(0).attributes()).containsEntry("git.newHead", fix.name());
    }

    @Test
    void shouldNameTheOldHeadWhenTheMirrorNoLongerHoldsIt() throws Exception {
      Pulled first = pull(source(), DAY, null);
      forcePush();
      deleteRecursively(mirror());
      // a fresh clone gets only what the branches reach: the dropped commits are not in it

      Pulled second = pull(source(), DAY, first.cursor());

      ChangeEvent rewrite = second.rewrites().get(0);
      assertThat(rewrite.targets()).containsExactly(trailers.name());
      assertThat(rewrite.attributes())
          .containsEntry("git.dropped", "1")
          .hasEntrySatisfying("git.note", note -> assertThat(note).contains("re-created"));
      assertThat(second.stats().cloned).isTrue();
    }

    @Test
    void shouldNameAtMostAThousandDroppedCommits() throws Exception {
      ObjectId tip =
          origin.chain(
              trailers, 1_005, Instant.parse("2026-10-01T14:00:00Z"), Duration.ofSeconds(1));
      origin.branch("main", tip);
      Pulled first = pull(source(), DAY, null);
      origin.branch("main", trailers);

      Pulled second = pull(source(), DAY, first.cursor());

      ChangeEvent rewrite = second.rewrites().get(0);
      assertThat(rewrite.targets()).hasSize(1_000).doesNotHaveDuplicates().startsWith(tip.name());
      assertThat(rewrite.attributes())
          .containsEntry("git.dropped", "more than 1000")
          .hasEntrySatisfying("git.note", note -> assertThat(note).startsWith("more than 1000"));
    }

    @Test
    void shouldFailWhenAProtectedBranchIsGone() throws Exception {
      Pulled first = pull(source("\"branches\":[\"main\",\"feature\"]"), DAY, null);
      origin.deleteBranch("feature");

      assertThatThrownBy(
              () -> pull(source("\"branches\":[\"main\",\"feature\"]"), DAY, first.cursor()))
          .isInstanceOf(SourceException.class)
          .hasMessageContaining("has no branch feature");
    }
  }

  @Nested
  class DefaultBranch {
    @Test
    void shouldReadTheBranchTheRemotesHeadNames() throws Exception {
      ObjectId onTrunk = origin.commit("On trunk", "2026-10-01T16:00:00Z", trailers);
      origin.branch("trunk", onTrunk);
      origin.head("trunk");

      Pulled first = pull(source(), DAY, null);
      origin.head("main");
      Pulled second = pull(source(), DAY, null);

      assertThat(first.ids()).first().isEqualTo(onTrunk.name());
      assertThat(first.event(onTrunk.name()).coordinates().subScope()).isEqualTo("trunk");
      assertThat(first.cursor()).contains("\"trunk\"");
      assertThat(second.cursor())
          .as("the fetch follows the remote's default branch")
          .contains("\"main\"");
    }

    @Test
    void shouldFallBackToMainOrMaster() throws Exception {
      Origin other = Origin.create(dir.resolve("other.git"), "develop"); // HEAD names no branch
      ObjectId c = other.commit("On master", "2026-10-01T10:00:00Z");
      other.branch("master", c).branch("feature", c);
      GitSource source =
          TestSupport.source(
              dir, clock, "{\"repo\":\"other.git\",\"mirror\":\"other-mirror.git\"}");

      Pulled pulled = pull(source, DAY, null);

      assertThat(pulled.ids()).containsExactly(c.name());
      assertThat(pulled.event(c.name()).coordinates())
          .isEqualTo(new Coordinates("git", "other", "master"));
      other.close();
    }

    @Test
    void shouldFailWhenNoBranchCanBeTheDefault() {
      Origin other = Origin.create(dir.resolve("other.git"), "develop");
      other.branch("feature", other.commit("On feature", "2026-10-01T10:00:00Z"));
      GitSource source =
          TestSupport.source(
              dir, clock, "{\"repo\":\"other.git\",\"mirror\":\"other-mirror.git\"}");

      assertThatThrownBy(() -> pull(source, DAY, null))
          .isInstanceOf(SourceException.class)
          .hasMessageContaining(
              "cannot tell the default branch of repo " + dir.resolve("other.git"))
          .hasMessageContaining("[feature]")
          .hasMessageEndingWith("set branches");
      other.close();
    }
  }

  @Nested
  class Failures {
    @Test
    void shouldFailWhenTheRepositoryIsMissingAndLeaveNoMirror() {
      GitSource source =
          TestSupport.source(dir, clock, "{\"repo\":\"not-there.git\",\"mirror\":\"m/x.git\"}");

      assertThatThrownBy(() -> pull(source, DAY, null))
          .isInstanceOf(SourceException.class)
          .hasMessageStartingWith(
              "cannot clone repo "
                  + dir.resolve("not-there.git")
                  + " into "
                  + dir.resolve("m/x.git"));
      assertThat(dir.resolve("m")).isEmptyDirectory();
    }

    @Test
    void shouldFailWhenTheServerCannotBeReached() throws Exception {
      int port;
      try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      GitSource source =
          TestSupport.source(
              dir,
              clock,
              "{\"repo\":\"https://127.0.0.1:"
                  + port
                  + "/acme/shop.git\",\"token\":\"env:TOKEN\"}");

      assertThatThrownBy(() -> pull(source, DAY, null))
          .isInstanceOf(SourceException.class)
          .hasMessageStartingWith("cannot clone repo https://127.0.0.1:" + port + "/acme/shop.git")
          .hasMessageNotContaining("s3cr3t");
      assertThat(source.settings().mirror()).isEqualTo(dir.resolve("vouch-data/git/shop-git.git"));
      assertThat(source.settings().mirror()).doesNotExist();
    }

    @Test
    void shouldFailWhenFetchingFails() throws Exception {
      Pulled first = pull(source(), DAY, null);
      deleteRecursively(origin.dir());

      assertThatThrownBy(() -> pull(source(), DAY, first.cursor()))
          .isInstanceOf(SourceException.class)
          .hasMessageStartingWith(
              "cannot fetch repo " + origin.dir() + " into the mirror " + mirror());
    }

    @Test
    void shouldRefuseAMirrorDirectoryThatIsNotARepository() throws Exception {
      Files.createDirectories(mirror());
      Files.writeString(mirror().resolve("notes.txt"), "mine");

      assertThatThrownBy(() -> pull(source(), DAY, null))
          .isInstanceOf(SourceException.class)
          .hasMessageContaining("is not a git repository");
      assertThat(mirror().resolve("notes.txt")).exists();
    }

    @Test
    void shouldRefuseACursorItDidNotWrite() {
      assertThatThrownBy(() -> pull(source(), DAY, "{\"files\":{}}"))
          .isInstanceOf(SourceException.class)
          .hasMessageContaining("no \"heads\" object");
      assertThatThrownBy(() -> pull(source(), DAY, "{\"heads\":{\"main\":\"abc\"}}"))
          .isInstanceOf(SourceException.class)
          .hasMessageContaining("is not a commit SHA");
    }

    @Test
    void shouldAskForAKeyAndKnownHostsForAnSshRepository() {
      RepoLocation repo = RepoLocation.parse("git@example.invalid:acme/shop.git", dir);
      GitSource source =
          new GitSource(
              "ssh",
              new GitSettings(
                  repo,
                  mirror(),
                  List.of(),
                  "acme/shop",
                  "acme/shop",
                  java.util.Optional.empty(),
                  java.util.Optional.empty(),
                  Duration.ofDays(1)),
              clock);

      assertThatThrownBy(() -> pull(source, DAY, null))
          .isInstanceOf(SourceException.class)
          .hasMessageContaining("set sshKey (the private key) and knownHosts");
      assertThat(mirror()).doesNotExist();
    }
  }

  /** The change ids the core's default reference patterns find in an event's hints. */
  static List<String> references(ChangeEvent event) {
    List<Pattern> patterns =
        MatchPolicy.DEFAULT_REFERENCE_PATTERNS.stream().map(Pattern::compile).toList();
    return event.referenceHints().stream()
        .flatMap(
            hint ->
                patterns.stream()
                    .flatMap(
                        p -> p.matcher(hint).results().map(java.util.regex.MatchResult::group)))
        .distinct()
        .toList();
  }

  static Verdict verdict(ChangeEvent event) {
    MatchPolicy policy = MatchPolicy.defaults();
    Matcher matcher =
        new Matcher(
            policy,
            new RecordIndex(List.of(), policy),
            IdentityMap.empty(),
            new RuleSet(List.of()));
    return matcher.evaluate(event, "shop").verdict();
  }

  static void deleteRecursively(Path path) throws Exception {
    try (Stream<Path> files = Files.walk(path)) {
      for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
