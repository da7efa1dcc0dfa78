package dev.vouch.connector.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.core.spi.ConfigProblem;
import dev.vouch.core.spi.RecordSourceFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitHubRecordSourceFactoryTest {
  @TempDir Path dir;

  private Sources.Created create(Map<String, Object> settings) {
    return new Sources(dir).create("prs", settings);
  }

  private static Map<String, Object> settings(Object... keyValues) {
    Map<String, Object> settings = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      settings.put((String) keyValues[i], keyValues[i + 1]);
    }
    return settings;
  }

  private List<String> problems(Map<String, Object> settings) {
    return create(settings).problems().stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void isFoundByTheServiceLoaderAsTypeGithub() {
    assertThat(ServiceLoader.load(RecordSourceFactory.class))
        .anySatisfy(
            factory -> {
              assertThat(factory).isInstanceOf(GitHubRecordSourceFactory.class);
              assertThat(factory.type()).isEqualTo("github");
            });
  }

  @Test
  void reposAndATokenReferenceAreEnoughAndTheRestHasDefaults() {
    Sources.Created created =
        create(
            settings("repos", List.of("acme/shop", "acme/web.site"), "token", "env:GITHUB_TOKEN"));

    assertThat(created.problems()).isEmpty();
    GitHubRecordSource source = (GitHubRecordSource) created.source();
    assertThat(source.name()).isEqualTo("prs");
    assertThat(source.type()).isEqualTo("github");
    assertThat(source.repos()).containsExactly("acme/shop", "acme/web.site");
    assertThat(source.lookback()).isEqualTo(Duration.ofDays(90));
    assertThat(((HttpTransport) source.transport()).base())
        .isEqualTo(URI.create("https://api.github.com"));
    assertThat(source.toString()).doesNotContain(FakeGitHub.TOKEN);
  }

  @Test
  void aSingleRepoMayBeWrittenWithoutAList() {
    Sources.Created created = create(settings("repos", "acme/shop", "token", "env:GITHUB_TOKEN"));

    assertThat(created.problems()).isEmpty();
    assertThat(((GitHubRecordSource) created.source()).repos()).containsExactly("acme/shop");
  }

  @Test
  void gitHubEnterpriseServerIsABaseUrl() {
    Sources.Created created =
        create(
            settings(
                "repos", "acme/shop",
                "token", "env:GITHUB_TOKEN",
                "baseUrl", "https://github.example.com/api/v3/"));

    assertThat(created.problems()).isEmpty();
    HttpTransport transport = (HttpTransport) ((GitHubRecordSource) created.source()).transport();
    assertThat(transport.base()).isEqualTo(URI.create("https://github.example.com/api/v3"));
    assertThat(transport.location("/repos/acme/shop/pulls/1?x=y"))
        .isEqualTo("https://github.example.com/api/v3/repos/acme/shop/pulls/1");
  }

  @Test
  void reposAndTokenAreRequired() {
    assertThat(problems(settings()))
        .containsExactly(
            "records[0].repos: is required: the repositories to read, as owner/repo",
            "records[0].token: is required: a reference to a GitHub token, env:NAME or file:PATH"
                + " (or set fixtures to read recorded answers from files)");
  }

  @Test
  void reposMustBeOwnerSlashRepoAndListedOnce() {
    assertThat(
            problems(
                settings(
                    "repos",
                    List.of("acme", "acme/shop/extra", "acme/shop", "ACME/Shop", "-x/y", "a/.."),
                    "token",
                    "env:GITHUB_TOKEN")))
        .containsExactly(
            "records[0].repos[0]: 'acme' is not a repository written owner/repo, such as"
                + " acme/shop",
            "records[0].repos[1]: 'acme/shop/extra' is not a repository written owner/repo, such"
                + " as acme/shop",
            "records[0].repos[3]: 'ACME/Shop' is listed twice",
            "records[0].repos[4]: '-x/y' is not a repository written owner/repo, such as"
                + " acme/shop",
            "records[0].repos[5]: 'a/..' is not a repository written owner/repo, such as"
                + " acme/shop");
  }

  @Test
  void anEmptyListOfReposIsAProblem() {
    assertThat(problems(settings("repos", List.of(), "token", "env:GITHUB_TOKEN")))
        .containsExactly("records[0].repos: must list at least one repository, as owner/repo");
  }

  @Test
  void theTokenIsAReferenceNeverTheSecretItself() {
    List<String> problems = problems(settings("repos", "acme/shop", "token", "ghp_literal123"));

    assertThat(problems)
        .containsExactly(
            "records[0].token: secrets must be referenced as env:NAME or file:PATH, never written"
                + " in the file");
    assertThat(String.join("\n", problems)).doesNotContain("ghp_literal123");
  }

  @Test
  void anUnsetTokenVariableIsAProblem() {
    assertThat(problems(settings("repos", "acme/shop", "token", "env:NOT_SET")))
        .containsExactly("records[0].token: environment variable NOT_SET is not set");
  }

  @Test
  void theBaseUrlMustBeHttpsOrLoopbackHttp() {
    assertThat(
            problems(
                settings(
                    "repos", "acme/shop",
                    "token", "env:GITHUB_TOKEN",
                    "baseUrl", "http://github.example.com/api/v3")))
        .containsExactly(
            "records[0].baseUrl: 'http://github.example.com/api/v3' is plain http: the token"
                + " would travel unencrypted; use https");
    assertThat(
            problems(
                settings("repos", "acme/shop", "token", "env:GITHUB_TOKEN", "baseUrl", "ftp://x/")))
        .containsExactly(
            "records[0].baseUrl: 'ftp://x/' is not an http(s) URL; write https://api.github.com"
                + " or, for GitHub Enterprise Server, https://HOST/api/v3");
    assertThat(
            problems(
                settings(
                    "repos", "acme/shop",
                    "token", "env:GITHUB_TOKEN",
                    "baseUrl", "https://api.github.com?x=1")))
        .containsExactly(
            "records[0].baseUrl: 'https://api.github.com?x=1' must not have a query, fragment or"
                + " user name");
  }

  @Test
  void fixturesReplaceTokenAndBaseUrl() {
    Sources.Created created = create(settings("repos", "acme/shop", "fixtures", "recorded"));

    assertThat(created.problems()).isEmpty();
    FixtureTransport transport =
        (FixtureTransport) ((GitHubRecordSource) created.source()).transport();
    assertThat(transport.root()).isEqualTo(dir.resolve("recorded"));
  }

  @Test
  void fixturesCannotBeMixedWithTokenOrBaseUrl() {
    assertThat(
            problems(
                settings(
                    "repos", "acme/shop",
                    "fixtures", "recorded",
                    "token", "env:GITHUB_TOKEN",
                    "baseUrl", "https://api.github.com")))
        .containsExactly(
            "records[0].token: cannot be used with fixtures, which are read from files",
            "records[0].baseUrl: cannot be used with fixtures, which are read from files");
  }

  @Test
  void limitsAreChecked() {
    assertThat(
            problems(
                settings(
                    "repos", "acme/shop",
                    "token", "env:GITHUB_TOKEN",
                    "lookback", "0d",
                    "maxRetries", 99,
                    "maxWait", "soon",
                    "requestTimeout", "0s")))
        .containsExactly(
            "records[0].maxRetries: must be between 0 and 20, not 99",
            "records[0].maxWait: 'soon' is not a duration; write it like 30m, 72h, 2d or PT1H",
            "records[0].lookback: must be longer than zero, such as 90d",
            "records[0].requestTimeout: must be longer than zero, such as 30s");
  }

  @Test
  void anUnknownSettingIsAProblem() {
    assertThat(
            problems(
                settings("repos", "acme/shop", "token", "env:GITHUB_TOKEN", "repositories", "x/y")))
        .containsExactly(
            "records[0].repositories: unknown setting (known here: repos, fixtures, token, baseUrl,"
                + " lookback, maxRetries, maxWait, requestTimeout)");
  }
}
