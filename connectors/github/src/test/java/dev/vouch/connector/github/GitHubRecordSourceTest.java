package dev.vouch.connector.github;

import static dev.vouch.connector.github.Shapes.commit;
import static dev.vouch.connector.github.Shapes.pr;
import static dev.vouch.connector.github.Shapes.review;
import static dev.vouch.connector.github.Sources.pull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.core.model.Approval;
import dev.vouch.core.model.ChangeRecord;
import dev.vouch.core.model.ChangeType;
import dev.vouch.core.model.RecordState;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.spi.RecordSource;
import dev.vouch.core.spi.SourceException;
import dev.vouch.testkit.CollectingRecordSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitHubRecordSourceTest {
  static final String REPO = "acme/shop";

  @TempDir Path dir;
  FakeGitHub github;
  Sources sources;

  @BeforeEach
  void start() {
    github = new FakeGitHub();
    sources = new Sources(dir);
  }

  @AfterEach
  void stop() throws Exception {
    github.close();
  }

  private static Instant t(String iso) {
    return Instant.parse(iso);
  }

  private RecordSource source() {
    return sources.source(github, REPO);
  }

  @Nested
  class Mapping {
    @Test
    void aMergedPullRequestBecomesAReferenceOnlyRecord() throws Exception {
      Shapes.PullRequest merged = pr(REPO, 42).title("Raise checkout timeout").author("alice");
      github.add(
          merged,
          List.of(review(1, "bob", "APPROVED", merged.headSha, "2026-11-17T10:30:00Z")),
          List.of(
              commit(Shapes.sha("c1"), "alice", "Alice", "alice@example.com", "Raise timeout"),
              commit(
                  merged.headSha,
                  null,
                  "Dave",
                  "dave@example.com",
                  "Fix the tests\n\nCo-authored-by: Erin Example"
                      + " <12345+erin@users.noreply.github.com>\n"
                      + "Co-authored-by: Frank <frank@example.com>\n"
                      + "co-authored-by: Dave again <dave@EXAMPLE.com>")));
      github.add(pr(REPO, 41).merged(null).updated("2026-11-18T00:00:00Z"));

      CollectingRecordSink sink = new CollectingRecordSink();
      String detail = source().pull(sink);

      assertThat(sink.records())
          .containsExactly(
              new ChangeRecord(
                  "acme/shop#42",
                  Sources.NAME,
                  "Raise checkout timeout",
                  ChangeType.NORMAL,
                  RecordState.IMPLEMENTED,
                  java.util.Set.of("git:acme/shop"),
                  new TimeWindow(t("2026-11-17T09:00:00Z"), t("2026-11-17T11:00:00Z")),
                  List.of("alice", "dave@example.com", "erin", "frank@example.com"),
                  List.of(new Approval("bob", true, t("2026-11-17T10:30:00Z"))),
                  "alice",
                  null,
                  null,
                  null,
                  "https://github.com/acme/shop/pull/42",
                  t("2026-11-17T12:00:00Z"),
                  github.baseUrl() + "/repos/acme/shop/pulls/42",
                  true));
      assertThat(sink.problems()).isEmpty();
      assertThat(detail)
          .isEqualTo(
              "acme/shop: 1 merged pull request (0 stale approvals ignored, 4 requests, 0"
                  + " answered 304)");
    }

    @Test
    void closedButUnmergedPullRequestsAreNotReadFurther() throws Exception {
      github.add(pr(REPO, 1).merged(null));

      CollectingRecordSink sink = pull(source());

      assertThat(sink.records()).isEmpty();
      assertThat(paths()).containsExactly("/repos/acme/shop/pulls");
    }

    @Test
    void aPullRequestThatCannotBeARecordIsReportedAndTheOthersAreRead() throws Exception {
      github.add(pr(REPO, 7).created("2026-11-17T12:00:00Z").merged("2026-11-17T11:00:00Z"));
      github.add(pr(REPO, 8));

      CollectingRecordSink sink = pull(source());

      assertThat(sink.keys()).containsExactly("acme/shop#8");
      assertThat(sink.problemLines())
          .containsExactly(
              github.baseUrl()
                  + "/repos/acme/shop/pulls/7: acme/shop#7: merged_at 2026-11-17T11:00:00Z is"
                  + " before created_at 2026-11-17T12:00:00Z; expected merged after");
    }

    @Test
    void severalRepositoriesAreDescribedOneByOne() throws Exception {
      github.add(pr(REPO, 1)).add(pr("acme/web", 2)).add(pr("acme/web", 3));

      CollectingRecordSink sink = new CollectingRecordSink();
      String detail = sources.source(github, REPO, "acme/web").pull(sink);

      assertThat(sink.keys()).containsExactlyInAnyOrder("acme/shop#1", "acme/web#2", "acme/web#3");
      assertThat(detail)
          .isEqualTo(
              "acme/shop: 1 merged pull request (0 stale approvals ignored, 4 requests, 0 answered"
                  + " 304); acme/web: 2 merged pull requests (0 stale approvals ignored, 7"
                  + " requests, 0 answered 304)");
    }

    @Test
    void aRepositoryThatFailsMeansNoRecordsAtAllNotFewer() throws Exception {
      github.add(pr(REPO, 1));

      RecordSource source = sources.source(github, REPO, "acme/missing");
      CollectingRecordSink sink = new CollectingRecordSink();
      SourceException e = catchThrowableOfType(SourceException.class, () -> source.pull(sink));

      assertThat(e).hasMessageStartingWith("acme/missing: repository not found (GET ");
      assertThat(e.getMessage())
          .contains("404 Not Found")
          .endsWith(
              "check the name, or the token may lack access to it (it needs read access to pull"
                  + " requests and metadata)");
      assertThat(sink.records()).isEmpty();
    }
  }

  @Nested
  class Approvals {
    Shapes.PullRequest merged = pr(REPO, 5).author("alice");
    String head = merged.headSha;
    String older = Shapes.sha("an older commit");

    private CollectingRecordSink pullWith(ObjectNode... reviews) throws SourceException {
      github.add(merged, List.of(reviews), List.of(FakeGitHub.defaultCommit(merged)));
      CollectingRecordSink sink = pull(source());
      assertThat(sink.keys()).containsExactly(merged.key());
      return sink;
    }

    private List<Approval> approvals(ObjectNode... reviews) throws SourceException {
      return pullWith(reviews).records().get(0).approvals();
    }

    @Test
    void anApprovalOfTheMergedHeadCounts() throws Exception {
      assertThat(approvals(review(1, "bob", "APPROVED", head, "2026-11-17T10:00:00Z")))
          .containsExactly(new Approval("bob", true, t("2026-11-17T10:00:00Z")));
    }

    @Test
    void anApprovalOfAnOlderCommitIsStaleNotCountedButCountedInTheDetail() throws Exception {
      github.add(
          merged,
          List.of(review(1, "bob", "APPROVED", older, "2026-11-17T09:30:00Z")),
          List.of(FakeGitHub.defaultCommit(merged)));

      CollectingRecordSink sink = new CollectingRecordSink();
      String detail = source().pull(sink);

      assertThat(sink.records().get(0).approvals()).isEmpty();
      assertThat(detail).contains("1 stale approval ignored");
    }

    @Test
    void aReviewerWhoApprovedAgainOnTheHeadIsCountedOnceAndNotStale() throws Exception {
      github.add(
          merged,
          List.of(
              review(1, "carol", "APPROVED", older, "2026-11-17T09:20:00Z"),
              review(2, "carol", "APPROVED", head, "2026-11-17T10:00:00Z")),
          List.of(FakeGitHub.defaultCommit(merged)));

      CollectingRecordSink sink = new CollectingRecordSink();
      String detail = source().pull(sink);

      assertThat(sink.records().get(0).approvals())
          .containsExactly(new Approval("carol", true, t("2026-11-17T10:00:00Z")));
      assertThat(detail).contains("0 stale approvals ignored");
    }

    @Test
    void theAuthorsOwnApprovalIsKeptForTheCoreToJudge() throws Exception {
      assertThat(approvals(review(1, "alice", "APPROVED", head, "2026-11-17T10:00:00Z")))
          .containsExactly(new Approval("alice", true, t("2026-11-17T10:00:00Z")));
    }

    @Test
    void aDismissedReviewIsIgnoredButALaterApprovalStands() throws Exception {
      assertThat(
              approvals(
                  review(1, "frank", "DISMISSED", head, "2026-11-17T10:25:00Z"),
                  review(2, "gina", "DISMISSED", older, "2026-11-17T09:40:00Z"),
                  review(3, "gina", "APPROVED", head, "2026-11-17T10:40:00Z")))
          .containsExactly(new Approval("gina", true, t("2026-11-17T10:40:00Z")));
    }

    @Test
    void aDismissalIsTheReviewersLatestDecisionAndRemovesTheirEarlierApproval() throws Exception {
      // A reviewer's approval is dismissed only when it is their latest decision; an earlier
      // approval that GitHub still lists does not come back.
      assertThat(
              approvals(
                  review(1, "frank", "APPROVED", head, "2026-11-17T10:00:00Z"),
                  review(2, "frank", "DISMISSED", head, "2026-11-17T10:05:00Z")))
          .isEmpty();
    }

    @Test
    void changesRequestedAfterAnApprovalByTheSameReviewerSupersedesIt() throws Exception {
      assertThat(
              approvals(
                  review(1, "dan", "APPROVED", head, "2026-11-17T10:05:00Z"),
                  review(2, "dan", "CHANGES_REQUESTED", head, "2026-11-17T10:10:00Z")))
          .isEmpty();
    }

    @Test
    void anApprovalAfterChangesRequestedStands() throws Exception {
      assertThat(
              approvals(
                  review(1, "jack", "CHANGES_REQUESTED", older, "2026-11-17T09:10:00Z"),
                  review(2, "jack", "APPROVED", head, "2026-11-17T10:50:00Z")))
          .containsExactly(new Approval("jack", true, t("2026-11-17T10:50:00Z")));
    }

    @Test
    void aCommentAfterAnApprovalDoesNotOverrideIt() throws Exception {
      assertThat(
              approvals(
                  review(1, "erin", "APPROVED", head, "2026-11-17T10:15:00Z"),
                  review(2, "erin", "COMMENTED", head, "2026-11-17T10:20:00Z")))
          .containsExactly(new Approval("erin", true, t("2026-11-17T10:15:00Z")));
    }

    @Test
    void anApprovalAfterTheMergeIsKeptWithItsTime() throws Exception {
      // Merged at 11:00; the core reports APPROVED_AFTER_CHANGE from the approval's time.
      assertThat(approvals(review(1, "hank", "APPROVED", head, "2026-11-17T12:30:00Z")))
          .containsExactly(new Approval("hank", true, t("2026-11-17T12:30:00Z")));
    }

    @Test
    void aPendingReviewWithoutSubmissionTimeIsIgnored() throws Exception {
      assertThat(approvals(review(1, "ivy", "PENDING", head, null))).isEmpty();
    }

    @Test
    void theReviewerIsComparedIgnoringCaseAndStatesMayBeLowerCase() throws Exception {
      assertThat(
              approvals(
                  review(1, "Bob", "approved", head, "2026-11-17T10:00:00Z"),
                  review(2, "bob", "changes_requested", head, "2026-11-17T10:01:00Z")))
          .isEmpty();
    }

    @Test
    void manyReviewersTogether() throws Exception {
      CollectingRecordSink sink = new CollectingRecordSink();
      github.add(
          merged,
          List.of(
              review(1, "jack", "CHANGES_REQUESTED", older, "2026-11-17T09:10:00Z"),
              review(2, "carol", "APPROVED", older, "2026-11-17T09:20:00Z"),
              review(3, "bob", "APPROVED", older, "2026-11-17T09:30:00Z"),
              review(4, "gina", "DISMISSED", older, "2026-11-17T09:40:00Z"),
              review(5, "carol", "APPROVED", head, "2026-11-17T10:00:00Z"),
              review(6, "dan", "APPROVED", head, "2026-11-17T10:05:00Z"),
              review(7, "dan", "CHANGES_REQUESTED", head, "2026-11-17T10:10:00Z"),
              review(8, "erin", "APPROVED", head, "2026-11-17T10:15:00Z"),
              review(9, "erin", "COMMENTED", head, "2026-11-17T10:20:00Z"),
              review(10, "frank", "DISMISSED", head, "2026-11-17T10:25:00Z"),
              review(11, "gina", "APPROVED", head, "2026-11-17T10:40:00Z"),
              review(12, "alice", "APPROVED", head, "2026-11-17T10:45:00Z"),
              review(13, "jack", "APPROVED", head, "2026-11-17T10:50:00Z"),
              review(14, "hank", "APPROVED", head, "2026-11-17T12:30:00Z"),
              review(15, "ivy", "PENDING", head, null)),
          List.of(FakeGitHub.defaultCommit(merged)));

      String detail = source().pull(sink);

      assertThat(sink.records().get(0).approvals())
          .containsExactly(
              new Approval("carol", true, t("2026-11-17T10:00:00Z")),
              new Approval("erin", true, t("2026-11-17T10:15:00Z")),
              new Approval("gina", true, t("2026-11-17T10:40:00Z")),
              new Approval("alice", true, t("2026-11-17T10:45:00Z")),
              new Approval("jack", true, t("2026-11-17T10:50:00Z")),
              new Approval("hank", true, t("2026-11-17T12:30:00Z")));
      assertThat(detail).contains("1 stale approval ignored");
    }
  }

  @Nested
  class Paging {
    @Test
    void theListIsFollowedOverThreePagesThroughLinkHeaders() throws Exception {
      github.pageSize(2);
      for (int n = 1; n <= 6; n++) {
        Shapes.PullRequest p = pr(REPO, n).updated("2026-11-2" + n + "T00:00:00Z");
        github.add(n == 3 ? p.merged(null) : p);
      }

      CollectingRecordSink sink = pull(source());

      assertThat(sink.keys())
          .containsExactly(
              "acme/shop#6", "acme/shop#5", "acme/shop#4", "acme/shop#2", "acme/shop#1");
      assertThat(listRequests())
          .extracting(r -> r.getRequestUrl().queryParameter("page"))
          .containsExactly(null, "2", "3");
      assertThat(listRequests())
          .allSatisfy(
              r ->
                  assertThat(r.getRequestUrl().query())
                      .contains("state=closed&sort=updated&direction=desc&per_page=100"));
    }

    @Test
    void reviewsAndCommitsArePagedToo() throws Exception {
      github.pageSize(2);
      Shapes.PullRequest merged = pr(REPO, 9);
      List<ObjectNode> reviews = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        reviews.add(
            review(i, "reviewer" + i, "APPROVED", merged.headSha, "2026-11-17T10:0" + i + ":00Z"));
      }
      List<ObjectNode> commits = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        commits.add(commit(Shapes.sha("c" + i), "dev" + i, "Dev", "dev@example.com", "work"));
      }
      github.add(merged, reviews, commits);

      ChangeRecord record = pull(source()).record("acme/shop#9");

      assertThat(record.approvals()).hasSize(5);
      assertThat(record.implementers()).containsExactly("alice", "dev0", "dev1", "dev2");
      assertThat(paths()).filteredOn(p -> p.endsWith("/reviews")).hasSize(3); // 5 reviews, 2 a page
    }

    @Test
    void readingStopsAtThePullRequestsLastUpdatedBeforeTheLookback() throws Exception {
      github.pageSize(2);
      String[] updated = {
        "2026-11-25", "2026-11-20", "2026-11-10", "2026-10-20", "2026-10-10", "2026-10-01"
      };
      for (int n = 0; n < updated.length; n++) {
        github.add(
            pr(REPO, n + 1)
                .created(updated[n] + "T00:00:00Z")
                .merged(updated[n] + "T00:00:00Z")
                .updated(updated[n] + "T00:00:00Z"));
      }
      Map<String, Object> settings = Sources.settings(github, REPO);
      settings.put("lookback", "30d"); // since 2026-11-01

      CollectingRecordSink sink = pull(sources.valid(Sources.NAME, settings));

      assertThat(sink.keys()).containsExactly("acme/shop#1", "acme/shop#2", "acme/shop#3");
      assertThat(listRequests())
          .extracting(r -> r.getRequestUrl().queryParameter("page"))
          .containsExactly(null, "2");
      assertThat(paths()).noneMatch(p -> p.startsWith("/repos/acme/shop/pulls/4"));
    }

    @Test
    void aPullRequestListedTwiceWhileThePagesShiftIsReadOnce() throws Exception {
      github.add(pr(REPO, 1)).add(pr(REPO, 2));
      ObjectNode item = pr(REPO, 1).listItem();
      github.script(
          "/repos/acme/shop/pulls",
          new MockResponse()
              .setBody(
                  FakeGitHub.write(
                      Shapes.MAPPER
                          .createArrayNode()
                          .add(item)
                          .add(pr(REPO, 2).listItem())
                          .add(item))));

      assertThat(pull(source()).keys()).containsExactly("acme/shop#1", "acme/shop#2");
    }

    @Test
    void aNextLinkOutsideTheBaseUrlIsNotFollowed() throws Exception {
      github.add(pr(REPO, 1));
      github.script(
          "/repos/acme/shop/pulls",
          new MockResponse()
              .setBody("[]")
              .addHeader(
                  "Link",
                  "<https://elsewhere.example/repos/acme/shop/pulls?page=2>; rel=\"next\""));

      SourceException e = catchThrowableOfType(SourceException.class, () -> pull(source()));

      assertThat(e)
          .hasMessageContaining("next-page link outside " + github.baseUrl())
          .hasMessageContaining("not following it");
    }
  }

  @Nested
  class RateLimits {
    @BeforeEach
    void onePullRequest() {
      github.add(pr(REPO, 42));
    }

    @Test
    void a429WithRetryAfterWaitsThatLongThenSucceeds() throws Exception {
      github.script("/repos/acme/shop/pulls", FakeGitHub.retryAfter(429, 7));

      CollectingRecordSink sink = pull(source());

      assertThat(sources.sleeper.waits()).containsExactly(Duration.ofSeconds(7));
      assertThat(sink.keys()).containsExactly("acme/shop#42");
    }

    @Test
    void a403WithRetryAfterWaitsThatLongToo() throws Exception {
      github.script("/repos/acme/shop/pulls/42/reviews", FakeGitHub.retryAfter(403, 30));

      assertThat(pull(source()).keys()).containsExactly("acme/shop#42");
      assertThat(sources.sleeper.waits()).containsExactly(Duration.ofSeconds(30));
    }

    @Test
    void thePrimaryLimitWaitsUntilTheResetTimeOnTheSourcesClock() throws Exception {
      long reset = sources.clock.instant().plusSeconds(754).getEpochSecond();
      github.script("/repos/acme/shop/pulls/42", FakeGitHub.primaryLimit(reset));

      CollectingRecordSink sink = pull(source());

      assertThat(sources.sleeper.waits()).containsExactly(Duration.ofSeconds(754));
      assertThat(sink.keys()).containsExactly("acme/shop#42");
    }

    @Test
    void aResetTimeAlreadyPastWaitsOneSecond() throws Exception {
      long reset = sources.clock.instant().minusSeconds(5).getEpochSecond();
      github.script("/repos/acme/shop/pulls/42", FakeGitHub.primaryLimit(reset));

      pull(source());

      assertThat(sources.sleeper.waits()).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void secondaryLimitsBackOffExponentiallyFromOneMinute() throws Exception {
      github.script(
          "/repos/acme/shop/pulls/42/commits",
          FakeGitHub.secondaryLimit(),
          FakeGitHub.secondaryLimit(),
          FakeGitHub.secondaryLimit());

      CollectingRecordSink sink = pull(source());

      assertThat(sources.sleeper.waits())
          .containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(4));
      assertThat(sink.keys()).containsExactly("acme/shop#42");
    }

    @Test
    void a429WithoutHeadersIsTreatedAsASecondaryLimit() throws Exception {
      github.script("/repos/acme/shop/pulls", FakeGitHub.error(429, "Too many requests"));

      pull(source());

      assertThat(sources.sleeper.waits()).containsExactly(Duration.ofMinutes(1));
    }

    @Test
    void aWaitBeyondMaxWaitFailsThePullSayingTheRateLimitWasHit() throws Exception {
      long reset = sources.clock.instant().plus(Duration.ofMinutes(47)).getEpochSecond();
      github.script("/repos/acme/shop/pulls", FakeGitHub.primaryLimit(reset));
      Map<String, Object> settings = Sources.settings(github, REPO);
      settings.put("maxWait", "15m");
      CollectingRecordSink sink = new CollectingRecordSink();

      SourceException e =
          catchThrowableOfType(
              SourceException.class, () -> sources.valid(Sources.NAME, settings).pull(sink));

      assertThat(e.getMessage())
          .startsWith("GitHub rate limit hit: GET " + github.baseUrl() + "/repos/acme/shop/pulls?")
          .contains("answered 403: API rate limit exceeded for user ID 4242.")
          .contains("x-ratelimit-remaining 0, resets at " + Instant.ofEpochSecond(reset))
          .contains("waiting 47m more would exceed maxWait 15m for this pull (waited 0s so far)");
      assertThat(sources.sleeper.waits()).isEmpty();
      assertThat(sink.records()).isEmpty();
    }

    @Test
    void theWaitBudgetIsSharedByAllRequestsOfOnePull() throws Exception {
      github.script("/repos/acme/shop/pulls", FakeGitHub.retryAfter(429, 400));
      github.script("/repos/acme/shop/pulls/42", FakeGitHub.retryAfter(429, 400));
      Map<String, Object> settings = Sources.settings(github, REPO);
      settings.put("maxWait", "10m");

      SourceException e =
          catchThrowableOfType(
              SourceException.class, () -> pull(sources.valid(Sources.NAME, settings)));

      assertThat(e)
          .hasMessageContaining("rate limit hit")
          .hasMessageContaining("waited 400s so far");
      assertThat(sources.sleeper.waits()).containsExactly(Duration.ofSeconds(400));
    }

    @Test
    void aLimitThatPersistsGivesUpAfterMaxRetries() throws Exception {
      for (int i = 0; i < 4; i++) {
        github.script("/repos/acme/shop/pulls", FakeGitHub.secondaryLimit());
      }
      Map<String, Object> settings = Sources.settings(github, REPO);
      settings.put("maxRetries", 2);

      SourceException e =
          catchThrowableOfType(
              SourceException.class, () -> pull(sources.valid(Sources.NAME, settings)));

      assertThat(e)
          .hasMessageStartingWith("GitHub rate limit hit")
          .hasMessageContaining("secondary rate limit")
          .hasMessageEndingWith("still limited after 2 retries");
      assertThat(sources.sleeper.waits())
          .containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(2));
    }

    @Test
    void serverErrorsAreRetriedWithBackOff() throws Exception {
      github.script(
          "/repos/acme/shop/pulls/42",
          FakeGitHub.error(502, "Server Error"),
          FakeGitHub.error(503, "Unavailable"));

      assertThat(pull(source()).keys()).containsExactly("acme/shop#42");
      assertThat(sources.sleeper.waits())
          .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void serverErrorsThatPersistFailThePull() throws Exception {
      github.script(
          "/repos/acme/shop/pulls/42",
          FakeGitHub.error(500, "Server Error"),
          FakeGitHub.error(500, "Server Error"));
      Map<String, Object> settings = Sources.settings(github, REPO);
      settings.put("maxRetries", 1);

      SourceException e =
          catchThrowableOfType(
              SourceException.class, () -> pull(sources.valid(Sources.NAME, settings)));

      assertThat(e)
          .hasMessage(
              "GET "
                  + github.baseUrl()
                  + "/repos/acme/shop/pulls/42 answered 500: Server Error [x-github-request-id"
                  + " CAFE:0042:1234:5678:ABCDEF01] (gave up after 2 attempts)");
    }
  }

  @Nested
  class ConditionalRequests {
    @Test
    void theSecondPullSendsIfNoneMatchAndReusesTheAnswersOf304() throws Exception {
      github.pageSize(1);
      github.add(pr(REPO, 1).updated("2026-11-20T00:00:00Z")).add(pr(REPO, 2));
      RecordSource source = source();
      CollectingRecordSink first = new CollectingRecordSink();
      source.pull(first);
      assertThat(github.requests()).noneMatch(r -> r.getHeader("If-None-Match") != null);
      github.clearRequests();

      CollectingRecordSink second = new CollectingRecordSink();
      String detail = source.pull(second);

      assertThat(second.records()).containsExactlyElementsOf(first.records());
      assertThat(github.requests())
          .hasSize(8)
          .allSatisfy(r -> assertThat(r.getHeader("If-None-Match")).startsWith("W/\""));
      assertThat(detail)
          .isEqualTo(
              "acme/shop: 2 merged pull requests (0 stale approvals ignored, 8 requests, 8"
                  + " answered 304)");
    }

    @Test
    void whatChangedBetweenPullsIsReadAgain() throws Exception {
      Shapes.PullRequest merged = pr(REPO, 1);
      List<ObjectNode> reviews = new ArrayList<>();
      github.add(merged, reviews, List.of(FakeGitHub.defaultCommit(merged)));
      RecordSource source = source();
      assertThat(pull(source).record("acme/shop#1").approvals()).isEmpty();

      github.add(
          merged,
          List.of(review(1, "bob", "APPROVED", merged.headSha, "2026-11-17T10:00:00Z")),
          List.of(FakeGitHub.defaultCommit(merged)));
      CollectingRecordSink sink = new CollectingRecordSink();
      String detail = source.pull(sink);

      assertThat(sink.record("acme/shop#1").approvals())
          .containsExactly(new Approval("bob", true, t("2026-11-17T10:00:00Z")));
      assertThat(detail).endsWith("4 requests, 3 answered 304)");
    }
  }

  @Nested
  class Failures {
    @Test
    void aRefusedTokenFailsThePullSayingSo() throws Exception {
      github.add(pr(REPO, 1));
      Files.writeString(dir.resolve("token.txt"), "ghp_wrongTokenWrongToken\n");
      Map<String, Object> settings = Sources.settings(github, REPO);
      settings.put("token", "file:token.txt");
      CollectingRecordSink sink = new CollectingRecordSink();

      SourceException e =
          catchThrowableOfType(
              SourceException.class, () -> sources.valid(Sources.NAME, settings).pull(sink));

      assertThat(e.getMessage())
          .startsWith("GitHub refused the token (file:token.txt): GET " + github.baseUrl())
          .contains("answered 401: Bad credentials")
          .endsWith("check that the token is valid, not expired and not revoked")
          .doesNotContain("ghp_wrongToken");
      assertThat(sink.records()).isEmpty();
    }

    @Test
    void aForbiddenAnswerThatIsNoRateLimitNamesThePermissions() throws Exception {
      github.add(pr(REPO, 1));
      github.script(
          "/repos/acme/shop/pulls",
          FakeGitHub.error(403, "Resource not accessible by personal access token"));

      SourceException e = catchThrowableOfType(SourceException.class, () -> pull(source()));

      assertThat(e.getMessage())
          .contains("answered 403 Forbidden: Resource not accessible by personal access token")
          .contains("the token (env:GITHUB_TOKEN) may lack a permission");
      assertThat(sources.sleeper.waits()).isEmpty();
    }

    @Test
    void aRenamedRepositoryIsNotFollowed() throws Exception {
      github.repo(REPO);
      github.script(
          "/repos/acme/shop/pulls",
          new MockResponse()
              .setResponseCode(301)
              .addHeader("Location", github.baseUrl() + "/repositories/42/pulls"));

      SourceException e = catchThrowableOfType(SourceException.class, () -> pull(source()));

      assertThat(e)
          .hasMessageEndingWith(
              "answered 301, moved to "
                  + github.baseUrl()
                  + "/repositories/42/pulls; a renamed repository must be configured under its"
                  + " new name in repos");
    }

    @Test
    void noFailureMessageEverContainsTheTokenOrTheAuthorizationHeader() throws Exception {
      github.add(pr(REPO, 1));
      List<MockResponse> failures =
          List.of(
              FakeGitHub.error(401, "Bad credentials"),
              FakeGitHub.error(403, "Must have admin rights to Repository."),
              FakeGitHub.error(404, "Not Found"),
              FakeGitHub.error(422, "Validation Failed"),
              FakeGitHub.error(500, "Server Error"),
              FakeGitHub.primaryLimit(sources.clock.instant().plusSeconds(86400).getEpochSecond()),
              new MockResponse().setBody("{not json"));
      Map<String, Object> settings = Sources.settings(github, REPO);
      settings.put("maxRetries", 0);
      List<String> messages = new ArrayList<>();
      for (MockResponse failure : failures) {
        github.script("/repos/acme/shop/pulls", failure);
        SourceException e =
            catchThrowableOfType(
                SourceException.class, () -> pull(sources.valid(Sources.NAME, settings)));
        assertThat(e).as("failure %s", failure).isNotNull();
        messages.add(String.valueOf(e));
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
          messages.add(String.valueOf(cause));
        }
      }

      assertThat(messages)
          .hasSizeGreaterThanOrEqualTo(failures.size())
          .allSatisfy(
              m ->
                  assertThat(m)
                      .doesNotContain(FakeGitHub.TOKEN)
                      .doesNotContainIgnoringCase("bearer")
                      .doesNotContainIgnoringCase("authorization"));
    }

    @Test
    void theSourceDescribesItselfWithoutTheToken() {
      assertThat(source().toString()).contains(github.baseUrl()).doesNotContain(FakeGitHub.TOKEN);
    }
  }

  @Nested
  class Requests {
    @Test
    void everyRequestCarriesTheMediaTypeTheApiVersionTheTokenAndAUserAgent() throws Exception {
      github.add(pr(REPO, 1));

      pull(source());

      assertThat(github.requests())
          .hasSize(4)
          .allSatisfy(
              r -> {
                assertThat(r.getMethod()).isEqualTo("GET");
                assertThat(r.getHeader("Accept")).isEqualTo("application/vnd.github+json");
                assertThat(r.getHeader("X-GitHub-Api-Version")).isEqualTo("2022-11-28");
                assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + FakeGitHub.TOKEN);
                assertThat(r.getHeader("User-Agent")).isEqualTo("vouch-connector-github");
              });
      assertThat(github.requests())
          .extracting(r -> r.getRequestUrl().encodedPath() + "?" + r.getRequestUrl().query())
          .containsExactly(
              "/repos/acme/shop/pulls?state=closed&sort=updated&direction=desc&per_page=100",
              "/repos/acme/shop/pulls/1?null",
              "/repos/acme/shop/pulls/1/reviews?per_page=100",
              "/repos/acme/shop/pulls/1/commits?per_page=100");
    }

    @Test
    void gitHubEnterpriseServerIsReadBelowItsApiV3Prefix() throws Exception {
      try (FakeGitHub enterprise = new FakeGitHub("/api/v3")) {
        enterprise.pageSize(1);
        enterprise.add(pr(REPO, 1).updated("2026-11-20T00:00:00Z")).add(pr(REPO, 2));
        Map<String, Object> settings = Sources.settings(enterprise, REPO);
        settings.put("baseUrl", enterprise.baseUrl() + "/");
        assertThat(settings.get("baseUrl").toString()).endsWith("/api/v3/");

        CollectingRecordSink sink = pull(sources.valid(Sources.NAME, settings));

        assertThat(sink.keys()).containsExactly("acme/shop#1", "acme/shop#2");
        assertThat(sink.record("acme/shop#1").location())
            .isEqualTo(enterprise.baseUrl() + "/repos/acme/shop/pulls/1");
        assertThat(enterprise.requests())
            .hasSize(8)
            .allSatisfy(
                r ->
                    assertThat(r.getRequestUrl().encodedPath())
                        .startsWith("/api/v3/repos/acme/shop/pulls"));
      }
      assertThat(github.requests()).isEmpty();
    }
  }

  private List<String> paths() {
    return github.requests().stream().map(r -> r.getRequestUrl().encodedPath()).toList();
  }

  private List<RecordedRequest> listRequests() {
    return github.requests().stream()
        .filter(r -> r.getRequestUrl().encodedPath().equals("/repos/acme/shop/pulls"))
        .toList();
  }
}
