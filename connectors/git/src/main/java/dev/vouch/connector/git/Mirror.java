package dev.vouch.connector.git;

import dev.vouch.core.spi.SettingsNode.Secret;
import dev.vouch.core.spi.SourceException;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.FileUtils;
import org.jspecify.annotations.Nullable;

/**
 * Vouch's bare mirror of the repository: cloned on first use, fetched ({@code
 * +refs/heads/*:refs/heads/*}, pruned) on every pull. Only branches are copied: no tags, and none
 * of a hosting service's other refs (GitHub's {@code refs/pull/*} alone can be tens of thousands).
 * The mirror also holds {@code refs/vouch/last/<branch>}, the head each branch had at the last
 * pull, which the fetch does not touch: it keeps the commits of a rewritten history reachable, so
 * they can be named.
 *
 * <p>Every failure is a {@link SourceException} naming the repository, never an empty result. The
 * token and the ssh key's passphrase are never part of a message: the token is sent through a
 * credentials provider, the passphrase only decrypts the key, and any message that would still hold
 * either is scrubbed. An ssh repository is reached through an {@link SshAccess} made for each clone
 * or fetch from {@link SshSettings}, and closed after it.
 */
final class Mirror {
  /** The user name GitHub (and others) accept with a token as password. */
  static final String TOKEN_USER = "x-access-token";

  /** Network read timeout, in seconds, for clone and fetch. */
  static final int TIMEOUT_SECONDS = 300;

  static final String BRANCHES_REFSPEC = "+refs/heads/*:refs/heads/*";
  static final String ANCHORS = "refs/vouch/last/";

  private final RepoLocation repo;
  private final Path directory;
  private final Optional<Secret> token;
  private final Optional<SshSettings> ssh;

  Mirror(RepoLocation repo, Path directory, Optional<Secret> token, Optional<SshSettings> ssh) {
    this.repo = repo;
    this.directory = directory;
    this.token = token;
    this.ssh = ssh;
  }

  Path directory() {
    return directory;
  }

  /**
   * Opens the mirror, cloning the repository first when there is none yet (then {@code
   * stats.cloned} is set and no fetch is needed).
   */
  Repository open(PullStats stats, boolean followHead) throws SourceException {
    if (Files.isDirectory(directory) && !isEmptyDirectory(directory)) {
      if (!RepositoryCache.FileKey.isGitRepository(directory.toFile(), FS.DETECTED)) {
        throw new SourceException(
            "the mirror directory "
                + directory
                + " of repo "
                + repo.shown()
                + " is not a git repository; remove it or point mirror elsewhere");
      }
      try {
        return new FileRepositoryBuilder()
            .setGitDir(directory.toFile())
            .setMustExist(true)
            .setBare()
            .build();
      } catch (IOException | RuntimeException e) {
        throw failure("cannot open the mirror " + directory + " of repo " + repo.shown(), e);
      }
    }
    if (Files.exists(directory) && !Files.isDirectory(directory)) {
      throw new SourceException(
          "the mirror " + directory + " of repo " + repo.shown() + " is not a directory");
    }
    checkTransport();
    Path temporary =
        directory.resolveSibling(
            "."
                + directory.getFileName()
                + ".cloning-"
                + UUID.randomUUID().toString().substring(0, 8));
    try {
      Files.createDirectories(directory.getParent());
      // A clone is a new bare repository and a first fetch, moved into place once complete: an
      // interrupted clone leaves no half mirror behind. (JGit's CloneCommand would also refuse a
      // remote whose HEAD names a branch that does not exist.)
      try (Git git =
          Git.init()
              .setBare(true)
              .setDirectory(temporary.toFile())
              .setInitialBranch("main")
              .call()) {
        StoredConfig config = git.getRepository().getConfig();
        config.setString("remote", "origin", "url", repo.shown());
        config.setString("remote", "origin", "fetch", BRANCHES_REFSPEC);
        // gc.auto is a loose-object threshold, 0 switches automatic gc off: a background gc
        // must not run in the temporary directory while it is moved into place.
        config.setInt("gc", null, "auto", 0);
        config.setBoolean("gc", null, "autoDetach", false);
        config.save();
        fetchInto(git.getRepository(), stats, followHead);
      }
      if (Files.isDirectory(directory)) {
        Files.delete(directory); // empty, checked above
      }
      Files.move(temporary, directory, StandardCopyOption.ATOMIC_MOVE);
    } catch (GitAPIException | IOException | URISyntaxException | RuntimeException e) {
      deleteQuietly(temporary);
      throw failure("cannot clone repo " + repo.shown() + " into " + directory, e);
    } catch (SourceException e) {
      deleteQuietly(temporary);
      throw e;
    }
    stats.cloned = true;
    try {
      return new FileRepositoryBuilder().setGitDir(directory.toFile()).setMustExist(true).build();
    } catch (IOException e) {
      throw failure("cannot open the new mirror " + directory + " of repo " + repo.shown(), e);
    }
  }

  /**
   * Brings the mirror's branches up to the remote's ({@code +refs/heads/*:refs/heads/*}, pruned:
   * forced updates and deleted branches are taken as they are), and follows the remote's default
   * branch when the remote says which it is.
   */
  void fetch(Repository repository, PullStats stats, boolean followHead) throws SourceException {
    checkTransport();
    try {
      fetchInto(repository, stats, followHead);
    } catch (GitAPIException | IOException | URISyntaxException | RuntimeException e) {
      throw failure("cannot fetch repo " + repo.shown() + " into the mirror " + directory, e);
    }
  }

  private void fetchInto(Repository repository, PullStats stats, boolean followHead)
      throws GitAPIException, IOException, URISyntaxException, SourceException {
    try (SshAccess access = sshAccess()) {
      fetchInto(repository, stats, followHead, access);
    }
  }

  private void fetchInto(
      Repository repository, PullStats stats, boolean followHead, @Nullable SshAccess access)
      throws GitAPIException, IOException, URISyntaxException, SourceException {
    FetchResult result;
    try {
      result =
          Git.wrap(repository)
              .fetch()
              .setRemote(repo.uri())
              .setRefSpecs(BRANCHES_REFSPEC)
              .setRemoveDeletedRefs(true)
              .setTagOpt(TagOpt.NO_TAGS)
              .setTimeout(TIMEOUT_SECONDS)
              .setCredentialsProvider(credentials())
              .setTransportConfigCallback(access == null ? null : access::configure)
              .setProgressMonitor(NullProgressMonitor.INSTANCE)
              .call();
    } catch (GitAPIException | RuntimeException e) {
      IOException explained = access == null ? null : access.explain(e);
      if (explained != null) {
        throw explained;
      }
      throw e;
    }
    stats.refsUpdated = result.getTrackingRefUpdates().size();
    Ref head = result.getAdvertisedRef(Constants.HEAD);
    if (followHead && (head == null || !head.isSymbolic())) {
      head = remoteHead(repository, access);
    }
    if (head != null
        && head.isSymbolic()
        && head.getTarget().getName().startsWith(Constants.R_HEADS)) {
      String target = head.getTarget().getName();
      Ref current = repository.exactRef(Constants.HEAD);
      if (current == null
          || !current.isSymbolic()
          || !current.getTarget().getName().equals(target)) {
        RefUpdate update = repository.updateRef(Constants.HEAD);
        update.disableRefLog();
        check(update.link(target), "point the mirror's HEAD at " + target);
      }
    }
  }

  /**
   * The remote's HEAD, asked for by name: with protocol v2 a fetch of {@code refs/heads/*} lists
   * only branches, so the remote's default branch is not in its result.
   */
  private @Nullable Ref remoteHead(Repository repository, @Nullable SshAccess access)
      throws IOException, URISyntaxException {
    try (Transport transport = Transport.open(repository, new URIish(repo.uri()))) {
      transport.setTimeout(TIMEOUT_SECONDS);
      CredentialsProvider credentials = credentials();
      if (credentials != null) {
        transport.setCredentialsProvider(credentials);
      }
      if (access != null) {
        access.configure(transport);
      }
      try (FetchConnection connection =
          transport.openFetch(List.of(new RefSpec(BRANCHES_REFSPEC)), Constants.HEAD)) {
        return connection.getRef(Constants.HEAD);
      } catch (IOException | RuntimeException e) {
        IOException explained = access == null ? null : access.explain(e);
        if (explained != null) {
          throw explained;
        }
        throw e;
      }
    }
  }

  /**
   * The remote's default branch, as the mirror's HEAD names it (set by the clone, followed by each
   * fetch); else {@code main}, else {@code master}.
   */
  String defaultBranch(Repository repository) throws SourceException {
    try {
      Ref head = repository.exactRef(Constants.HEAD);
      if (head != null
          && head.isSymbolic()
          && head.getObjectId() != null
          && head.getTarget().getName().startsWith(Constants.R_HEADS)) {
        return head.getTarget().getName().substring(Constants.R_HEADS.length());
      }
      for (String candidate : new String[] {"main", "master"}) {
        if (repository.exactRef(Constants.R_HEADS + candidate) != null) {
          return candidate;
        }
      }
      Set<String> branches = new LinkedHashSet<>();
      for (Ref ref : repository.getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
        branches.add(ref.getName().substring(Constants.R_HEADS.length()));
        if (branches.size() == 10) {
          break;
        }
      }
      throw new SourceException(
          "cannot tell the default branch of repo "
              + repo.shown()
              + ": the remote names none and there is no main or master"
              + (branches.isEmpty() ? " (it has no branch at all)" : " (it has " + branches + ")")
              + "; set branches");
    } catch (IOException e) {
      throw failure("cannot read the branches of the mirror " + directory, e);
    }
  }

  /**
   * Points {@code refs/vouch/last/<branch>} at each given head the mirror holds, so that a fetch
   * that rewrites the branch leaves the old commits reachable.
   */
  void anchor(Repository repository, Map<String, String> heads) throws SourceException {
    for (Map.Entry<String, String> entry : heads.entrySet()) {
      String ref = ANCHORS + entry.getKey();
      if (!Repository.isValidRefName(ref) || !ObjectId.isId(entry.getValue())) {
        continue;
      }
      try {
        ObjectId id = ObjectId.fromString(entry.getValue());
        if (!repository.getObjectDatabase().has(id)) {
          continue;
        }
        Ref current = repository.exactRef(ref);
        if (current != null && id.equals(current.getObjectId())) {
          continue;
        }
        RefUpdate update = repository.updateRef(ref);
        update.setNewObjectId(id);
        update.setForceUpdate(true);
        update.disableRefLog();
        check(update.update(), "update " + ref);
      } catch (IOException e) {
        throw failure("cannot update " + ref + " in the mirror " + directory, e);
      }
    }
  }

  private void check(RefUpdate.Result result, String what) throws SourceException {
    switch (result) {
      case NEW, FORCED, FAST_FORWARD, NO_CHANGE, RENAMED -> {}
      default ->
          throw new SourceException(
              "cannot "
                  + what
                  + " in the mirror "
                  + directory
                  + " of repo "
                  + repo.shown()
                  + ": "
                  + result);
    }
  }

  /**
   * An ssh repository is reached only with the configured key and known_hosts: never with the
   * user's {@code ~/.ssh}, an agent, or an external client ({@code GIT_SSH}) that might trust an
   * unknown host.
   */
  private void checkTransport() throws SourceException {
    if (repo.kind() == RepoLocation.Kind.SSH && ssh.isEmpty()) {
      throw new SourceException(
          "cannot reach repo "
              + repo.shown()
              + " over ssh: set sshKey (the private key) and knownHosts (a known_hosts file with"
              + " the server's host key)");
    }
  }

  /** The ssh client for one clone or fetch of an ssh repository; null for any other. */
  private @Nullable SshAccess sshAccess() throws SourceException {
    if (repo.kind() != RepoLocation.Kind.SSH || ssh.isEmpty()) {
      return null;
    }
    return SshAccess.open(repo, ssh.get());
  }

  private @Nullable CredentialsProvider credentials() {
    return token
        .map(t -> new UsernamePasswordCredentialsProvider(TOKEN_USER, t.value()))
        .orElse(null);
  }

  /**
   * A failure naming what could not be done and why, with the token and the passphrase scrubbed
   * from the message. The cause is kept only when no message in its chain (or of an exception
   * suppressed in it) holds either.
   */
  SourceException failure(String what, Exception e) {
    StringBuilder why = new StringBuilder();
    Set<String> seen = new LinkedHashSet<>();
    boolean leaks = false;
    for (Throwable t = e; t != null && seen.size() < 5; t = t.getCause()) {
      String message = t.getMessage();
      if (message == null || message.isBlank()) {
        continue;
      }
      leaks |= holdsSecret(message);
      for (Throwable suppressed : t.getSuppressed()) {
        for (Throwable u = suppressed; u != null && u.getCause() != u; u = u.getCause()) {
          leaks |= holdsSecret(u.getMessage());
        }
      }
      String clean = scrub(message.strip());
      if (seen.stream().noneMatch(s -> s.contains(clean)) && seen.add(clean)) {
        why.append(why.length() == 0 ? "" : ": ").append(clean);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    String text = what + ": " + (why.length() == 0 ? e.getClass().getSimpleName() : why);
    return leaks ? new SourceException(text) : new SourceException(text, e);
  }

  /** A message without the token, the passphrase, and any password written in a URL. */
  String scrub(String message) {
    String clean = message.replaceAll("(://[^/@\\s:]+):[^/@\\s]+@", "$1:***@");
    for (String secret : secrets()) {
      clean = clean.replace(secret, "***");
    }
    return clean;
  }

  private boolean holdsSecret(@Nullable String message) {
    return message != null && secrets().stream().anyMatch(message::contains);
  }

  /** The values no message may hold: the token and the ssh key's passphrase. */
  private List<String> secrets() {
    List<String> secrets = new ArrayList<>();
    token.map(Secret::value).ifPresent(secrets::add);
    ssh.flatMap(SshSettings::passphrase).map(Secret::value).ifPresent(secrets::add);
    secrets.removeIf(String::isEmpty);
    return secrets;
  }

  private static boolean isEmptyDirectory(Path dir) {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      return !entries.iterator().hasNext();
    } catch (IOException e) {
      return false;
    }
  }

  private static void deleteQuietly(Path path) {
    File file = path.toFile();
    try {
      FileUtils.delete(file, FileUtils.RECURSIVE | FileUtils.SKIP_MISSING | FileUtils.RETRY);
    } catch (IOException ignored) {
      // a leftover temporary directory is harmless: the next clone uses a new name
    }
  }

  @Override
  public String toString() {
    return "Mirror[" + repo.shown() + " -> " + directory + "]";
  }
}
