package dev.vouch.app;

import static dev.vouch.app.Workbench.PAYMENTS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A session name the caller chose is not taken as a person, end to end. */
class IdentityTrustTest {
  private static final Instant AT = Instant.parse("2026-11-17T10:00:00Z");
  private static final String ROLE = "arn:aws:iam::" + PAYMENTS + ":role/deployer";

  @TempDir Path dir;

  /** A change made in a session of the deployer role that its caller named alice. */
  private static String sessionNamedAlice() {
    return Workbench.change("by-session", AT)
        .replace(
            "\"userIdentity\":{\"type\":\"IAMUser\",\"principalId\":\"AIDAEXAMPLE\","
                + "\"arn\":\"arn:aws:iam::"
                + PAYMENTS
                + ":user/alice\",\"accountId\":\""
                + PAYMENTS
                + "\",\"userName\":\"alice\"}",
            "\"userIdentity\":{\"type\":\"AssumedRole\",\"principalId\":\"AROAEXAMPLE:alice\","
                + "\"arn\":\"arn:aws:sts::"
                + PAYMENTS
                + ":assumed-role/deployer/alice\",\"accountId\":\""
                + PAYMENTS
                + "\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"arn\":\""
                + ROLE
                + "\",\"userName\":\"deployer\"}}}");
  }

  @Test
  void aSessionNamedAliceIsNotAliceUnlessTheRolePinsTheName() throws Exception {
    Workbench bench = new Workbench(dir, Instant.parse("2026-11-19T02:00:00Z"));
    bench.background(LocalDate.of(2026, 11, 17), LocalDate.of(2026, 11, 17));
    String record = sessionNamedAlice();
    assertThat(record).contains("assumed-role/deployer/alice");
    bench.deliver(PAYMENTS, AT.plusSeconds(300), record);
    bench.changeLog(
        "CHG1,Deploy,normal,approved,payments-prod,2026-11-17T09:00:00Z,2026-11-17T11:00:00Z,"
            + "alice,priya,2026-11-16T12:00:00Z\n");

    Workbench.Result first = bench.vouch("run", "--from", "2026-11-17", "--to", "2026-11-18");
    JsonNode unverified = byId(bench.findings(), PAYMENTS + ":by-session");
    String actor = "arn:aws:sts::" + PAYMENTS + ":assumed-role/deployer/alice";
    assertThat(first.out())
        .contains("Unknown actors: 1 change(s) by actors that match no configured person")
        .contains("1 by " + actor + " — not in identities");
    assertThat(Files.readString(dir.resolve("out/summary.html")))
        .contains("Actors that match no configured person")
        .contains(actor);

    assertThat(unverified.get("verdict").asText()).isEqualTo("UNAUTHORIZED");
    assertThat(unverified.get("person").isNull()).isTrue();
    assertThat(unverified.get("reasons").get("evidence").toString())
        .contains("session name alice")
        .contains(ROLE)
        .contains("identities.trustedSessionRoles");

    Files.writeString(
        bench.config(),
        Files.readString(bench.config())
            .replace(
                "identities:\n  - person: alice\n    aliases: [alice]\n  - person: priya\n"
                    + "    aliases: [priya]",
                "identities:\n  people:\n    - person: alice\n      aliases: [alice]\n"
                    + "    - person: priya\n      aliases: [priya]\n"
                    + "  trustedSessionRoles: [\""
                    + ROLE
                    + "\"]"));
    Workbench.Result trusted = bench.vouch("run", "--from", "2026-11-17", "--to", "2026-11-18");
    JsonNode pinned = byId(bench.findings(), PAYMENTS + ":by-session");

    assertThat(pinned.get("verdict").asText()).as(trusted.all()).isEqualTo("AUTHORIZED");
    assertThat(pinned.get("person").asText()).isEqualTo("alice");
  }

  private static JsonNode byId(JsonNode findings, String eventId) {
    for (JsonNode finding : findings) {
      if (finding.get("eventId").asText().equals(eventId)) {
        return finding;
      }
    }
    throw new AssertionError("no finding for " + eventId + " in " + findings);
  }
}
