package dev.vouch.connector.git;

import static dev.vouch.connector.git.TestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.spi.ChangeSourceFactory;
import dev.vouch.core.spi.ConfigProblem;
import dev.vouch.core.spi.SettingsNode;
import dev.vouch.core.spi.SourceContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings of the {@code git} source, their defaults and problems, and its discovery. */
class GitSourceFactoryTest {
  @TempDir Path dir;

  private final List<ConfigProblem> problems = new ArrayList<>();

  private GitSource create(String name, String settings) {
    SettingsNode node =
        new SettingsNode(json(settings), "sources[0]", problems, Map.of("TOKEN", "t0k3n")::get);
    return (GitSource)
        new GitSourceFactory().create(name, node, new SourceContext(Clock.systemUTC(), dir, 2));
  }

  private GitSource create(String settings) {
    return create("shop", settings);
  }

  private List<String> problems() {
    return problems.stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void shouldBeFoundByServiceLoader() {
    List<String> types =
        ServiceLoader.load(ChangeSourceFactory.class).stream()
            .map(provider -> provider.get().type())
            .toList();

    assertThat(types).contains("git");
  }

  @Test
  void shouldApplyTheDefaults() {
    GitSource source = create("{\"repo\":\"https://github.com/acme/shop.git\"}");

    assertThat(problems).isEmpty();
    assertThat(source.type()).isEqualTo("git");
    assertThat(source.name()).isEqualTo("shop");
    GitSettings settings = source.settings();
    assertThat(settings.repo().kind()).isEqualTo(RepoLocation.Kind.HTTPS);
    assertThat(settings.repo().uri()).isEqualTo("https://github.com/acme/shop.git");
    assertThat(settings.mirror()).isEqualTo(dir.resolve("vouch-data/git/shop.git"));
    assertThat(settings.branches()).isEmpty();
    assertThat(settings.repoName()).isEqualTo("acme/shop");
    assertThat(settings.pullRequestRepo()).isEqualTo("acme/shop");
    assertThat(settings.token()).isEmpty();
    assertThat(settings.lookback()).isEqualTo(Duration.ofDays(1));
  }

  @Test
  void shouldReadEverySetting() {
    GitSource source =
        create(
            """
            {"repo":"https://git.example.com/platform/tools/shop.git","mirror":"/var/lib/vouch/shop.git",
             "branches":["main","refs/heads/release/2026.10"],"repoName":"platform/shop",
             "token":"env:TOKEN","pullRequestRepo":"acme/storefront","lookback":"6h"}""");

    assertThat(problems).isEmpty();
    GitSettings settings = source.settings();
    assertThat(settings.mirror()).isEqualTo(Path.of("/var/lib/vouch/shop.git"));
    assertThat(settings.branches()).containsExactly("main", "release/2026.10");
    assertThat(settings.repoName()).isEqualTo("platform/shop");
    assertThat(settings.pullRequestRepo()).isEqualTo("acme/storefront");
    assertThat(settings.token()).hasValueSatisfying(t -> assertThat(t.value()).isEqualTo("t0k3n"));
    assertThat(settings.lookback()).isEqualTo(Duration.ofHours(6));
    assertThat(source.toString()).doesNotContain("t0k3n").contains("env:TOKEN (redacted)");
  }

  @Test
  void shouldResolveALocalRepositoryAndNameItAfterItsDirectory() {
    GitSource source = create("{\"repo\":\"repos/shop.git\"}");

    assertThat(problems).isEmpty();
    assertThat(source.settings().repo().kind()).isEqualTo(RepoLocation.Kind.LOCAL);
    assertThat(source.settings().repo().uri()).isEqualTo(dir.resolve("repos/shop.git").toString());
    assertThat(source.settings().repoName()).isEqualTo("shop");
    assertThat(source.settings().pullRequestRepo())
        .as("shop is not owner/repo: pull requests are not named")
        .isNull();
  }

  @Test
  void shouldReportEveryProblem() throws Exception {
    Files.writeString(dir.resolve("a-file"), "x");
    create(
        "shop",
        """
        {"repo":"git@github.com:acme/shop.git","mirror":"a-file","branches":["main","bad..name",""],
         "repoName":"acme shop","token":"env:TOKEN","pullRequestRepo":"acme","lookback":"soon",
         "branch":"main"}""");

    assertThat(problems())
        .containsExactly(
            "sources[0].mirror: " + dir.resolve("a-file") + " exists and is not a directory",
            "sources[0].branches[1]: is not a branch name: 'bad..name'",
            "sources[0].branches[2]: is not a branch name: ''",
            "sources[0].repoName: must be a repository name without spaces, such as acme/shop,"
                + " not 'acme shop'",
            "sources[0].pullRequestRepo: must be owner/repo, such as acme/shop, not 'acme'",
            "sources[0].token: is sent only over https, and repo is an ssh location (ssh"
                + " authenticates with sshKey)",
            "sources[0].sshKey: is required for an ssh repo: the path of the private key (OpenSSH"
                + " or PEM format) the server accepts, such as a deploy key",
            "sources[0].knownHosts: is required for an ssh repo: the path of a known_hosts file"
                + " holding the server's host key (an unknown host is never trusted)",
            "sources[0].lookback: 'soon' is not a duration; write it like 30m, 72h, 2d or PT1H",
            "sources[0].branch: unknown setting; did you mean branches? (known here: repo, mirror,"
                + " branches, repoName, pullRequestRepo, token, sshKey, sshKeyPassphrase,"
                + " knownHosts, lookback)");
  }

  @Test
  void shouldRequireARepoAndRefusePasswordsAndPlainHttpTokens() {
    create("{}");
    create("{\"repo\":\"https://me:hunter2@github.com/acme/shop.git\"}");
    create("{\"repo\":\"http://git.example.com/acme/shop.git\",\"token\":\"env:TOKEN\"}");
    create("{\"repo\":\"ftp://git.example.com/acme/shop.git\"}");
    create("{\"repo\":\"https://github.com/acme/shop.git\",\"token\":\"t0k3n\"}");
    create("{\"repo\":\"https://github.com/acme/shop.git\",\"branches\":[]}");

    assertThat(problems())
        .containsExactly(
            "sources[0].repo: is required",
            "sources[0].repo: must not hold a password; give the token as token: env:NAME or"
                + " file:PATH",
            "sources[0].token: is sent only over https, and repo is plain http (the token would"
                + " cross the network in clear)",
            "sources[0].repo: 'ftp://' is not a git transport Vouch reads; use https://, ssh://,"
                + " git@host:owner/repo.git or a local path",
            "sources[0].token: secrets must be referenced as env:NAME or file:PATH, never written"
                + " in the file",
            "sources[0].branches: must name at least one branch, or be left out to read the"
                + " default branch");
    assertThat(problems()).noneMatch(p -> p.contains("hunter2"));
  }

  @Test
  void shouldReadTheSshSettingsRelativeToTheConfiguration() throws Exception {
    Files.createDirectories(dir.resolve("keys"));
    Files.writeString(dir.resolve("keys/deploy"), "a key");
    Files.writeString(dir.resolve("keys/passphrase"), "pass phrase 42\n");
    Files.writeString(dir.resolve("keys/known_hosts"), "github.com ssh-ed25519 AAAA");

    GitSource source =
        create(
            """
            {"repo":"git@github.com:acme/shop.git","sshKey":"keys/deploy",
             "sshKeyPassphrase":"file:keys/passphrase","knownHosts":"keys/known_hosts"}""");

    assertThat(problems).isEmpty();
    assertThat(source.settings().repo().kind()).isEqualTo(RepoLocation.Kind.SSH);
    assertThat(source.settings().ssh())
        .hasValueSatisfying(
            ssh -> {
              assertThat(ssh.key()).isEqualTo(dir.resolve("keys/deploy"));
              assertThat(ssh.knownHosts()).isEqualTo(dir.resolve("keys/known_hosts"));
              assertThat(ssh.passphrase())
                  .hasValueSatisfying(p -> assertThat(p.value()).isEqualTo("pass phrase 42"));
            });
    assertThat(source.toString())
        .doesNotContain("pass phrase 42")
        .contains("file:keys/passphrase (redacted)")
        .contains(dir.resolve("keys/deploy").toString());
  }

  @Test
  void shouldRequireAKeyAndKnownHostsForSshAndRefuseThemElsewhere() throws Exception {
    Files.writeString(dir.resolve("deploy"), "a key");
    create("{\"repo\":\"ssh://git@git.example.com:2222/acme/shop.git\"}");
    create(
        "{\"repo\":\"git@github.com:acme/shop.git\",\"sshKey\":\"missing\","
            + "\"knownHosts\":\".\",\"sshKeyPassphrase\":\"env:NOPE\"}");
    create(
        "{\"repo\":\"https://github.com/acme/shop.git\",\"sshKey\":\"deploy\","
            + "\"sshKeyPassphrase\":\"env:TOKEN\",\"knownHosts\":\"known_hosts\"}");
    create("{\"repo\":\"repos/shop.git\",\"knownHosts\":\"known_hosts\"}");

    assertThat(problems())
        .containsExactly(
            "sources[0].sshKey: is required for an ssh repo: the path of the private key (OpenSSH"
                + " or PEM format) the server accepts, such as a deploy key",
            "sources[0].knownHosts: is required for an ssh repo: the path of a known_hosts file"
                + " holding the server's host key (an unknown host is never trusted)",
            "sources[0].sshKeyPassphrase: environment variable NOPE is not set",
            "sources[0].sshKey: " + dir.resolve("missing") + " does not exist",
            "sources[0].knownHosts: " + dir + " is not a file",
            "sources[0].sshKey: is for ssh repositories (ssh:// or git@host:owner/repo.git), and"
                + " repo is an https URL (authenticate with token)",
            "sources[0].sshKeyPassphrase: is for ssh repositories (ssh:// or"
                + " git@host:owner/repo.git), and repo is an https URL (authenticate with token)",
            "sources[0].knownHosts: is for ssh repositories (ssh:// or git@host:owner/repo.git),"
                + " and repo is an https URL (authenticate with token)",
            "sources[0].knownHosts: is for ssh repositories (ssh:// or git@host:owner/repo.git),"
                + " and repo is a local path");
  }

  @Test
  void shouldAskForAMirrorWhenTheSourceNameCannotNameOne() {
    create("prod shop/main", "{\"repo\":\"https://github.com/acme/shop.git\"}");

    assertThat(problems())
        .containsExactly(
            "sources[0].mirror: the default vouch-data/git/<source name>.git needs a source name of"
                + " letters, digits, '.', '_' and '-', not 'prod shop/main'; set mirror");
  }

  @Test
  void shouldMarkRewritesWithTheAttributeTheMatcherReads() {
    assertThat(HistoryRewrite.HISTORY_REWRITTEN_ATTRIBUTE)
        .isEqualTo(ChangeEvent.HISTORY_REWRITTEN_ATTRIBUTE);
  }
}
