package dev.vouch.connector.git;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.eclipse.jgit.transport.URIish;

/**
 * Where the repository is: an {@code https://}, {@code ssh://} or scp-like ({@code
 * git@github.com:acme/shop.git}) URL, or a local path (or {@code file://} URL) of a repository or
 * of a git bundle file.
 */
final class RepoLocation {
  /** How the repository is reached. */
  enum Kind {
    HTTPS,
    HTTP,
    SSH,
    GIT,
    LOCAL
  }

  /** {@code owner/repo}, as GitHub and GitLab name a repository and the core's patterns expect. */
  static final Pattern OWNER_REPO = Pattern.compile("[\\w.-]+/[\\w.-]+");

  private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://.*");

  private final Kind kind;
  private final String uri;
  private final String shown;
  private final String derivedName;

  private RepoLocation(Kind kind, String uri, String shown, String derivedName) {
    this.kind = kind;
    this.uri = uri;
    this.shown = shown;
    this.derivedName = derivedName;
  }

  /**
   * Reads the {@code repo} setting; a relative local path is resolved against {@code base}.
   *
   * @throws IllegalArgumentException when the text is not a usable location, with a message saying
   *     what is expected
   */
  static RepoLocation parse(String text, Path base) {
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("must be a repository URL or path");
    }
    java.util.regex.Matcher scheme = SCHEME.matcher(trimmed);
    if (scheme.matches()) {
      String name = scheme.group(1).toLowerCase(Locale.ROOT);
      Kind kind =
          switch (name) {
            case "https" -> Kind.HTTPS;
            case "http" -> Kind.HTTP;
            case "ssh", "git+ssh", "ssh+git" -> Kind.SSH;
            case "git" -> Kind.GIT;
            case "file" -> Kind.LOCAL;
            default ->
                throw new IllegalArgumentException(
                    "'"
                        + name
                        + "://' is not a git transport Vouch reads; use https://, ssh://,"
                        + " git@host:owner/repo.git or a local path");
          };
      URIish uri = uri(trimmed);
      if (uri.getPass() != null) {
        throw new IllegalArgumentException(
            "must not hold a password; give the token as token: env:NAME or file:PATH");
      }
      if (kind != Kind.LOCAL && (uri.getHost() == null || uri.getHost().isEmpty())) {
        throw new IllegalArgumentException("names no host: '" + trimmed + "'");
      }
      return new RepoLocation(
          kind, trimmed, uri.toString(), name(uri.getPath(), kind != Kind.LOCAL));
    }
    if (isScpLike(trimmed)) {
      URIish uri = uri(trimmed);
      if (uri.getPass() != null) {
        throw new IllegalArgumentException("must not hold a password");
      }
      return new RepoLocation(Kind.SSH, trimmed, uri.toString(), name(uri.getPath(), true));
    }
    Path path = base.resolve(trimmed).toAbsolutePath().normalize();
    return new RepoLocation(
        Kind.LOCAL, path.toString(), path.toString(), name(path.toString(), false));
  }

  /**
   * Git's rule: {@code [user@]host:path} is an ssh location when no slash comes before the first
   * colon (so {@code ./a:b} and {@code /srv/a:b} are paths).
   */
  private static boolean isScpLike(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0) {
      return false;
    }
    int slash = text.indexOf('/');
    return (slash < 0 || slash > colon) && colon > 1;
  }

  private static URIish uri(String text) {
    try {
      return new URIish(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("is not a repository URL: " + e.getMessage());
    }
  }

  /**
   * The name systems use for the repository: {@code owner/repo} when a URL's path has exactly two
   * parts ({@code https://github.com/acme/shop.git}, {@code git@github.com:acme/shop.git}), else
   * the last part (the directory name) without {@code .git} (or a bundle's {@code .bundle}); empty
   * when there is none.
   */
  static String name(String path, boolean remote) {
    List<String> parts = new ArrayList<>();
    for (String part : path.replace('\\', '/').split("/")) {
      if (!part.isEmpty() && !part.equals(".")) {
        parts.add(part);
      }
    }
    if (!parts.isEmpty() && parts.get(parts.size() - 1).equals(".git")) {
      parts.remove(parts.size() - 1); // the .git directory of a working tree: name the tree
    }
    if (parts.isEmpty()) {
      return "";
    }
    int last = parts.size() - 1;
    parts.set(last, stripGit(parts.get(last)));
    if (remote && parts.size() == 2 && !parts.get(0).startsWith("~")) {
      return parts.get(0) + "/" + parts.get(1);
    }
    return parts.get(last);
  }

  private static String stripGit(String name) {
    for (String suffix : new String[] {".git", ".bundle"}) {
      if (name.endsWith(suffix) && name.length() > suffix.length()) {
        return name.substring(0, name.length() - suffix.length());
      }
    }
    return name;
  }

  Kind kind() {
    return kind;
  }

  /** What JGit is given: the URL as configured, or the absolute local path. */
  String uri() {
    return uri;
  }

  /** The location for messages, without any password. */
  String shown() {
    return shown;
  }

  /** The repository name derived from the location; empty when none can be. */
  String derivedName() {
    return derivedName;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RepoLocation that && kind == that.kind && uri.equals(that.uri);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, uri);
  }

  @Override
  public String toString() {
    return shown;
  }
}
