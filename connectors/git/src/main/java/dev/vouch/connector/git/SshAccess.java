package dev.vouch.connector.git;

import dev.vouch.core.spi.SourceException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.security.auth.login.FailedLoginException;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.io.resource.PathResource;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.eclipse.jgit.transport.SshSessionFactory;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;
import org.eclipse.jgit.util.FileUtils;
import org.jspecify.annotations.Nullable;

/**
 * One pull's ssh client: a JGit session factory on Apache MINA sshd that knows the configured key
 * and known_hosts file and nothing else — no {@code ~/.ssh/config}, no {@code ~/.ssh/id_*} keys, no
 * {@code ~/.ssh/known_hosts}, no ssh agent, public-key authentication only. It is set on every
 * transport the pull opens ({@link #configure}, which also overrides {@code GIT_SSH}), and closed
 * after the pull.
 *
 * <p>The key is read when the access is opened, so a missing, unreadable or undecryptable key fails
 * before any connection. Neither the key nor its passphrase is ever part of a message: keys are
 * named by their file and fingerprint.
 */
final class SshAccess implements AutoCloseable {
  private final RepoLocation repo;
  private final SshSettings settings;
  private final List<KeyPair> keys;
  private final KnownHosts knownHosts;
  private final Path home;
  private final SshdSessionFactory factory;

  private SshAccess(
      RepoLocation repo,
      SshSettings settings,
      List<KeyPair> keys,
      KnownHosts knownHosts,
      Path home,
      SshdSessionFactory factory) {
    this.repo = repo;
    this.settings = settings;
    this.keys = keys;
    this.knownHosts = knownHosts;
    this.home = home;
    this.factory = factory;
  }

  /**
   * Reads the key and the known_hosts file and builds the session factory.
   *
   * @throws SourceException when the key or the known_hosts file cannot be read
   */
  static SshAccess open(RepoLocation repo, SshSettings settings) throws SourceException {
    List<KeyPair> keys = readKeys(repo, settings);
    KnownHosts knownHosts;
    try {
      knownHosts = KnownHosts.read(settings.knownHosts());
    } catch (IOException e) {
      throw new SourceException(
          "cannot read known_hosts "
              + settings.knownHosts()
              + " for repo "
              + repo.shown()
              + ": "
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage(),
          e);
    }
    Path home;
    try {
      // An empty home of its own: nothing of the user's ~/.ssh is read, nothing is written there.
      home = Files.createTempDirectory("vouch-ssh-");
    } catch (IOException e) {
      throw new SourceException("cannot create a directory for the ssh client: " + e, e);
    }
    SshdSessionFactory factory =
        new SshdSessionFactoryBuilder()
            .setHomeDirectory(home.toFile())
            .setSshDirectory(home.toFile())
            .setConfigFile(sshDirectory -> null)
            .setDefaultKnownHostsFiles(sshDirectory -> List.of(settings.knownHosts()))
            .setServerKeyDatabase((homeDirectory, sshDirectory) -> knownHosts)
            .setDefaultIdentities(sshDirectory -> List.of())
            .setDefaultKeysProvider(sshDirectory -> keys)
            .setPreferredAuthentications("publickey")
            .setConnectorFactory(null)
            .build(null);
    return new SshAccess(repo, settings, keys, knownHosts, home, factory);
  }

  private static List<KeyPair> readKeys(RepoLocation repo, SshSettings settings)
      throws SourceException {
    Path file = settings.key();
    FilePasswordProvider passwords =
        settings.passphrase().map(p -> FilePasswordProvider.of(p.value())).orElse(null);
    List<KeyPair> keys = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      Iterable<KeyPair> read =
          SecurityUtils.loadKeyPairIdentities(null, new PathResource(file), in, passwords);
      if (read != null) {
        read.forEach(keys::add);
      }
    } catch (FileSystemException e) {
      throw new SourceException(
          "cannot read the ssh key file "
              + file
              + " for repo "
              + repo.shown()
              + ": "
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage());
    } catch (FailedLoginException e) {
      throw new SourceException(
          "the ssh key "
              + file
              + " for repo "
              + repo.shown()
              + " is encrypted: set sshKeyPassphrase to a reference to its passphrase");
    } catch (IOException | GeneralSecurityException | RuntimeException | LinkageError e) {
      // (LinkageError: a format whose parser needs a library that is not there)
      throw new SourceException(
          "cannot read the ssh key "
              + file
              + " for repo "
              + repo.shown()
              + settings
                  .passphrase()
                  .map(
                      p ->
                          " (is the secret sshKeyPassphrase " + p.reference() + " its passphrase?)")
                  .orElse("")
              + ": "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + scrub(e.getMessage(), settings)));
    }
    if (keys.isEmpty()) {
      throw new SourceException(
          "the ssh key file "
              + file
              + " for repo "
              + repo.shown()
              + " holds no private key in OpenSSH or PEM format (a .pub file holds only the"
              + " public key)");
    }
    return keys;
  }

  /** The message without the passphrase, should a library ever have put it there. */
  private static String scrub(String message, SshSettings settings) {
    return settings
        .passphrase()
        .filter(p -> !p.value().isEmpty())
        .map(p -> message.replace(p.value(), "***"))
        .orElse(message);
  }

  /** Makes an ssh transport use this client (a transport of another kind is left alone). */
  void configure(Transport transport) {
    if (transport instanceof SshTransport ssh) {
      ssh.setSshSessionFactory(factory);
    }
  }

  /**
   * A clearer account of a failed connection: the server's host key refused by known_hosts, or the
   * client's key refused by the server. Null when the failure is neither.
   */
  @Nullable IOException explain(Throwable failure) {
    String refusal = knownHosts.refusal();
    String why = null;
    if (refusal != null) {
      why = refusal;
    } else if (knownHosts.accepted() && authenticationRefused(failure)) {
      Set<String> described = new LinkedHashSet<>();
      keys.forEach(key -> described.add(KnownHosts.describe(key.getPublic())));
      why =
          "the ssh server "
              + address()
              + " refused the key "
              + settings.key()
              + " ("
              + String.join(", ", described)
              + ") for user "
              + user()
              + ": give that public key read access to the repository (a deploy key, or a key of"
              + " the user's account)";
    }
    if (why == null) {
      return null;
    }
    IOException explained = new IOException(why);
    explained.addSuppressed(failure);
    return explained;
  }

  private static boolean authenticationRefused(Throwable failure) {
    Set<Throwable> seen = new LinkedHashSet<>();
    for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof SshException ssh
          && ssh.getDisconnectCode()
              == SshConstants.SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE) {
        return true;
      }
      String message = t.getMessage();
      if (message != null && message.contains("No more authentication methods available")) {
        return true;
      }
    }
    return false;
  }

  /** {@code host}, or {@code [host]:port} for a port other than 22: as known_hosts names it. */
  String address() {
    URIish uri = uri();
    return uri == null
        ? repo.shown()
        : KnownHosts.Address.of(String.valueOf(uri.getHost()), uri.getPort());
  }

  private String user() {
    URIish uri = uri();
    String user = uri == null ? null : uri.getUser();
    return user == null || user.isEmpty() ? SshSessionFactory.getLocalUserName() : user;
  }

  private @Nullable URIish uri() {
    try {
      return new URIish(repo.uri());
    } catch (URISyntaxException e) {
      return null;
    }
  }

  @Override
  public void close() {
    factory.close();
    try {
      FileUtils.delete(
          home.toFile(), FileUtils.RECURSIVE | FileUtils.SKIP_MISSING | FileUtils.RETRY);
    } catch (IOException ignored) {
      // an empty temporary directory left behind is harmless
    }
  }

  @Override
  public String toString() {
    return "SshAccess[" + repo.shown() + ", " + settings + "]";
  }
}
