package dev.vouch.app.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.core.config.NotificationSettings.Notification;
import dev.vouch.core.config.NotificationSettings.Route;
import dev.vouch.core.config.NotificationSettings.Type;
import dev.vouch.testkit.MutableClock;
import dev.vouch.testkit.TestData;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Posting through the JDK's HTTP client to a local server: retries as the channel asks, pacing, the
 * webhook signature as a receiver verifies it, and outcomes that never show the URL. Waiting is on
 * a test clock: the sleeper records each wait and moves the clock by it.
 */
class DeliveryTest {
  private final MutableClock clock = MutableClock.at(TestData.T0);
  private final List<Duration> waits = new ArrayList<>();
  private final Sleeper sleeper =
      d -> {
        waits.add(d);
        clock.advance(d);
      };
  private final Payload payload =
      new Payload("{\"text\":\"hello\"}".getBytes(StandardCharsets.UTF_8), Messages.JSON, 0);
  private FakeChannel channel;

  @BeforeEach
  void start() throws IOException {
    channel = FakeChannel.start();
  }

  @AfterEach
  void stop() {
    channel.close();
  }

  private Deliverer deliverer() {
    return new Deliverer(Deliverer.client(), clock, new Pacer(clock, sleeper));
  }

  private Sender sender(int attempts, Duration maxWait) {
    return new Sender(
        deliverer(),
        sleeper,
        new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), () -> 0.0),
        attempts,
        maxWait);
  }

  private Notification slack(String path) {
    return Fixtures.notification("security", Type.SLACK, channel.url(path));
  }

  @Test
  void aThrottledMessageIsSentAgainAfterTheRetryAfterTheChannelAskedFor() throws Exception {
    channel.script(new FakeChannel.Answer(429, Map.of("Retry-After", "7"), "rate_limited"));

    Sender.Result result = sender(4, Duration.ofMinutes(1)).send(slack("/services/T/B/x"), payload);

    assertThat(result.outcome()).isEqualTo(new DeliveryOutcome.Delivered(200));
    assertThat(result.attempts()).isEqualTo(2);
    assertThat(waits).containsExactly(Duration.ofSeconds(7));
    assertThat(channel.requests()).hasSize(2);
    assertThat(channel.requests().get(1).body()).isEqualTo(channel.requests().get(0).body());
  }

  @Test
  void aRetryAfterGivenAsAnHttpDateIsHonouredToo() throws Exception {
    String in90s =
        DateTimeFormatter.RFC_1123_DATE_TIME
            .withZone(ZoneOffset.UTC)
            .format(TestData.T0.plusSeconds(90));
    channel.script(new FakeChannel.Answer(503, Map.of("Retry-After", in90s), "busy"));

    Sender.Result result = sender(4, Duration.ofMinutes(5)).send(slack("/x"), payload);

    assertThat(result.delivered()).isTrue();
    assertThat(waits).containsExactly(Duration.ofSeconds(90));
  }

  @Test
  void withoutRetryAfterTheWaitDoublesPerAttempt() throws Exception {
    channel.script(
        FakeChannel.Answer.of(500, "oops"),
        FakeChannel.Answer.of(502, ""),
        FakeChannel.Answer.of(504, ""));

    Sender.Result result = sender(4, Duration.ofMinutes(1)).send(slack("/x"), payload);

    assertThat(result.delivered()).isTrue();
    assertThat(result.attempts()).isEqualTo(4);
    assertThat(waits)
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
  }

  @Test
  void aRefusalIsNotRetriedAndSaysWhatTheChannelAnsweredWithoutTheUrl() throws Exception {
    channel.script(FakeChannel.Answer.of(404, "no_service"));

    Sender.Result result =
        sender(4, Duration.ofMinutes(1)).send(slack("/services/T0/B0/SeCrEt"), payload);

    assertThat(result.outcome()).isEqualTo(new DeliveryOutcome.Failed(404, "HTTP 404: no_service"));
    assertThat(result.attempts()).isEqualTo(1);
    assertThat(channel.requests()).hasSize(1);
    assertThat(result.outcome().describe()).isEqualTo("failed: HTTP 404: no_service");
  }

  @Test
  void theLastRetryIsReturnedWhenAttemptsRunOutOrTheChannelAsksForTooLongAWait() throws Exception {
    channel.respond(r -> new FakeChannel.Answer(429, Map.of("Retry-After", "3600"), "slow down"));

    Sender.Result result = sender(4, Duration.ofMinutes(1)).send(slack("/x"), payload);

    // An outbox takes it from here: try again in an hour.
    assertThat(result.outcome())
        .isEqualTo(new DeliveryOutcome.RetryLater(Duration.ofHours(1), 429, "HTTP 429: slow down"));
    assertThat(result.attempts()).isEqualTo(1);
    assertThat(waits).isEmpty();

    channel.respond(r -> FakeChannel.Answer.of(503, ""));
    Sender.Result exhausted = sender(3, Duration.ofMinutes(1)).send(slack("/y"), payload);
    assertThat(exhausted.outcome())
        .isEqualTo(new DeliveryOutcome.RetryLater(null, 503, "HTTP 503"));
    assertThat(exhausted.attempts()).isEqualTo(3);
  }

  @Test
  void aThrottledWebhookIsHeldForEveryMessageToIt() throws Exception {
    channel.script(new FakeChannel.Answer(429, Map.of("Retry-After", "30"), ""));
    Deliverer deliverer = deliverer();

    DeliveryOutcome first = deliverer.deliver(slack("/x"), payload);
    DeliveryOutcome next = deliverer.deliver(slack("/x"), payload);

    assertThat(first).isInstanceOf(DeliveryOutcome.RetryLater.class);
    assertThat(next).isEqualTo(new DeliveryOutcome.Delivered(200));
    assertThat(waits).containsExactly(Duration.ofSeconds(30));
  }

  @Test
  void postsToOneWebhookAreASecondApartAndOtherWebhooksDoNotWait() throws Exception {
    Deliverer deliverer = deliverer();

    deliverer.deliver(slack("/a"), payload);
    deliverer.deliver(slack("/a"), payload);
    deliverer.deliver(slack("/b"), payload);
    clock.advance(Duration.ofSeconds(5));
    deliverer.deliver(slack("/a"), payload);

    assertThat(waits).containsExactly(Duration.ofSeconds(1));
    assertThat(channel.requests())
        .extracting(FakeChannel.Request::path)
        .containsExactly("/a", "/a", "/b", "/a");
  }

  @Test
  void aRedirectIsNotFollowed() throws Exception {
    channel.script(
        new FakeChannel.Answer(302, Map.of("Location", channel.url("/elsewhere").toString()), ""));

    DeliveryOutcome outcome = deliverer().deliver(slack("/x"), payload);

    assertThat(outcome)
        .isEqualTo(
            new DeliveryOutcome.Failed(302, "HTTP 302 (a redirect, not followed: check the URL)"));
    assertThat(channel.requests()).extracting(FakeChannel.Request::path).containsExactly("/x");
  }

  @Test
  void aChannelThatCannotBeReachedIsRetriedLaterWithoutNamingItsAddress() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Notification nowhere =
        Fixtures.notification(
            "security", Type.SLACK, URI.create("http://127.0.0.1:" + closedPort + "/secret-path"));

    DeliveryOutcome outcome = deliverer().deliver(nowhere, payload);

    assertThat(outcome)
        .isEqualTo(new DeliveryOutcome.RetryLater(null, 0, "connection refused or unreachable"));
  }

  /** What a receiver does: recompute the HMAC of "timestamp.body" and compare. */
  private static boolean verify(FakeChannel.Request request, String secret) throws Exception {
    String timestamp = request.header("X-Vouch-Timestamp");
    String signature = request.header("X-Vouch-Signature");
    if (timestamp == null || signature == null) {
      return false;
    }
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
    mac.update((byte) '.');
    String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(request.body()));
    return java.security.MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII),
        signature.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void theWebhookReceiverVerifiesTheSignatureOfEveryAttemptWithAFreshTimestamp() throws Exception {
    channel.script(new FakeChannel.Answer(503, Map.of("Retry-After", "5"), ""));
    channel.respond(
        r -> {
          try {
            return verify(r, Fixtures.SECRET)
                ? FakeChannel.Answer.of(204, "")
                : FakeChannel.Answer.of(401, "bad signature");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    Notification hook =
        Fixtures.notification(
            "soar", Type.WEBHOOK, channel.url("/hook"), Fixtures.SECRET, Route.DEFAULT);

    Sender.Result result = sender(3, Duration.ofMinutes(1)).send(hook, payload);

    assertThat(result.outcome()).isEqualTo(new DeliveryOutcome.Delivered(204));
    List<FakeChannel.Request> requests = channel.requests();
    assertThat(requests).hasSize(2);
    long t0 = TestData.T0.getEpochSecond();
    assertThat(requests.get(0).header("X-Vouch-Timestamp")).isEqualTo(Long.toString(t0));
    assertThat(requests.get(1).header("X-Vouch-Timestamp")).isEqualTo(Long.toString(t0 + 5));
    assertThat(verify(requests.get(0), Fixtures.SECRET)).isTrue();
    assertThat(verify(requests.get(1), Fixtures.SECRET)).isTrue();
    assertThat(requests.get(0).header("X-Vouch-Signature"))
        .isNotEqualTo(requests.get(1).header("X-Vouch-Signature"));
    assertThat(requests.get(1).header("User-Agent")).startsWith("vouch/");
  }

  @Test
  void aReceiverRejectsASignatureMadeWithAnotherKeyOrOverAnotherBody() throws Exception {
    channel.respond(
        r -> {
          try {
            return verify(r, Fixtures.SECRET)
                ? FakeChannel.Answer.of(200, "")
                : FakeChannel.Answer.of(401, "bad signature");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    Notification wrongKey =
        Fixtures.notification(
            "soar", Type.WEBHOOK, channel.url("/hook"), "another key", Route.DEFAULT);
    Notification unsigned =
        Fixtures.notification("soar", Type.WEBHOOK, channel.url("/hook"), null, Route.DEFAULT);

    assertThat(deliverer().deliver(wrongKey, payload))
        .isEqualTo(new DeliveryOutcome.Failed(401, "HTTP 401: bad signature"));
    assertThat(deliverer().deliver(unsigned, payload))
        .isEqualTo(new DeliveryOutcome.Failed(401, "HTTP 401: bad signature"));
    assertThat(channel.requests().get(1).header("X-Vouch-Signature")).isNull();
    assertThat(channel.requests().get(1).header("X-Vouch-Timestamp")).isNotNull();

    // The same key over a body changed in transit does not verify either.
    FakeChannel.Request signed = channel.requests().get(0);
    String good = Signature.sign(Fixtures.SECRET, TestData.T0.getEpochSecond(), signed.body());
    FakeChannel.Request tampered =
        new FakeChannel.Request(
            signed.method(),
            signed.path(),
            signed.query(),
            Map.of(
                "X-Vouch-Timestamp", List.of(Long.toString(TestData.T0.getEpochSecond())),
                "X-Vouch-Signature", List.of(good)),
            "{\"text\":\"hellO\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(verify(tampered, Fixtures.SECRET)).isFalse();
  }

  @Test
  void chatChannelsAreNotSigned() throws Exception {
    deliverer().deliver(slack("/x"), payload);

    assertThat(channel.requests().get(0).header("X-Vouch-Signature")).isNull();
    assertThat(channel.requests().get(0).header("X-Vouch-Timestamp")).isNull();
  }
}
