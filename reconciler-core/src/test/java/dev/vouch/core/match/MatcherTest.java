package dev.vouch.core.match;

import static dev.vouch.core.match.Fixtures.change;
import static dev.vouch.core.match.Fixtures.record;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vouch.core.catalog.IdentityMap;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.ChangeRecord;
import dev.vouch.core.model.ChangeType;
import dev.vouch.core.model.Finding;
import dev.vouch.core.model.KeyResult;
import dev.vouch.core.model.RecordState;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.model.WindowFit;
import dev.vouch.core.rules.RuleSet;
import dev.vouch.core.spi.ConfigProblem;
import dev.vouch.core.spi.SettingsNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MatcherTest {
  private static final IdentityMap PEOPLE =
      new IdentityMap(
          Map.of(
              "alice", List.of("alice@example.com"),
              "bob", List.of("bob@example.com"),
              "carol", List.of("carol@example.com")));

  private static Finding verdictFor(
      ChangeEvent event, @Nullable String system, MatchPolicy policy, ChangeRecord... records) {
    RuleSet rules = RuleSet.load(List.of());
    Matcher matcher = new Matcher(policy, new RecordIndex(List.of(records), policy), PEOPLE, rules);
    ChangeEvent resolved =
        event.withActor(event.actor().withPerson(PEOPLE.resolve(event.actor()).orElse(null)));
    return matcher.evaluate(resolved, system);
  }

  private static Finding verdictFor(ChangeEvent event, ChangeRecord... records) {
    return verdictFor(event, "payments-prod", MatchPolicy.defaults(), records);
  }

  static Stream<Arguments> windowEdges() {
    // record CHG1: 10:00-12:00, grace 30 m each side, proximity 24 h
    return Stream.of(
        Arguments.of("exactly at window start", "10:00:00", Verdict.AUTHORIZED, WindowFit.INSIDE),
        Arguments.of("exactly at window end", "12:00:00", Verdict.AUTHORIZED, WindowFit.INSIDE),
        Arguments.of("inside", "11:00:00", Verdict.AUTHORIZED, WindowFit.INSIDE),
        Arguments.of(
            "at the edge of grace before", "09:30:00", Verdict.AUTHORIZED, WindowFit.IN_GRACE),
        Arguments.of("one second before grace", "09:29:59", Verdict.OUTSIDE_WINDOW, WindowFit.NEAR),
        Arguments.of(
            "at the edge of grace after", "12:30:00", Verdict.AUTHORIZED, WindowFit.IN_GRACE),
        Arguments.of("one second after grace", "12:30:01", Verdict.OUTSIDE_WINDOW, WindowFit.NEAR),
        Arguments.of(
            "23 h after the window",
            "2026-11-18T11:00:00Z",
            Verdict.OUTSIDE_WINDOW,
            WindowFit.NEAR));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("windowEdges")
  void windowAndGraceEdges(String name, String time, Verdict expected, WindowFit fit) {
    Finding finding = verdictFor(change("e1", time, "alice"), record("CHG1").build());

    assertThat(finding.verdict()).isEqualTo(expected);
    assertThat(finding.candidates())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.window()).isEqualTo(fit);
              assertThat(c.system()).isEqualTo(KeyResult.MATCH);
              assertThat(c.implementer()).isEqualTo(KeyResult.MATCH);
            });
    if (expected != Verdict.UNAUTHORIZED) {
      assertThat(finding.recordId()).isEqualTo("CHG1");
    }
  }

  @Test
  void changeBeyondProximityIsUnauthorizedAndConsidersNothing() {
    Finding finding =
        verdictFor(change("e1", "2026-11-19T12:00:01Z", "alice"), record("CHG1").build());

    assertThat(finding.verdict()).isEqualTo(Verdict.UNAUTHORIZED);
    assertThat(finding.recordId()).isNull();
    assertThat(finding.candidates()).isEmpty();
  }

  @Test
  void recordForAnotherSystemDoesNotCover() {
    Finding finding =
        verdictFor(change("e1", "11:00:00", "alice"), record("CHG1").systems("data-prod").build());

    assertThat(finding.verdict()).isEqualTo(Verdict.UNAUTHORIZED);
    assertThat(finding.candidates()).isEmpty();
  }

  @Test
  void changeBySomeoneOtherThanTheImplementerIsUnauthorizedWithTheCandidateExplained() {
    Finding finding = verdictFor(change("e1", "11:00:00", "carol"), record("CHG1").build());

    assertThat(finding.verdict()).isEqualTo(Verdict.UNAUTHORIZED);
    assertThat(finding.candidates())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.recordId()).isEqualTo("CHG1");
              assertThat(c.implementer()).isEqualTo(KeyResult.MISMATCH);
              assertThat(c.outcome()).isEqualTo(Verdict.UNAUTHORIZED);
            });
  }

  @Test
  void recordWithoutImplementersCoversAnyone() {
    Finding finding =
        verdictFor(change("e1", "11:00:00", "carol"), record("CHG1").implementers().build());

    assertThat(finding.verdict()).isEqualTo(Verdict.AUTHORIZED);
    assertThat(finding.candidates().get(0).implementer()).isEqualTo(KeyResult.NOT_SPECIFIED);
  }

  static Stream<Arguments> approvalTiming() {
    return Stream.of(
        Arguments.of(
            "approved one second after the change", "10:00:01", Verdict.APPROVED_AFTER_CHANGE),
        Arguments.of("approved at the very second of the change", "10:00:00", Verdict.AUTHORIZED),
        Arguments.of("approved the day before", "2026-11-16T10:00:00Z", Verdict.AUTHORIZED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("approvalTiming")
  void approvalMustPrecedeTheChange(String name, String approvedAt, Verdict expected) {
    Finding finding =
        verdictFor(
            change("e1", "10:00:00", "alice"), record("CHG1").approvedAt(approvedAt).build());

    assertThat(finding.verdict()).isEqualTo(expected);
    assertThat(finding.candidates().get(0).checks())
        .anySatisfy(
            check -> {
              assertThat(check.name()).isEqualTo("approval-before-change");
              assertThat(check.passed()).isEqualTo(expected == Verdict.AUTHORIZED);
            });
  }

  @Test
  void approvalAfterChangeIsAcceptedWhenThePolicyAllowsIt() {
    MatchPolicy lenient = withPolicy(false, true);
    Finding finding =
        verdictFor(
            change("e1", "10:00:00", "alice"),
            "payments-prod",
            lenient,
            record("CHG1").approvedAt("10:00:01").build());

    assertThat(finding.verdict()).isEqualTo(Verdict.AUTHORIZED);
  }

  @Test
  void implementerWhoIsTheOnlyApproverIsSelfApproved() {
    Finding finding =
        verdictFor(change("e1", "11:00:00", "alice"), record("CHG1").approvedBy("alice").build());

    assertThat(finding.verdict()).isEqualTo(Verdict.SELF_APPROVED);
    assertThat(finding.recordId()).isEqualTo("CHG1");
    assertThat(finding.candidates().get(0).checks())
        .anySatisfy(
            check -> {
              assertThat(check.name()).isEqualTo("segregation-of-duties");
              assertThat(check.passed()).isFalse();
            });
  }

  @Test
  void selfApprovalIsRecognisedThroughAnAlias() {
    Finding finding =
        verdictFor(
            change("e1", "11:00:00", "alice"),
            record("CHG1").approvedBy("ALICE@example.com").build());

    assertThat(finding.verdict()).isEqualTo(Verdict.SELF_APPROVED);
  }

  @Test
  void implementerWhoIsOneOfTwoApproversIsAuthorized() {
    Finding finding =
        verdictFor(
            change("e1", "11:00:00", "alice"), record("CHG1").approvedBy("alice", "bob").build());

    assertThat(finding.verdict()).isEqualTo(Verdict.AUTHORIZED);
  }

  /** A change made by {@code who}'s session on an ordinary role, as CloudTrail shows it. */
  private static ChangeEvent ordinaryRoleSession(String who) {
    ChangeEvent sso = change("e1", "11:00:00", who);
    return sso.withActor(
        new dev.vouch.core.model.Actor(
            "arn:aws:sts::111111111111:assumed-role/deployer/" + who + "@example.com",
            "AssumedRole",
            List.of(),
            null,
            List.of(who + "@example.com", "deployer/" + who + "@example.com"),
            "arn:aws:iam::111111111111:role/deployer",
            List.of()));
  }

  @Test
  void aSessionNameTheCallerChoseDoesNotMakeThemTheImplementer() {
    Finding finding = verdictFor(ordinaryRoleSession("alice"), record("CHG1").build());

    assertThat(finding.verdict()).isEqualTo(Verdict.UNAUTHORIZED);
    assertThat(finding.candidates().get(0).implementer()).isEqualTo(KeyResult.MISMATCH);
    assertThat(finding.evidence())
        .anySatisfy(
            line ->
                assertThat(line)
                    .contains("session name alice@example.com")
                    .contains("arn:aws:iam::111111111111:role/deployer")
                    .contains("identities.trustedSessionRoles"));
  }

  @Test
  void aSessionNameOfARoleThatPinsItIsTrusted() {
    IdentityMap trusting =
        new IdentityMap(
            Map.of("alice", List.of("alice@example.com"), "bob", List.of("bob@example.com")),
            List.of("arn:aws:iam::111111111111:role/deployer"));
    MatchPolicy policy = MatchPolicy.defaults();
    Matcher matcher =
        new Matcher(
            policy,
            new RecordIndex(List.of(record("CHG1").build()), policy),
            trusting,
            RuleSet.load(List.of()));
    ChangeEvent event = ordinaryRoleSession("alice");
    ChangeEvent resolved =
        event.withActor(event.actor().withPerson(trusting.resolve(event.actor()).orElse(null)));

    Finding finding = matcher.evaluate(resolved, "payments-prod");

    assertThat(finding.verdict()).isEqualTo(Verdict.AUTHORIZED);
    assertThat(finding.person()).isEqualTo("alice");
    assertThat(finding.evidence()).anySatisfy(line -> assertThat(line).contains("trusted"));
  }

  @Test
  void anImpersonatorIsAnImplementerAndNotAnIndependentApprover() {
    ChangeEvent base = change("e1", "11:00:00", "alice");
    ChangeEvent impersonating =
        base.withActor(
            new dev.vouch.core.model.Actor(
                "system:serviceaccount:shop:deployer",
                "serviceaccount",
                List.of("system:serviceaccount:shop:deployer"),
                null,
                List.of(),
                null,
                List.of("bob@example.com")));

    // bob acted through the service account: he may not approve his own change...
    Finding approvedByImpersonator =
        verdictFor(impersonating, record("CHG1").implementers("bob").approvedBy("bob").build());
    // ...and a record naming him as implementer covers it.
    Finding approvedByCarol =
        verdictFor(impersonating, record("CHG1").implementers("bob").approvedBy("carol").build());

    assertThat(approvedByImpersonator.verdict()).isEqualTo(Verdict.SELF_APPROVED);
    assertThat(approvedByImpersonator.via()).containsExactly("bob@example.com");
    assertThat(approvedByCarol.verdict()).isEqualTo(Verdict.AUTHORIZED);
    assertThat(approvedByCarol.evidence())
        .anySatisfy(line -> assertThat(line).contains("made through bob@example.com"));
  }

  @Test
  void anApproverWhoIsAnotherImplementerOfTheRecordIsNotIndependent() {
    Finding finding =
        verdictFor(
            change("e1", "11:00:00", "alice"),
            record("CHG1").implementers("alice", "bob").approvedBy("bob").build());

    assertThat(finding.verdict()).isEqualTo(Verdict.SELF_APPROVED);
  }

  @Test
  void aReferenceOnlyRecordCoversOnlyTheChangesThatNameIt() {
    ChangeRecord pullRequest =
        withReferenceOnly(record("acme/shop#12").implementers("alice").build());

    Finding named =
        verdictFor(
            change("e1", "11:00:00", "alice", "Merge pull request #12 acme/shop#12"), pullRequest);
    Finding unnamed = verdictFor(change("e2", "11:00:00", "alice"), pullRequest);

    assertThat(named.verdict()).isEqualTo(Verdict.AUTHORIZED);
    assertThat(named.recordId()).isEqualTo("acme/shop#12");
    assertThat(unnamed.verdict()).isEqualTo(Verdict.UNAUTHORIZED);
    assertThat(unnamed.candidates()).isEmpty();
  }

  @Test
  void aRewrittenHistoryIsAFindingOfItsOwnNamingWhatDisappeared() {
    ChangeEvent rewrite =
        new ChangeEvent(
            "repo",
            "git",
            "rewrite-1",
            Fixtures.at("11:00:00"),
            dev.vouch.core.model.EventClass.CHANGE,
            true,
            new dev.vouch.core.model.Coordinates("git", "acme/shop", "main"),
            new dev.vouch.core.model.Actor("unknown", "git", List.of(), null),
            "force-push main",
            List.of("abc123", "def456"),
            List.of(),
            Map.of(ChangeEvent.HISTORY_REWRITTEN_ATTRIBUTE, "true"),
            "{}");

    Finding finding = verdictFor(rewrite, record("CHG1").build());

    assertThat(finding.verdict()).isEqualTo(Verdict.HISTORY_REWRITTEN);
    assertThat(finding.verdict().needsReview()).isTrue();
    assertThat(finding.evidence())
        .containsExactly(
            "commit no longer on the branch: abc123", "commit no longer on the branch: def456");
  }

  @Test
  void aPullRequestApprovedOnlyAfterItsMergeIsApprovedAfterTheChange() {
    ChangeRecord pullRequest =
        withReferenceOnly(
            record("acme/shop#14").implementers("alice").approvedAt("11:30:00").build());

    Finding finding =
        verdictFor(change("e1", "11:00:00", "alice", "Fix (#14) acme/shop#14"), pullRequest);

    assertThat(finding.verdict()).isEqualTo(Verdict.APPROVED_AFTER_CHANGE);
    assertThat(finding.recordId()).isEqualTo("acme/shop#14");
  }

  @Test
  void evidenceAttributesAreListedOnTheFindingWithoutDecidingIt() {
    ChangeEvent event =
        change(
            "e1",
            "11:00:00",
            "alice",
            Map.of("evidence.git.reviewedBy", "commit trailer Reviewed-by: bob"));

    Finding finding = verdictFor(event);

    assertThat(finding.verdict()).isEqualTo(Verdict.UNAUTHORIZED);
    assertThat(finding.evidence()).contains("commit trailer Reviewed-by: bob");
  }

  private static ChangeRecord withReferenceOnly(ChangeRecord r) {
    return new ChangeRecord(
        r.key(),
        r.source(),
        r.title(),
        r.type(),
        r.state(),
        r.systems(),
        r.window(),
        r.implementers(),
        r.approvals(),
        r.requestedBy(),
        r.risk(),
        r.backoutPlan(),
        r.testEvidence(),
        r.url(),
        r.updatedAt(),
        r.location(),
        true);
  }

  @Test
  void selfApprovalIsAcceptedWhenSegregationOfDutiesIsOff() {
    Finding finding =
        verdictFor(
            change("e1", "11:00:00", "alice"),
            "payments-prod",
            withPolicy(true, false),
            record("CHG1").approvedBy("alice").build());

    assertThat(finding.verdict()).isEqualTo(Verdict.AUTHORIZED);
  }

  static Stream<Arguments> emergencyDocumentation() {
    // change at 2026-11-17T11:00Z, deadline 72 h: due 2026-11-20T11:00Z
    return Stream.of(
        Arguments.of(
            "documented 10 h after the change", "2026-11-17T21:00:00Z", Verdict.AUTHORIZED),
        Arguments.of(
            "documented exactly at the deadline", "2026-11-20T11:00:00Z", Verdict.AUTHORIZED),
        Arguments.of(
            "documented one second after the deadline",
            "2026-11-20T11:00:01Z",
            Verdict.EMERGENCY_UNDOCUMENTED),
        Arguments.of("never documented", null, Verdict.EMERGENCY_UNDOCUMENTED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("emergencyDocumentation")
  void emergencyRecordsMayBeApprovedAfterwardsWithinTheDeadline(
      String name, @Nullable String approvedAt, Verdict expected) {
    Finding finding =
        verdictFor(
            change("e1", "11:00:00", "alice"),
            record("CHG9").type(ChangeType.EMERGENCY).approvedAt(approvedAt).build());

    assertThat(finding.verdict()).isEqualTo(expected);
    assertThat(finding.recordId()).isEqualTo("CHG9");
  }

  @Test
  void overlappingRecordsPreferTheOneThatAuthorizes() {
    ChangeRecord late = record("CHG1").approvedAt("11:30:00").build();
    ChangeRecord good = record("CHG2").window("10:30:00", "13:00:00").build();

    Finding finding = verdictFor(change("e1", "11:00:00", "alice"), late, good);

    assertThat(finding.verdict()).isEqualTo(Verdict.AUTHORIZED);
    assertThat(finding.recordId()).isEqualTo("CHG2");
    assertThat(finding.candidates()).extracting(c -> c.recordId()).containsExactly("CHG2", "CHG1");
  }

  @Test
  void otherPeoplesRecordsAtOtherTimesAreCountedNotListed() {
    ChangeRecord covering = record("CHG1").implementers("bob").build();
    ChangeRecord bobsLater =
        record("CHG2").implementers("bob").window("14:00:00", "15:00:00").build();
    ChangeRecord alicesLater =
        record("CHG3").implementers("alice").window("14:00:00", "15:00:00").build();

    Finding finding =
        verdictFor(change("e1", "11:00:00", "alice"), covering, bobsLater, alicesLater);

    assertThat(finding.verdict()).isEqualTo(Verdict.OUTSIDE_WINDOW);
    assertThat(finding.candidates())
        .as("a record covering the time, and the person's own record, bear on the verdict")
        .extracting(c -> c.recordId())
        .containsExactlyInAnyOrder("CHG1", "CHG3");
    assertThat(finding.evidence())
        .contains(
            "1 other record(s) of payments-prod near this time were considered and set aside: each"
                + " is for other implementers and none covers this time");
  }

  @Test
  void overlappingRecordsGiveTheSameAnswerWhateverTheirOrder() {
    ChangeRecord a = record("CHG1").approvedBy("alice").build();
    ChangeRecord b = record("CHG2").approvedAt("11:30:00").build();

    Finding first = verdictFor(change("e1", "11:00:00", "alice"), a, b);
    Finding second = verdictFor(change("e1", "11:00:00", "alice"), b, a);

    assertThat(first).isEqualTo(second);
  }

  @Test
  void outsideWindowNamesTheNearestRecord() {
    ChangeRecord morning = record("CHG1").window("08:00:00", "09:00:00").build();
    ChangeRecord afternoon = record("CHG2").window("14:00:00", "15:00:00").build();

    Finding finding = verdictFor(change("e1", "16:10:00", "alice"), morning, afternoon);

    assertThat(finding.verdict()).isEqualTo(Verdict.OUTSIDE_WINDOW);
    assertThat(finding.recordId()).isEqualTo("CHG2");
    assertThat(finding.candidates().get(0).outsideWindowBy()).isEqualTo(Duration.ofMinutes(70));
  }

  @Test
  void rejectedOrCancelledRecordsDoNotAuthorize() {
    Finding finding =
        verdictFor(
            change("e1", "11:00:00", "alice"),
            record("CHG1").state(RecordState.REJECTED).build(),
            record("CHG2").state(RecordState.CANCELLED).build());

    assertThat(finding.verdict()).isEqualTo(Verdict.UNAUTHORIZED);
    assertThat(finding.candidates()).hasSize(2);
  }

  @Test
  void implementedAndClosedRecordsAuthorize() {
    assertThat(
            verdictFor(
                    change("e1", "11:00:00", "alice"),
                    record("CHG1").state(RecordState.CLOSED).build())
                .verdict())
        .isEqualTo(Verdict.AUTHORIZED);
    assertThat(
            verdictFor(
                    change("e1", "11:00:00", "alice"),
                    record("CHG1").state(RecordState.IMPLEMENTED).build())
                .verdict())
        .isEqualTo(Verdict.AUTHORIZED);
  }

  @Test
  void explicitReferenceTiesAChangeFarOutsideTheWindow() {
    ChangeEvent event = change("e1", "2026-11-25T11:00:00Z", "carol", "carol-CHG0001234");

    Finding finding =
        verdictFor(event, record("CHG0001234").window("10:00:00", "12:00:00").build());

    assertThat(finding.verdict()).isEqualTo(Verdict.OUTSIDE_WINDOW);
    assertThat(finding.recordId()).isEqualTo("CHG0001234");
    assertThat(finding.evidence()).anyMatch(e -> e.contains("CHG0001234"));
    assertThat(finding.candidates().get(0).explicitReference()).isTrue();
  }

  @Test
  void explicitReferenceIsPreferredAmongCoveringRecords() {
    ChangeEvent event = change("e1", "11:00:00", "alice", "alice-CHG0000002");

    Finding finding = verdictFor(event, record("CHG0000001").build(), record("CHG0000002").build());

    assertThat(finding.recordId()).isEqualTo("CHG0000002");
  }

  @Test
  void unknownSystemIsUnauthorizedAndSaysSo() {
    Finding finding =
        verdictFor(
            change("e1", "11:00:00", "alice"),
            null,
            MatchPolicy.defaults(),
            record("CHG1").build());

    assertThat(finding.verdict()).isEqualTo(Verdict.UNAUTHORIZED);
    assertThat(finding.system()).isNull();
    assertThat(finding.summary()).contains("Unknown system").contains("aws:111111111111/eu-west-1");
  }

  @Test
  void awsServicePrincipalsAreExcludedByTheBuiltInRule() {
    ChangeEvent event =
        change("e1", "11:00:00", "alice", Map.of("aws.userIdentity.type", "AWSService"));

    Finding finding = verdictFor(event);

    assertThat(finding.verdict()).isEqualTo(Verdict.EXCLUDED);
    assertThat(finding.ruleId()).isEqualTo("builtin.aws.service-principal");
  }

  @Test
  void callsInvokedByAServiceThatActsOnItsOwnAreExcludedByItsBuiltInRule() {
    ChangeEvent event =
        change("e1", "11:00:00", "alice", Map.of("aws.invokedBy", "autoscaling.amazonaws.com"));

    Finding finding = verdictFor(event);

    assertThat(finding.verdict()).isEqualTo(Verdict.EXCLUDED);
    assertThat(finding.ruleId()).isEqualTo("builtin.aws.invoked-by.autoscaling");
    assertThat(finding.summary()).contains("Amazon EC2 Auto Scaling");
  }

  @ParameterizedTest(name = "invokedBy {0}")
  @MethodSource("invokersOfPeoplesChanges")
  void callsMadeThroughTheConsoleOrAToolAPersonDrivesAreReviewed(String invokedBy) {
    ChangeEvent event = change("e1", "11:00:00", "alice", Map.of("aws.invokedBy", invokedBy));

    assertThat(verdictFor(event).verdict()).isEqualTo(Verdict.UNAUTHORIZED);
  }

  static Stream<String> invokersOfPeoplesChanges() {
    return Stream.of(
        "signin.amazonaws.com",
        "console.amazonaws.com",
        "AWS Internal",
        "cloudformation.amazonaws.com",
        "sso.amazonaws.com",
        "unreviewed.amazonaws.com");
  }

  @Test
  void standardChangeRuleFromConfigPreApprovesAndRecordsItsId() throws Exception {
    String yaml =
        """
        - id: ops.rotate-keys
          action: standard-change
          reason: Weekly key rotation by the platform bot, approved as standard change SC-12.
          when:
            aws.eventName: [AuthorizeSecurityGroupIngress]
            actor: "*carol*"
        """;
    List<ConfigProblem> problems = new ArrayList<>();
    var tree = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    List<SettingsNode> nodes = new ArrayList<>();
    for (int i = 0; i < tree.size(); i++) {
      nodes.add(new SettingsNode(tree.get(i), "rules[" + i + "]", problems, n -> null));
    }
    RuleSet rules = RuleSet.load(nodes);
    assertThat(problems).isEmpty();
    MatchPolicy policy = MatchPolicy.defaults();
    Matcher matcher = new Matcher(policy, new RecordIndex(List.of(), policy), PEOPLE, rules);

    Finding carol = matcher.evaluate(change("e1", "11:00:00", "carol"), "payments-prod");
    Finding alice = matcher.evaluate(change("e2", "11:00:00", "alice"), "payments-prod");

    assertThat(carol.verdict()).isEqualTo(Verdict.STANDARD_CHANGE);
    assertThat(carol.ruleId()).isEqualTo("ops.rotate-keys");
    assertThat(alice.verdict()).isEqualTo(Verdict.UNAUTHORIZED);
  }

  @Test
  void riskCategoriesAreFlaggedWithoutChangingTheVerdict() {
    Finding finding = verdictFor(change("e1", "11:00:00", "alice"), record("CHG1").build());

    assertThat(finding.verdict()).isEqualTo(Verdict.AUTHORIZED);
    assertThat(finding.risks()).containsExactly("network");
  }

  private static MatchPolicy withPolicy(boolean approvalFirst, boolean sod) {
    MatchPolicy d = MatchPolicy.defaults();
    return new MatchPolicy(
        d.graceBefore(),
        d.graceAfter(),
        d.proximity(),
        approvalFirst,
        sod,
        Duration.ofHours(72),
        d.referencePatterns());
  }
}
