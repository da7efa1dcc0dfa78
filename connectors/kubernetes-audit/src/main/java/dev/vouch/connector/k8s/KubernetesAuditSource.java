package dev.vouch.connector.k8s;

import dev.vouch.core.spi.ObservationSink;
import dev.vouch.core.spi.PullRequest;
import dev.vouch.core.spi.PullResult;
import dev.vouch.core.spi.SourceException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A {@code kubernetes-audit} source: the API server's audit log files (log backend), read as one
 * stream from a cursor of file identities and offsets.
 *
 * <p>A pull delivers every complete line not delivered before, whatever its time: a log is a
 * stream, the store keeps what it is given and matching selects by window. The path missing or
 * unreadable, no log file in it, or a file that cannot be read fails the pull with a {@link
 * SourceException}; a bad line is rejected through the sink and reading goes on.
 */
final class KubernetesAuditSource implements KubernetesChangeSource {
  static final String WHAT = "Kubernetes audit log";

  private final String name;
  private final String cluster;
  private final LogSelection selection;

  KubernetesAuditSource(String name, String cluster, LogSelection selection) {
    this.name = Objects.requireNonNull(name, "name");
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.selection = Objects.requireNonNull(selection, "selection");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return KubernetesAuditSourceFactory.TYPE;
  }

  String cluster() {
    return cluster;
  }

  LogSelection selection() {
    return selection;
  }

  @Override
  public List<String> preflight() {
    try {
      selection.list(new PullStats(), WHAT);
      return List.of();
    } catch (SourceException e) {
      return List.of("path: " + e.getMessage());
    }
  }

  @Override
  public PullResult pull(PullRequest request, ObservationSink sink) throws SourceException {
    PullStats stats = new PullStats();
    List<Path> files = selection.list(stats, WHAT);
    if (files.isEmpty()) {
      throw new SourceException(
          "no "
              + WHAT
              + " file at "
              + selection.shown()
              + (stats.ignored > 0
                  ? " (" + stats.ignored + " other files ignored: name the file or use a glob)"
                  : "")
              + "; is the path right and auditing enabled (--audit-log-path)?");
    }
    return new AuditLogReader(name, cluster, WHAT).read(files, request.cursor(), sink, stats);
  }

  @Override
  public String toString() {
    return "KubernetesAuditSource[" + name + ", cluster " + cluster + ", " + selection + "]";
  }
}
