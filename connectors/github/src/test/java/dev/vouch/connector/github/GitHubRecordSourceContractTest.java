package dev.vouch.connector.github;

import static dev.vouch.connector.github.Shapes.pr;
import static dev.vouch.connector.github.Shapes.review;

import dev.vouch.core.spi.RecordSource;
import dev.vouch.testkit.RecordSourceContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The testkit's record-source contract, over HTTP and over fixtures. */
class GitHubRecordSourceContractTest {

  @Nested
  class OverHttp extends RecordSourceContract {
    @TempDir Path dir;
    FakeGitHub github;

    @BeforeEach
    void start() {
      github = new FakeGitHub().pageSize(2);
      Shapes.PullRequest reviewed = pr("acme/shop", 3).updated("2026-11-20T00:00:00Z");
      github
          .add(pr("acme/shop", 1))
          .add(pr("acme/shop", 2).merged(null))
          .add(
              reviewed,
              List.of(review(1, "bob", "APPROVED", reviewed.headSha, "2026-11-17T10:00:00Z")),
              List.of(FakeGitHub.defaultCommit(reviewed)))
          .add(pr("acme/web", 4))
          // one pull request that cannot be a record, so that problems are compared too
          .add(pr("acme/web", 5).created("2026-11-18T00:00:00Z"));
    }

    @AfterEach
    void stop() throws Exception {
      github.close();
    }

    @Override
    protected RecordSource readableSource(String name) {
      return new Sources(dir).valid(name, Sources.settings(github, "acme/shop", "acme/web"));
    }

    @Override
    protected RecordSource unreadableSource(String name) throws Exception {
      Files.writeString(dir.resolve("revoked-token"), "ghp_revoked");
      Map<String, Object> settings = Sources.settings(github, "acme/shop", "acme/web");
      settings.put("token", "file:revoked-token");
      return new Sources(dir).valid(name, settings);
    }
  }

  @Nested
  class OverFixtures extends RecordSourceContract {
    @TempDir Path dir;

    @Override
    protected RecordSource readableSource(String name) {
      return new Sources(dir)
          .valid(name, FixtureRecordSourceTest.settings(FixtureRecordSourceTest.fixtures()));
    }

    @Override
    protected RecordSource unreadableSource(String name) {
      return new Sources(dir)
          .valid(name, FixtureRecordSourceTest.settings(dir.resolve("no-such-directory")));
    }
  }
}
