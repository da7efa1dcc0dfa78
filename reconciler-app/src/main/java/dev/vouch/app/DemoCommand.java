package dev.vouch.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "demo",
    description = {
      "Reconcile the bundled demo week (2026-11-16 to 2026-11-22): CloudTrail from three AWS"
          + " accounts, one Kubernetes cluster and one git repository against a change log and"
          + " pull requests. The demo's data is read from DIR/config/demo; when that holds no demo"
          + " yet, the one bundled in this jar is extracted there first. Its store and git mirror"
          + " go to DIR/vouch-data.",
      "",
      "Exit codes as for run; the demo contains findings on purpose, so it exits with 1"
          + " (findings need review)."
    },
    mixinStandardHelpOptions = true)
final class DemoCommand implements Callable<Integer> {
  /** Where the build puts the repository's config/demo on the class path (see the POM). */
  static final String RESOURCES = "dev/vouch/app/demo";

  /** The demo week, as {@code ./vouch demo} has always reconciled it. */
  static final String FROM = "2026-11-16T00:00:00Z";

  static final String TO = "2026-11-23T00:00:00Z";

  @Spec CommandSpec spec;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      defaultValue = "vouch-demo",
      description =
          "Where the demo's data is (DIR/config/demo) or is extracted to, and where its store goes"
              + " (DIR/vouch-data). A Vouch repository's root works as it is. Default:"
              + " ${DEFAULT-VALUE}.")
  Path dir;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "vouch-out/demo",
      description = "Where to write the reports, as run --out. Default: ${DEFAULT-VALUE}.")
  Path out;

  @Option(
      names = "--quiet",
      description = "Do not print progress lines (warnings and the summary are still printed).")
  boolean quiet;

  private final Clock clock;

  DemoCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    Path demo = dir.resolve("config").resolve("demo");
    Path config = demo.resolve("vouch.yaml");
    if (!Files.isRegularFile(config)) {
      if (Files.exists(demo)) {
        err.println(
            "error: "
                + demo
                + " exists but holds no vouch.yaml; remove it to have the bundled demo extracted"
                + " there, or choose another --dir");
        return ExitCodes.USAGE;
      }
      int files = extract(DemoCommand.class.getClassLoader(), demo);
      err.println("Extracted the bundled demo (" + files + " files) to " + demo);
    }
    List<String> run =
        new ArrayList<>(
            List.of(
                "run",
                "--config",
                config.toString(),
                "--from",
                FROM,
                "--to",
                TO,
                "--out",
                out.toString()));
    if (quiet) {
      run.add("--quiet");
    }
    // The run goes through the command line itself, so its output, errors and exit codes are
    // exactly those of `vouch run`.
    CommandLine cli = VouchCli.commandLine(clock);
    cli.setOut(spec.commandLine().getOut());
    cli.setErr(err);
    return cli.execute(run.toArray(String[]::new));
  }

  /**
   * Copies the demo bundled on a class path (from a directory, or from inside a jar) to {@code
   * target}, all or nothing: into a temporary directory beside it first, then renamed into place.
   *
   * @return how many files were copied
   * @throws IOException when the class path holds no demo, or the copy fails
   */
  static int extract(ClassLoader loader, Path target) throws IOException {
    URL marker = loader.getResource(RESOURCES + "/vouch.yaml");
    if (marker == null) {
      throw new IOException(
          "this build of Vouch carries no demo ("
              + RESOURCES
              + " is not on its class path); build the jar with ./mvnw package, or pass --dir a"
              + " Vouch repository's root");
    }
    URI uri;
    try {
      uri = marker.toURI();
    } catch (URISyntaxException e) {
      throw new IOException("cannot read the bundled demo at " + marker + ": " + e.getMessage(), e);
    }
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path staging = Files.createTempDirectory(parent, ".demo-");
    try {
      int files;
      if (uri.getScheme().equals("jar")) {
        FileSystem jar;
        boolean opened = false;
        try {
          jar = FileSystems.newFileSystem(uri, Map.of());
          opened = true;
        } catch (FileSystemAlreadyExistsException e) {
          jar = FileSystems.getFileSystem(uri);
        }
        try {
          files = copyTree(jar.getPath("/" + RESOURCES), staging);
        } finally {
          if (opened) {
            jar.close();
          }
        }
      } else {
        files = copyTree(Path.of(uri).getParent(), staging);
      }
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      return files;
    } finally {
      if (Files.exists(staging)) {
        deleteTree(staging);
      }
    }
  }

  private static int copyTree(Path from, Path to) throws IOException {
    int files = 0;
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path source : (Iterable<Path>) walk::iterator) {
        // Resolved by name, as the two paths may belong to different file systems (a jar's).
        Path destination = to;
        for (Path name : from.relativize(source)) {
          destination = destination.resolve(name.toString());
        }
        if (Files.isDirectory(source)) {
          Files.createDirectories(destination);
        } else {
          Files.copy(source, destination);
          files++;
        }
      }
    }
    return files;
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
