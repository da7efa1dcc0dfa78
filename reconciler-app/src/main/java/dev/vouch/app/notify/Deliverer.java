package dev.vouch.app.notify;

import dev.vouch.core.config.NotificationSettings.Notification;
import dev.vouch.core.config.NotificationSettings.Type;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * Posts a rendered message to its channel once, in its turn ({@link Pacer}), and says what came of
 * it. For a {@code webhook} with a secret it adds the timestamp and signature headers ({@link
 * Signature}), computed per attempt, so a retry carries a fresh time.
 *
 * <p>Redirects are not followed (the body would go to an address the configuration does not name),
 * and nothing this class reports contains the URL or the secret: a channel is named by its {@code
 * name} only. Thread-safe.
 */
public final class Deliverer {
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** How much of an error answer's body is kept in the reason (Slack's are one word). */
  static final int BODY_SHOWN = 200;

  private static final String USER_AGENT =
      "vouch/"
          + Optional.ofNullable(Deliverer.class.getPackage().getImplementationVersion())
              .orElse("dev");

  private final HttpClient client;
  private final Clock clock;
  private final Pacer pacer;

  public Deliverer(HttpClient client, Clock clock, Pacer pacer) {
    this.client = Objects.requireNonNull(client, "client");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.pacer = Objects.requireNonNull(pacer, "pacer");
  }

  /**
   * A deliverer with the JDK's HTTP client: the JVM's proxy settings ({@code -Dhttps.proxyHost}), a
   * connect timeout of {@link #CONNECT_TIMEOUT}, no redirects, and real waiting between posts.
   */
  public static Deliverer create(Clock clock) {
    return new Deliverer(client(), clock, new Pacer(clock, Sleeper.SYSTEM));
  }

  /** The HTTP client {@link #create} uses. */
  public static HttpClient client() {
    return HttpClient.newBuilder()
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER)
        .proxy(ProxySelector.getDefault())
        .build();
  }

  /**
   * One attempt: waits for the channel's turn, posts the payload, and classifies the answer.
   *
   * @throws InterruptedException when interrupted while waiting; nothing was sent, or what was sent
   *     is unknown, as with any lost answer
   */
  public DeliveryOutcome deliver(Notification notification, Payload payload)
      throws InterruptedException {
    URI uri = notification.uri();
    String webhook = notification.url().value();
    pacer.awaitTurn(webhook);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", payload.contentType())
            .header("User-Agent", USER_AGENT)
            .POST(HttpRequest.BodyPublishers.ofByteArray(payload.body()));
    if (notification.type() == Type.WEBHOOK) {
      long timestamp = clock.instant().getEpochSecond();
      request.header(Signature.TIMESTAMP_HEADER, Long.toString(timestamp));
      if (notification.secret() != null) {
        request.header(
            Signature.SIGNATURE_HEADER,
            Signature.sign(notification.secret().value(), timestamp, payload.body()));
      }
    }
    HttpResponse<InputStream> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      // Lost on the way: nothing known was delivered, and most of these pass (a timeout, a reset).
      return new DeliveryOutcome.RetryLater(null, 0, describe(e));
    }
    int status = response.statusCode();
    String body = body(response);
    if (status >= 200 && status < 300) {
      return new DeliveryOutcome.Delivered(status);
    }
    String reason = "HTTP " + status + (body.isEmpty() ? "" : ": " + body);
    if (status == 429 || status == 408 || status >= 500) {
      Duration retryAfter =
          response.headers().firstValue("Retry-After").map(this::retryAfter).orElse(null);
      if (retryAfter != null) {
        pacer.holdUntil(webhook, clock.instant().plus(retryAfter));
      }
      return new DeliveryOutcome.RetryLater(retryAfter, status, reason);
    }
    if (status >= 300 && status < 400) {
      return new DeliveryOutcome.Failed(
          status, reason + " (a redirect, not followed: check the URL)");
    }
    return new DeliveryOutcome.Failed(status, reason);
  }

  /** The start of the answer's body, on one line; never more than {@link #BODY_SHOWN} chars. */
  private static String body(HttpResponse<InputStream> response) {
    try (InputStream in = response.body()) {
      byte[] start = in.readNBytes(BODY_SHOWN * 4);
      return Text.value(new String(start, StandardCharsets.UTF_8), BODY_SHOWN, Text::plain);
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * {@code Retry-After} as seconds ({@code 30}) or as an HTTP date; null when it is neither. A date
   * in the past means now.
   */
  @Nullable Duration retryAfter(String value) {
    String text = value.strip();
    if (text.matches("\\d{1,9}")) {
      return Duration.ofSeconds(Long.parseLong(text));
    }
    try {
      Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(clock.instant(), at);
      return wait.isNegative() ? Duration.ZERO : wait;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * A failed connection in words. Exception messages are not repeated: some name the host or the
   * address, and a webhook's address is its credential.
   */
  static String describe(IOException e) {
    if (e instanceof HttpConnectTimeoutException) {
      return "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s";
    }
    if (e instanceof HttpTimeoutException) {
      return "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s";
    }
    if (e instanceof ConnectException) {
      return "connection refused or unreachable";
    }
    if (e instanceof UnknownHostException || e.getCause() instanceof UnknownHostException) {
      return "host not found";
    }
    if (e instanceof SSLException) {
      return "TLS failed (" + e.getClass().getSimpleName() + ")";
    }
    return "connection failed (" + e.getClass().getSimpleName() + ")";
  }
}
