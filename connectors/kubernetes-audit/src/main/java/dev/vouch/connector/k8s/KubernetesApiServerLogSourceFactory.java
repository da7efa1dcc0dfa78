package dev.vouch.connector.k8s;

import dev.vouch.core.spi.ChangeSource;
import dev.vouch.core.spi.ChangeSourceFactory;
import dev.vouch.core.spi.SettingsNode;
import dev.vouch.core.spi.SourceContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Creates {@code kubernetes-apiserver-log} sources: the kube-apiserver's own log, read through the
 * Kubernetes API.
 *
 * <p>Settings: {@code cluster} (required), {@code kubeconfig} and {@code context} (optional;
 * without a kubeconfig the in-cluster service account is used), {@code namespace}, {@code
 * labelSelector} and {@code container} (kubeadm defaults), and, instead of a kubeconfig, {@code
 * apiUrl} with a {@code token} secret reference.
 */
public final class KubernetesApiServerLogSourceFactory implements ChangeSourceFactory {
  /** The value of {@code type} that selects this factory. */
  public static final String TYPE = "kubernetes-apiserver-log";

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
    String cluster = KubernetesAuditSourceFactory.cluster(settings);
    Path kubeconfig = settings.optionalPath("kubeconfig", context.baseDirectory()).orElse(null);
    String kubeContext = settings.optionalString("context").orElse(null);
    String namespace = settings.optionalString("namespace").orElse(null);
    String selector = settings.optionalString("labelSelector").orElse(null);
    String container = settings.optionalString("container").orElse(null);
    URI apiUrl = null;
    String apiUrlText = settings.optionalString("apiUrl").orElse(null);
    if (apiUrlText != null) {
      try {
        apiUrl = new URI(apiUrlText);
      } catch (URISyntaxException e) {
        settings.problem("apiUrl", "'" + apiUrlText + "' is not a URL: " + e.getReason());
      }
    }
    String token =
        settings
            .secret("token", context.baseDirectory())
            .map(SettingsNode.Secret::value)
            .orElse(null);
    settings.finish();
    ApiServerPodLogs.Settings parsed;
    try {
      parsed =
          ApiServerPodLogs.Settings.from(
              kubeconfig,
              kubeContext,
              namespace,
              selector,
              container,
              apiUrl,
              token,
              context.clock());
    } catch (IllegalArgumentException e) {
      settings.problem("", e.getMessage());
      parsed =
          ApiServerPodLogs.Settings.from(null, null, null, null, null, null, null, context.clock());
    }
    return new KubernetesApiServerLogSource(name, cluster, parsed);
  }
}
