package dev.vouch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.app.PushServerTest.RecordingEndpoint;
import dev.vouch.core.spi.PushEndpoint.PushSettings;
import dev.vouch.core.spi.SettingsNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS and mutual TLS, with certificates made by the JDK's keytool: a server key store, a test CA,
 * and a client certificate signed by that CA.
 */
@Timeout(20)
class PushServerTlsTest {
  private static final String LISTEN = "127.0.0.1:0";
  private static final String PASSWORD = "test-store-pass";
  private static final byte[] BODY = PushServerTest.EVENT_LIST;

  @TempDir static Path pki;

  /** The server's PKCS#12 key store (CN=localhost, SAN localhost and 127.0.0.1). */
  private static Path serverStore;

  /** The test CA's certificate as PEM: the server's clientCa. */
  private static Path caPem;

  /** The client's key with its CA-signed certificate chain. */
  private static KeyStore clientStore;

  /** A client key store whose certificate no configured CA signed (the server's self-signed). */
  private static KeyStore strangerStore;

  /** Trusts the server's certificate. */
  private static KeyStore serverTrust;

  private @Nullable PushServer server;

  @BeforeAll
  static void makeCertificates() throws Exception {
    serverStore = pki.resolve("server.p12");
    Path caStore = pki.resolve("ca.p12");
    Path clientP12 = pki.resolve("client.p12");
    caPem = pki.resolve("ca.pem");
    Path csr = pki.resolve("client.csr");
    Path clientPem = pki.resolve("client.pem");

    // Independent steps run in parallel: each keytool is a JVM start. (Arguments are split on
    // spaces; temporary directories have none.)
    parallel(
        "-genkeypair -alias server -keyalg RSA -keysize 2048 -storetype PKCS12 -keystore "
            + serverStore
            + " -dname CN=localhost -ext SAN=dns:localhost,ip:127.0.0.1 -validity 2",
        "-genkeypair -alias ca -keyalg EC -groupname secp256r1 -storetype PKCS12 -keystore "
            + caStore
            + " -dname CN=Vouch-Test-CA -ext bc:c -validity 2",
        "-genkeypair -alias client -keyalg EC -groupname secp256r1 -storetype PKCS12 -keystore "
            + clientP12
            + " -dname CN=kube-apiserver -validity 2");
    parallel(
        "-exportcert -alias ca -rfc -keystore " + caStore + " -file " + caPem,
        "-certreq -alias client -keystore " + clientP12 + " -file " + csr);
    parallel(
        "-gencert -alias ca -rfc -keystore "
            + caStore
            + " -infile "
            + csr
            + " -outfile "
            + clientPem
            + " -ext EKU=clientAuth -validity 2");

    KeyStore client = load(clientP12);
    CertificateFactory x509 = CertificateFactory.getInstance("X.509");
    Certificate signed;
    Certificate ca;
    try (InputStream in = Files.newInputStream(clientPem)) {
      signed = x509.generateCertificate(in);
    }
    try (InputStream in = Files.newInputStream(caPem)) {
      ca = x509.generateCertificate(in);
    }
    clientStore = KeyStore.getInstance("PKCS12");
    clientStore.load(null, null);
    clientStore.setKeyEntry(
        "client",
        (PrivateKey) client.getKey("client", PASSWORD.toCharArray()),
        PASSWORD.toCharArray(),
        new Certificate[] {signed, ca});
    strangerStore = load(serverStore);
    serverTrust = KeyStore.getInstance("PKCS12");
    serverTrust.load(null, null);
    serverTrust.setCertificateEntry("server", strangerStore.getCertificate("server"));
  }

  private static void parallel(String... commands) throws Exception {
    List<CompletableFuture<Void>> runs = new ArrayList<>();
    for (String command : commands) {
      runs.add(
          CompletableFuture.runAsync(
              () -> {
                try {
                  keytool(List.of(command.split(" ")));
                } catch (IOException | InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              }));
    }
    CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
  }

  private static void keytool(List<String> arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(arguments);
    command.addAll(List.of("-storepass", PASSWORD));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as("keytool %s: %s", arguments, output).isZero();
  }

  private static KeyStore load(Path file) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, PASSWORD.toCharArray());
    }
    return store;
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private PushServer start(PushSettings settings, RecordingEndpoint... more)
      throws PushServer.StartException {
    return start(PushServer.Limits.DEFAULT, settings, more);
  }

  private PushServer start(
      PushServer.Limits limits, PushSettings settings, RecordingEndpoint... more)
      throws PushServer.StartException {
    List<RecordingEndpoint> endpoints = new ArrayList<>();
    endpoints.add(new RecordingEndpoint("prod-eu-webhook", "/audit/prod-eu", settings));
    endpoints.addAll(List.of(more));
    server = PushServer.start(endpoints, limits, Duration.ofSeconds(2));
    return server;
  }

  private static PushSettings https(Optional<SettingsNode.Secret> token, @Nullable Path clientCa) {
    return new PushSettings(
        LISTEN,
        token,
        1024,
        serverStore,
        Optional.of(new SettingsNode.Secret("env:VOUCH_KEYSTORE_PASSWORD", PASSWORD)),
        clientCa);
  }

  private static HttpClient client(@Nullable KeyStore clientKeys) throws Exception {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .sslContext(tls(clientKeys))
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** A TLS context that trusts the server, with a client certificate when keys are given. */
  private static SSLContext tls(@Nullable KeyStore clientKeys) throws Exception {
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(serverTrust);
    KeyManagerFactory keys = null;
    if (clientKeys != null) {
      keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(clientKeys, PASSWORD.toCharArray());
    }
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
    return tls;
  }

  private static HttpResponse<String> post(HttpClient client, URI url, @Nullable String token)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(5))
            .POST(BodyPublishers.ofByteArray(BODY));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return client.send(request.build(), BodyHandlers.ofString());
  }

  private static URI url(PushServer server) {
    return URI.create("https://127.0.0.1:" + server.port(LISTEN) + "/audit/prod-eu");
  }

  @Test
  void httpsServesTheEndpointWithTheKeyStoresCertificate() throws Exception {
    PushServer server = start(https(PushServerTest.token("tls-token"), null));

    HttpResponse<String> response = post(client(null), url(server), "tls-token");

    assertThat(response.statusCode()).isEqualTo(200);
    RecordingEndpoint endpoint = (RecordingEndpoint) server.bindings().get(0).endpoint();
    assertThat(endpoint.bodies).singleElement().isEqualTo(BODY);
    assertThat(server.bindings().get(0).url().getScheme()).isEqualTo("https");
  }

  @Test
  void plainHttpToTheHttpsPortNeverReachesTheEndpoint() throws Exception {
    PushServer server = start(https(PushServerTest.token("tls-token"), null));
    HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI url = URI.create("http://127.0.0.1:" + server.port(LISTEN) + "/audit/prod-eu");

    try {
      assertThat(post(plain, url, "tls-token").statusCode()).isGreaterThanOrEqualTo(400);
    } catch (IOException refused) {
      // Equally fine: the TLS layer closed the connection.
    }
    RecordingEndpoint endpoint = (RecordingEndpoint) server.bindings().get(0).endpoint();
    assertThat(endpoint.bodies).isEmpty();
  }

  @Test
  void mutualTlsRefusesAClientWithoutACertificate() throws Exception {
    PushServer server = start(https(Optional.empty(), caPem));
    HttpClient anonymous = client(null);

    assertThatThrownBy(() -> post(anonymous, url(server), null))
        .isInstanceOf(IOException.class)
        .satisfies(e -> assertThat(causes(e)).anyMatch(SSLException.class::isInstance));
    RecordingEndpoint endpoint = (RecordingEndpoint) server.bindings().get(0).endpoint();
    assertThat(endpoint.bodies).isEmpty();
  }

  @Test
  void mutualTlsRefusesACertificateTheCaDidNotSign() throws Exception {
    PushServer server = start(https(Optional.empty(), caPem));
    HttpClient stranger = client(strangerStore);

    assertThatThrownBy(() -> post(stranger, url(server), null))
        .isInstanceOf(IOException.class)
        .satisfies(e -> assertThat(causes(e)).anyMatch(SSLException.class::isInstance));
    RecordingEndpoint endpoint = (RecordingEndpoint) server.bindings().get(0).endpoint();
    assertThat(endpoint.bodies).isEmpty();
  }

  @Test
  void mutualTlsAcceptsAClientCertificateSignedByTheCa() throws Exception {
    PushServer server = start(https(Optional.empty(), caPem));

    HttpResponse<String> response = post(client(clientStore), url(server), null);

    assertThat(response.statusCode()).isEqualTo(200);
    RecordingEndpoint endpoint = (RecordingEndpoint) server.bindings().get(0).endpoint();
    assertThat(endpoint.bodies).singleElement().isEqualTo(BODY);
  }

  @Test
  void withMutualTlsAndATokenBothAreRequired() throws Exception {
    PushServer server = start(https(PushServerTest.token("tls-token"), caPem));

    HttpResponse<String> response = post(client(clientStore), url(server), null);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(post(client(clientStore), url(server), "tls-token").statusCode()).isEqualTo(200);
  }

  @Test
  void aBodyThatStallsOverTlsIsAnswered408AndNotStored() throws Exception {
    PushServer server =
        start(
            new PushServer.Limits(Duration.ofMillis(500), 4),
            https(PushServerTest.token("tls-token"), null));

    String answer;
    try (Socket socket =
        tls(null).getSocketFactory().createSocket("127.0.0.1", server.port(LISTEN))) {
      // A safety net for a server that never answers, not a measure of speed.
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /audit/prod-eu HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer tls-token"
                  + "\r\nContent-Length: 100\r\n\r\n0123456789")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    assertThat(answer).startsWith("HTTP/1.1 408 ").contains("nothing was stored");
    RecordingEndpoint endpoint = (RecordingEndpoint) server.bindings().get(0).endpoint();
    assertThat(endpoint.bodies).isEmpty();
  }

  @Test
  void aWrongKeyStorePasswordIsAConfigurationErrorNamingTheFile() {
    PushSettings wrong =
        new PushSettings(
            LISTEN,
            PushServerTest.token("tls-token"),
            1024,
            serverStore,
            Optional.of(new SettingsNode.Secret("env:VOUCH_KEYSTORE_PASSWORD", "not-it")),
            null);

    assertThatThrownBy(() -> start(wrong))
        .isInstanceOf(PushServer.StartException.class)
        .hasMessageContaining(serverStore.toString())
        .hasMessageContaining("prod-eu-webhook")
        .satisfies(
            e -> assertThat(((PushServer.StartException) e).configurationProblem()).isTrue());
  }

  @Test
  void aClientCaFileWithoutCertificatesIsAConfigurationError() throws Exception {
    Path empty = Files.writeString(pki.resolve("empty.pem"), "no certificate here\n");

    assertThatThrownBy(() -> start(https(Optional.empty(), empty)))
        .isInstanceOf(PushServer.StartException.class)
        .hasMessageContaining(empty.toString());
  }

  @Test
  void endpointsSharingAnAddressMayShareTheirTlsSettings() throws Exception {
    RecordingEndpoint second =
        new RecordingEndpoint(
            "prod-us-webhook", "/audit/prod-us", https(PushServerTest.token("us-token"), null));
    PushServer server = start(https(PushServerTest.token("tls-token"), null), second);

    HttpResponse<String> response =
        post(
            client(null),
            URI.create("https://127.0.0.1:" + server.port(LISTEN) + "/audit/prod-us"),
            "us-token");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(second.bodies).singleElement().isEqualTo(BODY);
  }

  private static List<Throwable> causes(Throwable e) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = e; t != null; t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }
}
