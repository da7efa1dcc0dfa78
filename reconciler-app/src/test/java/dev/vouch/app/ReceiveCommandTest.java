package dev.vouch.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.app.PushServerTest.RecordingEndpoint;
import dev.vouch.core.spi.ChangeSource;
import dev.vouch.core.spi.PushEndpoint.PushSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vouch receive}: finding the push endpoints among the sources, serving and stopping. */
@Timeout(10)
class ReceiveCommandTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);

  @TempDir Path work;

  record Result(int exitCode, String out, String err) {}

  private static Result vouch(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = VouchCli.commandLine(CLOCK);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void aConfigurationWithoutASourceThatCanReceiveIsAConfigurationError() throws IOException {
    Files.createDirectories(work.resolve("cloudtrail"));
    Files.writeString(
        work.resolve("changes.csv"),
        Files.readString(Path.of("..", "config", "demo", "changes.csv")));
    Path config =
        Files.writeString(
            work.resolve("vouch.yaml"),
            String.join(
                "\n",
                "sources:",
                "  - type: cloudtrail",
                "    name: org-trail",
                "    path: ./cloudtrail",
                "records:",
                "  - type: file",
                "    name: change-log",
                "    path: ./changes.csv",
                ""));

    Result result = vouch("receive", "--config", config.toString());

    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.CONFIG);
    assertThat(result.err())
        .contains("no configured change source can receive pushes")
        .contains("kubernetes-webhook")
        .contains("org-trail (cloudtrail)");
  }

  @Test
  void plainHttpOnANetworkAddressIsAConfigurationProblemListedWithItsPath() throws IOException {
    Files.writeString(work.resolve("token.txt"), "s3cret\n");
    Files.writeString(
        work.resolve("changes.csv"),
        Files.readString(Path.of("..", "config", "demo", "changes.csv")));
    String config =
        String.join(
            "\n",
            "sources:",
            "  - type: kubernetes-webhook",
            "    name: prod-eu-webhook",
            "    cluster: prod-eu",
            "    spool: ./spool",
            "    listen: 0.0.0.0:0",
            "    token: file:token.txt",
            "records:",
            "  - type: file",
            "    name: change-log",
            "    path: ./changes.csv",
            "");
    Path refused = Files.writeString(work.resolve("vouch.yaml"), config);
    Path allowed =
        Files.writeString(
            work.resolve("allowed.yaml"),
            config.replace(
                "    listen: 0.0.0.0:0\n", "    listen: 0.0.0.0:0\n    allowPlainHttp: true\n"));

    Result receive = vouch("receive", "--config", refused.toString());
    Result check = vouch("config", "check", "--config", refused.toString());
    Result checkAllowed = vouch("config", "check", "--config", allowed.toString());

    assertThat(receive.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(receive.err())
        .contains(
            "  sources[0] (prod-eu-webhook).listen: plain HTTP on 0.0.0.0:0, which is not a loopback address, would"
                + " send the bearer token and the audit events across the network in clear text");
    assertThat(check.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(check.out() + check.err())
        .contains("sources[0] (prod-eu-webhook).listen: plain HTTP on 0.0.0.0:0");
    assertThat(checkAllowed.exitCode()).as(checkAllowed.err()).isZero();
  }

  @Test
  void aBrokenConfigurationIsReportedLikeEveryOtherCommand() throws IOException {
    Path config = Files.writeString(work.resolve("vouch.yaml"), "sources: 3\n");

    Result result = vouch("receive", "--config", config.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(result.err()).contains("problem(s)");
  }

  @Test
  void theCommandIsRegisteredAndDocumentsItsExitCodes() {
    Result help = vouch("receive", "--help");
    Result missing = vouch("receive");

    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("--config").contains("Exit codes:").contains("78");
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void servesEachEndpointPrintsWhereAndStopsCleanly() throws Exception {
    RecordingEndpoint endpoint = RecordingEndpoint.plain("/audit/prod-eu", 1024);
    ReceiveCommand command = new ReceiveCommand(CLOCK);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () ->
                command.serve(
                    List.of(endpoint), new PrintWriter(out, true), new PrintWriter(err, true)));
    PushServer server = command.awaitStarted(Duration.ofSeconds(5));
    assertThat(server).as(err.toString()).isNotNull();
    int port = server.port(PushServerTest.LISTEN);

    HttpResponse<String> response =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/audit/prod-eu"))
                    .header("Authorization", "Bearer " + PushServerTest.TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(PushServerTest.EVENT_LIST))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    command.stop();

    assertThat(exit.get(5, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(endpoint.bodies).singleElement().isEqualTo(PushServerTest.EVENT_LIST);
    assertThat(out.toString())
        .contains(
            "listening on http://127.0.0.1:"
                + port
                + "/audit/prod-eu for source webhook-audit-prod-eu")
        .contains("stopped");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void onlyTheSourcesThatArePushEndpointsAreServed() throws Exception {
    ChangeSource pullOnly = new PullOnlySource();
    RecordingEndpoint endpoint = RecordingEndpoint.plain("/audit", 1024);
    ReceiveCommand command = new ReceiveCommand(CLOCK);
    StringWriter out = new StringWriter();
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () ->
                command.serve(
                    List.of(pullOnly, endpoint),
                    new PrintWriter(out, true),
                    new PrintWriter(new StringWriter(), true)));
    PushServer server = command.awaitStarted(Duration.ofSeconds(5));
    command.stop();

    assertThat(exit.get(5, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
    assertThat(server).isNotNull();
    assertThat(server.bindings()).singleElement().extracting(b -> b.endpoint()).isSameAs(endpoint);
    assertThat(out.toString()).doesNotContain("pull-only");
  }

  @Test
  void conflictingListenerSettingsAreAConfigurationError() {
    RecordingEndpoint a = RecordingEndpoint.plain("/audit", 1024);
    RecordingEndpoint b = RecordingEndpoint.plain("/audit", 1024);
    StringWriter err = new StringWriter();

    int code =
        new ReceiveCommand(CLOCK)
            .serve(
                List.of(a, b),
                new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true));

    assertThat(code).isEqualTo(ExitCodes.CONFIG);
    assertThat(err.toString()).contains("both answer on");
  }

  @Test
  void aListenAddressInUseExitsWithTheInternalErrorCode() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      String listen = "127.0.0.1:" + taken.getLocalPort();
      RecordingEndpoint endpoint =
          new RecordingEndpoint(
              "busy",
              "/audit",
              new PushSettings(
                  listen,
                  PushServerTest.token(PushServerTest.TOKEN),
                  1024,
                  null,
                  Optional.empty(),
                  null));
      StringWriter err = new StringWriter();

      int code =
          new ReceiveCommand(CLOCK)
              .serve(
                  List.of(endpoint),
                  new PrintWriter(new StringWriter(), true),
                  new PrintWriter(err, true));

      assertThat(code).isEqualTo(ExitCodes.INTERNAL);
      assertThat(err.toString()).contains("cannot listen on " + listen).contains("'busy'");
    }
  }

  /** A change source that can only be pulled from. */
  private static final class PullOnlySource implements ChangeSource {
    @Override
    public String name() {
      return "pull-only";
    }

    @Override
    public String type() {
      return "cloudtrail";
    }

    @Override
    public String platform() {
      return "aws";
    }

    @Override
    public dev.vouch.core.spi.PullResult pull(
        dev.vouch.core.spi.PullRequest request, dev.vouch.core.spi.ObservationSink sink)
        throws dev.vouch.core.spi.SourceException {
      throw new dev.vouch.core.spi.SourceException("not used");
    }
  }
}
