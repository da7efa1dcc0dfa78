package dev.vouch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.core.json.Json;
import dev.vouch.core.spi.ChangeSource;
import dev.vouch.core.spi.ObservationSink;
import dev.vouch.core.spi.PullRequest;
import dev.vouch.core.spi.PullResult;
import dev.vouch.core.spi.PushEndpoint;
import dev.vouch.core.spi.PushEndpoint.PushSettings;
import dev.vouch.core.spi.SettingsNode;
import dev.vouch.core.spi.SourceException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The push server over plain HTTP, exercised with a real HTTP client on 127.0.0.1. */
@Timeout(10)
class PushServerTest {
  static final String TOKEN = "s3cret-token-for-tests";
  static final String LISTEN = "127.0.0.1:0";
  static final byte[] EVENT_LIST =
      "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"items\":[{},{}]}"
          .getBytes(StandardCharsets.UTF_8);

  /** What a test endpoint does with a body it was given. */
  @FunctionalInterface
  interface Responder {
    PushEndpoint.PushResult respond(byte[] body) throws SourceException;
  }

  /**
   * A push endpoint (and change source, as real ones are) that records the bodies it is given and
   * answers what the test wants.
   */
  static final class RecordingEndpoint implements PushEndpoint, ChangeSource {
    final String name;
    final String path;
    final PushSettings settings;
    final List<byte[]> bodies = new CopyOnWriteArrayList<>();
    volatile Responder responder = body -> PushResult.stored(2);

    RecordingEndpoint(String name, String path, PushSettings settings) {
      this.name = name;
      this.path = path;
      this.settings = settings;
    }

    static RecordingEndpoint plain(String path, long maxBody) {
      return new RecordingEndpoint(
          "webhook" + path.replace('/', '-'),
          path,
          new PushSettings(LISTEN, token(TOKEN), maxBody, null, Optional.empty(), null));
    }

    RecordingEndpoint answering(Responder responder) {
      this.responder = responder;
      return this;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String type() {
      return "test-webhook";
    }

    @Override
    public String platform() {
      return "kubernetes";
    }

    @Override
    public PullResult pull(PullRequest request, ObservationSink sink) throws SourceException {
      throw new SourceException("not used by these tests");
    }

    @Override
    public String path() {
      return path;
    }

    @Override
    public PushSettings pushSettings() {
      return settings;
    }

    @Override
    public PushResult accept(byte[] body) throws SourceException {
      bodies.add(body.clone());
      return responder.respond(body);
    }
  }

  static Optional<SettingsNode.Secret> token(String value) {
    return Optional.of(new SettingsNode.Secret("env:VOUCH_TEST_TOKEN", value));
  }

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private @Nullable PushServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private PushServer start(PushEndpoint... endpoints) throws PushServer.StartException {
    return start(PushServer.Limits.DEFAULT, endpoints);
  }

  private PushServer start(PushServer.Limits limits, PushEndpoint... endpoints)
      throws PushServer.StartException {
    server = PushServer.start(List.of(endpoints), limits, Duration.ofSeconds(2));
    return server;
  }

  /**
   * Opens a connection from {@code from} and sends a POST's headers with a Content-Length of {@code
   * length}, and the first bytes of the body; the test sends the rest, or not. The server closes
   * the connection after its answer.
   */
  private static Socket rawPost(
      PushServer server, String path, InetAddress from, int length, byte[] start)
      throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port(LISTEN), from, 0);
    // A safety net for a server that never answers, not a measure of speed.
    socket.setSoTimeout(5000);
    OutputStream out = socket.getOutputStream();
    out.write(
        ("POST "
                + path
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + TOKEN
                + "\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: "
                + length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.write(start);
    out.flush();
    return socket;
  }

  /** Everything the server sends until it closes the connection. */
  private static String answer(Socket socket) throws IOException {
    return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  /** An endpoint whose accept() waits for {@code release}, counting down {@code entered}. */
  private static RecordingEndpoint blocking(CountDownLatch entered, CountDownLatch release) {
    return RecordingEndpoint.plain("/audit", 1024)
        .answering(
            body -> {
              entered.countDown();
              try {
                release.await(5, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return PushEndpoint.PushResult.stored(1);
            });
  }

  private HttpResponse<String> push(PushServer server) throws IOException, InterruptedException {
    return send(
        post(url(server, "/audit"), EVENT_LIST).header("Authorization", "Bearer " + TOKEN).build());
  }

  private static URI url(PushServer server, String path) {
    return URI.create("http://127.0.0.1:" + server.port(LISTEN) + path);
  }

  private static HttpRequest.Builder post(URI url, byte[] body) {
    return HttpRequest.newBuilder(url)
        .timeout(Duration.ofSeconds(5))
        .header("Content-Type", "application/json")
        .POST(BodyPublishers.ofByteArray(body));
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return client.send(request, BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    return Json.mapper().readTree(response.body());
  }

  @Test
  void aValidBodyIsHandedToTheEndpointOnceAndItsResultAnswered() throws Exception {
    RecordingEndpoint endpoint = RecordingEndpoint.plain("/audit/prod-eu", 1024);
    PushServer server = start(endpoint);

    HttpResponse<String> response =
        send(
            post(url(server, "/audit/prod-eu"), EVENT_LIST)
                .header("Authorization", "Bearer " + TOKEN)
                .build());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode answer = json(response);
    assertThat(answer.get("status").asInt()).isEqualTo(200);
    assertThat(answer.get("items").asLong()).isEqualTo(2);
    assertThat(answer.get("message").asText()).isEqualTo("stored 2 item(s)");
    assertThat(endpoint.bodies).hasSize(1);
    assertThat(endpoint.bodies.get(0)).isEqualTo(EVENT_LIST);
    assertThat(server.bindings())
        .singleElement()
        .satisfies(
            b ->
                assertThat(b.url())
                    .isEqualTo(
                        URI.create("http://127.0.0.1:" + server.port(LISTEN) + "/audit/prod-eu")));
  }

  @Test
  void theBearerSchemeIsCaseInsensitive() throws Exception {
    RecordingEndpoint endpoint = RecordingEndpoint.plain("/audit", 1024);
    PushServer server = start(endpoint);

    HttpResponse<String> response =
        send(
            post(url(server, "/audit"), EVENT_LIST)
                .header("Authorization", "bearer " + TOKEN)
                .build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(endpoint.bodies).hasSize(1);
  }

  @Test
  void aMissingTokenIsRefusedWith401AndNothingIsAccepted() throws Exception {
    RecordingEndpoint endpoint = RecordingEndpoint.plain("/audit", 1024);
    PushServer server = start(endpoint);

    HttpResponse<String> response = send(post(url(server, "/audit"), EVENT_LIST).build());

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(json(response).get("message").asText()).contains("missing bearer token");
    assertThat(endpoint.bodies).isEmpty();
  }

  @Test
  void aWrongTokenOrSchemeIsRefusedWith401AndNothingIsAccepted() throws Exception {
    RecordingEndpoint endpoint = RecordingEndpoint.plain("/audit", 1024);
    PushServer server = start(endpoint);

    for (String authorization :
        List.of(
            "Bearer " + TOKEN + "x",
            "Bearer " + TOKEN.substring(1),
            "Bearer ",
            "Basic " + TOKEN,
            TOKEN)) {
      HttpResponse<String> response =
          send(
              post(url(server, "/audit"), EVENT_LIST)
                  .header("Authorization", authorization)
                  .build());

      assertThat(response.statusCode()).as(authorization).isEqualTo(401);
      assertThat(response.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
      assertThat(response.body()).doesNotContain(TOKEN);
    }
    assertThat(endpoint.bodies).isEmpty();
  }

  @Test
  void aBodyDeclaredOverTheLimitIsRefusedWith413BeforeReading() throws Exception {
    RecordingEndpoint endpoint = RecordingEndpoint.plain("/audit", 1024);
    PushServer server = start(endpoint);
    byte[] big = new byte[1025];
    Arrays.fill(big, (byte) 'x');

    HttpResponse<String> response =
        send(post(url(server, "/audit"), big).header("Authorization", "Bearer " + TOKEN).build());

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(json(response).get("message").asText()).contains("1025").contains("1024");
    assertThat(endpoint.bodies).isEmpty();
  }

  @Test
  void aBodyOfExactlyTheLimitIsAccepted() throws Exception {
    RecordingEndpoint endpoint = RecordingEndpoint.plain("/audit", EVENT_LIST.length);
    PushServer server = start(endpoint);

    HttpResponse<String> response =
        send(
            post(url(server, "/audit"), EVENT_LIST)
                .header("Authorization", "Bearer " + TOKEN)
                .build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(endpoint.bodies).hasSize(1);
  }

  @Test
  void aChunkedBodyOverTheLimitIsRefusedWith413() throws Exception {
    RecordingEndpoint endpoint = RecordingEndpoint.plain("/audit", 1024);
    PushServer server = start(endpoint);
    byte[] big = new byte[64 * 1024];
    Arrays.fill(big, (byte) 'x');

    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(url(server, "/audit"))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                .build());

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(endpoint.bodies).isEmpty();
  }

  @Test
  void aChunkedBodyIsRefusedAsSoonAsItPassesTheLimitNotWhenItEnds() throws Exception {
    // java.net.http.HttpClient reads the answer only after sending the whole body, so this one
    // speaks HTTP/1.1 over a socket: 2 KiB of a chunked body, then nothing more, and no end.
    RecordingEndpoint endpoint = RecordingEndpoint.plain("/audit", 1024);
    PushServer server = start(endpoint);

    try (Socket socket = new Socket("127.0.0.1", server.port(LISTEN))) {
      socket.setSoTimeout(3000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /audit HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                  + TOKEN
                  + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                  + "800\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[2048]);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();

      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(answer).startsWith("HTTP/1.1 413 ").contains("\"status\":413");
    }
    assertThat(endpoint.bodies).isEmpty();
  }

  @Test
  void aChunkedBodyWithinTheLimitIsAcceptedWhole() throws Exception {
    RecordingEndpoint endpoint = RecordingEndpoint.plain("/audit", 1024);
    PushServer server = start(endpoint);

    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(url(server, "/audit"))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(EVENT_LIST)))
                .build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(endpoint.bodies).singleElement().isEqualTo(EVENT_LIST);
  }

  @Test
  void theEndpointsRefusalOfAMalformedBodyIsPassedThrough() throws Exception {
    RecordingEndpoint endpoint =
        RecordingEndpoint.plain("/audit", 1024)
            .answering(
                body -> PushEndpoint.PushResult.refused(400, "expected an audit.k8s.io EventList"));
    PushServer server = start(endpoint);
    byte[] malformed = "{not json".getBytes(StandardCharsets.UTF_8);

    HttpResponse<String> response =
        send(
            post(url(server, "/audit"), malformed)
                .header("Authorization", "Bearer " + TOKEN)
                .build());

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode answer = json(response);
    assertThat(answer.get("status").asInt()).isEqualTo(400);
    assertThat(answer.get("items").asLong()).isZero();
    assertThat(answer.get("message").asText()).isEqualTo("expected an audit.k8s.io EventList");
    assertThat(endpoint.bodies).singleElement().isEqualTo(malformed);
  }

  @Test
  void aBodyThatStallsIsAnswered408AndNothingIsStoredWhileAnotherClientIsServed() throws Exception {
    RecordingEndpoint endpoint = RecordingEndpoint.plain("/audit", 1024);
    PushServer server = start(new PushServer.Limits(Duration.ofMillis(500), 4), endpoint);

    try (Socket stalled =
        rawPost(server, "/audit", InetAddress.getLoopbackAddress(), 100, new byte[10])) {
      HttpResponse<String> other = push(server);
      String answer = answer(stalled);

      assertThat(other.statusCode()).isEqualTo(200);
      assertThat(answer)
          .startsWith("HTTP/1.1 408 ")
          .containsIgnoringCase("Retry-After: 1")
          .contains("\"status\":408")
          .contains("did not arrive whole within 500 ms (received 10 bytes); nothing was stored");
    }
    assertThat(endpoint.bodies).singleElement().isEqualTo(EVENT_LIST);
  }

  @Test
  void aBodyThatTricklesIsCutAtTheDeadlineNotJustWhenItStalls() throws Exception {
    // A byte every 50 ms never leaves the connection idle for 500 ms: only a deadline for the
    // whole body ends it, long before the 1000 bytes would be complete.
    RecordingEndpoint endpoint = RecordingEndpoint.plain("/audit", 1024);
    PushServer server = start(new PushServer.Limits(Duration.ofMillis(500), 4), endpoint);
    AtomicBoolean answered = new AtomicBoolean();

    try (Socket trickling =
        rawPost(server, "/audit", InetAddress.getLoopbackAddress(), 1000, new byte[1])) {
      Thread trickle =
          new Thread(
              () -> {
                try {
                  OutputStream out = trickling.getOutputStream();
                  for (int i = 1; i < 1000 && !answered.get(); i++) {
                    Thread.sleep(50);
                    out.write(' ');
                    out.flush();
                  }
                } catch (IOException | InterruptedException e) {
                  // The server closed the connection: what the test waits for.
                }
              });
      trickle.start();
      String answer = answer(trickling);
      answered.set(true);
      trickle.join();

      assertThat(answer).startsWith("HTTP/1.1 408 ").contains("nothing was stored");
    }
    assertThat(endpoint.bodies).isEmpty();
  }

  @Test
  void requestsOverTheClientLimitAreAnswered429WithRetryAfterAndTheSlotsComeBack()
      throws Exception {
    CountDownLatch entered = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    RecordingEndpoint endpoint = blocking(entered, release);
    PushServer server = start(new PushServer.Limits(Duration.ofSeconds(5), 2), endpoint);
    HttpRequest request =
        post(url(server, "/audit"), EVENT_LIST).header("Authorization", "Bearer " + TOKEN).build();
    List<CompletableFuture<HttpResponse<String>>> inFlight =
        List.of(
            client.sendAsync(request, BodyHandlers.ofString()),
            client.sendAsync(request, BodyHandlers.ofString()));
    assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

    HttpResponse<String> extra = send(request);
    release.countDown();

    assertThat(extra.statusCode()).isEqualTo(429);
    assertThat(extra.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(json(extra).get("message").asText())
        .isEqualTo(
            "too many requests in flight from 127.0.0.1 (at most 2 at a time); retry when one"
                + " has been answered");
    for (CompletableFuture<HttpResponse<String>> response : inFlight) {
      assertThat(response.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
    assertThat(push(server).statusCode()).isEqualTo(200);
    assertThat(endpoint.bodies).hasSize(3);
  }

  @Test
  void aClientAtItsLimitDoesNotHoldUpAnotherClient() throws Exception {
    InetAddress otherClient = InetAddress.getByName("127.0.0.2");
    try (Socket probe = new Socket()) {
      probe.bind(new InetSocketAddress(otherClient, 0));
    } catch (IOException e) {
      assumeTrue(false, "127.0.0.2 is not a loopback address here: " + e);
    }
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    RecordingEndpoint endpoint = blocking(entered, release);
    PushServer server = start(new PushServer.Limits(Duration.ofSeconds(5), 1), endpoint);
    CompletableFuture<HttpResponse<String>> held =
        client.sendAsync(
            post(url(server, "/audit"), EVENT_LIST)
                .header("Authorization", "Bearer " + TOKEN)
                .build(),
            BodyHandlers.ofString());
    assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

    String fromSameClient;
    try (Socket same =
        rawPost(
            server, "/audit", InetAddress.getLoopbackAddress(), EVENT_LIST.length, EVENT_LIST)) {
      fromSameClient = answer(same);
    }
    release.countDown();
    String fromOtherClient;
    try (Socket other = rawPost(server, "/audit", otherClient, EVENT_LIST.length, EVENT_LIST)) {
      fromOtherClient = answer(other);
    }

    assertThat(fromSameClient).startsWith("HTTP/1.1 429 ");
    assertThat(fromOtherClient).startsWith("HTTP/1.1 200 ");
    assertThat(held.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void aSlotIsGivenBackWhenARequestTimesOutOrFails() throws Exception {
    // With one slot per client, a slot not given back would make every later request a 429.
    RecordingEndpoint endpoint =
        RecordingEndpoint.plain("/audit", 1024)
            .answering(
                body -> {
                  throw new IllegalStateException("bug");
                });
    PushServer server = start(new PushServer.Limits(Duration.ofMillis(300), 1), endpoint);

    try (Socket stalled =
        rawPost(server, "/audit", InetAddress.getLoopbackAddress(), 100, new byte[1])) {
      assertThat(answer(stalled)).startsWith("HTTP/1.1 408 ");
    }
    assertThat(push(server).statusCode()).isEqualTo(500);
    try (Socket tooLarge =
        rawPost(server, "/audit", InetAddress.getLoopbackAddress(), 4096, new byte[2048])) {
      assertThat(answer(tooLarge)).startsWith("HTTP/1.1 413 ");
    }
    endpoint.answering(body -> PushEndpoint.PushResult.stored(2));

    assertThat(push(server).statusCode()).isEqualTo(200);
  }

  @Test
  void getIsRefusedWith405NamingPost() throws Exception {
    RecordingEndpoint endpoint = RecordingEndpoint.plain("/audit", 1024);
    PushServer server = start(endpoint);

    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(url(server, "/audit"))
                .header("Authorization", "Bearer " + TOKEN)
                .GET()
                .build());

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).hasValue("POST");
    assertThat(endpoint.bodies).isEmpty();
  }

  @Test
  void anUnknownPathIs404WithAJsonError() throws Exception {
    RecordingEndpoint endpoint = RecordingEndpoint.plain("/audit", 1024);
    PushServer server = start(endpoint);

    for (String path : List.of("/", "/audit/", "/audit/other", "/AUDIT")) {
      HttpResponse<String> response =
          send(
              post(url(server, path), EVENT_LIST)
                  .header("Authorization", "Bearer " + TOKEN)
                  .build());

      assertThat(response.statusCode()).as(path).isEqualTo(404);
      assertThat(json(response).get("status").asInt()).isEqualTo(404);
    }
    assertThat(endpoint.bodies).isEmpty();
  }

  @Test
  void aStorageFailureIs503WithTheMessageSoTheSenderRetries() throws Exception {
    RecordingEndpoint endpoint =
        RecordingEndpoint.plain("/audit", 1024)
            .answering(
                body -> {
                  throw new SourceException("spool /var/lib/vouch is full");
                });
    PushServer server = start(endpoint);

    HttpResponse<String> response =
        send(
            post(url(server, "/audit"), EVENT_LIST)
                .header("Authorization", "Bearer " + TOKEN)
                .build());

    assertThat(response.statusCode()).isEqualTo(503);
    // The API server's webhook backend retries a 503 only when it has a Retry-After.
    assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(json(response).get("message").asText()).isEqualTo("spool /var/lib/vouch is full");
  }

  @Test
  void anUnexpectedFailureIs500WithoutItsDetails() throws Exception {
    RecordingEndpoint endpoint =
        RecordingEndpoint.plain("/audit", 1024)
            .answering(
                body -> {
                  throw new IllegalStateException("bug with internal detail");
                });
    PushServer server = start(endpoint);

    HttpResponse<String> response =
        send(
            post(url(server, "/audit"), EVENT_LIST)
                .header("Authorization", "Bearer " + TOKEN)
                .build());

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).doesNotContain("internal detail");
  }

  @Test
  void twoEndpointsOnOneAddressShareAPortAndAreRoutedByPath() throws Exception {
    RecordingEndpoint eu = RecordingEndpoint.plain("/audit/prod-eu", 1024);
    RecordingEndpoint us =
        RecordingEndpoint.plain("/audit/prod-us", 1024)
            .answering(body -> PushEndpoint.PushResult.stored(7));
    PushServer server = start(eu, us);
    byte[] usBody = "{\"kind\":\"EventList\",\"items\":[]}".getBytes(StandardCharsets.UTF_8);

    HttpResponse<String> toEu =
        send(
            post(url(server, "/audit/prod-eu"), EVENT_LIST)
                .header("Authorization", "Bearer " + TOKEN)
                .build());
    HttpResponse<String> toUs =
        send(
            post(url(server, "/audit/prod-us"), usBody)
                .header("Authorization", "Bearer " + TOKEN)
                .build());

    assertThat(toEu.statusCode()).isEqualTo(200);
    assertThat(toUs.statusCode()).isEqualTo(200);
    assertThat(json(toUs).get("items").asLong()).isEqualTo(7);
    assertThat(eu.bodies).singleElement().isEqualTo(EVENT_LIST);
    assertThat(us.bodies).singleElement().isEqualTo(usBody);
    assertThat(server.bindings())
        .extracting(b -> b.url().getPort())
        .containsOnly(server.port(LISTEN));
  }

  @Test
  void eachEndpointChecksItsOwnToken() throws Exception {
    RecordingEndpoint eu = RecordingEndpoint.plain("/audit/prod-eu", 1024);
    RecordingEndpoint us =
        new RecordingEndpoint(
            "us",
            "/audit/prod-us",
            new PushSettings(LISTEN, token("other-token"), 1024, null, Optional.empty(), null));
    PushServer server = start(eu, us);

    HttpResponse<String> response =
        send(
            post(url(server, "/audit/prod-us"), EVENT_LIST)
                .header("Authorization", "Bearer " + TOKEN)
                .build());

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(us.bodies).isEmpty();
  }

  @Test
  void closeFinishesTheRequestInFlight() throws Exception {
    CountDownLatch inAccept = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    RecordingEndpoint endpoint =
        RecordingEndpoint.plain("/audit", 1024)
            .answering(
                body -> {
                  inAccept.countDown();
                  try {
                    release.await(5, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return PushEndpoint.PushResult.stored(1);
                });
    PushServer server = start(endpoint);
    CompletableFuture<HttpResponse<String>> pending =
        client.sendAsync(
            post(url(server, "/audit"), EVENT_LIST)
                .header("Authorization", "Bearer " + TOKEN)
                .build(),
            BodyHandlers.ofString());
    assertThat(inAccept.await(5, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
    Thread.sleep(100);
    assertThat(closing).isNotDone();
    release.countDown();
    closing.get(5, TimeUnit.SECONDS);

    assertThat(pending.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThatThrownBy(
            () ->
                send(
                    post(url(server, "/audit"), EVENT_LIST)
                        .header("Authorization", "Bearer " + TOKEN)
                        .build()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void aRequestArrivingWhileTheServerStopsIs503WithRetryAfter() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    RecordingEndpoint endpoint = blocking(entered, release);
    // A long stop timeout keeps open connections open for a second after the stop begins.
    server = PushServer.start(List.of(endpoint), PushServer.Limits.DEFAULT, Duration.ofSeconds(10));
    int port = server.port(LISTEN);
    try (Socket open = new Socket(InetAddress.getLoopbackAddress(), port)) {
      open.setSoTimeout(5000);
      CompletableFuture<HttpResponse<String>> inFlight =
          client.sendAsync(
              post(url(server, "/audit"), EVENT_LIST)
                  .header("Authorization", "Bearer " + TOKEN)
                  .build(),
              BodyHandlers.ofString());
      assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
      awaitRefused(port);

      OutputStream out = open.getOutputStream();
      out.write(
          ("POST /audit HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                  + TOKEN
                  + "\r\nContent-Length: "
                  + EVENT_LIST.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(EVENT_LIST);
      out.flush();
      String answer = answer(open);
      release.countDown();

      assertThat(answer)
          .startsWith("HTTP/1.1 503 ")
          .containsIgnoringCase("Retry-After: 1")
          .contains("\"message\":\"the receiver is stopping; retry later\"");
      assertThat(inFlight.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      closing.get(5, TimeUnit.SECONDS);
    }
    assertThat(endpoint.bodies).hasSize(1);
  }

  /** Waits until the server no longer accepts connections on the port: it is stopping. */
  private static void awaitRefused(int port) throws InterruptedException {
    while (true) {
      try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
        Thread.sleep(5);
      } catch (IOException refused) {
        return;
      }
    }
  }

  @Test
  void differentTlsSettingsOnOneAddressAreAStartupErrorNamingBoth() {
    RecordingEndpoint plain = RecordingEndpoint.plain("/audit/a", 1024);
    RecordingEndpoint tls =
        new RecordingEndpoint(
            "tls-hook",
            "/audit/b",
            new PushSettings(
                LISTEN, token(TOKEN), 1024, Path.of("server.p12"), Optional.empty(), null));

    assertThatThrownBy(() -> start(plain, tls))
        .isInstanceOf(PushServer.StartException.class)
        .hasMessageContaining("webhook-audit-a")
        .hasMessageContaining("tls-hook")
        .hasMessageContaining("different TLS settings")
        .satisfies(
            e -> assertThat(((PushServer.StartException) e).configurationProblem()).isTrue());
  }

  @Test
  void twoEndpointsOnOnePathAreAStartupError() {
    assertThatThrownBy(
            () ->
                start(
                    RecordingEndpoint.plain("/audit", 1024),
                    new RecordingEndpoint(
                        "second",
                        "/audit",
                        new PushSettings(
                            LISTEN, token(TOKEN), 1024, null, Optional.empty(), null))))
        .isInstanceOf(PushServer.StartException.class)
        .hasMessageContaining("second")
        .hasMessageContaining("both answer on");
  }

  @Test
  void anEndpointWithoutTokenOrClientCaIsAStartupError() {
    RecordingEndpoint open =
        new RecordingEndpoint(
            "open",
            "/audit",
            new PushSettings(LISTEN, Optional.empty(), 1024, null, Optional.empty(), null));

    assertThatThrownBy(() -> start(open))
        .isInstanceOf(PushServer.StartException.class)
        .hasMessageContaining("'open'")
        .hasMessageContaining("neither a bearer token nor a client CA");
  }

  @Test
  void aListenAddressInUseIsAnEnvironmentErrorAndLeavesNothingRunning() throws Exception {
    PushServer first = start(RecordingEndpoint.plain("/audit", 1024));
    String taken = "127.0.0.1:" + first.port(LISTEN);
    RecordingEndpoint clash =
        new RecordingEndpoint(
            "clash",
            "/audit",
            new PushSettings(taken, token(TOKEN), 1024, null, Optional.empty(), null));

    assertThatThrownBy(() -> PushServer.start(List.of(clash)))
        .isInstanceOf(PushServer.StartException.class)
        .hasMessageContaining(taken)
        .satisfies(
            e -> assertThat(((PushServer.StartException) e).configurationProblem()).isFalse());
  }
}
