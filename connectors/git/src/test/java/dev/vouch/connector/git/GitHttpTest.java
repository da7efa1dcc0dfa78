package dev.vouch.connector.git;

import static dev.vouch.connector.git.TestSupport.pull;
import static dev.vouch.connector.git.TestSupport.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.connector.git.TestSupport.Pulled;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.spi.SettingsNode.Secret;
import dev.vouch.core.spi.SourceException;
import dev.vouch.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source against a git server speaking smart HTTP behind Basic authentication: the token is
 * sent as the password of {@code x-access-token}, and never appears in a failure.
 */
class GitHttpTest {
  static final String TOKEN = "ghs_0123456789abcdefSECRET";
  static final TimeWindow DAY = window("2026-10-01T00:00:00Z", "2026-10-02T00:00:00Z");

  @TempDir Path dir;
  final MutableClock clock = MutableClock.at("2026-10-01T20:00:00Z");
  Origin origin;
  SmartHttpServer server;
  ObjectId first;
  ObjectId second;

  @BeforeEach
  void serve() throws Exception {
    origin = Origin.create(dir.resolve("origin.git"), "trunk");
    first = origin.commit("First (#1)", "2026-10-01T09:00:00Z");
    second = origin.commit("Second", "2026-10-01T10:00:00Z", first);
    origin.branch("trunk", second).branch("main", first);
    server = new SmartHttpServer(origin.repository(), Mirror.TOKEN_USER, TOKEN);
  }

  @AfterEach
  void stop() {
    server.close();
    origin.close();
  }

  GitSource source(String token) {
    RepoLocation repo = RepoLocation.parse(server.url(), dir);
    return new GitSource(
        "http",
        new GitSettings(
            repo,
            dir.resolve("mirror.git"),
            List.of(),
            repo.derivedName(),
            "acme/shop",
            Optional.ofNullable(token).map(t -> new Secret("env:TOKEN", t)),
            Optional.empty(),
            Duration.ofDays(1)),
        clock);
  }

  @Test
  void shouldCloneAndFetchWithTheTokenOverProtocolV2() throws Exception {
    GitSource source = source(TOKEN);

    Pulled cloned = pull(source, DAY, null);
    ObjectId third = origin.commit("Third", "2026-10-01T11:00:00Z", second);
    origin.branch("trunk", third);
    Pulled fetched = pull(source, DAY, cloned.cursor());

    assertThat(cloned.ids()).containsExactly(second.name(), first.name());
    assertThat(cloned.event(second.name()).coordinates().scope()).isEqualTo("acme/shop");
    assertThat(cloned.event(second.name()).coordinates().subScope())
        .as("the remote's default branch, found over protocol v2")
        .isEqualTo("trunk");
    assertThat(fetched.ids()).containsExactly(third.name(), second.name(), first.name());
    assertThat(fetched.stats().cloned).isFalse();
    assertThat(server.users).contains(Mirror.TOKEN_USER).doesNotContain(TOKEN);
    assertThat(server.protocols).contains("version=2");
  }

  @Test
  void shouldNotShowTheTokenWhenItIsRefused() {
    GitSource source = source("wrong-" + TOKEN);

    assertThatThrownBy(() -> pull(source, DAY, null))
        .isInstanceOf(SourceException.class)
        .hasMessageStartingWith("cannot clone repo " + server.url())
        .hasMessageNotContaining(TOKEN)
        .satisfies(
            e -> {
              for (Throwable t = e; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(TOKEN);
              }
            });
    assertThat(source.toString()).doesNotContain(TOKEN).contains("env:TOKEN (redacted)");
  }

  @Test
  void shouldFailWithoutCredentialsWhereTheServerWantsThem() {
    assertThatThrownBy(() -> pull(source(null), DAY, null))
        .isInstanceOf(SourceException.class)
        .hasMessageStartingWith("cannot clone repo " + server.url());
    assertThat(dir.resolve("mirror.git")).doesNotExist();
  }
}
