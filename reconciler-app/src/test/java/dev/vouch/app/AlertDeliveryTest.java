package dev.vouch.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.vouch.core.json.Json;
import dev.vouch.core.run.RunControl;
import dev.vouch.core.run.RunListener;
import dev.vouch.core.store.Store;
import dev.vouch.testkit.MutableClock;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Chat alerts from {@code vouch run} on the bundled demo, to a signed webhook on this machine: one
 * digest naming every unauthorized change, nothing new on a second run, a receiver that was down
 * gets the digest on the next run, and a run whose process died before its alerts were planned is
 * announced by the next one, once.
 */
class AlertDeliveryTest {
  private static final String SECRET = "test-hmac-key-not-a-real-one";

  @TempDir Path work;
  private Path config;
  private final MutableClock clock = MutableClock.at("2026-11-26T12:00:00Z");
  private int port;
  private HttpServer receiver;

  /** A request the receiver took, with what its signature check said. */
  private record Received(String body, boolean signatureValid, long timestamp) {}

  private final List<Received> received = new ArrayList<>();

  @BeforeEach
  void demoWithAWebhook() throws IOException {
    config = DemoRunTest.copyDemo(work);
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Path secret = work.resolve("hook-secret");
    Files.writeString(secret, SECRET);
    Files.writeString(
        config,
        "\nnotifications:\n  - type: webhook\n    name: audit-hook\n    url: http://127.0.0.1:"
            + port
            + "/hook\n    secret: file:"
            + secret
            + "\n",
        StandardOpenOption.APPEND);
  }

  @AfterEach
  void stopReceiver() {
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  private void startReceiver() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    receiver.createContext(
        "/hook",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          String timestamp = exchange.getRequestHeaders().getFirst("X-Vouch-Timestamp");
          String signature = exchange.getRequestHeaders().getFirst("X-Vouch-Signature");
          boolean valid = signature != null && signature.equals(sign(timestamp, body));
          synchronized (received) {
            received.add(
                new Received(
                    new String(body, StandardCharsets.UTF_8), valid, Long.parseLong(timestamp)));
          }
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
  }

  /** HMAC-SHA256 over "<timestamp>.<body>", computed here independently of Vouch's code. */
  private static String sign(String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private record Result(int exitCode, String out, String err) {}

  private Result runDemo() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = VouchCli.commandLine(clock);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code =
        cli.execute(
            "run",
            "--config",
            config.toString(),
            "--from",
            "2026-11-16",
            "--to",
            "2026-11-23",
            "--out",
            work.resolve("out").toString(),
            "--quiet");
    return new Result(code, out.toString(), err.toString());
  }

  private Set<String> unauthorizedInFindingsJson() throws IOException {
    Set<String> keys = new TreeSet<>();
    for (JsonNode finding : Json.mapper().readTree(work.resolve("out/findings.json").toFile())) {
      if (finding.get("verdict").asText().equals("UNAUTHORIZED")) {
        keys.add(finding.get("eventKey").asText());
      }
    }
    return keys;
  }

  private static Set<String> unauthorizedIn(JsonNode digest) {
    Set<String> keys = new TreeSet<>();
    for (JsonNode finding : digest.get("findings")) {
      if (finding.get("verdict").asText().equals("UNAUTHORIZED")) {
        keys.add(finding.get("eventKey").asText());
      }
    }
    return keys;
  }

  @Test
  void oneSignedDigestNamesEveryUnauthorizedChangeAndASecondRunSendsNothingNew() throws Exception {
    startReceiver();

    Result first = runDemo();

    assertThat(first.exitCode()).as(first.err()).isEqualTo(ExitCodes.FINDINGS);
    assertThat(first.out()).contains("Alerts: 1 message(s) planned, 1 delivered, 0 waiting");
    assertThat(received).hasSize(1);
    Received digest = received.get(0);
    assertThat(digest.signatureValid()).as("HMAC checked by the receiver").isTrue();
    assertThat(digest.timestamp()).isEqualTo(clock.instant().getEpochSecond());
    JsonNode body = Json.mapper().readTree(digest.body());
    assertThat(body.get("id").asText()).isEqualTo("run-1:audit-hook");
    Set<String> unauthorized = unauthorizedInFindingsJson();
    assertThat(unauthorized).isNotEmpty();
    assertThat(unauthorizedIn(body)).isEqualTo(unauthorized);
    assertThat(body.get("counts").get("UNAUTHORIZED").asLong()).isEqualTo(unauthorized.size());
    assertThat(digest.body()).doesNotContain(String.valueOf(port)).doesNotContain(SECRET);

    clock.advance(Duration.ofHours(1));
    Result second = runDemo();

    assertThat(second.exitCode()).isEqualTo(ExitCodes.FINDINGS);
    assertThat(received).as("every finding was heard already").hasSize(1);
    assertThat(second.out()).doesNotContain("Alerts: 1 message(s) planned");
  }

  @Test
  void aReceiverThatWasDownGetsTheDigestOnTheNextRunOnce() throws Exception {
    Result first = runDemo(); // nothing listens on the port

    assertThat(first.exitCode()).isEqualTo(ExitCodes.FINDINGS);
    assertThat(first.out()).contains("Alerts: 1 message(s) planned, 0 delivered, 1 waiting");
    assertThat(first.err()).contains("warning: alert audit-hook:").doesNotContain("127.0.0.1");

    startReceiver();
    clock.advance(Duration.ofHours(1));
    Result second = runDemo();

    assertThat(second.out()).contains("0 message(s) planned, 1 delivered, 0 waiting");
    assertThat(received).hasSize(1);
    JsonNode body = Json.mapper().readTree(received.get(0).body());
    assertThat(body.get("id").asText()).as("the first run's digest").isEqualTo("run-1:audit-hook");
    assertThat(unauthorizedIn(body)).isEqualTo(unauthorizedInFindingsJson());
  }

  @Test
  void aRunWhoseProcessDiedBeforeItsAlertsIsAnnouncedByTheNextRunOnce() throws Exception {
    startReceiver();
    // A run that finished, but whose process died before it planned its alerts.
    Workspace workspace = Workspace.load(config, clock);
    try (Store store = workspace.openStore()) {
      Review review = new Review(workspace, store, clock);
      review.reconcile(
          review.decide(
              Instant.parse("2026-11-16T00:00:00Z"), Instant.parse("2026-11-23T00:00:00Z"), null),
          new RunListener() {},
          new RunControl());
    }
    assertThat(received).isEmpty();

    clock.advance(Duration.ofMinutes(10));
    Result next = runDemo();

    assertThat(next.out()).contains("Alerts: 1 message(s) planned, 1 delivered, 0 waiting");
    assertThat(received).hasSize(1);
    JsonNode body = Json.mapper().readTree(received.get(0).body());
    assertThat(body.get("id").asText()).isEqualTo("run-1:audit-hook");
    assertThat(unauthorizedIn(body)).isEqualTo(unauthorizedInFindingsJson());
  }
}
