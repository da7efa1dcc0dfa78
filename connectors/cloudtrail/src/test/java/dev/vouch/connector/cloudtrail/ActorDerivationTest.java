package dev.vouch.connector.cloudtrail;

import static dev.vouch.connector.cloudtrail.TestSupport.JSON;
import static dev.vouch.connector.cloudtrail.TestSupport.corpus;
import static dev.vouch.connector.cloudtrail.TestSupport.map;
import static dev.vouch.connector.cloudtrail.TestSupport.pantherLine;
import static dev.vouch.connector.cloudtrail.TestSupport.readJson;
import static dev.vouch.connector.cloudtrail.TestSupport.record;
import static dev.vouch.connector.cloudtrail.TestSupport.stratus;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.core.model.Actor;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.Coordinates;
import dev.vouch.core.model.EventClass;
import org.junit.jupiter.api.Test;

/** Actor derivation per {@code userIdentity.type}, on real samples where the corpus has them. */
class ActorDerivationTest {

  @Test
  void shouldNameAnIamUserByArnAndUserName() {
    ChangeEvent event = map(stratus("aws.persistence.iam-create-admin-user", 2));

    assertThat(event.actor())
        .isEqualTo(
            new Actor(
                "arn:aws:iam::229654561268:user/christophe",
                "IAMUser",
                java.util.List.of("christophe"),
                null));
    assertThat(event.coordinates())
        .isEqualTo(new Coordinates("aws", "229654561268", "ap-isob-central-3r"));
  }

  @Test
  void shouldPreferTheSsoSessionNameForAnIdentityCenterRole() {
    ChangeEvent event = map(pantherLine(53));

    assertThat(event.actor().raw())
        .isEqualTo(
            "arn:aws:sts::187901811700:assumed-role/AWSReservedSSO_DevAdmin_635426549a280cc6/nicholas.hakmiller");
    assertThat(event.actor().type()).isEqualTo("AssumedRole");
    assertThat(event.actor().aliases())
        .containsExactly(
            "nicholas.hakmiller", "AWSReservedSSO_DevAdmin_635426549a280cc6/nicholas.hakmiller");
    assertThat(event.actor().person()).isNull();
    assertThat(event.attributes())
        .containsEntry("aws.sessionName", "nicholas.hakmiller")
        .containsEntry(
            "aws.roleArn",
            "arn:aws:iam::187901811700:role/aws-reserved/sso.amazonaws.com/us-west-2/AWSReservedSSO_DevAdmin_635426549a280cc6")
        .containsEntry("aws.mfaAuthenticated", "false");
    assertThat(event.referenceHints()).containsExactly("nicholas.hakmiller");
    // Panther writes eventTime as "2024-06-02 19:41:40.000000000": UTC without a zone.
    assertThat(event.occurredAt()).hasToString("2024-06-02T19:41:40Z");
  }

  @Test
  void shouldTakeAnEmailSessionNameOfAnSsoRoleAsTheFirstAlias() {
    ChangeEvent event = map(pantherLine(72));

    assertThat(event.actor().aliases())
        .containsExactly("foo@bar.com", "AWSReservedSSO_developer_admin_asdf/foo@bar.com");
    assertThat(event.actor().display()).isEqualTo("foo@bar.com");
  }

  @Test
  void shouldKeepTheSessionNameOfAnOrdinaryRoleAsUnverifiedIssuedByTheRole() {
    ChangeEvent event =
        map(
            readJson(
                corpus("cloud-custodian/event-cloud-trail-run-instance-creator-assumed.json")));

    // Whoever may assume GR_Dev_Developer chooses the session name: it names nobody for sure.
    assertThat(event.actor().aliases()).isEmpty();
    assertThat(event.actor().unverified()).containsExactly("Radiant", "GR_Dev_Developer/Radiant");
    assertThat(event.actor().issuer()).isEqualTo("arn:aws:iam::03412312600:role/GR_Dev_Developer");
    assertThat(event.actor().display()).endsWith("(session name unverified)");
    assertThat(event.attributes())
        .containsEntry("aws.roleArn", "arn:aws:iam::03412312600:role/GR_Dev_Developer");
    // recipientAccountId wins over the caller's account.
    assertThat(event.coordinates().scope()).isEqualTo("644160558196");
  }

  @Test
  void shouldNameRootByArnAndRootAtAccount() {
    ChangeEvent event =
        map(readJson(corpus("cloud-custodian/event-appmesh-create-virtualnode.json")));

    assertThat(event.actor().raw()).isEqualTo("arn:aws:iam::659775036450:root");
    assertThat(event.actor().type()).isEqualTo("Root");
    assertThat(event.actor().aliases()).containsExactly("root@659775036450");
    assertThat(event.attributes()).containsEntry("aws.mfaAuthenticated", "true");
  }

  @Test
  void shouldNameRootWithoutArnRootAtAccountAndKeepItsAlias() {
    ObjectNode record = record("e-root", "2024-03-14T10:00:00Z");
    ObjectNode identity = record.putObject("userIdentity");
    identity.put("type", "Root");
    identity.put("principalId", "111122223333");
    identity.put("accountId", "111122223333");
    identity.put("userName", "acme-prod");

    Actor actor = map(record).actor();

    assertThat(actor.raw()).isEqualTo("root@111122223333");
    assertThat(actor.aliases()).containsExactly("root@111122223333", "acme-prod");
  }

  @Test
  void shouldNameAFederatedUserByTheNameAfterFederatedUser() {
    ChangeEvent event = map(stratus("aws.persistence.sts-federation-token", 1));

    assertThat(event.actor().raw())
        .isEqualTo("arn:aws:sts::742491224508:federated-user/stratus_red_team");
    assertThat(event.actor().type()).isEqualTo("FederatedUser");
    // GetFederationToken's caller chooses the name.
    assertThat(event.actor().aliases()).isEmpty();
    assertThat(event.actor().unverified()).containsExactly("stratus_red_team");
    assertThat(event.actor().issuer()).isNotNull();
    // The issuer of a federation token is a user, not a role.
    assertThat(event.attributes()).doesNotContainKey("aws.roleArn");
  }

  @Test
  void shouldNameAnAwsServiceByInvokedByAndCarryItThrough() {
    ChangeEvent event = map(pantherLine(429));

    assertThat(event.actor())
        .isEqualTo(
            new Actor(
                "lambda.amazonaws.com",
                "AWSService",
                java.util.List.of("lambda.amazonaws.com"),
                null));
    assertThat(event.action()).isEqualTo("sts.amazonaws.com:AssumeRole");
    assertThat(event.eventClass()).isEqualTo(EventClass.READ_ONLY);
    assertThat(event.attributes())
        .containsEntry("aws.invokedBy", "lambda.amazonaws.com")
        .containsEntry("aws.userIdentity.type", "AWSService")
        .containsEntry("aws.account", "123456789123")
        .containsEntry("aws.region", "us-west-2");
    assertThat(event.referenceHints()).containsExactly("awslambda_55_20240602202712548");
  }

  @Test
  void shouldKeepInvokedByOfAHumanPrincipalAsAnAttribute() {
    ChangeEvent event =
        map(readJson(corpus("cloud-custodian/event-cloud-trail-run-instances.json")));

    assertThat(event.actor().type()).isEqualTo("Root");
    assertThat(event.actor().raw()).isEqualTo("arn:aws:iam::619193117841:root");
    assertThat(event.attributes()).containsEntry("aws.invokedBy", "autoscaling.amazonaws.com");
  }

  @Test
  void shouldNameAnotherAccountByAccountAndPrincipal() {
    ChangeEvent event = map(pantherLine(100));

    assertThat(event.actor().type()).isEqualTo("AWSAccount");
    assertThat(event.actor().raw()).isEqualTo("111122223333:SAMPLE_PRINCIPAL_ID:lambda-name");
    assertThat(event.actor().aliases())
        .containsExactly("111122223333:SAMPLE_PRINCIPAL_ID:lambda-name");
  }

  @Test
  void shouldHandleAnUnknownTypeGenerically() {
    Actor actor =
        ActorDerivation.derive(pantherLine(428).get("userIdentity"), "111122223333").actor();

    assertThat(actor.type()).isEqualTo("Unknown");
    assertThat(actor.raw()).isEqualTo("<internal victim user id>");
    assertThat(actor.aliases()).containsExactly("<victim display name>");
  }

  @Test
  void shouldCallAnEventWithoutUserIdentityUnknown() {
    ChangeEvent event = map(pantherLine(80));

    assertThat(event.actor()).isEqualTo(new Actor("unknown", "Unknown", java.util.List.of(), null));
    assertThat(event.attributes()).doesNotContainKey("aws.userIdentity.type");
    // No account anywhere: the scope says so rather than guessing.
    assertThat(event.coordinates()).isEqualTo(new Coordinates("aws", "unknown", "us-east-1"));
  }

  @Test
  void shouldRankSourceIdentityThenOnBehalfOfThenSessionWithoutDuplicates() throws Exception {
    ObjectNode record = record("e-si", "2024-03-14T10:00:00Z");
    record.set(
        "userIdentity",
        JSON.readTree(
            """
            {"type": "AssumedRole",
             "principalId": "AROAEXAMPLE:CHG0012345",
             "arn": "arn:aws:sts::111122223333:assumed-role/deployer/CHG0012345",
             "accountId": "111122223333",
             "onBehalfOf": {"userId": "94482488-3041-7026-18f3-be45837cd0e4",
                            "identityStoreArn": "arn:aws:identitystore::111122223333:identitystore/d-1"},
             "sessionContext": {
               "sourceIdentity": "alice@example.com",
               "sessionIssuer": {"type": "Role", "arn": "arn:aws:iam::111122223333:role/deployer",
                                 "userName": "deployer"},
               "attributes": {"mfaAuthenticated": "true"}}}
            """));
    record.putObject("requestParameters");

    ChangeEvent event = map(record);

    assertThat(event.actor().aliases())
        .containsExactly("alice@example.com", "94482488-3041-7026-18f3-be45837cd0e4");
    assertThat(event.actor().unverified()).containsExactly("CHG0012345", "deployer/CHG0012345");
    assertThat(event.actor().issuer()).isEqualTo("arn:aws:iam::111122223333:role/deployer");
    assertThat(event.attributes())
        .containsEntry("aws.sourceIdentity", "alice@example.com")
        .containsEntry("aws.sessionName", "CHG0012345")
        .containsEntry("aws.roleArn", "arn:aws:iam::111122223333:role/deployer");
    assertThat(event.referenceHints()).containsExactly("CHG0012345", "alice@example.com");
  }

  @Test
  void shouldTrustTheSessionNameOfAnIdentityCenterRoleByItsReservedPathWhateverTheArnSays()
      throws Exception {
    ObjectNode record = record("e-sso", "2024-03-14T10:00:00Z");
    // As Datadog's anonymised Stratus Red Team samples have it: the assumed-role ARN lost its role
    // name, but the session issuer is in IAM Identity Center's reserved path.
    record.set(
        "userIdentity",
        JSON.readTree(
            """
            {"type": "AssumedRole",
             "principalId": "AROAEMHZD694LU95MUYOP:sam@example.com",
             "arn": "arn:aws:sts::111122223333:assumed-role/AWSReservedSSOrandom@example.com",
             "sessionContext": {"sessionIssuer": {"type": "Role",
               "arn": "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_admin_599c9e90e350d2ff",
               "userName": "AWSReservedSSO_admin_599c9e90e350d2ff"}}}
            """));

    ChangeEvent event = map(record);

    assertThat(event.actor().aliases()).contains("sam@example.com");
    assertThat(event.actor().unverified()).isEmpty();
    assertThat(event.actor().issuer()).isNull();
  }

  @Test
  void shouldNotRepeatASourceIdentityEqualToTheSessionName() throws Exception {
    ObjectNode record = record("e-dup", "2024-03-14T10:00:00Z");
    record.set(
        "userIdentity",
        JSON.readTree(
            """
            {"type": "AssumedRole",
             "arn": "arn:aws:sts::111122223333:assumed-role/admin/bob",
             "sessionContext": {"sourceIdentity": "bob"}}
            """));

    assertThat(map(record).actor().aliases()).containsExactly("bob");
    assertThat(map(record).actor().unverified()).containsExactly("admin/bob");
    // Without a session issuer the role's ARN is read from the assumed-role ARN.
    assertThat(map(record).actor().issuer()).isEqualTo("arn:aws:iam::111122223333:role/admin");
  }

  @Test
  void shouldNameAnIdentityCenterUserByOnBehalfOfAndUserName() throws Exception {
    ObjectNode record = record("e-idc", "2024-03-14T10:00:00Z");
    record.set(
        "userIdentity",
        JSON.readTree(
            """
            {"type": "IdentityCenterUser",
             "accountId": "111122223333",
             "onBehalfOf": {"userId": "544894e8-80c1-707f-60e3-3ba6510dfac1",
                            "identityStoreArn": "arn:aws:identitystore::111122223333:identitystore/d-1"},
             "userName": "carol",
             "credentialId": "EXAMPLEVHULjJdTUdPJfofVa1sufHDoj7aYcOYcxFVllWR_Whr1fEXAMPLE"}
            """));

    Actor actor = map(record).actor();

    assertThat(actor.type()).isEqualTo("IdentityCenterUser");
    assertThat(actor.raw()).isEqualTo("544894e8-80c1-707f-60e3-3ba6510dfac1");
    assertThat(actor.aliases()).containsExactly("544894e8-80c1-707f-60e3-3ba6510dfac1", "carol");
  }
}
