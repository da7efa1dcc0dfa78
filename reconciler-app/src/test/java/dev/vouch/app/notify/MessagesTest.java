package dev.vouch.app.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vouch.core.config.NotificationSettings.Type;
import dev.vouch.core.model.Finding;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.run.RunStatus;
import dev.vouch.core.run.RunSummary;
import dev.vouch.core.run.SourceOutcome;
import dev.vouch.testkit.TestData;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each target's message for one small run, posted with the real HTTP client to a local server and
 * compared, as received, with the whole expected document.
 */
class MessagesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final URI PUBLIC = URI.create("https://vouch.example.com/");

  /** Three findings needing review (one on no system) and one authorized, which is not told. */
  static List<Finding> findings() {
    return List.of(
        TestData.finding("cloudtrail:111122223333:e1")
            .verdict(Verdict.UNAUTHORIZED)
            .risks("logging")
            .person("alice")
            .action("cloudtrail.amazonaws.com:StopLogging")
            .build(),
        TestData.finding("cloudtrail:111122223333:e2")
            .verdict(Verdict.SELF_APPROVED)
            .recordId("CHG0001")
            .risks("iam")
            .person("bob")
            .action("iam.amazonaws.com:CreateUser")
            .occurredAt(TestData.T0.plus(Duration.ofHours(1)))
            .build(),
        TestData.finding("cloudtrail:999988887777:e3")
            .verdict(Verdict.UNAUTHORIZED)
            .system(null)
            .actor("root@999988887777")
            .action("s3.amazonaws.com:PutBucketPolicy")
            .occurredAt(TestData.T0.plus(Duration.ofHours(2)))
            .build(),
        TestData.finding("cloudtrail:111122223333:e4").verdict(Verdict.AUTHORIZED).build());
  }

  private static Digest digest() {
    return Digests.build(
            Fixtures.notification("security", Type.SLACK, URI.create("http://127.0.0.1/")),
            Fixtures.run(7),
            findings(),
            PUBLIC)
        .orElseThrow();
  }

  private static JsonNode received(Type type, Digest digest) throws Exception {
    Payload payload = Renderer.of(type).render(digest);
    return Fixtures.postThroughHttp(type, payload).json();
  }

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @Test
  void slackGetsBlockKitWithEveryValueInPlainText() throws Exception {
    assertThat(received(Type.SLACK, digest()))
        .isEqualTo(
            json(
                """
                {"text": "Vouch run 7: 3 findings need review\\nUNAUTHORIZED 2 · SELF_APPROVED 1",
                 "blocks": [
                  {"type": "header", "text": {"type": "plain_text",
                    "text": "Vouch run 7: 3 findings need review", "emoji": false}},
                  {"type": "context", "elements": [{"type": "plain_text", "emoji": false,
                    "text": "Window 2026-10-01 00:00Z to 2026-10-02 00:00Z · COMPLETE · to: security"}]},
                  {"type": "section", "text": {"type": "plain_text", "emoji": false,
                    "text": "UNAUTHORIZED 2 · SELF_APPROVED 1"}},
                  {"type": "divider"},
                  {"type": "section", "text": {"type": "plain_text", "emoji": false,
                    "text": "UNAUTHORIZED · risk critical (logging) · payments\\nalice: cloudtrail.amazonaws.com:StopLogging\\n2026-10-01 12:00:00Z · no approved record for payments at 12:00Z"}},
                  {"type": "section", "text": {"type": "plain_text", "emoji": false,
                    "text": "SELF_APPROVED · risk high (iam) · payments\\nbob: iam.amazonaws.com:CreateUser\\n2026-10-01 13:00:00Z · CHG0001 has no approver independent of bob and its implementers"}},
                  {"type": "section", "text": {"type": "plain_text", "emoji": false,
                    "text": "UNAUTHORIZED · risk low · no configured system\\nroot@999988887777: s3.amazonaws.com:PutBucketPolicy\\n2026-10-01 14:00:00Z · on no configured system, so no record can cover it"}},
                  {"type": "section", "text": {"type": "mrkdwn", "verbatim": true,
                    "text": "<https://vouch.example.com/run-7/summary.html|Open the report>"}}
                 ]}
                """));
  }

  @Test
  void teamsGetsAnAdaptiveCardInAWorkflowsMessage() throws Exception {
    assertThat(received(Type.TEAMS, digest()))
        .isEqualTo(
            json(
                """
                {"type": "message", "attachments": [{
                  "contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": null,
                  "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard", "version": "1.4", "msteams": {"width": "Full"},
                    "body": [
                      {"type": "TextBlock", "text": "Vouch run 7: 3 findings need review", "wrap": true,
                       "weight": "Bolder", "size": "Medium"},
                      {"type": "TextBlock", "wrap": true, "isSubtle": true, "spacing": "None",
                       "text": "Window 2026-10-01 00:00Z to 2026-10-02 00:00Z · COMPLETE · to: security"},
                      {"type": "TextBlock", "text": "UNAUTHORIZED 2 · SELF\\\\_APPROVED 1", "wrap": true},
                      {"type": "Container", "separator": true, "items": [
                        {"type": "TextBlock", "wrap": true, "weight": "Bolder",
                         "text": "UNAUTHORIZED · risk critical \\\\(logging\\\\) · payments"},
                        {"type": "FactSet", "facts": [
                          {"title": "Who", "value": "alice"},
                          {"title": "Action", "value": "cloudtrail.amazonaws.com:StopLogging"},
                          {"title": "When", "value": "2026-10-01 12:00:00Z"},
                          {"title": "Why", "value": "no approved record for payments at 12:00Z"}]}]},
                      {"type": "Container", "separator": true, "items": [
                        {"type": "TextBlock", "wrap": true, "weight": "Bolder",
                         "text": "SELF\\\\_APPROVED · risk high \\\\(iam\\\\) · payments"},
                        {"type": "FactSet", "facts": [
                          {"title": "Who", "value": "bob"},
                          {"title": "Action", "value": "iam.amazonaws.com:CreateUser"},
                          {"title": "When", "value": "2026-10-01 13:00:00Z"},
                          {"title": "Why", "value": "CHG0001 has no approver independent of bob and its implementers"}]}]},
                      {"type": "Container", "separator": true, "items": [
                        {"type": "TextBlock", "wrap": true, "weight": "Bolder",
                         "text": "UNAUTHORIZED · risk low · no configured system"},
                        {"type": "FactSet", "facts": [
                          {"title": "Who", "value": "root@999988887777"},
                          {"title": "Action", "value": "s3.amazonaws.com:PutBucketPolicy"},
                          {"title": "When", "value": "2026-10-01 14:00:00Z"},
                          {"title": "Why", "value": "on no configured system, so no record can cover it"}]}]}
                    ],
                    "actions": [{"type": "Action.OpenUrl", "title": "Open the report",
                      "url": "https://vouch.example.com/run-7/summary.html"}]}}]}
                """));
  }

  @Test
  void googleChatGetsACardsV2Card() throws Exception {
    assertThat(received(Type.GOOGLECHAT, digest()))
        .isEqualTo(
            json(
                """
                {"text": "Vouch run 7: 3 findings need review",
                 "cardsV2": [{"cardId": "vouch-run-7", "card": {
                   "header": {"title": "Vouch run 7: 3 findings need review",
                              "subtitle": "Window 2026-10-01 00:00Z to 2026-10-02 00:00Z · COMPLETE"},
                   "sections": [
                     {"widgets": [{"textParagraph": {"text": "UNAUTHORIZED 2 · SELF_APPROVED 1"}}]},
                     {"header": "Findings", "widgets": [
                       {"textParagraph": {"text": "<b>UNAUTHORIZED · risk critical (logging) · payments</b><br>alice: cloudtrail.amazonaws.com:StopLogging<br>2026-10-01 12:00:00Z · no approved record for payments at 12:00Z"}},
                       {"textParagraph": {"text": "<b>SELF_APPROVED · risk high (iam) · payments</b><br>bob: iam.amazonaws.com:CreateUser<br>2026-10-01 13:00:00Z · CHG0001 has no approver independent of bob and its implementers"}},
                       {"textParagraph": {"text": "<b>UNAUTHORIZED · risk low · no configured system</b><br>root@999988887777: s3.amazonaws.com:PutBucketPolicy<br>2026-10-01 14:00:00Z · on no configured system, so no record can cover it"}}]},
                     {"widgets": [{"buttonList": {"buttons": [{"text": "Open the report",
                       "onClick": {"openLink": {"url": "https://vouch.example.com/run-7/summary.html"}}}]}}]}
                   ]}}]}
                """));
  }

  @Test
  void aWebhookGetsVouchsOwnDocument() throws Exception {
    assertThat(received(Type.WEBHOOK, digest()))
        .isEqualTo(
            json(
                """
                {"schema": "vouch.digest.v1", "id": "run-7:security", "sample": false,
                 "notification": "security",
                 "run": {"id": 7, "status": "COMPLETE",
                         "window": {"start": "2026-10-01T00:00:00Z", "end": "2026-10-02T00:00:00Z"},
                         "reportUrl": "https://vouch.example.com/run-7/summary.html"},
                 "counts": {"UNAUTHORIZED": 2, "SELF_APPROVED": 1},
                 "total": 3,
                 "findings": [
                   {"eventKey": "cloudtrail:111122223333:e1", "source": "aws-prod", "system": "payments",
                    "occurredAt": "2026-10-01T12:00:00Z",
                    "actor": "arn:aws:sts::111122223333:assumed-role/Admin/alice", "person": "alice",
                    "action": "cloudtrail.amazonaws.com:StopLogging", "verdict": "UNAUTHORIZED",
                    "riskLevel": "critical", "risks": ["logging"], "recordId": null,
                    "why": "no approved record for payments at 12:00Z"},
                   {"eventKey": "cloudtrail:111122223333:e2", "source": "aws-prod", "system": "payments",
                    "occurredAt": "2026-10-01T13:00:00Z",
                    "actor": "arn:aws:sts::111122223333:assumed-role/Admin/alice", "person": "bob",
                    "action": "iam.amazonaws.com:CreateUser", "verdict": "SELF_APPROVED",
                    "riskLevel": "high", "risks": ["iam"], "recordId": "CHG0001",
                    "why": "CHG0001 has no approver independent of bob and its implementers"},
                   {"eventKey": "cloudtrail:999988887777:e3", "source": "aws-prod", "system": null,
                    "occurredAt": "2026-10-01T14:00:00Z", "actor": "root@999988887777", "person": null,
                    "action": "s3.amazonaws.com:PutBucketPolicy", "verdict": "UNAUTHORIZED",
                    "riskLevel": "low", "risks": [], "recordId": null,
                    "why": "on no configured system, so no record can cover it"}],
                 "more": 0,
                 "incomplete": null}
                """));
  }

  /** An incomplete run with a failed source and a gap, and more findings than a message lists. */
  private static Digest incompleteDigest() {
    RunSummary run =
        TestData.runSummary(8, TestData.DAY)
            .status(RunStatus.INCOMPLETE)
            .source(
                new SourceOutcome(
                    "org-trail",
                    "cloudtrail",
                    SourceOutcome.Kind.CHANGES,
                    SourceOutcome.Coverage.FAILED,
                    0,
                    0,
                    "nothing read",
                    "trail directory /var/trail does not exist"))
            .changeSource("prod-eu-audit", "kubernetes-audit", 10)
            .gap("aws:111122223333/eu-west-1", LocalDate.parse("2026-10-01"), "no data")
            .build();
    List<Finding> many =
        java.util.stream.IntStream.range(0, 12)
            .mapToObj(
                i ->
                    TestData.finding("k:" + i)
                        .person("p" + i)
                        .action("a" + i)
                        .occurredAt(TestData.T0.plusSeconds(i))
                        .build())
            .toList();
    return Digests.build(
            Fixtures.notification("ops", Type.SLACK, URI.create("http://127.0.0.1/")),
            run,
            many,
            null)
        .orElseThrow();
  }

  @Test
  void anIncompleteRunNamesWhatWasNotSeenAndCountsTheFindingsNotListed() throws Exception {
    Digest digest = incompleteDigest();

    JsonNode slack = received(Type.SLACK, digest);
    JsonNode blocks = slack.get("blocks");
    assertThat(blocks.get(0).at("/text/text").asText())
        .isEqualTo("Vouch run 8: 12 findings need review · INCOMPLETE");
    assertThat(blocks.get(3).at("/text/text").asText())
        .isEqualTo(
            "INCOMPLETE: not everything was seen, so changes there may be missing\n"
                + "• source org-trail FAILED: trail directory /var/trail does not exist\n"
                + "• aws:111122223333/eu-west-1 delivered nothing on 2026-10-01");
    assertThat(blocks.get(4).get("type").asText()).isEqualTo("divider");
    assertThat(blocks).hasSize(5 + SlackRenderer.TOP + 1);
    assertThat(blocks.get(blocks.size() - 1))
        .isEqualTo(
            json(
                "{\"type\": \"context\", \"elements\": [{\"type\": \"plain_text\", \"text\":"
                    + " \"and 2 more\", \"emoji\": false}]}"));

    JsonNode webhook = received(Type.WEBHOOK, digest);
    assertThat(webhook.get("findings")).hasSize(12);
    assertThat(webhook.get("more").asLong()).isZero();
    assertThat(webhook.get("incomplete"))
        .isEqualTo(
            json(
                """
                {"sources": [{"name": "org-trail", "type": "cloudtrail", "coverage": "FAILED",
                              "error": "trail directory /var/trail does not exist"}],
                 "moreSources": 0,
                 "gaps": [{"partition": "aws:111122223333/eu-west-1", "day": "2026-10-01",
                           "reason": "no data"}],
                 "moreGaps": 0}
                """));

    JsonNode teams = received(Type.TEAMS, digest).at("/attachments/0/content");
    assertThat(teams.at("/body/3"))
        .isEqualTo(
            json(
                """
                {"type": "Container", "style": "attention", "items": [
                  {"type": "TextBlock", "wrap": true, "weight": "Bolder",
                   "text": "INCOMPLETE: not everything was seen, so changes there may be missing"},
                  {"type": "TextBlock", "wrap": true, "spacing": "None",
                   "text": "source org-trail FAILED: trail directory /var/trail does not exist"},
                  {"type": "TextBlock", "wrap": true, "spacing": "None",
                   "text": "aws:111122223333/eu-west-1 delivered nothing on 2026-10-01"}]}
                """));
    assertThat(teams.get("actions")).isNull();

    JsonNode chat = received(Type.GOOGLECHAT, digest).at("/cardsV2/0/card/sections/1");
    assertThat(chat)
        .isEqualTo(
            json(
                """
                {"header": "INCOMPLETE", "widgets": [{"textParagraph": {"text":
                  "<b>INCOMPLETE: not everything was seen, so changes there may be missing</b><br>source org-trail FAILED: trail directory /var/trail does not exist<br>aws:111122223333/eu-west-1 delivered nothing on 2026-10-01"}}]}
                """));
  }
}
