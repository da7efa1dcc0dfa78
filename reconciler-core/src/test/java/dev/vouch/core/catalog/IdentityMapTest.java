package dev.vouch.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.core.model.Actor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Names identify a person only as far as the source vouches for them. */
class IdentityMapTest {
  private static final String DEPLOYER = "arn:aws:iam::111122223333:role/deployer";
  private static final Map<String, List<String>> PEOPLE =
      Map.of(
          "alice",
          List.of("alice@example.com", "arn:aws:sts::111122223333:assumed-role/deployer/alice"),
          "bob",
          List.of("bob@example.com"));

  /** A session named alice on an ordinary role: anyone allowed to assume it could pick that. */
  private static Actor session(String name) {
    return new Actor(
        "arn:aws:sts::111122223333:assumed-role/deployer/" + name,
        "AssumedRole",
        List.of(),
        null,
        List.of(name, "deployer/" + name),
        DEPLOYER,
        List.of());
  }

  @Test
  void aSessionNameTheCallerChoseIdentifiesNobody() {
    IdentityMap identities = new IdentityMap(PEOPLE);

    assertThat(identities.resolve(session("alice@example.com"))).isEmpty();
    // Not even through the raw ARN, which embeds the chosen name.
    assertThat(identities.resolve(session("alice"))).isEmpty();
    assertThat(identities.samePerson("alice", session("alice@example.com"))).isFalse();
    assertThat(identities.samePerson("alice@example.com", session("alice@example.com"))).isFalse();
  }

  @Test
  void aRoleThatPinsTheSessionNameMakesItTrusted() {
    IdentityMap identities = new IdentityMap(PEOPLE, List.of("arn:aws:iam::*:role/deployer"));

    assertThat(identities.trustsClaims(session("alice@example.com"))).isTrue();
    assertThat(identities.resolve(session("alice@example.com"))).contains("alice");
    assertThat(identities.samePerson("alice", session("alice@example.com"))).isTrue();
  }

  @Test
  void namesTheSourceVouchesForStillIdentify() {
    IdentityMap identities = new IdentityMap(PEOPLE);
    Actor sourceIdentity =
        new Actor(
            "arn:aws:sts::111122223333:assumed-role/deployer/CHG0012345",
            "AssumedRole",
            List.of("bob@example.com"),
            null,
            List.of("CHG0012345"),
            DEPLOYER,
            List.of());

    assertThat(identities.resolve(sourceIdentity)).contains("bob");
    assertThat(identities.samePerson("bob", sourceIdentity)).isTrue();
  }

  @Test
  void everyoneAChangeWasMadeThroughIsInvolvedInIt() {
    IdentityMap identities = new IdentityMap(PEOPLE);
    Actor impersonated =
        new Actor(
            "system:serviceaccount:shop:deployer",
            "serviceaccount",
            List.of("system:serviceaccount:shop:deployer"),
            null,
            List.of(),
            null,
            List.of("bob@example.com"));

    assertThat(identities.samePerson("bob", impersonated)).isFalse();
    assertThat(identities.involved("bob", impersonated)).isTrue();
    assertThat(identities.involved("alice", impersonated)).isFalse();
  }
}
