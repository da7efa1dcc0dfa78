package dev.vouch.connector.k8s;

import dev.vouch.core.spi.SourceException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Which files a pull reads, and in which order.
 *
 * <p>The configured {@code path} is one of:
 *
 * <ul>
 *   <li>a file, such as {@code /var/log/kubernetes/audit.log}: that file and its rotated copies in
 *       the same directory, as kube-apiserver's log rotation names them ({@code
 *       audit-2026-10-01T00-00-00.000.log}, with {@code .gz} when compressed) or as logrotate does
 *       ({@code audit.log.1}, {@code audit.log.2.gz}), so that the unread end of a file rotated
 *       between two pulls is not lost;
 *   <li>a directory: the files in it (not below it) named {@code *.log}, {@code *.json}, {@code
 *       *.jsonl}, optionally followed by a logrotate number and {@code .gz}; hidden files and other
 *       names are counted as ignored;
 *   <li>a glob ({@code *}, {@code ?}, {@code [...]}, {@code {a,b}}, {@code **} across directories),
 *       such as {@code /var/log/kubernetes/audit*.log*}: every regular file it matches.
 * </ul>
 *
 * <p>Files are read oldest first: rotated files by the time stamp in their name, then logrotate's
 * numbered copies from the highest number down, then the rest (the live file) by name. When both
 * {@code X} and {@code X.gz} are present, log rotation is compressing {@code X}: only {@code X} is
 * read (both have the same identity, so nothing is lost or doubled when {@code X} goes away).
 */
final class LogSelection {
  /** Names read from a directory. */
  private static final Pattern LOG_NAME =
      Pattern.compile(".*\\.(log|json|jsonl)(\\.\\d+)?(\\.gz)?", Pattern.CASE_INSENSITIVE);

  /** kube-apiserver (lumberjack) backups: {@code <name>-<yyyy-MM-ddTHH-mm-ss.SSS><ext>[.gz]}. */
  private static final Pattern ROTATED =
      Pattern.compile(
          ".*-(\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}(?:\\.\\d{3})?)(?:\\.[^.]*)?(?:\\.gz)?");

  /** logrotate copies: {@code <name>.<n>[.gz]}. */
  private static final Pattern NUMBERED = Pattern.compile(".*\\.(\\d{1,9})(?:\\.gz)?");

  private static final String GLOB_CHARACTERS = "*?[{";

  private enum Kind {
    PATH,
    GLOB,
    DIRECTORY_FILTERED
  }

  private final Kind kind;
  private final Path path;
  private final String shown;
  private final @Nullable PathMatcher matcher;
  private final int depth;
  private final @Nullable Predicate<String> names;

  private LogSelection(
      Kind kind,
      Path path,
      String shown,
      @Nullable PathMatcher matcher,
      int depth,
      @Nullable Predicate<String> names) {
    this.kind = kind;
    this.path = path;
    this.shown = shown;
    this.matcher = matcher;
    this.depth = depth;
    this.names = names;
  }

  /**
   * The selection a configured path describes, relative paths resolved against the base directory.
   */
  static LogSelection of(String configured, Path baseDirectory) {
    String text = configured.strip();
    int glob = firstGlobCharacter(text);
    if (glob < 0) {
      Path resolved = baseDirectory.resolve(text).toAbsolutePath().normalize();
      return new LogSelection(Kind.PATH, resolved, resolved.toString(), null, 0, null);
    }
    // The directory part before the first segment with a glob character is walked.
    int cut = text.lastIndexOf('/', glob);
    String literal = cut < 0 ? "" : text.substring(0, cut + 1);
    String pattern = cut < 0 ? text : text.substring(cut + 1);
    Path root =
        baseDirectory.resolve(literal.isEmpty() ? "." : literal).toAbsolutePath().normalize();
    String full = root.toString().replace("\\", "\\\\") + "/" + pattern;
    int depth = pattern.contains("**") ? Integer.MAX_VALUE : pattern.split("/").length;
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + full);
    return new LogSelection(Kind.GLOB, root, root + "/" + pattern, matcher, depth, null);
  }

  /** The files of one directory whose names pass the filter (the webhook's spool files). */
  static LogSelection directory(Path directory, Predicate<String> names, String description) {
    Path resolved = directory.toAbsolutePath().normalize();
    return new LogSelection(
        Kind.DIRECTORY_FILTERED, resolved, resolved + "/" + description, null, 1, names);
  }

  /** The configured path as resolved, for messages. */
  String shown() {
    return shown;
  }

  /**
   * Lists the files to read, oldest first.
   *
   * @param stats where ignored and compressing files are counted
   * @param what what the files are, for messages ({@code Kubernetes audit path})
   * @throws SourceException when the path does not exist or cannot be listed
   */
  List<Path> list(PullStats stats, String what) throws SourceException {
    List<Path> files =
        switch (kind) {
          case PATH -> listPath(stats, what);
          case GLOB -> listGlob(what);
          case DIRECTORY_FILTERED -> listDirectory(path, names, stats, what);
        };
    Set<String> present = new HashSet<>();
    for (Path file : files) {
      present.add(file.toString());
    }
    List<Path> kept = new ArrayList<>();
    for (Path file : files) {
      String name = file.toString();
      if (name.endsWith(".gz") && present.contains(name.substring(0, name.length() - 3))) {
        stats.compressing++;
      } else {
        kept.add(file);
      }
    }
    kept.sort(OLDEST_FIRST);
    return kept;
  }

  private List<Path> listPath(PullStats stats, String what) throws SourceException {
    BasicFileAttributes attributes = attributes(path, what);
    if (attributes.isDirectory()) {
      return listDirectory(path, null, stats, what);
    }
    if (!attributes.isRegularFile()) {
      throw new SourceException(what + " " + path + " is neither a file nor a directory");
    }
    Path directory = path.getParent();
    if (directory == null) {
      return List.of(path);
    }
    Pattern siblings = rotatedSiblings(path.getFileName().toString());
    List<Path> files = new ArrayList<>();
    files.add(path);
    try (DirectoryStream<Path> listing = Files.newDirectoryStream(directory)) {
      for (Path entry : listing) {
        if (siblings.matcher(entry.getFileName().toString()).matches()
            && Files.isRegularFile(entry)) {
          files.add(entry.toAbsolutePath().normalize());
        }
      }
    } catch (IOException | UncheckedIOException e) {
      throw new SourceException(
          "cannot list " + directory + " for rotated copies of " + what + " " + path + ": " + e, e);
    }
    return files;
  }

  /** The names kube-apiserver and logrotate give the rotated copies of a file. */
  static Pattern rotatedSiblings(String fileName) {
    int dot = fileName.lastIndexOf('.');
    String stem = dot > 0 ? fileName.substring(0, dot) : fileName;
    String extension = dot > 0 ? fileName.substring(dot) : "";
    return Pattern.compile(
        "(?:"
            + Pattern.quote(stem)
            + "-\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}(?:\\.\\d{3})?"
            + Pattern.quote(extension)
            + "|"
            + Pattern.quote(fileName)
            + "\\.\\d{1,9}"
            + ")(?:\\.gz)?");
  }

  private static List<Path> listDirectory(
      Path directory, @Nullable Predicate<String> names, PullStats stats, String what)
      throws SourceException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> listing = Files.newDirectoryStream(directory)) {
      for (Path entry : listing) {
        String name = entry.getFileName().toString();
        boolean wanted =
            names != null
                ? names.test(name)
                : !name.startsWith(".") && LOG_NAME.matcher(name).matches();
        if (wanted && Files.isRegularFile(entry)) {
          files.add(entry.toAbsolutePath().normalize());
        } else if (names == null) {
          stats.ignored++;
        }
      }
    } catch (NoSuchFileException e) {
      throw new SourceException(what + " " + directory + " does not exist", e);
    } catch (AccessDeniedException e) {
      throw new SourceException("cannot list " + what + " " + directory + ": permission denied", e);
    } catch (IOException | UncheckedIOException e) {
      throw new SourceException("cannot list " + what + " " + directory + ": " + e, e);
    }
    return files;
  }

  private List<Path> listGlob(String what) throws SourceException {
    BasicFileAttributes attributes = attributes(path, what);
    if (!attributes.isDirectory()) {
      throw new SourceException(
          what + " " + shown + ": " + path + " is not a directory, so nothing can match");
    }
    PathMatcher glob = Objects.requireNonNull(matcher);
    try (Stream<Path> walk = Files.walk(path, depth)) {
      return walk.filter(file -> glob.matches(file) && Files.isRegularFile(file))
          .map(file -> file.toAbsolutePath().normalize())
          .toList();
    } catch (IOException | UncheckedIOException e) {
      throw new SourceException("cannot list " + what + " " + shown + ": " + e, e);
    }
  }

  private static BasicFileAttributes attributes(Path path, String what) throws SourceException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new SourceException(what + " " + path + " does not exist", e);
    } catch (AccessDeniedException e) {
      throw new SourceException("cannot read " + what + " " + path + ": permission denied", e);
    } catch (IOException e) {
      throw new SourceException("cannot read " + what + " " + path + ": " + e, e);
    }
  }

  private static int firstGlobCharacter(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (GLOB_CHARACTERS.indexOf(text.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  /** Rotated (by time stamp), then numbered (highest first), then the rest; by name within. */
  static final Comparator<Path> OLDEST_FIRST =
      Comparator.comparingInt(LogSelection::rank)
          .thenComparing(LogSelection::stamp)
          .thenComparing(Comparator.comparingLong(LogSelection::number).reversed())
          .thenComparing(Path::toString);

  private static int rank(Path file) {
    String name = file.getFileName().toString();
    if (ROTATED.matcher(name).matches()) {
      return 0;
    }
    return NUMBERED.matcher(name).matches() ? 1 : 2;
  }

  private static String stamp(Path file) {
    Matcher matcher = ROTATED.matcher(file.getFileName().toString());
    return matcher.matches() ? matcher.group(1) : "";
  }

  private static long number(Path file) {
    Matcher matcher = NUMBERED.matcher(file.getFileName().toString());
    return matcher.matches() ? Long.parseLong(matcher.group(1)) : 0;
  }

  @Override
  public String toString() {
    return shown;
  }
}
