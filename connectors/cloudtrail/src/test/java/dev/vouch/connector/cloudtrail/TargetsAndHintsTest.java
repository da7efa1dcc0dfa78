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
import dev.vouch.core.model.ChangeEvent;
import org.junit.jupiter.api.Test;

/** What an event names as acted on, and the free text that may carry a change id. */
class TargetsAndHintsTest {

  @Test
  void shouldNameTheUserAndPolicyOfAnAttachUserPolicy() {
    ChangeEvent event = map(stratus("aws.persistence.iam-create-admin-user", 0));

    assertThat(event.action()).isEqualTo("iam.amazonaws.com:AttachUserPolicy");
    assertThat(event.targets())
        .containsExactly("malicious-iam-user", "arn:aws:iam::aws:policy/AdministratorAccess");
  }

  @Test
  void shouldTakeTheValuesOfRequestTagsAsHints() {
    ChangeEvent event = map(stratus("aws.persistence.iam-create-admin-user", 2));

    assertThat(event.targets()).containsExactly("malicious-iam-user");
    assertThat(event.referenceHints()).containsExactly("true");
  }

  @Test
  void shouldNameTheTrailOfACloudTrailCall() {
    ChangeEvent event = map(stratus("aws.defense-evasion.cloudtrail-stop", 0));

    assertThat(event.action()).isEqualTo("cloudtrail.amazonaws.com:StopLogging");
    assertThat(event.targets()).containsExactly("stratus-red-team-ct-stop-trail-buykxbqejv");
  }

  @Test
  void shouldNotTakeNameAsATargetOutsideCloudTrail() {
    ChangeEvent event = map(stratus("aws.persistence.sts-federation-token", 0));

    assertThat(event.action()).isEqualTo("sts.amazonaws.com:GetFederationToken");
    assertThat(event.targets()).isEmpty();
  }

  @Test
  void shouldPutResourceArnsFirstAndTakeTheRoleSessionNameOfAnAssumeRole() {
    ChangeEvent event = map(stratus("aws.defense-evasion.organizations-leave", 0));

    assertThat(event.targets())
        .containsExactly("arn:aws:iam::307578594326:role/stratus-red-team-leave-org-role");
    assertThat(event.referenceHints()).contains("aws-go-sdk-1722587398902687000");
  }

  @Test
  void shouldNameTheSecurityGroupAndTheBucket() {
    assertThat(
            map(stratus("aws.exfiltration.ec2-security-group-open-port-22-ingress", 0)).targets())
        .containsExactly("sg-003dc7f1f1c686164");
    assertThat(
            map(readJson(corpus("eventbridge-cloud-custodian/event-cloud-trail-create-bucket.json"))
                    .get("detail"))
                .targets())
        .containsExactly("custodian-create-bucket-v4");
  }

  @Test
  void shouldNameTheInstancesARunInstancesCreatedAndTakeItsTagSpecifications() {
    ChangeEvent event = map(pantherLine(102));

    assertThat(event.action()).isEqualTo("ec2.amazonaws.com:RunInstances");
    assertThat(event.targets()).contains("i-0d7e4b9be8a0de6ea");
    // The role session name comes first, then the tag values.
    assertThat(event.referenceHints()).containsExactly("temp_user", "test2");
  }

  @Test
  void shouldNameTheInstanceOfACustodianRunInstancesFromTheResponse() {
    ChangeEvent event =
        map(readJson(corpus("cloud-custodian/event-cloud-trail-run-instances.json")));

    assertThat(event.targets()).contains("i-784cdacd");
  }

  @Test
  void shouldReadTagsInTheShapesServicesUse() {
    assertThat(
            map(readJson(corpus("cloud-custodian/event-cloud-trail-hsm-create-cluster.json")))
                .referenceHints())
        .containsExactly("test");
    assertThat(
            map(readJson(
                        corpus(
                            "eventbridge-cloud-custodian/event-cloud-trail-tag-distribution.json"))
                    .get("detail"))
                .referenceHints())
        .contains("Internal");
  }

  @Test
  void shouldReadS3TaggingAndPlainTagMaps() throws Exception {
    ObjectNode s3 = record("s3-tags", "2024-03-14T10:00:00Z");
    s3.set(
        "requestParameters",
        JSON.readTree(
            """
            {"bucketName": "audit-logs",
             "Tagging": {"xmlns": "http://s3.amazonaws.com/doc/2006-03-01/",
                         "TagSet": {"Tag": [{"Key": "change", "Value": "CHG0031889"},
                                            {"Key": "owner", "Value": "platform"}]}}}
            """));
    ObjectNode lambda = record("lambda-tags", "2024-03-14T10:00:00Z");
    lambda.set(
        "requestParameters",
        JSON.readTree("{\"functionName\": \"billing\", \"tags\": {\"ticket\": \"PROJ-123\"}}"));

    ChangeEvent s3Event = map(s3);
    ChangeEvent lambdaEvent = map(lambda);

    assertThat(s3Event.targets()).containsExactly("audit-logs");
    assertThat(s3Event.referenceHints()).containsExactly("CHG0031889", "platform");
    assertThat(lambdaEvent.targets()).containsExactly("billing");
    assertThat(lambdaEvent.referenceHints()).containsExactly("PROJ-123");
  }
}
