package dev.vouch.connector.k8s;

import dev.vouch.core.spi.ChangeSource;
import dev.vouch.core.spi.ChangeSourceFactory;
import dev.vouch.core.spi.SettingsNode;
import dev.vouch.core.spi.SourceContext;
import java.util.Set;

/**
 * Creates {@code kubernetes-audit} sources: the API server's audit log files.
 *
 * <p>Settings: {@code cluster} (required; the cluster's name as the system catalog knows it, since
 * audit events do not name their cluster) and {@code path} (required; a file, a directory or a glob
 * such as {@code /var/log/kubernetes/audit*.log*}, relative to the configuration's base directory).
 * The path is not checked here: a missing path fails the pull, not the configuration.
 */
public final class KubernetesAuditSourceFactory implements ChangeSourceFactory {
  /** The value of {@code type} that selects this factory. */
  public static final String TYPE = "kubernetes-audit";

  static final String CLUSTER = "cluster";
  static final String PATH = "path";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Set<String> attributes() {
    return AuditEventMapper.ATTRIBUTES;
  }

  @Override
  public ChangeSource create(String name, SettingsNode settings, SourceContext context) {
    String cluster = cluster(settings);
    String path = settings.requiredString(PATH);
    settings.finish();
    return new KubernetesAuditSource(
        name, cluster, LogSelection.of(path.isEmpty() ? "." : path, context.baseDirectory()));
  }

  /** Reads the required {@code cluster}; the same for every Kubernetes source type. */
  static String cluster(SettingsNode settings) {
    String cluster = settings.requiredString(CLUSTER).strip();
    if (!cluster.isEmpty() && cluster.chars().anyMatch(Character::isWhitespace)) {
      settings.problem(CLUSTER, "must be a cluster name without spaces, not '" + cluster + "'");
    }
    return cluster;
  }
}
