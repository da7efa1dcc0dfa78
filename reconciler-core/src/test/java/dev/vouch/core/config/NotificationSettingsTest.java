package dev.vouch.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.core.config.NotificationSettings.Notification;
import dev.vouch.core.config.NotificationSettings.RiskLevel;
import dev.vouch.core.config.NotificationSettings.Route;
import dev.vouch.core.config.NotificationSettings.Type;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.spi.ConfigProblem;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotificationSettingsTest {
  private static final String SLACK_URL = "https://hooks.slack.com/services/T000/B000/XXXXSECRET";

  @TempDir Path dir;

  private static final String BASE =
      """
      systems:
        - name: payments-prod
          aws: {accounts: ["111111111111"]}
        - name: shop
          kubernetes: {clusters: [prod-eu]}
      sources:
        - {type: cloudtrail, name: trail, path: ./logs}
      records:
        - {type: file, name: log, path: ./changes.csv}
      """;

  private ConfigLoader.Result load(String yaml) throws IOException {
    Path file = dir.resolve("vouch.yaml");
    Files.writeString(file, BASE + yaml);
    return new ConfigLoader(
            Map.of("SLACK_URL", SLACK_URL, "PLAIN", "http://hooks.example.com/x", "BAD", "::")::get)
        .load(file);
  }

  private static List<String> problems(ConfigLoader.Result result) {
    return result.named(result.problems()).stream()
        .map(p -> p.path() + ": " + p.message())
        .toList();
  }

  @Test
  void readsEveryKindOfChannelWithRoutesAndSecrets() throws IOException {
    Files.writeString(
        dir.resolve("teams-url"), "https://prod.logic.azure.com/workflows/1?sig=abc\n");
    Files.writeString(dir.resolve("hmac"), "k3y-material\n");
    ConfigLoader.Result result =
        load(
            """
            notifications:
              - type: slack
                name: security
                url: env:SLACK_URL
              - type: teams
                name: ops
                url: file:teams-url
                when:
                  verdicts: [unauthorized, self-approved]
                  systems: [payments-prod]
                  risk: [iam, logging]
                  minRisk: high
                  incomplete: false
              - type: googlechat
                name: chat
                url: http://127.0.0.1:9999/v1/spaces/x/messages
              - type: webhook
                name: soar
                url: http://localhost:8081/hook
                secret: file:hmac
            server:
              publicUrl: https://vouch.example.com/reports/
            """);

    assertThat(problems(result)).isEmpty();
    List<Notification> all = result.config().notifications().notifications();
    assertThat(all)
        .extracting(Notification::name)
        .containsExactly("security", "ops", "chat", "soar");
    assertThat(all)
        .extracting(Notification::type)
        .containsExactly(Type.SLACK, Type.TEAMS, Type.GOOGLECHAT, Type.WEBHOOK);

    Notification security = all.get(0);
    assertThat(security.url().value()).isEqualTo(SLACK_URL);
    assertThat(security.when()).isEqualTo(Route.DEFAULT);
    assertThat(security.when().verdicts())
        .contains(Verdict.UNAUTHORIZED, Verdict.UNREADABLE, Verdict.HISTORY_REWRITTEN)
        .doesNotContain(Verdict.AUTHORIZED, Verdict.EXCLUDED, Verdict.STANDARD_CHANGE);
    assertThat(security.when().incomplete()).isTrue();
    // The URL is a credential: printing the settings shows only where it came from.
    assertThat(security.toString()).doesNotContain("XXXXSECRET").contains("env:SLACK_URL");

    Route ops = all.get(1).when();
    assertThat(all.get(1).url().value())
        .isEqualTo("https://prod.logic.azure.com/workflows/1?sig=abc");
    assertThat(ops.verdicts())
        .containsExactlyInAnyOrder(Verdict.UNAUTHORIZED, Verdict.SELF_APPROVED);
    assertThat(ops.systems()).containsExactly("payments-prod");
    assertThat(ops.risks()).containsExactlyInAnyOrder("iam", "logging");
    assertThat(ops.minRisk()).isEqualTo(RiskLevel.HIGH);
    assertThat(ops.incomplete()).isFalse();

    assertThat(all.get(2).uri())
        .isEqualTo(URI.create("http://127.0.0.1:9999/v1/spaces/x/messages"));
    assertThat(all.get(3).secret().value()).isEqualTo("k3y-material");
    assertThat(result.config().service().server().publicUrl())
        .isEqualTo(URI.create("https://vouch.example.com/reports/"));
  }

  @Test
  void withoutNotificationsNobodyIsAlertedAndThereIsNoPublicUrl() throws IOException {
    ConfigLoader.Result result = load("");

    assertThat(problems(result)).isEmpty();
    assertThat(result.config().notifications().notifications()).isEmpty();
    assertThat(result.config().service().server().publicUrl()).isNull();
  }

  @Test
  void aLiteralUrlOtherThanLoopbackIsRefusedWithoutRepeatingIt() throws IOException {
    ConfigLoader.Result result =
        load(
            """
            notifications:
              - {type: slack, name: security, url: "%s"}
              - {type: webhook, name: lan, url: "http://10.0.0.5/hook"}
              - {type: teams, name: cleartext, url: env:PLAIN}
              - {type: teams, name: garbage, url: env:BAD}
              - {type: teams, name: unset, url: env:NOT_SET}
              - {type: teams, name: nourl}
            """
                .formatted(SLACK_URL));

    assertThat(problems(result))
        .containsExactly(
            "notifications[0] (security).url: a webhook URL is a credential: give it as env:NAME"
                + " or file:PATH (a literal URL is accepted only for http://127.0.0.1,"
                + " http://localhost or http://[::1], for local testing)",
            "notifications[1] (lan).url: a webhook URL is a credential: give it as env:NAME or"
                + " file:PATH (a literal URL is accepted only for http://127.0.0.1,"
                + " http://localhost or http://[::1], for local testing)",
            "notifications[2] (cleartext).url: env:PLAIN must hold an https URL (plain http only"
                + " to this machine, for testing)",
            "notifications[3] (garbage).url: env:BAD does not hold a URL",
            "notifications[4] (unset).url: environment variable NOT_SET is not set",
            "notifications[5] (nourl).url: is required");
    assertThat(String.join("\n", problems(result)))
        .doesNotContain("XXXXSECRET")
        .doesNotContain("hooks.example.com");
  }

  @Test
  void reportsEveryRoutingProblemWithItsPath() throws IOException {
    ConfigLoader.Result result =
        load(
            """
            notifications:
              - type: slak
                name: security
                url: http://127.0.0.1/x
                secret: env:SLACK_URL
              - type: slack
                name: security
                url: http://127.0.0.1/x
                secret: env:SLACK_URL
                when:
                  verdicts: [UNAUTHORISED]
                  systems: [payments-prd]
                  risk: [iam, loging]
                  minRisk: severe
                  channel: "#sec"
              - type: webhook
                name: hook
                url: http://127.0.0.1/x
                secret: s3cret-in-the-file
                when: {verdicts: []}
                colour: red
            """);

    assertThat(problems(result))
        .containsExactly(
            "notifications[0] (security).type: unknown notification type 'slak'; did you mean"
                + " slack? (supported: slack, teams, googlechat, webhook)",
            "notifications[1] (security).name: the name 'security' is used by another"
                + " notification",
            "notifications[1] (security).secret: only for type webhook (Slack, Teams and Google"
                + " Chat know the sender by the URL alone)",
            "notifications[1] (security).when.verdicts: no verdict 'UNAUTHORISED'; did you mean"
                + " UNAUTHORIZED? (known: AUTHORIZED, UNAUTHORIZED, APPROVED_AFTER_CHANGE,"
                + " OUTSIDE_WINDOW, SELF_APPROVED, EMERGENCY_UNDOCUMENTED, STANDARD_CHANGE,"
                + " EXCLUDED, HISTORY_REWRITTEN, UNREADABLE, CONFLICTING_EVIDENCE)",
            "notifications[1] (security).when.systems: no system 'payments-prd'; did you mean"
                + " payments-prod? (known: payments-prod, shop)",
            "notifications[1] (security).when.risk: no risk category 'loging'; did you mean"
                + " logging? (known: admission, audit, backups, data, exec, exposure, iam,"
                + " impersonation, keys, logging, network, privileged-pod, rbac, secrets)",
            "notifications[1] (security).when.minRisk: no risk level 'severe' (known: low,"
                + " medium, high, critical)",
            "notifications[1] (security).when.channel: unknown setting (known here: verdicts,"
                + " systems, risk, minRisk, incomplete)",
            "notifications[2] (hook).secret: secrets must be referenced as env:NAME or file:PATH,"
                + " never written in the file",
            "notifications[2] (hook).when.verdicts: list at least one verdict, or leave it out for"
                + " every verdict",
            "notifications[2] (hook).colour: unknown setting (known here: type, name, url,"
                + " secret, when)");
  }

  @Test
  void anEmptySecretFileIsAProblemNotAnEmptyKey() throws IOException {
    Files.writeString(dir.resolve("empty"), "\n");
    ConfigLoader.Result result =
        load(
            """
            notifications:
              - {type: webhook, name: hook, url: "http://127.0.0.1/x", secret: file:empty}
            """);

    assertThat(problems(result))
        .containsExactly("notifications[0] (hook).secret: file:empty is empty");
  }

  @Test
  void aRiskCategoryAddedByAConfiguredRuleCanBeRouted() throws IOException {
    ConfigLoader.Result result =
        load(
            """
            rules:
              - id: ops.dns
                action: risk
                risk: dns
                when: {aws.eventSource: route53.amazonaws.com}
            notifications:
              - {type: slack, name: dns, url: env:SLACK_URL, when: {risk: [dns]}}
            """);

    assertThat(problems(result)).isEmpty();
    assertThat(result.config().notifications().named("dns").orElseThrow().when().risks())
        .isEqualTo(Set.of("dns"));
  }

  @Test
  void aPublicUrlMustBeAnAbsoluteHttpUrlThatPathsCanFollow() throws IOException {
    for (String wrong :
        List.of("vouch.example.com", "ftp://x/", "https://x/?a=1", "https://x/#f")) {
      ConfigLoader.Result result = load("server: {publicUrl: \"" + wrong + "\"}\n");
      assertThat(result.problems())
          .extracting(ConfigProblem::path)
          .as(wrong)
          .containsExactly("server.publicUrl");
    }
  }
}
