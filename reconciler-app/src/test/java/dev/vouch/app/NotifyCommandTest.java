package dev.vouch.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.app.notify.FakeChannel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vouch notify test} against local channels: what each received and what it answered. */
class NotifyCommandTest {
  @TempDir Path dir;
  private FakeChannel slack;
  private FakeChannel hook;
  private Path config;

  record Result(int exitCode, String out, String err) {}

  @BeforeEach
  void setUp() throws IOException {
    slack = FakeChannel.start();
    hook = FakeChannel.start();
    Files.writeString(dir.resolve("hmac"), "test-key\n");
    config = dir.resolve("vouch.yaml");
    Files.writeString(
        config,
        """
        systems:
          - {name: payments, aws: {accounts: ["111122223333"]}}
        sources:
          - {type: cloudtrail, name: trail, path: ./trail}
        records:
          - {type: file, name: log, path: ./changes.csv}
        server:
          publicUrl: https://vouch.example.com/reports/
        notifications:
          - {type: slack, name: security, url: "%s"}
          - {type: webhook, name: soar, url: "%s", secret: file:hmac}
        """
            .formatted(slack.url("/services/T0/B0/SECRETPART"), hook.url("/vouch")));
  }

  @AfterEach
  void tearDown() {
    slack.close();
    hook.close();
  }

  private static Result vouch(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = VouchCli.commandLine(Clock.systemUTC());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void sendsAMarkedExampleToEveryChannelAndPrintsWhatEachAnswered() throws Exception {
    hook.respond(r -> FakeChannel.Answer.of(202, ""));

    Result result = vouch("notify", "test", "--config", config.toString());

    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
    assertThat(result.out())
        .isEqualTo(
            "security (slack): delivered (HTTP 200)\n"
                + "soar (webhook): delivered (HTTP 202, accepted: the channel processes it"
                + " afterwards)\n");
    assertThat(result.out() + result.err()).doesNotContain("SECRETPART", "127.0.0.1", "test-key");

    JsonNode message = slack.requests().get(0).json();
    assertThat(message.at("/blocks/0/text/text").asText())
        .isEqualTo("Vouch test message: the findings below are examples, not real");
    JsonNode blocks = message.get("blocks");
    assertThat(blocks.get(blocks.size() - 1).at("/text/text").asText())
        .isEqualTo("<https://vouch.example.com/reports/|Open Vouch>");

    FakeChannel.Request signed = hook.requests().get(0);
    JsonNode document = signed.json();
    assertThat(document.get("sample").asBoolean()).isTrue();
    assertThat(document.get("id").asText()).isEqualTo("sample:soar");
    assertThat(document.get("findings")).hasSize(2);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec("test-key".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update((signed.header("X-Vouch-Timestamp") + ".").getBytes(StandardCharsets.US_ASCII));
    assertThat(signed.header("X-Vouch-Signature"))
        .isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(signed.body())));
  }

  @Test
  void sendsOnlyToTheNamedChannelAndFailsWhenItRefuses() {
    hook.respond(r -> FakeChannel.Answer.of(410, "gone"));

    Result result = vouch("notify", "test", "--config", config.toString(), "--name", "soar");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(result.out()).isEqualTo("soar (webhook): failed: HTTP 410: gone\n");
    assertThat(slack.requests()).isEmpty();
  }

  @Test
  void anUnknownNameIsAUsageErrorThatListsTheChannels() {
    Result result = vouch("notify", "test", "--config", config.toString(), "--name", "secu");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err())
        .isEqualTo("error: no notification is named 'secu'; configured: security, soar\n");
    assertThat(slack.requests()).isEmpty();
    assertThat(hook.requests()).isEmpty();
  }

  @Test
  void aConfigurationWithoutNotificationsSaysWhatToAdd() throws IOException {
    Files.writeString(
        config,
        """
        sources:
          - {type: cloudtrail, name: trail, path: ./trail}
        records:
          - {type: file, name: log, path: ./changes.csv}
        """);

    Result result = vouch("notify", "test", "--config", config.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(result.err()).contains("configures no notifications");
  }
}
