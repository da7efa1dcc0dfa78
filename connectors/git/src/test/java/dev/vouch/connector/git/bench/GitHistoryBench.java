package dev.vouch.connector.git.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vouch.connector.git.GitSourceFactory;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.spi.ChangeSource;
import dev.vouch.core.spi.ConfigProblem;
import dev.vouch.core.spi.InputProblem;
import dev.vouch.core.spi.ObservationSink;
import dev.vouch.core.spi.PullRequest;
import dev.vouch.core.spi.PullResult;
import dev.vouch.core.spi.SettingsNode;
import dev.vouch.core.spi.SourceContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.internal.storage.file.ObjectDirectory;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;

/**
 * Measures the {@code git} source on a long history: a bare repository with 100,000 first-parent
 * commits over two years (every tenth a merge of a two-commit feature branch, so 120,000 commits in
 * all), written with JGit's {@link ObjectInserter} straight into one pack; then a first pull of the
 * last month (clone + walk), a second after 100 new commits (fetch + walk) and a third with nothing
 * new. Prints each pull's time and the commits it parsed.
 *
 * <p>Not a unit test. Run it with the module's test class path:
 *
 * <pre>
 * ./mvnw -q -o -pl connectors/git test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -cp connectors/git/target/test-classes:connectors/git/target/classes:$(cat connectors/git/target/test-classpath.txt) \
 *     dev.vouch.connector.git.bench.GitHistoryBench [--commits 100000] [--days 730] [--window-days 30] [--dir DIR]
 * </pre>
 */
public final class GitHistoryBench {
  private static final String MARKER = ".vouch-git-bench";
  private static final ZoneOffset ZONE = ZoneOffset.ofHours(1);
  private static final String[] PEOPLE = {"alice", "bob", "carol", "dave", "erin", "frank"};

  private GitHistoryBench() {}

  public static void main(String[] args) throws Exception {
    int commits = 100_000;
    int days = 730;
    int windowDays = 30;
    Path dir = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--commits" -> commits = Integer.parseInt(args[++i]);
        case "--days" -> days = Integer.parseInt(args[++i]);
        case "--window-days" -> windowDays = Integer.parseInt(args[++i]);
        case "--dir" -> dir = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (dir == null) {
      dir = Files.createTempDirectory("vouch-git-bench");
    } else if (Files.isDirectory(dir) && Files.exists(dir.resolve(MARKER))) {
      deleteRecursively(dir); // a previous run's data
      Files.createDirectories(dir);
    } else if (Files.exists(dir) && !isEmptyDirectory(dir)) {
      throw new IllegalArgumentException(
          "--dir " + dir + " is not empty and not a previous run's directory; give another");
    } else {
      Files.createDirectories(dir);
    }
    Files.writeString(
        dir.resolve(MARKER), "data of dev.vouch.connector.git.bench.GitHistoryBench\n");
    Instant end = Instant.parse("2026-11-01T00:00:00Z");
    Instant start = end.minus(Duration.ofDays(days));
    Duration step = Duration.between(start, end).dividedBy(commits);
    TimeWindow window = new TimeWindow(end.minus(Duration.ofDays(windowDays)), end);

    System.out.printf(
        Locale.ROOT,
        "git history bench: %,d first-parent commits from %s to %s (one every %s), window %s%n",
        commits,
        start,
        end,
        step,
        window);

    Path originDir = dir.resolve("origin.git");
    long t0 = System.nanoTime();
    ObjectId tip;
    long written;
    try (Git git =
        Git.init().setBare(true).setDirectory(originDir.toFile()).setInitialBranch("main").call()) {
      Repository origin = git.getRepository();
      History history = new History(origin);
      tip = history.write(null, commits, start, step);
      written = history.written;
      setBranch(origin, "main", tip);
    }
    long setupMillis = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf(
        Locale.ROOT,
        "origin:     %,d commits (%,d first-parent), one pack, written in %,d ms, %s on disk%n",
        written,
        commits,
        setupMillis,
        mib(size(originDir)));

    ChangeSource source = source(dir, originDir);
    Result first = pull(source, window, null);
    print("pull 1", "clone + walk", first);

    // a busy day lands: 100 more commits, then the second pull fetches them
    try (Git git = Git.open(originDir.toFile())) {
      Repository origin = git.getRepository();
      History history = new History(origin);
      ObjectId next =
          history.write(tip, 100, end.minus(Duration.ofHours(5)), Duration.ofMinutes(2));
      setBranch(origin, "main", next);
    }
    Result second = pull(source, window, first.result.cursor());
    print("pull 2", "fetch + walk", second);
    Result third = pull(source, window, second.result.cursor());
    print("pull 3", "no change", third);

    Runtime runtime = Runtime.getRuntime();
    System.out.printf(
        Locale.ROOT,
        "mirror:     %s on disk; heap in use after the pulls: %s (max %s)%n",
        mib(size(dir.resolve("mirror.git"))),
        mib(runtime.totalMemory() - runtime.freeMemory()),
        mib(runtime.maxMemory()));
    System.out.println("data left in " + dir);
  }

  private record Result(PullResult result, long millis, long events, long rejected) {}

  private static Result pull(ChangeSource source, TimeWindow window, String cursor)
      throws Exception {
    AtomicLong events = new AtomicLong();
    AtomicLong rejected = new AtomicLong();
    ObservationSink sink =
        new ObservationSink() {
          @Override
          public void accept(ChangeEvent event) {
            events.incrementAndGet();
          }

          @Override
          public void reject(InputProblem problem) {
            rejected.incrementAndGet();
          }
        };
    long t0 = System.nanoTime();
    PullResult result = source.pull(new PullRequest(window, cursor), sink);
    return new Result(result, (System.nanoTime() - t0) / 1_000_000, events.get(), rejected.get());
  }

  private static void print(String name, String what, Result result) {
    System.out.printf(
        Locale.ROOT,
        "%-11s %-14s %,7d ms, %,d events, %d rejected: %s%n",
        name + ":",
        what,
        result.millis,
        result.events,
        result.rejected,
        result.result.detail());
  }

  private static ChangeSource source(Path dir, Path origin) {
    List<ConfigProblem> problems = new ArrayList<>();
    ObjectMapper mapper = new ObjectMapper();
    SettingsNode settings =
        new SettingsNode(
            mapper
                .createObjectNode()
                .put("repo", origin.toString())
                .put("mirror", dir.resolve("mirror.git").toString())
                .put("repoName", "acme/monolith"),
            "sources[0]",
            problems,
            name -> null);
    ChangeSource source =
        new GitSourceFactory()
            .create("bench", settings, new SourceContext(Clock.systemUTC(), dir, 2));
    if (!problems.isEmpty()) {
      throw new IllegalStateException(problems.toString());
    }
    return source;
  }

  /** Writes histories into one pack per call. */
  private static final class History {
    private final Repository repository;
    long written;

    History(Repository repository) {
      this.repository = repository;
    }

    /**
     * {@code count} first-parent commits from {@code parent}; every tenth is the merge of a feature
     * branch of two commits (GitHub's "Merge pull request"), the others squash merges and direct
     * pushes. Each commit changes one file.
     */
    ObjectId write(ObjectId parent, int count, Instant first, Duration step) throws IOException {
      try (ObjectInserter inserter =
          ((ObjectDirectory) repository.getObjectDatabase()).newPackInserter()) {
        ObjectId src =
            inserter.insert(Constants.OBJ_BLOB, "class Main {}\n".getBytes(StandardCharsets.UTF_8));
        TreeFormatter srcTree = new TreeFormatter();
        srcTree.append("Main.java", FileMode.REGULAR_FILE, src);
        ObjectId srcId = inserter.insert(srcTree);
        ObjectId tip = parent;
        for (int i = 0; i < count; i++) {
          Instant at = first.plus(step.multipliedBy(i));
          PersonIdent who = person(i, at);
          if (i % 10 == 9 && tip != null) {
            Instant featureAt = at.minus(step.dividedBy(2));
            ObjectId f1 =
                commit(inserter, srcId, i + "a", person(i + 1, featureAt), "Work on " + i, tip);
            ObjectId f2 =
                commit(inserter, srcId, i + "b", person(i + 1, featureAt), "More work on " + i, f1);
            PersonIdent github = new PersonIdent("GitHub", "noreply@github.com", at, ZONE);
            tip =
                commit(
                    inserter,
                    srcId,
                    Integer.toString(i),
                    who,
                    github,
                    "Merge pull request #"
                        + i
                        + " from acme/feature-"
                        + i
                        + "\n\nFeature "
                        + i
                        + "\n",
                    tip,
                    f2);
          } else if (i % 3 == 0) {
            tip =
                commit(
                    inserter,
                    srcId,
                    Integer.toString(i),
                    who,
                    new PersonIdent("GitHub", "noreply@github.com", at, ZONE),
                    "Change " + i + " (#" + i + ")\n\n* step one\n* step two\n",
                    tip);
          } else {
            tip =
                commit(
                    inserter,
                    srcId,
                    Integer.toString(i),
                    who,
                    "Direct change " + i + " CHG" + (1_000_000 + i),
                    tip);
          }
        }
        inserter.flush();
        return tip;
      }
    }

    private ObjectId commit(
        ObjectInserter inserter,
        ObjectId src,
        String version,
        PersonIdent who,
        String message,
        ObjectId parent)
        throws IOException {
      return commit(inserter, src, version, who, who, message, parent);
    }

    private ObjectId commit(
        ObjectInserter inserter,
        ObjectId src,
        String version,
        PersonIdent author,
        PersonIdent committer,
        String message,
        ObjectId... parents)
        throws IOException {
      ObjectId blob =
          inserter.insert(Constants.OBJ_BLOB, (version + "\n").getBytes(StandardCharsets.UTF_8));
      TreeFormatter tree = new TreeFormatter();
      tree.append("VERSION", FileMode.REGULAR_FILE, blob);
      tree.append("src", FileMode.TREE, src);
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(inserter.insert(tree));
      List<ObjectId> parentIds = new ArrayList<>();
      for (ObjectId p : parents) {
        if (p != null) {
          parentIds.add(p);
        }
      }
      commit.setParentIds(parentIds);
      commit.setAuthor(author);
      commit.setCommitter(committer);
      commit.setMessage(message);
      written++;
      return inserter.insert(commit);
    }

    private static PersonIdent person(int i, Instant at) {
      String name = PEOPLE[Math.floorMod(i * 7, PEOPLE.length)];
      return new PersonIdent(
          Character.toUpperCase(name.charAt(0)) + name.substring(1),
          name + "@example.com",
          at,
          ZONE);
    }
  }

  private static void setBranch(Repository repository, String branch, ObjectId id)
      throws IOException {
    RefUpdate update = repository.updateRef(Constants.R_HEADS + branch);
    update.setNewObjectId(id);
    update.setForceUpdate(true);
    RefUpdate.Result result = update.update();
    if (result != RefUpdate.Result.NEW
        && result != RefUpdate.Result.FORCED
        && result != RefUpdate.Result.FAST_FORWARD) {
      throw new IOException("cannot set " + branch + ": " + result);
    }
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  private static boolean isEmptyDirectory(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
