package dev.vouch.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.core.json.Json;
import dev.vouch.core.spi.PushEndpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The Kubernetes audit webhook end to end: a real HTTP client posts EventLists to the server that
 * {@code vouch receive} runs, and {@code vouch run} then reconciles what the spool holds.
 */
class KubernetesWebhookEndToEndTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
  private static final String TOKEN = "s3cret-audit-token";

  @TempDir Path dir;
  private Path config;
  private PushServer server;
  private URI url;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void startReceiver() throws Exception {
    Files.writeString(dir.resolve("token.txt"), TOKEN + "\n");
    Files.writeString(
        dir.resolve("changes.csv"),
        "id,title,type,state,systems,window_start,window_end,implementer,approved_by,approved_at\n"
            + "CHG0003001,Deploy nginx,normal,approved,shop-k8s,2026-11-20T13:00:00Z,"
            + "2026-11-20T14:00:00Z,mina,priya,2026-11-19T10:00:00Z\n");
    config = dir.resolve("vouch.yaml");
    Files.writeString(
        config,
        """
        store: {path: ./vouch.db}
        systems:
          - name: shop-k8s
            kubernetes: {clusters: [minikube]}
        identities:
          - person: mina
            aliases: [minikube-user]
        sources:
          - type: kubernetes-webhook
            name: shop-webhook
            cluster: minikube
            spool: ./spool
            listen: 127.0.0.1:0
            token: file:token.txt
            maxBody: 64KB
        records:
          - {type: file, name: change-log, path: ./changes.csv}
        """);
    Workspace workspace = Workspace.load(config, CLOCK);
    List<PushEndpoint> endpoints =
        workspace.sources().changes().stream()
            .filter(PushEndpoint.class::isInstance)
            .map(PushEndpoint.class::cast)
            .toList();
    server = PushServer.start(endpoints);
    url = server.bindings().get(0).url();
  }

  @AfterEach
  void stopReceiver() {
    server.close();
  }

  private HttpResponse<String> post(String token, byte[] body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** An EventList of real falco sample events (Apache-2.0), re-dated into 2026-11-20 13:xx. */
  private static byte[] eventList() throws IOException {
    ObjectNode list = Json.mapper().createObjectNode();
    list.put("kind", "EventList");
    list.put("apiVersion", "audit.k8s.io/v1");
    ArrayNode items = list.putArray("items");
    int minute = 5;
    for (String name : List.of("create_deployment", "create_service", "create_configmap")) {
      try (var in =
          KubernetesWebhookEndToEndTest.class.getResourceAsStream("/falco/" + name + ".json")) {
        ObjectNode event = (ObjectNode) Json.mapper().readTree(in);
        String time = "2026-11-20T13:%02d:00.000000Z".formatted(minute++);
        event.put("requestReceivedTimestamp", time);
        event.put("stageTimestamp", time);
        items.add(event);
      }
    }
    return Json.mapper().writeValueAsBytes(list);
  }

  private int vouchRun(Path out) {
    return vouchRun(out, "2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z");
  }

  private int vouchRun(Path out, String from, String to) {
    CommandLine cli = VouchCli.commandLine(CLOCK);
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(new StringWriter(), true));
    return cli.execute(
        "run",
        "--config",
        config.toString(),
        "--from",
        from,
        "--to",
        to,
        "--out",
        out.toString(),
        "--quiet");
  }

  private long spoolLines() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("spool"))) {
      long lines = 0;
      for (Path file : files.toList()) {
        lines += Files.readAllLines(file, StandardCharsets.UTF_8).size();
      }
      return lines;
    }
  }

  @Test
  void anAcknowledgedEventOlderThanTheNextWindowIsMatchedAsLateByTheRunThatFirstSeesIt()
      throws Exception {
    assertThat(post(TOKEN, eventList()).statusCode()).isEqualTo(200);
    assertThat(vouchRun(dir.resolve("out1"))).isEqualTo(ExitCodes.OK);

    // A batch the API server held back: one event of the next day and one of the day before the
    // first run's window, both acknowledged with 200.
    ObjectNode batch = (ObjectNode) Json.mapper().readTree(eventList());
    ArrayNode items = (ArrayNode) batch.get("items");
    items.remove(2);
    ((ObjectNode) items.get(0)).put("auditID", "b1b1b1b1-0000-4000-8000-000000000001");
    ((ObjectNode) items.get(0)).put("requestReceivedTimestamp", "2026-11-21T09:00:00.000000Z");
    ((ObjectNode) items.get(0)).put("stageTimestamp", "2026-11-21T09:00:00.000000Z");
    ((ObjectNode) items.get(1)).put("auditID", "b1b1b1b1-0000-4000-8000-000000000002");
    ((ObjectNode) items.get(1)).put("requestReceivedTimestamp", "2026-11-19T09:00:00.000000Z");
    ((ObjectNode) items.get(1)).put("stageTimestamp", "2026-11-19T09:00:00.000000Z");
    assertThat(post(TOKEN, Json.mapper().writeValueAsBytes(batch)).statusCode()).isEqualTo(200);

    assertThat(vouchRun(dir.resolve("out2"), "2026-11-21T00:00:00Z", "2026-11-22T00:00:00Z"))
        .isEqualTo(ExitCodes.FINDINGS);

    JsonNode run = Json.mapper().readTree(dir.resolve("out2/run.json").toFile());
    assertThat(run.get("status").asText()).isEqualTo("COMPLETE");
    assertThat(run.get("lateEvents").toString()).isEqualTo("{\"2026-11-19\":1}");
    JsonNode findings = Json.mapper().readTree(dir.resolve("out2/findings.json").toFile());
    assertThat(findings).hasSize(2);
    JsonNode late = null;
    for (JsonNode finding : findings) {
      if (finding.get("occurredAt").asText().startsWith("2026-11-19")) {
        late = finding;
      }
    }
    assertThat(late).isNotNull();
    assertThat(late.get("eventId").asText()).contains("b1b1b1b1-0000-4000-8000-000000000002");
    assertThat(late.get("reasons").get("evidence").toString()).contains("delivered late");
  }

  @Test
  void batchesPostedTwiceAreStoredOnceAndReconciled() throws Exception {
    byte[] batch = eventList();

    HttpResponse<String> first = post(TOKEN, batch);
    HttpResponse<String> again = post(TOKEN, batch);

    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(Json.mapper().readTree(first.body()).get("items").asLong()).isEqualTo(3);
    assertThat(spoolLines()).isEqualTo(6);

    assertThat(vouchRun(dir.resolve("out"))).isEqualTo(ExitCodes.OK);
    JsonNode run = Json.mapper().readTree(dir.resolve("out/run.json").toFile());
    assertThat(run.get("newEvents").asLong()).isEqualTo(3);
    JsonNode findings = Json.mapper().readTree(dir.resolve("out/findings.json").toFile());
    assertThat(findings).hasSize(3);
    assertThat(findings)
        .allSatisfy(
            f -> {
              assertThat(f.get("verdict").asText()).isEqualTo("AUTHORIZED");
              assertThat(f.get("recordId").asText()).isEqualTo("CHG0003001");
              assertThat(f.get("system").asText()).isEqualTo("shop-k8s");
            });

    // The same batch once more, then another run: nothing new is stored.
    assertThat(post(TOKEN, batch).statusCode()).isEqualTo(200);
    assertThat(vouchRun(dir.resolve("out2"))).isEqualTo(ExitCodes.OK);
    JsonNode run2 = Json.mapper().readTree(dir.resolve("out2/run.json").toFile());
    assertThat(run2.get("newEvents").asLong()).isZero();
  }

  @Test
  void aBatchWithAnItemThatIsNotAnAuditEventStoresTheOthersAndTheRunReportsIt() throws Exception {
    ObjectNode batch = (ObjectNode) Json.mapper().readTree(eventList());
    ((ArrayNode) batch.get("items"))
        .insert(1, Json.mapper().readTree("{\"kind\":\"Event\",\"apiVersion\":\"v1\"}"));

    HttpResponse<String> response = post(TOKEN, Json.mapper().writeValueAsBytes(batch));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode answer = Json.mapper().readTree(response.body());
    assertThat(answer.get("items").asLong()).isEqualTo(3);
    assertThat(answer.get("message").asText())
        .startsWith("stored 3 item(s); kept 1 item(s) that are not audit events")
        .contains("item 2 of 4: kind Event with apiVersion 'v1' is a cluster event");
    assertThat(spoolLines()).isEqualTo(4);

    // The kept item may have been a change: it is a finding someone must look at.
    assertThat(vouchRun(dir.resolve("out"))).isEqualTo(ExitCodes.FINDINGS);
    JsonNode run = Json.mapper().readTree(dir.resolve("out/run.json").toFile());
    assertThat(run.get("newEvents").asLong()).isEqualTo(3);
    assertThat(run.get("rejectedInputs").asLong()).isEqualTo(1);
    assertThat(run.get("verdicts").get("UNREADABLE").asLong()).isEqualTo(1);
    JsonNode problem = run.get("problems").get(0);
    assertThat(problem.get("location").asText())
        .isEqualTo(dir.resolve("spool/spool-20261126.log").toAbsolutePath().normalize() + ":2");
    assertThat(problem.get("message").asText())
        .startsWith("item 2 of 4 of an EventList pushed to the webhook at 2026-11-26T12:00:00Z");
  }

  @Test
  void refusedRequestsStoreNothing() throws Exception {
    byte[] batch = eventList();
    byte[] tooLarge = new byte[70 * 1024];
    java.util.Arrays.fill(tooLarge, (byte) ' ');

    assertThat(post("wrong-token", batch).statusCode()).isEqualTo(401);
    assertThat(post(null, batch).statusCode()).isEqualTo(401);
    assertThat(post(TOKEN, tooLarge).statusCode()).isEqualTo(413);
    HttpResponse<String> malformed =
        post(TOKEN, "{\"kind\":\"EventList\",\"items\":[".getBytes(StandardCharsets.UTF_8));
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(Json.mapper().readTree(malformed.body()).get("message").asText()).isNotBlank();
    HttpResponse<String> notAList =
        post(TOKEN, "{\"kind\":\"PodList\",\"items\":[]}".getBytes(StandardCharsets.UTF_8));
    assertThat(notAList.statusCode()).isEqualTo(400);

    assertThat(Files.exists(dir.resolve("spool")) ? spoolLines() : 0).isZero();
  }
}
