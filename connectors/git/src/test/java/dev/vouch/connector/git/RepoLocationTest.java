package dev.vouch.connector.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RepoLocationTest {
  private static final Path BASE = Path.of("/etc/vouch");

  @ParameterizedTest
  @CsvSource({
    "https://github.com/acme/shop.git, HTTPS, acme/shop",
    "https://github.com/acme/shop, HTTPS, acme/shop",
    "https://github.com/acme/shop.git/, HTTPS, acme/shop",
    "https://x-access-token@github.com/acme/shop.git, HTTPS, acme/shop",
    "git@github.com:acme/shop.git, SSH, acme/shop",
    "github.com:acme/shop, SSH, acme/shop",
    "ssh://git@github.com/acme/shop.git, SSH, acme/shop",
    "ssh://git@git.example.com:2222/acme/shop.git, SSH, acme/shop",
    "https://gitlab.com/group/sub/shop.git, HTTPS, shop",
    "https://dev.azure.com/org/project/_git/shop, HTTPS, shop",
    "git://git.example.com/shop.git, GIT, shop",
    "/srv/git/shop.git, LOCAL, shop",
    "/srv/src/shop/.git, LOCAL, shop",
    "/srv/src/shop, LOCAL, shop",
    "repos/acme/shop.git, LOCAL, shop",
    "file:///srv/git/acme/shop.git, LOCAL, shop",
    "./a:b/shop.git, LOCAL, shop",
    "config/demo/git/shop.bundle, LOCAL, shop",
  })
  void shouldTellTheKindAndDeriveTheName(String text, RepoLocation.Kind kind, String name) {
    RepoLocation location = RepoLocation.parse(text, BASE);

    assertThat(location.kind()).isEqualTo(kind);
    assertThat(location.derivedName()).isEqualTo(name);
  }

  @ParameterizedTest
  @CsvSource({
    "https://me:hunter2@github.com/acme/shop.git, must not hold a password",
    "s3://bucket/shop.git, is not a git transport",
    "https:///acme/shop.git, names no host",
  })
  void shouldRefuse(String text, String message) {
    assertThatThrownBy(() -> RepoLocation.parse(text, BASE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message)
        .hasMessageNotContaining("hunter2");
  }

  @org.junit.jupiter.api.Test
  void shouldResolveRelativePathsAndShowUrlsWithoutSecrets() {
    assertThat(RepoLocation.parse("repos/shop.git", BASE).uri())
        .isEqualTo("/etc/vouch/repos/shop.git");
    assertThat(RepoLocation.parse("https://x-access-token@github.com/acme/shop.git", BASE).shown())
        .isEqualTo("https://x-access-token@github.com/acme/shop.git");
  }
}
