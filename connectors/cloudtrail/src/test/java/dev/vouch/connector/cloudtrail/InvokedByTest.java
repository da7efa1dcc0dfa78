package dev.vouch.connector.cloudtrail;

import static dev.vouch.connector.cloudtrail.TestSupport.corpus;
import static dev.vouch.connector.cloudtrail.TestSupport.map;
import static dev.vouch.connector.cloudtrail.TestSupport.pantherLine;
import static dev.vouch.connector.cloudtrail.TestSupport.readJson;
import static dev.vouch.connector.cloudtrail.TestSupport.record;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.core.catalog.IdentityMap;
import dev.vouch.core.match.MatchPolicy;
import dev.vouch.core.match.Matcher;
import dev.vouch.core.match.RecordIndex;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.EventClass;
import dev.vouch.core.model.Finding;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.rules.Rule;
import dev.vouch.core.rules.RuleSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code userIdentity.invokedBy} on real records, through the built-in rules: only the services
 * that act on their own are excluded; a change made through the console, {@code AWS Internal},
 * CloudFormation or an invoker nobody reviewed is a person's change and is reviewed.
 */
class InvokedByTest {
  private static final String SYSTEM = "payments-prod";

  /** The finding for a change, with the built-in rules and no change record to cover it. */
  private static Finding finding(ChangeEvent event) {
    MatchPolicy policy = MatchPolicy.defaults();
    Matcher matcher =
        new Matcher(
            policy,
            new RecordIndex(List.of(), policy),
            IdentityMap.empty(),
            RuleSet.load(List.of()));
    return matcher.evaluate(event, SYSTEM);
  }

  private static ObjectNode custodian(String name) {
    return (ObjectNode) readJson(corpus("cloud-custodian/" + name + ".json"));
  }

  @Test
  void shouldExcludeAnAutoScalingLaunchNamingTheServiceInTheReason() {
    ChangeEvent event = map(custodian("event-cloud-trail-run-instances"));

    Finding finding = finding(event);

    assertThat(event.eventClass()).isEqualTo(EventClass.CHANGE);
    assertThat(event.attributes()).containsEntry("aws.invokedBy", "autoscaling.amazonaws.com");
    assertThat(finding.verdict()).isEqualTo(Verdict.EXCLUDED);
    assertThat(finding.ruleId()).isEqualTo("builtin.aws.invoked-by.autoscaling");
    assertThat(finding.summary())
        .startsWith(
            "Excluded by rule builtin.aws.invoked-by.autoscaling: Made by Amazon EC2 Auto"
                + " Scaling (invokedBy autoscaling.amazonaws.com)");
  }

  @Test
  void shouldExcludeAPantherAutoScalingTerminationAndAnEksNodeGroupLaunch() {
    ObjectNode nodeGroupLaunch = pantherLine(103);
    // The sample is a dry run (Client.DryRunOperation); without it, the same call succeeded.
    nodeGroupLaunch.remove("errorCode");

    assertThat(finding(map(pantherLine(203))).ruleId())
        .isEqualTo("builtin.aws.invoked-by.autoscaling");
    assertThat(finding(map(nodeGroupLaunch)).ruleId())
        .isEqualTo("builtin.aws.invoked-by.eks-nodegroup");
  }

  @Test
  void shouldReviewAConsoleChangeMadeThroughSignIn() {
    // RunInstances by an IAM user in the console: invokedBy signin.amazonaws.com, no readOnly.
    ChangeEvent event = map(custodian("event-cloud-trail-run-instance-creator"));

    Finding finding = finding(event);

    assertThat(event.attributes())
        .containsEntry("aws.invokedBy", "signin.amazonaws.com")
        .containsEntry("aws.readOnly", "table:Write");
    assertThat(event.eventClass()).isEqualTo(EventClass.CHANGE);
    assertThat(finding.verdict()).isEqualTo(Verdict.UNAUTHORIZED);
    assertThat(finding.ruleId()).isNull();
    assertThat(finding.evidence())
        .contains(
            "readOnly absent: AWS gives ec2:RunInstances the access level Write, so it is a"
                + " change (table from "
                + AccessLevels.source()
                + ")",
            "made through signin.amazonaws.com (userIdentity.invokedBy)");
  }

  @Test
  void shouldReviewAConsoleChangeOfTheRootUser() {
    // CreateAccessKey by the root user in the console (Panther's root-activity test).
    ChangeEvent event = map(pantherLine(301));

    assertThat(event.attributes()).containsEntry("aws.invokedBy", "signin.amazonaws.com");
    assertThat(event.eventClass()).isEqualTo(EventClass.CHANGE);
    assertThat(finding(event).verdict()).isEqualTo(Verdict.UNAUTHORIZED);
  }

  @Test
  void shouldReviewAConsoleChangeMadeWithConsoleSessionCredentials() {
    // CreateImage in the console: sessionCredentialFromConsole, source "AWS Internal", no
    // invokedBy.
    ChangeEvent event = map(pantherLine(104));

    assertThat(event.attributes())
        .containsEntry("aws.sessionCredentialFromConsole", "true")
        .containsEntry("aws.sourceIPAddress", "AWS Internal")
        .doesNotContainKey("aws.invokedBy");
    assertThat(event.eventClass()).isEqualTo(EventClass.CHANGE);
    assertThat(finding(event).verdict()).isEqualTo(Verdict.UNAUTHORIZED);
  }

  @Test
  void shouldReviewAChangeInvokedByAwsInternal() {
    // Panther's sample of invokedBy "AWS Internal" is a dry run; the successful call is reviewed.
    ObjectNode record = pantherLine(206);
    record.remove("errorCode");
    ChangeEvent event = map(record);

    assertThat(event.attributes()).containsEntry("aws.invokedBy", "AWS Internal");
    assertThat(event.eventClass()).isEqualTo(EventClass.CHANGE);
    assertThat(finding(event).verdict()).isEqualTo(Verdict.UNAUTHORIZED);
  }

  @Test
  void shouldReviewACloudFormationChangeAsThePersonsOwn() {
    ChangeEvent event = map(custodian("event-cloud-trail-create-db"));

    Finding finding = finding(event);

    assertThat(event.attributes()).containsEntry("aws.invokedBy", "cloudformation.amazonaws.com");
    assertThat(finding.verdict()).isEqualTo(Verdict.UNAUTHORIZED);
    assertThat(finding.evidence())
        .contains("made through cloudformation.amazonaws.com (userIdentity.invokedBy)");
  }

  @ParameterizedTest(name = "invokedBy {0}")
  @CsvSource({
    "console.amazonaws.com",
    "sso.amazonaws.com",
    "servicecatalog.amazonaws.com",
    "autoscaling.amazonaws.com.example.com",
    "new-service.amazonaws.com"
  })
  void shouldReviewAChangeThroughAnyInvokerNotListed(String invokedBy) {
    ObjectNode record = record("11111111-2222-3333-4444-555555555555", "2024-03-14T10:00:00Z");
    ((ObjectNode) record.get("userIdentity")).put("invokedBy", invokedBy);

    ChangeEvent event = map(record);

    assertThat(event.eventClass()).isEqualTo(EventClass.CHANGE);
    assertThat(finding(event).verdict()).isEqualTo(Verdict.UNAUTHORIZED);
  }

  @Test
  void shouldStillExcludeAnAwsServicePrincipal() {
    ObjectNode record = record("11111111-2222-3333-4444-555555555555", "2024-03-14T10:00:00Z");
    ObjectNode identity = record.putObject("userIdentity");
    identity.put("type", "AWSService");
    identity.put("invokedBy", "backup.amazonaws.com");

    Finding finding = finding(map(record));

    assertThat(finding.verdict()).isEqualTo(Verdict.EXCLUDED);
    assertThat(finding.ruleId()).isEqualTo("builtin.aws.service-principal");
  }

  @Test
  void shouldNameTheServiceInTheReasonOfEveryInvokedByRule() {
    List<Rule> rules =
        RuleSet.load(List.of()).rules().stream()
            .filter(rule -> rule.when().containsKey("aws.invokedBy"))
            .toList();

    assertThat(rules).isNotEmpty();
    for (Rule rule : rules) {
      List<String> hosts = rule.when().get("aws.invokedBy");
      assertThat(hosts).as(rule.id()).hasSize(1);
      assertThat(rule.id())
          .isEqualTo("builtin.aws.invoked-by." + hosts.get(0).replace(".amazonaws.com", ""));
      assertThat(rule.reason()).as(rule.id()).contains("(invokedBy " + hosts.get(0) + ")");
    }
    assertThat(rules)
        .flatMap(rule -> rule.when().get("aws.invokedBy"))
        .doesNotContain(
            "signin.amazonaws.com",
            "console.amazonaws.com",
            "AWS Internal",
            "cloudformation.amazonaws.com",
            "*");
  }
}
