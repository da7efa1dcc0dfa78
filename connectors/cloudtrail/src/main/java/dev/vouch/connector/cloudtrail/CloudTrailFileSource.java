package dev.vouch.connector.cloudtrail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.spi.ChangeSource;
import dev.vouch.core.spi.InputProblem;
import dev.vouch.core.spi.ObservationSink;
import dev.vouch.core.spi.PullRequest;
import dev.vouch.core.spi.PullResult;
import dev.vouch.core.spi.SourceException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A {@code cloudtrail} source: CloudTrail log files on disk.
 *
 * <p>A pull walks the configured tree lazily on the calling thread and feeds a bounded queue; a
 * fixed pool of {@code parallelism} worker threads reads the files, one record at a time, and calls
 * the sink. Memory therefore stays bounded whatever the number of files or their size. Files are
 * chosen by delivery time (see {@link DeliveryRange}) and records by {@code eventTime}.
 *
 * <p>The path missing, unreadable, or any directory under it that cannot be listed fails the pull
 * with a {@link SourceException}: part of the trail would be missing, and a partial read must not
 * pass for a complete one. A bad file or record is rejected through the sink and reading goes on.
 *
 * <p>The returned cursor, {@code {"coveredThrough": "<window end>"}}, records what was covered; the
 * request's cursor is not needed, since the window alone decides which files and records are read.
 */
final class CloudTrailFileSource implements ChangeSource {
  /** Files waiting per worker: enough to keep workers busy, few enough to keep memory flat. */
  private static final int QUEUE_SLOTS_PER_WORKER = 4;

  private static final Task END = new Task(Path.of(""), LogLocation.PLAIN_LOCATION);

  private final String name;
  private final CloudTrailSettings settings;
  private final ObjectMapper json;

  CloudTrailFileSource(String name, CloudTrailSettings settings) {
    this.name = Objects.requireNonNull(name, "name");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.json =
        JsonMapper.builder()
            // Keep numbers as written (1.10 stays 1.10) in the evidence copy of each record.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return CloudTrailSourceFactory.TYPE;
  }

  CloudTrailSettings settings() {
    return settings;
  }

  @Override
  public String platform() {
    return "aws";
  }

  @Override
  public Duration lateDelivery() {
    return settings.lateDelivery();
  }

  @Override
  public Duration settle() {
    return settings.settle();
  }

  @Override
  public List<String> preflight() {
    Path root = settings.path().toAbsolutePath().normalize();
    if (!Files.exists(root)) {
      return List.of(
          "path: "
              + root
              + " does not exist (relative paths are resolved against the configuration's folder;"
              + " a run would fail this source)");
    }
    if (!Files.isReadable(root)) {
      return List.of("path: " + root + " cannot be read: permission denied");
    }
    return List.of();
  }

  /**
   * Reads the records of the window and of the {@link #lateDelivery} before it: a record of an
   * earlier window delivered after that window's run is stored, and matched, by the first run that
   * finds it; one already stored is skipped by the store as a duplicate.
   */
  @Override
  public PullResult pull(PullRequest request, ObservationSink sink) throws SourceException {
    TimeWindow window =
        new TimeWindow(
            request.window().start().minus(settings.lateDelivery()), request.window().end());
    Path root = settings.path().toAbsolutePath().normalize();
    DeliveryRange range = DeliveryRange.of(window, settings.lateDelivery());
    PullStats stats = new PullStats();
    RecordMapper mapper = new RecordMapper(name, json.writer());
    LogFileReader reader = new LogFileReader(json, mapper, window, sink, stats);

    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(root, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new SourceException("CloudTrail path " + root + " does not exist", e);
    } catch (IOException e) {
      throw new SourceException("cannot read CloudTrail path " + root + ": " + e, e);
    }
    if (attributes.isRegularFile()) {
      readOneFile(root, reader, stats, sink);
    } else if (attributes.isDirectory()) {
      readTree(root, range, reader, stats, sink);
    } else {
      throw new SourceException(
          "CloudTrail path " + root + " is neither a directory nor a regular file");
    }
    return new PullResult(cursor(window), stats.filesRead.sum(), stats.describe(range));
  }

  private String cursor(TimeWindow window) {
    return json.createObjectNode().put("coveredThrough", window.end().toString()).toString();
  }

  /** A file named explicitly is read whatever its name and delivery date; digests excepted. */
  private void readOneFile(Path file, LogFileReader reader, PullStats stats, ObservationSink sink)
      throws SourceException {
    if (!Files.isReadable(file)) {
      throw new SourceException("cannot read CloudTrail file " + file + ": permission denied");
    }
    Path parent = file.getParent();
    LogLocation location =
        parent == null ? LogLocation.PLAIN_LOCATION : LogLocation.ofDirectory(parent);
    if (location.kind() == LogLocation.Kind.DIGEST
        || LogLocation.isDigestName(file.getFileName().toString())) {
      stats.digestFiles.increment();
      return;
    }
    if (reader.read(file, location, unitKey(file.getParent(), file))) {
      stats.filesRead.increment();
    } else {
      stats.digestFiles.increment();
    }
    sink.unitDone(file.toString());
  }

  private void readTree(
      Path root, DeliveryRange range, LogFileReader reader, PullStats stats, ObservationSink sink)
      throws SourceException {
    try (DirectoryStream<Path> listing = Files.newDirectoryStream(root)) {
      listing.iterator().hasNext();
    } catch (IOException | RuntimeException e) {
      throw new SourceException("cannot list CloudTrail directory " + root + ": " + e, e);
    }
    int workers = settings.parallelism();
    BlockingQueue<Task> queue = new ArrayBlockingQueue<>(workers * QUEUE_SLOTS_PER_WORKER);
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    ExecutorService pool = Executors.newFixedThreadPool(workers, threads());
    List<Future<?>> running = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      running.add(pool.submit(() -> work(root, queue, reader, stats, sink, failure)));
    }
    Walker walker = new Walker(root, range, queue, stats, failure, sink);
    try {
      try {
        Files.walkFileTree(
            root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, walker);
      } catch (IOException e) {
        walker.fail("cannot walk " + root + ": " + e, e);
      }
      for (int i = 0; i < workers && !walker.interrupted; i++) {
        try {
          queue.put(END);
        } catch (InterruptedException e) {
          walker.interrupted = true;
        }
      }
      if (!walker.interrupted) {
        for (Future<?> worker : running) {
          try {
            worker.get();
          } catch (InterruptedException e) {
            walker.interrupted = true;
            break;
          } catch (ExecutionException e) {
            failure.compareAndSet(null, e.getCause());
          }
        }
      }
    } finally {
      pool.shutdownNow();
    }
    if (walker.interrupted) {
      Thread.currentThread().interrupt();
      throw new SourceException("reading CloudTrail logs under " + root + " was interrupted");
    }
    if (walker.problem != null) {
      throw walker.problem;
    }
    Throwable failed = failure.get();
    if (failed instanceof Error error) {
      throw error;
    }
    if (failed != null) {
      throw new SourceException(
          "reading CloudTrail logs under " + root + " failed: " + failed, failed);
    }
  }

  /** One worker: reads queued files until the end marker; after a failure it only drains. */
  private static void work(
      Path root,
      BlockingQueue<Task> queue,
      LogFileReader reader,
      PullStats stats,
      ObservationSink sink,
      AtomicReference<@Nullable Throwable> failure) {
    while (true) {
      Task task;
      try {
        task = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (task == END) {
        return;
      }
      if (failure.get() != null) {
        continue;
      }
      try {
        if (reader.read(task.file(), task.location(), unitKey(root, task.file()))) {
          stats.filesRead.increment();
        } else {
          stats.digestFiles.increment();
        }
        sink.unitDone(task.file().toString());
      } catch (Throwable t) {
        failure.compareAndSet(null, t);
      }
    }
  }

  /**
   * A log file's name as a unit of input: its path from {@code AWSLogs/} on when it has one (the S3
   * key, which does not change when the trail is copied to another folder), else its path below the
   * source's root, with forward slashes.
   */
  static String unitKey(@Nullable Path root, Path file) {
    Path relative = root != null && file.startsWith(root) ? root.relativize(file) : file;
    String key = relative.toString().replace(java.io.File.separatorChar, '/');
    String full = file.toString().replace(java.io.File.separatorChar, '/');
    int awsLogs = full.lastIndexOf("/AWSLogs/");
    if (awsLogs >= 0) {
      return full.substring(awsLogs + 1);
    }
    return key.isEmpty() ? String.valueOf(file.getFileName()) : key;
  }

  private ThreadFactory threads() {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread =
          new Thread(runnable, "vouch-cloudtrail-" + name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** A file to read and what its folder says about it. */
  private record Task(Path file, LogLocation location) {}

  /**
   * Walks the tree on the pulling thread: skips folders that cannot hold the window's files, counts
   * what it does not read, and queues the rest (blocking while the queue is full).
   */
  private static final class Walker extends SimpleFileVisitor<Path> {
    private final Path root;
    private final DeliveryRange range;
    private final BlockingQueue<Task> queue;
    private final PullStats stats;
    private final AtomicReference<@Nullable Throwable> failure;
    private final ObservationSink sink;
    private final boolean rootInOtherService;
    @Nullable SourceException problem;
    boolean interrupted;

    Walker(
        Path root,
        DeliveryRange range,
        BlockingQueue<Task> queue,
        PullStats stats,
        AtomicReference<@Nullable Throwable> failure,
        ObservationSink sink) {
      this.root = root;
      this.range = range;
      this.queue = queue;
      this.stats = stats;
      this.failure = failure;
      this.sink = sink;
      this.rootInOtherService =
          LogLocation.ofDirectory(root).kind() == LogLocation.Kind.OTHER_SERVICE;
    }

    void fail(String message, Exception cause) {
      if (problem == null) {
        problem = new SourceException(message, cause);
      }
    }

    private boolean stopping() {
      return problem != null || interrupted || failure.get() != null;
    }

    @Override
    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
      if (stopping()) {
        return FileVisitResult.TERMINATE;
      }
      if (dir.equals(root)) {
        return FileVisitResult.CONTINUE;
      }
      LogLocation location = LogLocation.ofDirectory(dir);
      if (location.kind() == LogLocation.Kind.OTHER_SERVICE && !rootInOtherService) {
        stats.otherServiceFolders.increment();
        return FileVisitResult.SKIP_SUBTREE;
      }
      LocalDate from = location.from();
      LocalDate to = location.to();
      if (location.dateLevel() != LogLocation.DateLevel.NONE
          && from != null
          && to != null
          && !range.overlaps(from, to)) {
        stats.foldersOutsideDelivery.increment();
        return FileVisitResult.SKIP_SUBTREE;
      }
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
      if (stopping()) {
        return FileVisitResult.TERMINATE;
      }
      if (attrs.isSymbolicLink()) {
        // Followed links arrive with their target's attributes; a link's own attributes mean its
        // target is missing. A log file that should be there and is not is unseen input.
        String target;
        try {
          target = String.valueOf(Files.readSymbolicLink(file));
        } catch (IOException | UnsupportedOperationException e) {
          target = "(unreadable)";
        }
        queueDangling(file, target);
        return interrupted ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
      }
      if (!attrs.isRegularFile()) {
        stats.ignoredFiles.increment();
        return FileVisitResult.CONTINUE;
      }
      String fileName = file.getFileName().toString();
      Path parent = file.getParent();
      LogLocation location =
          parent == null ? LogLocation.PLAIN_LOCATION : LogLocation.ofDirectory(parent);
      if (location.kind() == LogLocation.Kind.DIGEST || LogLocation.isDigestName(fileName)) {
        stats.digestFiles.increment();
        return FileVisitResult.CONTINUE;
      }
      if (!LogLocation.isLogName(fileName)) {
        stats.ignoredFiles.increment();
        return FileVisitResult.CONTINUE;
      }
      Instant stamp = LogLocation.deliveryStamp(fileName);
      LocalDate day = location.deliveryDay();
      boolean wanted = stamp != null ? range.includes(stamp) : day == null || range.includes(day);
      if (!wanted) {
        stats.filesOutsideDelivery.increment();
        return FileVisitResult.CONTINUE;
      }
      try {
        queue.put(new Task(file, location));
      } catch (InterruptedException e) {
        interrupted = true;
        return FileVisitResult.TERMINATE;
      }
      return FileVisitResult.CONTINUE;
    }

    /**
     * A symbolic link whose target is missing: a file or folder that should be read is not there
     * (an unmounted volume, an interrupted sync), whatever its name.
     */
    private void queueDangling(Path file, String target) {
      sink.reject(
          InputProblem.restNotRead(
              file.toString(),
              "dangling symbolic link to "
                  + target
                  + ": what it names is missing, so whatever it held is unseen"));
      stats.rejected.increment();
      stats.filesWithErrors.increment();
    }

    @Override
    public FileVisitResult visitFileFailed(Path file, IOException exc) {
      if (exc instanceof FileSystemLoopException) {
        stats.ignoredFiles.increment(); // a symbolic link back up the tree: seen already
        return FileVisitResult.CONTINUE;
      }
      fail("cannot read " + file + " under CloudTrail path " + root + ": " + exc, exc);
      return FileVisitResult.TERMINATE;
    }

    @Override
    public FileVisitResult postVisitDirectory(Path dir, @Nullable IOException exc) {
      if (exc != null) {
        fail("cannot list " + dir + " under CloudTrail path " + root + ": " + exc, exc);
        return FileVisitResult.TERMINATE;
      }
      return stopping() ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
    }
  }
}
