package dev.vouch.connector.git;

import static dev.vouch.connector.git.TestSupport.pull;
import static dev.vouch.connector.git.TestSupport.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.connector.git.TestSupport.Pulled;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.spi.SourceException;
import dev.vouch.testkit.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.stream.Stream;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.util.SystemReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source against a real ssh git server on 127.0.0.1 ({@link SshGitServer}): keys made in the
 * test and written in OpenSSH and PEM format, the server's host key in a known_hosts file, and the
 * failures a deployment meets — a host key known_hosts does not hold (or holds otherwise), a client
 * key the server refuses, a wrong or missing passphrase — each a {@link SourceException} that says
 * which, never showing the passphrase, never leaving a half-made mirror.
 */
class GitSshTest {
  static final String PASSPHRASE = "correct horse battery staple 42";
  static final TimeWindow DAY = window("2026-10-01T00:00:00Z", "2026-10-02T00:00:00Z");

  @TempDir Path dir;
  final MutableClock clock = MutableClock.at("2026-10-01T20:00:00Z");
  Origin origin;
  ObjectId first;
  ObjectId second;
  KeyPair hostKey;
  KeyPair userKey;
  SshGitServer server;

  @BeforeEach
  void serve() throws Exception {
    origin = Origin.create(dir.resolve("origin.git"), "trunk");
    first = origin.commit("First (#1)", "2026-10-01T09:00:00Z");
    second = origin.commit("Second", "2026-10-01T10:00:00Z", first);
    origin.branch("trunk", second).branch("main", first);
    hostKey = SshKeys.ed25519();
    userKey = SshKeys.ed25519();
    SshKeys.writeOpenSsh(dir.resolve("id_ed25519"), userKey, PASSPHRASE);
    Files.writeString(dir.resolve("passphrase"), PASSPHRASE + "\n");
    server = new SshGitServer(origin.repository(), hostKey, userKey.getPublic());
    Files.writeString(dir.resolve("known_hosts"), server.knownHostsLine() + "\n");
  }

  @AfterEach
  void stop() {
    server.close();
    origin.close();
  }

  Path mirror() {
    return dir.resolve("mirrors/shop.git");
  }

  /** A source made by the factory, with the key, passphrase and known_hosts relative to dir. */
  GitSource sshSource(String key, String passphrase) {
    return TestSupport.source(
        dir,
        clock,
        "{\"repo\":\""
            + server.url()
            + "\",\"mirror\":\"mirrors/shop.git\",\"sshKey\":\""
            + key
            + "\""
            + (passphrase == null ? "" : ",\"sshKeyPassphrase\":\"" + passphrase + "\"")
            + ",\"knownHosts\":\"known_hosts\"}");
  }

  GitSource sshSource() {
    return sshSource("id_ed25519", "file:passphrase");
  }

  @Test
  void shouldCloneAndFetchOverSshWhatALocalPathDelivers() throws Exception {
    GitSource local =
        TestSupport.source(dir, clock, TestSupport.settings(origin, dir.resolve("local.git"), ""));
    GitSource ssh = sshSource();

    Pulled cloned = pull(ssh, DAY, null);
    Pulled clonedLocally = pull(local, DAY, null);
    ObjectId third = origin.commit("Third", "2026-10-01T11:00:00Z", second);
    origin.branch("trunk", third);
    Pulled fetched = pull(ssh, DAY, cloned.cursor());
    Pulled fetchedLocally = pull(local, DAY, clonedLocally.cursor());

    assertThat(cloned.ids()).containsExactly(second.name(), first.name());
    assertThat(cloned.ids()).isEqualTo(clonedLocally.ids());
    assertThat(cloned.stats().cloned).isTrue();
    assertThat(cloned.event(second.name()).action())
        .isEqualTo(clonedLocally.event(second.name()).action());
    assertThat(cloned.event(second.name()).coordinates().subScope())
        .as("the remote's default branch, asked for over ssh with protocol v2")
        .isEqualTo("trunk");
    assertThat(fetched.ids()).containsExactly(third.name(), second.name(), first.name());
    assertThat(fetched.ids()).isEqualTo(fetchedLocally.ids());
    assertThat(fetched.stats().cloned).isFalse();
    assertThat(fetched.cursor()).isEqualTo(fetchedLocally.cursor());
    assertThat(server.users).isNotEmpty().containsOnly(SshGitServer.USER);
    assertThat(server.commands).allMatch(c -> c.startsWith("git-upload-pack "));
    assertThat(server.protocols).contains("version=2");
  }

  @Test
  void shouldReadEncryptedPemKeysAndAHashedKnownHostsEntry() throws Exception {
    server.close();
    KeyPair rsa = SshKeys.rsa();
    SshKeys.writePem(dir.resolve("deploy.pem"), rsa, PASSPHRASE);
    server = new SshGitServer(origin.repository(), hostKey, rsa.getPublic());
    Files.writeString(
        dir.resolve("known_hosts"),
        "# the servers Vouch reads\n"
            + "github.com "
            + SshKeys.openSsh(SshKeys.ecdsa().getPublic())
            + "\n"
            + SshKeys.hashedKnownHostsLine("127.0.0.1", server.port(), hostKey.getPublic())
            + "\n");

    Pulled cloned = pull(sshSource("deploy.pem", "file:passphrase"), DAY, null);
    KeyPair ecdsa = SshKeys.ecdsa();
    SshKeys.writeOpenSsh(dir.resolve("id_ecdsa"), ecdsa, null);
    server.close();
    server = new SshGitServer(origin.repository(), hostKey, ecdsa.getPublic());
    Files.writeString(dir.resolve("known_hosts"), server.knownHostsLine() + "\n");
    Pulled fetched = pull(sshSource("id_ecdsa", null), DAY, cloned.cursor());

    assertThat(cloned.ids()).containsExactly(second.name(), first.name());
    assertThat(fetched.stats().cloned).isFalse();
    assertThat(fetched.ids()).isEqualTo(cloned.ids());
  }

  @Test
  void shouldRefuseAHostWhoseKeyKnownHostsDoesNotHold() throws Exception {
    // The right key, but for port 22 (no [host]:port) and for another host: neither counts.
    Files.writeString(
        dir.resolve("known_hosts"),
        "127.0.0.1 "
            + SshKeys.openSsh(hostKey.getPublic())
            + "\nexample.com "
            + SshKeys.openSsh(hostKey.getPublic())
            + "\n");
    GitSource source = sshSource();

    assertThatThrownBy(() -> pull(source, DAY, null))
        .isInstanceOf(SourceException.class)
        .hasMessageStartingWith("cannot clone repo " + server.url() + " into " + mirror())
        .hasMessageContaining(
            "the host key of [127.0.0.1]:"
                + server.port()
                + " is not in known_hosts "
                + dir.resolve("known_hosts"))
        .hasMessageContaining("the server offered " + describe(hostKey.getPublic()))
        .hasMessageContaining("ssh-keyscan -p " + server.port() + " 127.0.0.1")
        .hasMessageNotContaining(PASSPHRASE);
    assertThat(server.users).as("the client never offered its key").isEmpty();
    assertNoMirror();
  }

  @Test
  void shouldRefuseAChangedHostKeyOnAFetchAndKeepTheMirror() throws Exception {
    GitSource source = sshSource();
    Pulled cloned = pull(source, DAY, null);
    PublicKey other = SshKeys.ed25519().getPublic();
    Files.writeString(dir.resolve("known_hosts"), server.knownHostsLine(other) + "\n");
    ObjectId third = origin.commit("Third", "2026-10-01T11:00:00Z", second);
    origin.branch("trunk", third);

    assertThatThrownBy(() -> pull(source, DAY, cloned.cursor()))
        .isInstanceOf(SourceException.class)
        .hasMessageStartingWith("cannot fetch repo " + server.url())
        .hasMessageContaining(
            "the host key of [127.0.0.1]:"
                + server.port()
                + " does not match known_hosts "
                + dir.resolve("known_hosts"))
        .hasMessageContaining("the server offered " + describe(hostKey.getPublic()))
        .hasMessageContaining("the file holds " + describe(other));

    Files.writeString(dir.resolve("known_hosts"), server.knownHostsLine() + "\n");
    Pulled fetched = pull(source, DAY, cloned.cursor());
    assertThat(fetched.stats().cloned).as("the mirror survived the refused fetch").isFalse();
    assertThat(fetched.ids()).containsExactly(third.name(), second.name(), first.name());
  }

  @Test
  void shouldSayWhichKeyTheServerRefused() throws Exception {
    KeyPair stranger = SshKeys.ed25519();
    SshKeys.writeOpenSsh(dir.resolve("id_stranger"), stranger, PASSPHRASE);
    GitSource source = sshSource("id_stranger", "file:passphrase");

    assertThatThrownBy(() -> pull(source, DAY, null))
        .isInstanceOf(SourceException.class)
        .hasMessageStartingWith("cannot clone repo " + server.url())
        .hasMessageContaining(
            "the ssh server [127.0.0.1]:"
                + server.port()
                + " refused the key "
                + dir.resolve("id_stranger")
                + " ("
                + describe(stranger.getPublic())
                + ") for user git")
        .satisfies(GitSshTest::assertNoPassphrase);
    assertThat(server.users).contains(SshGitServer.USER);
    assertNoMirror();
  }

  @Test
  void shouldNeverShowThePassphrase() throws Exception {
    Files.writeString(dir.resolve("wrong"), "not " + PASSPHRASE);
    GitSource wrong = sshSource("id_ed25519", "file:wrong");
    GitSource none = sshSource("id_ed25519", null);
    Files.writeString(dir.resolve("id_ed25519.pub"), SshKeys.openSsh(userKey.getPublic()));
    GitSource publicKey = sshSource("id_ed25519.pub", "file:passphrase");

    assertThatThrownBy(() -> pull(wrong, DAY, null))
        .isInstanceOf(SourceException.class)
        .hasMessageStartingWith(
            "cannot read the ssh key "
                + dir.resolve("id_ed25519")
                + " for repo "
                + server.url()
                + " (is the secret sshKeyPassphrase file:wrong its passphrase?)")
        .satisfies(GitSshTest::assertNoPassphrase);
    assertThatThrownBy(() -> pull(none, DAY, null))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("is encrypted: set sshKeyPassphrase");
    assertThatThrownBy(() -> pull(publicKey, DAY, null))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("holds no private key in OpenSSH or PEM format")
        .satisfies(GitSshTest::assertNoPassphrase);
    Files.writeString(dir.resolve("id_gone"), "a key, deleted after the configuration was read");
    GitSource gone = sshSource("id_gone", null);
    Files.delete(dir.resolve("id_gone"));
    assertThatThrownBy(() -> pull(gone, DAY, null))
        .isInstanceOf(SourceException.class)
        .hasMessage(
            "cannot read the ssh key file "
                + dir.resolve("id_gone")
                + " for repo "
                + server.url()
                + ": NoSuchFileException: "
                + dir.resolve("id_gone"));
    assertThat(sshSource().toString())
        .doesNotContain(PASSPHRASE)
        .contains("file:passphrase (redacted)");
    assertThat(server.users).as("no key was offered").isEmpty();
    assertNoMirror();
  }

  @Test
  void shouldUseItsOwnClientEvenWhenGitSshIsSet() throws Exception {
    SystemReader original = SystemReader.getInstance();
    SystemReader.setInstance(
        new SystemReader.Delegate(original) {
          @Override
          public String getenv(String variable) {
            return "GIT_SSH".equals(variable) ? "/nonexistent/ssh" : super.getenv(variable);
          }
        });
    try {
      Pulled cloned = pull(sshSource(), DAY, null);

      assertThat(cloned.ids()).containsExactly(second.name(), first.name());
    } finally {
      SystemReader.setInstance(original);
    }
  }

  static String describe(PublicKey key) {
    return KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key);
  }

  static void assertNoPassphrase(Throwable failure) {
    List<Throwable> all = new java.util.ArrayList<>();
    collect(failure, all);
    for (Throwable t : all) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain(PASSPHRASE);
      assertThat(t.toString()).doesNotContain(PASSPHRASE);
    }
  }

  private static void collect(Throwable t, List<Throwable> all) {
    if (t == null || all.contains(t) || all.size() > 50) {
      return;
    }
    all.add(t);
    collect(t.getCause(), all);
    for (Throwable suppressed : t.getSuppressed()) {
      collect(suppressed, all);
    }
  }

  void assertNoMirror() throws Exception {
    assertThat(mirror()).doesNotExist();
    if (Files.isDirectory(mirror().getParent())) {
      try (Stream<Path> left = Files.list(mirror().getParent())) {
        assertThat(left).as("no half-made clone is left behind").isEmpty();
      }
    }
  }
}
