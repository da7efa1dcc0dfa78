package dev.vouch.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * An exec session is one change in the store and in the findings whichever of its two audit records
 * (as it opened, ResponseStarted; as it ended, ResponseComplete) Vouch reads, in whatever order, in
 * one run or two, from one source or two: never two changes, never conflicting evidence.
 */
class KubernetesSessionEndToEndTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
  private static final String AUDIT_ID = "ca1ed9f4-7bf4-4c85-81a8-1b11253d1ba6";

  @TempDir Path dir;
  private Path config;

  @BeforeEach
  void configure() throws IOException {
    Files.writeString(
        dir.resolve("changes.csv"),
        "id,title,type,state,systems,window_start,window_end,implementer,approved_by,approved_at\n"
            + "CHG0003002,Debug nginx,normal,approved,shop-k8s,2026-11-20T13:00:00Z,"
            + "2026-11-20T14:00:00Z,mina,priya,2026-11-19T10:00:00Z\n");
    Files.createDirectories(dir.resolve("files"));
    configure("");
  }

  /** Writes the configuration: the source {@code shop-files}, then {@code more} sources. */
  private void configure(String more) throws IOException {
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
          - type: kubernetes-audit
            name: shop-files
            cluster: minikube
            path: ./files
        %s
        records:
          - {type: file, name: change-log, path: ./changes.csv}
        """
            .formatted(more));
  }

  /**
   * falco's exec into a pod (Apache-2.0) as the session opened, re-dated to 2026-11-20 13:10, in
   * CHG0003002's window: the API server's ResponseStarted record, code 101.
   */
  private static ObjectNode opened() throws IOException {
    try (InputStream in =
        KubernetesSessionEndToEndTest.class.getResourceAsStream("/falco/exec_pod.json")) {
      ObjectNode event = (ObjectNode) Json.mapper().readTree(in);
      event.put("requestReceivedTimestamp", "2026-11-20T13:10:00.867116Z");
      event.put("stageTimestamp", "2026-11-20T13:10:00.902914Z");
      return event;
    }
  }

  /** The same session's ResponseComplete record, written when it ended 25 minutes later. */
  private static ObjectNode ended() throws IOException {
    ObjectNode event = opened();
    event.put("stage", "ResponseComplete");
    event.put("stageTimestamp", "2026-11-20T13:35:07.114002Z");
    return event;
  }

  private void append(String folder, ObjectNode... events) throws IOException {
    StringBuilder lines = new StringBuilder();
    for (ObjectNode event : events) {
      lines.append(Json.mapper().writeValueAsString(event)).append('\n');
    }
    Files.writeString(
        dir.resolve(folder).resolve("audit.log"),
        lines,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  private JsonNode run(String out) throws IOException {
    CommandLine cli = VouchCli.commandLine(CLOCK);
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));
    int code =
        cli.execute(
            "run",
            "--config",
            config.toString(),
            "--from",
            "2026-11-20T00:00:00Z",
            "--to",
            "2026-11-21T00:00:00Z",
            "--out",
            dir.resolve(out).toString(),
            "--quiet");
    assertThat(code).as(err.toString()).isEqualTo(ExitCodes.OK);
    return Json.mapper().readTree(dir.resolve(out).resolve("run.json").toFile());
  }

  /** The run's findings, each as {@code verdict eventId occurredAt}. */
  private List<String> findings(String out) throws IOException {
    List<String> findings = new ArrayList<>();
    for (JsonNode finding :
        Json.mapper().readTree(dir.resolve(out).resolve("findings.json").toFile())) {
      findings.add(
          finding.get("verdict").asText()
              + " "
              + finding.get("eventId").asText()
              + " "
              + finding.get("occurredAt").asText());
    }
    return findings;
  }

  private static String authorizedSession() {
    return "AUTHORIZED minikube:" + AUDIT_ID + ":";
  }

  @Test
  void aSessionSeenOnlyAsItOpenedIsAChange() throws IOException {
    append("files", opened());

    JsonNode run = run("out");

    assertThat(run.get("newEvents").asLong()).isEqualTo(1);
    assertThat(findings("out"))
        .singleElement()
        .satisfies(
            f ->
                assertThat(f)
                    .startsWith(authorizedSession())
                    .endsWith("2026-11-20T13:10:00.867116Z"));
  }

  @Test
  void aSessionWhoseEndIsLoggedAfterTheFirstRunStaysOneChangeWithoutConflict() throws IOException {
    append("files", opened());
    run("out1");
    append("files", ended());

    JsonNode second = run("out2");

    assertThat(second.get("newEvents").asLong()).isZero();
    assertThat(second.get("verdicts").path("CONFLICTING_EVIDENCE").asLong()).isZero();
    assertThat(findings("out2"))
        .singleElement()
        .satisfies(f -> assertThat(f).startsWith(authorizedSession()));
  }

  @Test
  void aSessionLoggedAtBothStagesByTwoSourcesInOppositeOrderIsOneChange() throws IOException {
    // Another source of the same cluster, such as the webhook beside the log files.
    Files.createDirectories(dir.resolve("copy"));
    configure(
        """
          - type: kubernetes-audit
            name: shop-copy
            cluster: minikube
            path: ./copy
        """);
    append("files", ended(), opened());
    append("copy", opened(), ended());

    JsonNode run = run("out");

    assertThat(run.get("newEvents").asLong()).isEqualTo(1);
    assertThat(run.get("verdicts").path("CONFLICTING_EVIDENCE").asLong()).isZero();
    assertThat(findings("out"))
        .singleElement()
        .satisfies(f -> assertThat(f).startsWith(authorizedSession()));
  }

  @Test
  void aSessionSeenOnlyAsItEndedIsTheSameChange() throws IOException {
    append("files", ended());

    run("out");

    assertThat(findings("out"))
        .singleElement()
        .satisfies(
            f ->
                assertThat(f)
                    .startsWith(authorizedSession())
                    .endsWith("2026-11-20T13:10:00.867116Z"));
  }
}
