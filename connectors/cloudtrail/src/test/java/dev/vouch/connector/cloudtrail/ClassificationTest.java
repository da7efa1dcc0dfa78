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
  void shouldInferReadOnlyFromTheEventNameWhenReadOnlyIsAbsent(String eventName, boolean readOnly) {
    ObjectNode record = base().put("eventName", eventName);
    record.remove("readOnly");

    ChangeEvent event = map(record);

    assertThat(event.eventClass()).isEqualTo(readOnly ? EventClass.READ_ONLY : EventClass.CHANGE);
    assertThat(event.mutating()).isEqualTo(!readOnly);
    assertThat(event.attributes()).containsEntry("aws.readOnly", "inferred:" + readOnly);
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
        .containsEntry("aws.readOnly", "true");
    assertThat(map(base().put("readOnly", false)).attributes())
        .containsEntry("aws.readOnly", "false");
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
  void shouldInferACustodianCreateDbInstanceWithoutReadOnlyAsAChange() {
    ChangeEvent event =
        map(readJson(TestSupport.corpus("cloud-custodian/event-cloud-trail-create-db.json")));

    assertThat(event.action()).isEqualTo("rds.amazonaws.com:CreateDBInstance");
    assertThat(event.eventClass()).isEqualTo(EventClass.CHANGE);
    assertThat(event.attributes()).containsEntry("aws.readOnly", "inferred:false");
  }

  @Test
  void shouldInferATrailscraperDescribeWithoutReadOnlyAsReadOnly() {
    ChangeEvent event =
        map(readJson(TestSupport.corpus("trailscraper/someRecords.json")).get("Records").get(0));

    assertThat(event.action()).isEqualTo("autoscaling.amazonaws.com:DescribeLaunchConfigurations");
    assertThat(event.eventClass()).isEqualTo(EventClass.READ_ONLY);
    assertThat(event.mutating()).isFalse();
    assertThat(event.attributes()).containsEntry("aws.readOnly", "inferred:true");
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
