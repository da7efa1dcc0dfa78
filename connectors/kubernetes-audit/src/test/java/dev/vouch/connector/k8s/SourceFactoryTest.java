package dev.vouch.connector.k8s;

import static dev.vouch.connector.k8s.TestSupport.json;
import static dev.vouch.connector.k8s.TestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.core.spi.ChangeSource;
import dev.vouch.core.spi.ChangeSourceFactory;
import dev.vouch.core.spi.ConfigProblem;
import dev.vouch.core.spi.SettingsNode;
import dev.vouch.core.spi.SourceContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Settings of both source types, and their discovery. */
class SourceFactoryTest {
  @TempDir Path dir;

  private final List<ConfigProblem> problems = new ArrayList<>();

  private ChangeSource create(ChangeSourceFactory factory, String settings) {
    SettingsNode node =
        new SettingsNode(
            json(settings),
            "sources[0]",
            problems,
            Map.of("TOKEN", "t0k3n", "PASS", "changeit")::get);
    return factory.create("k8s", node, new SourceContext(Clock.systemUTC(), dir, 2));
  }

  private List<String> problems() {
    return problems.stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void shouldBeFoundByServiceLoader() {
    List<String> types =
        ServiceLoader.load(ChangeSourceFactory.class).stream()
            .map(provider -> provider.get().type())
            .toList();

    assertThat(types).contains("kubernetes-audit", "kubernetes-webhook");
  }

  @Test
  void shouldPutEveryKubernetesSourceOnTheKubernetesPlatformWithFiveMinutesToSettle() {
    List<ChangeSource> sources =
        List.of(
            create(
                new KubernetesAuditSourceFactory(),
                "{\"cluster\":\"prod-eu\",\"path\":\"audit.log\"}"),
            create(
                new KubernetesWebhookSourceFactory(),
                "{\"cluster\":\"prod-eu\",\"spool\":\"spool\",\"token\":\"env:TOKEN\","
                    + "\"listen\":\"127.0.0.1:8443\"}"),
            create(
                new KubernetesApiServerLogSourceFactory(),
                "{\"cluster\":\"prod-eu\",\"apiUrl\":\"https://10.0.0.1:6443\","
                    + "\"token\":\"env:TOKEN\"}"));

    assertThat(problems).isEmpty();
    assertThat(sources)
        .extracting(ChangeSource::type)
        .containsExactly("kubernetes-audit", "kubernetes-webhook", "kubernetes-apiserver-log");
    // The platform of their events' coordinates, whose configured clusters they must cover.
    assertThat(sources).extracting(ChangeSource::platform).containsOnly("kubernetes");
    // The log backend writes as requests end and the webhook batches for seconds.
    assertThat(sources).extracting(ChangeSource::settle).containsOnly(Duration.ofMinutes(5));
  }

  @Test
  void shouldCreateAFileSourceResolvingItsPath() {
    var source =
        (KubernetesAuditSource)
            create(
                new KubernetesAuditSourceFactory(),
                "{\"cluster\":\"prod-eu\",\"path\":\"logs/audit*.log*\"}");

    assertThat(problems).isEmpty();
    assertThat(source.type()).isEqualTo("kubernetes-audit");
    assertThat(source.cluster()).isEqualTo("prod-eu");
    assertThat(source.selection().shown()).isEqualTo(dir.resolve("logs") + "/audit*.log*");
  }

  @Test
  void shouldReportEveryProblemOfAFileSource() {
    create(new KubernetesAuditSourceFactory(), "{\"cluster\":\"prod eu\",\"paht\":\"x\"}");

    assertThat(problems())
        .containsExactly(
            "sources[0].cluster: must be a cluster name without spaces, not 'prod eu'",
            "sources[0].path: is required",
            "sources[0].paht: unknown setting; did you mean path? (known here: cluster, path)");
  }

  @Test
  void shouldCreateAWebhookWithDefaults() {
    var source =
        (KubernetesWebhookSource)
            create(
                new KubernetesWebhookSourceFactory(),
                "{\"cluster\":\"prod-eu\",\"spool\":\"spool\",\"token\":\"env:TOKEN\","
                    + "\"allowPlainHttp\":true}");

    assertThat(problems).isEmpty();
    assertThat(source.path()).isEqualTo("/audit/k8s");
    assertThat(source.spool().directory()).isEqualTo(dir.resolve("spool"));
    assertThat(source.pushSettings().listen()).isEqualTo("0.0.0.0:8443");
    assertThat(source.pushSettings().maxBodyBytes()).isEqualTo(10 << 20);
    assertThat(source.pushSettings().keyStore()).isNull();
    assertThat(source.pushSettings().clientCa()).isNull();
  }

  @Test
  void shouldCreateAWebhookWithTls() {
    write(dir.resolve("tls/server.p12"), "not really a key store");
    write(dir.resolve("tls/ca.pem"), "not really a certificate");
    var source =
        (KubernetesWebhookSource)
            create(
                new KubernetesWebhookSourceFactory(),
                """
                {"cluster":"prod-eu","spool":"/var/lib/vouch/spool","listen":"[::]:9443",
                 "path":"/audit/prod-eu","maxBody":"512KB",
                 "tls":{"keyStore":"tls/server.p12","keyStorePassword":"env:PASS",
                        "clientCa":"tls/ca.pem"}}""");

    assertThat(problems).isEmpty();
    assertThat(source.pushSettings().listen()).isEqualTo("[::]:9443");
    assertThat(source.pushSettings().maxBodyBytes()).isEqualTo(512 * 1024);
    assertThat(source.pushSettings().bearerToken()).isEmpty();
    assertThat(source.pushSettings().keyStore()).isEqualTo(dir.resolve("tls/server.p12"));
    assertThat(source.pushSettings().keyStorePassword())
        .hasValueSatisfying(p -> assertThat(p.value()).isEqualTo("changeit"));
    assertThat(source.pushSettings().clientCa()).isEqualTo(dir.resolve("tls/ca.pem"));
  }

  @Test
  void shouldReportEveryProblemOfAWebhook() {
    create(
        new KubernetesWebhookSourceFactory(),
        """
        {"listen":"8443","path":"audit","token":"plain-text-token","maxBody":"lots",
         "tls":{"clientCa":"ca.pem","extra":1}}""");

    assertThat(problems())
        .containsExactly(
            "sources[0].cluster: is required",
            "sources[0].spool: is required",
            "sources[0].listen: must be host:port, such as 0.0.0.0:8443 or [::]:8443, not '8443'",
            "sources[0].path: must be a URL path starting with '/', such as /audit/prod, not 'audit'",
            "sources[0].token: secrets must be referenced as env:NAME or file:PATH, never written"
                + " in the file",
            "sources[0].maxBody: 'lots' is not a size; write it like 10MB, 512KB or 1048576",
            "sources[0].tls.extra: unknown setting (known here: keyStore, keyStorePassword, clientCa)",
            "sources[0].tls.keyStore: is required with clientCa or keyStorePassword: TLS needs the"
                + " server's key",
            "sources[0].tls.clientCa: cannot read " + dir.resolve("ca.pem"));
  }

  @Test
  void shouldRefusePlainHttpOnTheDefaultListenAddress() {
    create(
        new KubernetesWebhookSourceFactory(),
        "{\"cluster\":\"c\",\"spool\":\"s\",\"token\":\"env:TOKEN\"}");

    assertThat(problems())
        .containsExactly(
            "sources[0].listen: plain HTTP on 0.0.0.0:8443, which is not a loopback address,"
                + " would send the bearer token and the audit events across the network in clear"
                + " text; set tls.keyStore to serve HTTPS, listen on 127.0.0.1 or [::1] (behind a"
                + " proxy on the same host that terminates TLS), or set allowPlainHttp: true if"
                + " the network path is protected otherwise (a service mesh, a VPN)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0.0.0.0:8443",
        "[::]:8443",
        "10.1.2.3:8443",
        "vouch.internal:8443",
        "[fe80::1]:80"
      })
  void shouldRefusePlainHttpOnANetworkAddressUnlessAllowed(String listen) {
    String settings =
        "{\"cluster\":\"c\",\"spool\":\"s\",\"token\":\"env:TOKEN\",\"listen\":\"" + listen + "\"";

    create(new KubernetesWebhookSourceFactory(), settings + "}");
    List<String> refused = problems();
    problems.clear();
    create(new KubernetesWebhookSourceFactory(), settings + ",\"allowPlainHttp\":true}");

    assertThat(refused)
        .singleElement()
        .asString()
        .startsWith("sources[0].listen: plain HTTP on " + listen + ", which is not a loopback");
    assertThat(problems).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"127.0.0.1:8443", "127.1.2.3:0", "[::1]:8443", "localhost:8443", "LOCALHOST:1"})
  void shouldAllowPlainHttpOnALoopbackAddress(String listen) {
    create(
        new KubernetesWebhookSourceFactory(),
        "{\"cluster\":\"c\",\"spool\":\"s\",\"token\":\"env:TOKEN\",\"listen\":\""
            + listen
            + "\"}");

    assertThat(problems).isEmpty();
  }

  @Test
  void shouldReportAllowPlainHttpWithAKeyStoreAsAContradiction() {
    write(dir.resolve("server.p12"), "not really a key store");
    create(
        new KubernetesWebhookSourceFactory(),
        """
        {"cluster":"c","spool":"s","token":"env:TOKEN","allowPlainHttp":true,
         "tls":{"keyStore":"server.p12","keyStorePassword":"env:PASS"}}""");

    assertThat(problems())
        .containsExactly(
            "sources[0].allowPlainHttp: contradicts tls.keyStore, which makes the endpoint HTTPS"
                + " only; remove one of them");
  }

  @Test
  void shouldRequireATokenUnlessClientCertificatesAuthenticate() {
    create(
        new KubernetesWebhookSourceFactory(),
        "{\"cluster\":\"c\",\"spool\":\"s\",\"listen\":\"127.0.0.1:8443\"}");

    assertThat(problems())
        .containsExactly(
            "sources[0].token: is required (env:NAME or file:PATH) unless tls.clientCa"
                + " authenticates callers with client certificates");
  }

  @Test
  void shouldReportAMissingTokenVariable() {
    create(
        new KubernetesWebhookSourceFactory(),
        "{\"cluster\":\"c\",\"spool\":\"s\",\"token\":\"env:NOT_SET\",\"maxBody\":\"2GB\","
            + "\"listen\":\"127.0.0.1:8443\"}");

    assertThat(problems())
        .containsExactly(
            "sources[0].token: environment variable NOT_SET is not set",
            "sources[0].maxBody: must be between 1KB and 1GB, not 2GB");
  }
}
