package dev.vouch.app.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.core.config.NotificationSettings.Type;
import dev.vouch.core.model.Finding;
import dev.vouch.core.run.RunStatus;
import dev.vouch.core.run.RunSummary;
import dev.vouch.core.run.SourceOutcome;
import dev.vouch.testkit.TestData;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 500 findings whose every text field is hostile and thousands of characters long, in an incomplete
 * run whose sources and gaps are hostile too: each target's message, as the local server received
 * it, stays within the service's limits, lists what fits and counts the rest, and shows every
 * hostile value as text.
 */
class LimitsAndEscapingTest {
  private static final int FINDINGS = 500;
  private static Digest digest;

  @BeforeAll
  static void build() {
    TestData.RunSummaryBuilder run =
        TestData.runSummary(9, TestData.DAY).status(RunStatus.INCOMPLETE);
    for (int i = 0; i < 30; i++) {
      run.source(
          new SourceOutcome(
              Fixtures.HOSTILE + " source " + i,
              "cloudtrail",
              SourceOutcome.Kind.CHANGES,
              SourceOutcome.Coverage.FAILED,
              0,
              0,
              "nothing read",
              Fixtures.HOSTILE + " error " + "E".repeat(3000)));
      run.gap(Fixtures.HOSTILE + " partition " + i, LocalDate.parse("2026-10-01"), "no data");
    }
    RunSummary summary = run.build();
    List<Finding> findings = Fixtures.hostile(FINDINGS);
    digest =
        Digests.build(
                Fixtures.notification(
                    Fixtures.HOSTILE, Type.SLACK, URI.create("http://127.0.0.1/")),
                summary,
                findings,
                URI.create("https://vouch.example.com/a&b/"))
            .orElseThrow();
    assertThat(digest.total()).isEqualTo(FINDINGS);
  }

  private static FakeChannel.Request post(Type type) throws Exception {
    return Fixtures.postThroughHttp(type, Renderer.of(type).render(digest));
  }

  /** Every string value anywhere in a JSON document. */
  private static List<String> strings(JsonNode node) {
    List<String> all = new ArrayList<>();
    collect(node, all);
    return all;
  }

  private static void collect(JsonNode node, List<String> all) {
    if (node.isTextual()) {
      all.add(node.asText());
    }
    node.forEach(child -> collect(child, all));
  }

  private static long more(String line) {
    Matcher m = Pattern.compile("and (\\d+) more").matcher(line);
    assertThat(m.find()).as(line).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  void slackStaysWithinBlockKitLimitsAndShowsEventsOnlyAsPlainText() throws Exception {
    JsonNode message = post(Type.SLACK).json();
    JsonNode blocks = message.get("blocks");

    assertThat(blocks.size()).isLessThanOrEqualTo(50);
    assertThat(blocks.toString().length()).isLessThanOrEqualTo(12_000);
    assertThat(message.get("text").asText().length()).isLessThanOrEqualTo(3_000);
    int sections = 0;
    for (JsonNode block : blocks) {
      String type = block.get("type").asText();
      if (type.equals("header")) {
        assertThat(block.at("/text/text").asText().length()).isLessThanOrEqualTo(150);
      }
      if (type.equals("section") && block.at("/text/type").asText().equals("plain_text")) {
        assertThat(block.at("/text/text").asText().length()).isLessThanOrEqualTo(3_000);
        sections++;
      }
    }
    // Counts, the incomplete run, then the findings that fit; the last block counts the rest.
    int listed = sections - 2;
    assertThat(listed).isBetween(1, SlackRenderer.TOP);
    JsonNode last = blocks.get(blocks.size() - 2);
    assertThat(listed + more(last.at("/elements/0/text").asText())).isEqualTo(FINDINGS);

    // Every text object that is not plain text is Vouch's link, made of the configured URL.
    for (JsonNode block : blocks) {
      if (block.at("/text/type").asText().equals("mrkdwn")) {
        assertThat(block.at("/text/text").asText())
            .isEqualTo("<https://vouch.example.com/a&amp;b/run-9/summary.html|Open the report>");
      }
    }
    assertThat(message.get("text").asText()).doesNotContain("bold", "script", "evil", "channel");
    for (String text : strings(blocks)) {
      // Slack's control characters only as entities: no mention, link or tag can form.
      assertThat(text.replace("&amp;", "").replace("&lt;", "").replace("&gt;", ""))
          .doesNotContain("&")
          .satisfiesAnyOf(
              t -> assertThat(t).doesNotContain("<", ">"),
              t -> assertThat(t).startsWith("<https://vouch.example.com/"));
    }
    String all = String.join("\n", strings(blocks));
    assertThat(all)
        .contains("&lt;!channel&gt; @here *bold* _it_ ~gone~ `code` &lt;script&gt;alert(1)")
        .contains("source &lt;!channel&gt;")
        .contains("…");
  }

  @Test
  void teamsStaysUnderTheCardSizeLimitAndEscapesAllMarkdown() throws Exception {
    FakeChannel.Request request = post(Type.TEAMS);
    assertThat(request.body().length).isLessThanOrEqualTo(28_000);
    JsonNode card = request.json().at("/attachments/0/content");
    JsonNode body = card.get("body");
    long listed = 0;
    for (JsonNode element : body) {
      if (element.get("type").asText().equals("Container") && element.has("separator")) {
        listed++;
      }
    }
    assertThat(listed).isBetween(1L, (long) TeamsRenderer.TOP);
    assertThat(listed + more(body.get(body.size() - 1).get("text").asText())).isEqualTo(FINDINGS);

    for (JsonNode element : body) {
      for (String text : strings(element)) {
        // With every backslash pair taken out, no character that starts Markdown is left.
        String unescaped = text.replaceAll("\\\\.", "");
        assertThat(unescaped).doesNotContainPattern("[\\\\`*_~\\[\\]()<>#{}|!&]");
      }
    }
    String all = String.join("\n", strings(body));
    assertThat(all)
        .contains("\\<\\!channel\\> @here \\*bold\\* \\_it\\_ \\~gone\\~ \\`code\\`")
        .contains("\\[click\\]\\(http://evil.example/x\\)")
        .contains("\\{\\{DATE\\(2017-02-14T06:08:39Z, SHORT\\)\\}\\}");
  }

  @Test
  void googleChatStaysUnderItsMessageLimitAndEscapesHtml() throws Exception {
    FakeChannel.Request request = post(Type.GOOGLECHAT);
    assertThat(request.body().length).isLessThanOrEqualTo(32_000);
    JsonNode message = request.json();
    JsonNode card = message.at("/cardsV2/0/card");

    // What Chat reads with its own text syntax, or as plain text, holds only Vouch's words.
    for (String plain :
        List.of(
            message.get("text").asText(),
            card.at("/header/title").asText(),
            card.at("/header/subtitle").asText())) {
      assertThat(plain).doesNotContain("bold", "script", "evil", "channel", "users/all");
    }
    JsonNode findings = card.at("/sections/2/widgets");
    int listed = findings.size() - 1;
    assertThat(listed).isBetween(1, GoogleChatRenderer.TOP);
    assertThat(listed + more(findings.get(listed).at("/textParagraph/text").asText()))
        .isEqualTo(FINDINGS);

    List<String> paragraphs = card.get("sections").findValuesAsText("text");
    for (String html : paragraphs) {
      // Vouch's own tags taken out, no tag, attribute quote or stray entity is left.
      String text = html.replaceAll("</?b>|</?i>|<br>", "");
      assertThat(text.replaceAll("&(amp|lt|gt|quot|#39);", ""))
          .doesNotContain("<", ">", "\"", "'", "&");
    }
    String all = String.join("\n", paragraphs);
    assertThat(all)
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .contains("&amp;lt;b&amp;gt;")
        .contains("&lt;users/all&gt;");
  }

  @Test
  void theWebhookDocumentKeepsHostileValuesAsDataAndCountsWhatItDoesNotList() throws Exception {
    FakeChannel.Request request = post(Type.WEBHOOK);
    assertThat(request.body().length).isLessThanOrEqualTo(WebhookRenderer.MAX_BYTES);
    JsonNode document = request.json();

    JsonNode findings = document.get("findings");
    assertThat(findings.size()).isBetween(1, Digest.MAX_ITEMS);
    assertThat(findings.size() + document.get("more").asLong()).isEqualTo(FINDINGS);
    assertThat(document.get("total").asLong()).isEqualTo(FINDINGS);
    JsonNode first = findings.get(0);
    // The value itself, on one line and cut: a receiver gets data, not markup.
    assertThat(first.get("actor").asText())
        .startsWith(Fixtures.HOSTILE.replace("\n", " "))
        .endsWith("…")
        .hasSize(Digest.MAX_VALUE);
    assertThat(document.at("/incomplete/sources")).hasSize(Digest.Incomplete.MAX_LISTED);
    assertThat(document.at("/incomplete/moreSources").asInt()).isEqualTo(10);
    assertThat(document.at("/incomplete/moreGaps").asInt()).isEqualTo(10);
    assertThat(new String(request.body(), StandardCharsets.UTF_8)).doesNotContain("\\n");
  }
}
