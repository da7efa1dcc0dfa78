package dev.vouch.connector.git;

import dev.vouch.core.spi.ChangeSource;
import dev.vouch.core.spi.ChangeSourceFactory;
import dev.vouch.core.spi.SettingsNode;
import dev.vouch.core.spi.SourceContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;

/**
 * Creates {@code git} sources: the first-parent history of a repository's protected branches, read
 * from a bare mirror that Vouch keeps.
 *
 * <p>Settings: {@code repo} (required; an {@code https://} or {@code ssh://} URL, {@code
 * git@host:owner/repo.git}, or a local path relative to the configuration's directory), {@code
 * mirror} (default {@code vouch-data/git/<source name>.git}), {@code branches} (default: the
 * remote's default branch), {@code repoName} (default derived from {@code repo}), {@code token} (a
 * secret reference for HTTPS), {@code sshKey}, {@code sshKeyPassphrase} and {@code knownHosts} (for
 * ssh: the private key file, a secret reference to its passphrase, and the known_hosts file that
 * must hold the server's host key; key and known_hosts are required for ssh and refused for
 * anything else), {@code pullRequestRepo} (default {@code repoName} when it is {@code owner/repo})
 * and {@code lookback} (default {@code 1d}). The repository is not contacted here: an unreachable
 * repository fails the pull, not the configuration.
 */
public final class GitSourceFactory implements ChangeSourceFactory {
  /** The value of {@code type} that selects this factory. */
  public static final String TYPE = "git";

  static final String REPO = "repo";
  static final String MIRROR = "mirror";
  static final String BRANCHES = "branches";
  static final String REPO_NAME = "repoName";
  static final String TOKEN = "token";
  static final String SSH_KEY = "sshKey";
  static final String SSH_KEY_PASSPHRASE = "sshKeyPassphrase";
  static final String KNOWN_HOSTS = "knownHosts";
  static final String PULL_REQUEST_REPO = "pullRequestRepo";
  static final String LOOKBACK = "lookback";

  static final Duration DEFAULT_LOOKBACK = Duration.ofDays(1);
  static final String DEFAULT_MIRROR_DIRECTORY = "vouch-data/git/";

  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9._-]+");

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Set<String> attributes() {
    return CommitMapper.ATTRIBUTES;
  }

  @Override
  public ChangeSource create(String name, SettingsNode settings, SourceContext context) {
    Path base = context.baseDirectory();
    Optional<RepoLocation> parsed = repo(settings, base);
    RepoLocation repo =
        parsed.orElse(RepoLocation.parse(".", base)); // unused: a problem is reported
    Path mirror = mirror(name, settings, base);
    List<String> branches = branches(settings);
    String repoName = repoName(settings, repo);
    String pullRequestRepo = pullRequestRepo(settings, repoName);
    Optional<SettingsNode.Secret> token = settings.secret(TOKEN, base);
    if (settings.has(TOKEN) && repo.kind() != RepoLocation.Kind.HTTPS) {
      settings.problem(
          TOKEN,
          "is sent only over https, and repo is "
              + switch (repo.kind()) {
                case HTTP -> "plain http (the token would cross the network in clear)";
                case SSH -> "an ssh location (ssh authenticates with sshKey)";
                case GIT -> "a git:// URL (no authentication)";
                default -> "a local path";
              });
    }
    Optional<SshSettings> ssh = ssh(settings, parsed, base);
    Duration lookback = settings.duration(LOOKBACK, DEFAULT_LOOKBACK);
    settings.finish();
    return new GitSource(
        name,
        new GitSettings(repo, mirror, branches, repoName, pullRequestRepo, token, ssh, lookback),
        context.clock());
  }

  private static Optional<RepoLocation> repo(SettingsNode settings, Path base) {
    String text = settings.requiredString(REPO);
    if (!text.isEmpty()) {
      try {
        return Optional.of(RepoLocation.parse(text, base));
      } catch (IllegalArgumentException e) {
        settings.problem(REPO, e.getMessage());
      }
    }
    return Optional.empty();
  }

  /**
   * The key, passphrase and known_hosts of an ssh repository, all checked here: key and known_hosts
   * are required for ssh (a host is never trusted unless known_hosts names its key) and are a
   * problem with any other location. The key itself is read at each pull.
   */
  private static Optional<SshSettings> ssh(
      SettingsNode settings, Optional<RepoLocation> repo, Path base) {
    if (repo.isEmpty() || repo.get().kind() != RepoLocation.Kind.SSH) {
      settings.accept(SSH_KEY, SSH_KEY_PASSPHRASE, KNOWN_HOSTS);
      if (repo.isPresent()) {
        for (String key : new String[] {SSH_KEY, SSH_KEY_PASSPHRASE, KNOWN_HOSTS}) {
          if (settings.has(key)) {
            settings.problem(
                key,
                "is for ssh repositories (ssh:// or git@host:owner/repo.git), and repo is "
                    + switch (repo.get().kind()) {
                      case HTTPS -> "an https URL (authenticate with token)";
                      case HTTP -> "a plain http URL";
                      case GIT -> "a git:// URL";
                      default -> "a local path";
                    });
          }
        }
      }
      return Optional.empty();
    }
    Optional<Path> key = settings.optionalPath(SSH_KEY, base);
    Optional<SettingsNode.Secret> passphrase = settings.secret(SSH_KEY_PASSPHRASE, base);
    Optional<Path> knownHosts = settings.optionalPath(KNOWN_HOSTS, base);
    if (key.isEmpty()) {
      settings.problem(
          SSH_KEY,
          "is required for an ssh repo: the path of the private key (OpenSSH or PEM format) the"
              + " server accepts, such as a deploy key");
    } else {
      checkFile(settings, SSH_KEY, key.get());
    }
    if (knownHosts.isEmpty()) {
      settings.problem(
          KNOWN_HOSTS,
          "is required for an ssh repo: the path of a known_hosts file holding the server's host"
              + " key (an unknown host is never trusted)");
    } else {
      checkFile(settings, KNOWN_HOSTS, knownHosts.get());
    }
    if (key.isEmpty() || knownHosts.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new SshSettings(key.get(), passphrase, knownHosts.get()));
  }

  private static void checkFile(SettingsNode settings, String key, Path file) {
    if (!Files.exists(file)) {
      settings.problem(key, file + " does not exist");
    } else if (!Files.isRegularFile(file)) {
      settings.problem(key, file + " is not a file");
    } else if (!Files.isReadable(file)) {
      settings.problem(key, file + " cannot be read");
    }
  }

  private static Path mirror(String name, SettingsNode settings, Path base) {
    Optional<Path> given = settings.optionalPath(MIRROR, base);
    Path mirror;
    if (given.isPresent()) {
      mirror = given.get();
    } else {
      if (!FILE_NAME.matcher(name).matches()) {
        settings.problem(
            MIRROR,
            "the default "
                + DEFAULT_MIRROR_DIRECTORY
                + "<source name>.git needs a source name of letters, digits, '.', '_' and '-',"
                + " not '"
                + name
                + "'; set mirror");
      }
      mirror = base.resolve(DEFAULT_MIRROR_DIRECTORY + name + ".git").normalize();
    }
    if (Files.exists(mirror) && !Files.isDirectory(mirror)) {
      settings.problem(MIRROR, mirror + " exists and is not a directory");
    }
    return mirror;
  }

  private static List<String> branches(SettingsNode settings) {
    boolean given = settings.has(BRANCHES);
    List<String> branches = new ArrayList<>();
    List<String> values = settings.stringList(BRANCHES);
    for (int i = 0; i < values.size(); i++) {
      String branch = values.get(i).strip();
      if (branch.startsWith(Constants.R_HEADS)) {
        branch = branch.substring(Constants.R_HEADS.length());
      }
      if (branch.isEmpty() || !Repository.isValidRefName(Constants.R_HEADS + branch)) {
        settings.problem(BRANCHES + "[" + i + "]", "is not a branch name: '" + values.get(i) + "'");
      } else if (!branches.contains(branch)) {
        branches.add(branch);
      }
    }
    if (given && values.isEmpty()) {
      settings.problem(
          BRANCHES, "must name at least one branch, or be left out to read the default branch");
    }
    return branches;
  }

  private static String repoName(SettingsNode settings, RepoLocation repo) {
    Optional<String> given = settings.optionalString(REPO_NAME).map(String::strip);
    if (given.isPresent()) {
      String name = given.get();
      if (name.isEmpty() || name.chars().anyMatch(Character::isWhitespace)) {
        settings.problem(
            REPO_NAME,
            "must be a repository name without spaces, such as acme/shop, not '" + name + "'");
      }
      return name;
    }
    if (repo.derivedName().isEmpty() && settings.has(REPO)) {
      settings.problem(REPO_NAME, "cannot be derived from repo " + repo.shown() + "; set it");
    }
    return repo.derivedName();
  }

  private static @org.jspecify.annotations.Nullable String pullRequestRepo(
      SettingsNode settings, String repoName) {
    Optional<String> given = settings.optionalString(PULL_REQUEST_REPO).map(String::strip);
    if (given.isPresent()) {
      if (!RepoLocation.OWNER_REPO.matcher(given.get()).matches()) {
        settings.problem(
            PULL_REQUEST_REPO, "must be owner/repo, such as acme/shop, not '" + given.get() + "'");
        return null;
      }
      return given.get();
    }
    return RepoLocation.OWNER_REPO.matcher(repoName).matches() ? repoName : null;
  }
}
