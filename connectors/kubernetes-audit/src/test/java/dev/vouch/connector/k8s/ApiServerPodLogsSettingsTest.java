package dev.vouch.connector.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.connector.k8s.ApiServerPodLogs.Settings;
import dev.vouch.connector.k8s.ApiServerPodLogs.Settings.Connection;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class ApiServerPodLogsSettingsTest {
  private static final Clock CLOCK = Clock.systemUTC();
  private static final URI URL = URI.create("https://10.0.0.1:6443");
  private static final Path KUBECONFIG = Path.of("/etc/vouch/kubeconfig");

  @Test
  void nullAndBlankTakeTheKubeadmDefaults() {
    Settings settings = Settings.from(null, " ", null, "", "  ", null, "", CLOCK);

    assertThat(settings.namespace()).isEqualTo("kube-system");
    assertThat(settings.labelSelector()).isEqualTo("component=kube-apiserver");
    assertThat(settings.container()).isEqualTo("kube-apiserver");
    assertThat(settings.context()).isNull();
    assertThat(settings.bearerToken()).isNull();
    assertThat(settings.maxLineBytes()).isEqualTo(ApiServerPodLogs.DEFAULT_MAX_LINE_BYTES);
    assertThat(settings.connection()).isEqualTo(Connection.IN_CLUSTER);
  }

  @Test
  void explicitValuesAreKept() {
    Settings settings =
        Settings.from(KUBECONFIG, "prod", "control", "tier=api", "apiserver", null, null, CLOCK);

    assertThat(settings.kubeconfig()).isEqualTo(KUBECONFIG);
    assertThat(settings.context()).isEqualTo("prod");
    assertThat(settings.namespace()).isEqualTo("control");
    assertThat(settings.labelSelector()).isEqualTo("tier=api");
    assertThat(settings.container()).isEqualTo("apiserver");
    assertThat(settings.connection()).isEqualTo(Connection.KUBECONFIG);
    assertThat(Settings.from(null, null, null, null, null, URL, "t", CLOCK).connection())
        .isEqualTo(Connection.API_URL);
  }

  @Test
  void contradictionsAreRefused() {
    assertThatThrownBy(() -> Settings.from(KUBECONFIG, null, null, null, null, URL, null, CLOCK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("set either kubeconfig or apiUrl, not both");
    assertThatThrownBy(() -> Settings.from(null, "prod", null, null, null, null, null, CLOCK))
        .hasMessage("context needs kubeconfig");
    assertThatThrownBy(() -> Settings.from(KUBECONFIG, null, null, null, null, null, "t", CLOCK))
        .hasMessage("bearerToken is only used with apiUrl");
  }

  @Test
  void malformedValuesAreRefused() {
    assertThatThrownBy(
            () -> Settings.from(null, null, "Kube_System", null, null, null, null, CLOCK))
        .hasMessageContaining("namespace is not a Kubernetes name");
    assertThatThrownBy(() -> Settings.from(null, null, null, null, "a/b", null, null, CLOCK))
        .hasMessageContaining("container is not a Kubernetes name");
    assertThatThrownBy(
            () -> Settings.from(null, null, null, null, null, URI.create("ftp://x"), null, CLOCK))
        .hasMessageContaining("apiUrl must be an http(s) URL");
    assertThatThrownBy(
            () -> Settings.from(null, null, null, null, null, URI.create("/relative"), null, CLOCK))
        .hasMessageContaining("apiUrl must be an http(s) URL");
    assertThatThrownBy(
            () ->
                Settings.from(null, null, null, null, null, null, null, CLOCK).withMaxLineBytes(10))
        .hasMessageContaining("maxLineBytes must be at least 1024");
  }

  @Test
  void toStringDoesNotShowTheToken() {
    Settings settings = Settings.from(null, null, null, null, null, URL, "s3cr3t-token", CLOCK);

    assertThat(settings.toString()).doesNotContain("s3cr3t").contains("bearerToken=(hidden)");
  }
}
