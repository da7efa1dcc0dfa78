package dev.vouch.connector.git;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.AbstractCommandSupport;
import org.apache.sshd.server.command.Command;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.UploadPack;

/**
 * A git server speaking ssh on 127.0.0.1, as a hosting service does: Apache MINA sshd (the {@code
 * sshd-osgi} that JGit's ssh client brings) with one host key, public-key authentication of one
 * user with one key, and {@code git-upload-pack} for one repository through JGit's own {@link
 * UploadPack} (protocol v2 when the client asks with {@code GIT_PROTOCOL}). No shell, no password.
 */
final class SshGitServer implements AutoCloseable {
  static final String USER = "git";
  static final String PATH = "acme/shop.git";

  private final SshServer server;
  private final Repository repository;
  private final KeyPair hostKey;
  private final PublicKey userKey;
  final List<String> users = new CopyOnWriteArrayList<>();
  final List<String> commands = new CopyOnWriteArrayList<>();
  final List<String> protocols = new CopyOnWriteArrayList<>();

  SshGitServer(Repository repository, KeyPair hostKey, PublicKey userKey) throws IOException {
    this.repository = repository;
    this.hostKey = hostKey;
    this.userKey = userKey;
    server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    server.setPasswordAuthenticator(null);
    server.setKeyboardInteractiveAuthenticator(null);
    server.setPublickeyAuthenticator(
        (user, key, session) -> {
          users.add(user);
          return USER.equals(user) && KeyUtils.compareKeys(userKey, key);
        });
    server.setShellFactory(null);
    server.setCommandFactory(this::command);
    server.start();
  }

  int port() {
    return server.getPort();
  }

  /** {@code ssh://git@127.0.0.1:<port>/acme/shop.git}. */
  String url() {
    return "ssh://" + USER + "@127.0.0.1:" + port() + "/" + PATH;
  }

  /** The known_hosts line that names this server's host key: {@code [127.0.0.1]:<port> <key>}. */
  String knownHostsLine() {
    return knownHostsLine(hostKey.getPublic());
  }

  /** A known_hosts line naming another key for this server's address. */
  String knownHostsLine(PublicKey key) {
    return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(key);
  }

  PublicKey hostKey() {
    return hostKey.getPublic();
  }

  PublicKey userKey() {
    return userKey;
  }

  private Command command(ChannelSession channel, String command) {
    commands.add(command);
    String[] words = command.strip().split(" ", 2);
    String path = words.length < 2 ? "" : words[1].replace("'", "").replaceFirst("^/", "");
    if (!words[0].equals("git-upload-pack") || !path.equals(PATH)) {
      return new Refusal(command);
    }
    return new UploadPackCommand(command);
  }

  /** {@code git-upload-pack} of the repository, on a thread of its own. */
  private final class UploadPackCommand extends AbstractCommandSupport {
    UploadPackCommand(String command) {
      super(command, null);
    }

    @Override
    public void run() {
      String protocol = getEnvironment().getEnv().get("GIT_PROTOCOL");
      protocols.add(String.valueOf(protocol));
      UploadPack upload = new UploadPack(repository);
      if (protocol != null) {
        upload.setExtraParameters(List.of(protocol.split(":")));
      }
      try {
        upload.upload(getInputStream(), getOutputStream(), getErrorStream());
        onExit(0);
      } catch (IOException | RuntimeException e) {
        onExit(1, e.toString());
      }
    }
  }

  /** Any other command: a message on stderr and exit status 128, as git's server does. */
  private static final class Refusal extends AbstractCommandSupport {
    Refusal(String command) {
      super(command, null);
    }

    @Override
    public void run() {
      try {
        OutputStream err = getErrorStream();
        err.write(
            ("fatal: '" + getCommand() + "' is not a repository here\n")
                .getBytes(StandardCharsets.UTF_8));
        err.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        onExit(128);
      }
    }
  }

  @Override
  public void close() {
    try {
      server.stop(true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
