package dev.vouch.app.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Microsoft Teams message for a Workflows webhook ("post to a channel when a webhook request is
 * received"): a {@code message} whose one attachment is an Adaptive Card 1.4. Not the retired
 * Office 365 connector's MessageCard.
 *
 * <p>Adaptive Card text is Markdown, so every value is escaped with backslashes ({@link
 * Text#markdown}). The whole request stays under {@link #MAX_BYTES}, a margin under the roughly 28
 * KB above which Teams refuses a card (413).
 */
final class TeamsRenderer implements Renderer {
  static final int MAX_BYTES = 25_000;
  static final int TOP = 10;
  static final int INCOMPLETE_LINES = 5;

  static final String CARD_TYPE = "application/vnd.microsoft.card.adaptive";
  static final String CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json";
  static final String CARD_VERSION = "1.4";

  private final DigestText text = new DigestText(Text::markdown);

  @Override
  public Payload render(Digest digest) {
    Fitting.Fitted<byte[]> fitted =
        Fitting.largest(
            Math.min(TOP, digest.items().size()),
            n -> Messages.bytes(message(digest, n)),
            bytes -> bytes.length <= MAX_BYTES);
    return new Payload(fitted.message(), Messages.JSON, fitted.shown());
  }

  private ObjectNode message(Digest digest, int shown) {
    ObjectNode message = Messages.mapper().createObjectNode().put("type", "message");
    ObjectNode attachment =
        message.putArray("attachments").addObject().put("contentType", CARD_TYPE);
    attachment.putNull("contentUrl");
    ObjectNode card =
        attachment
            .putObject("content")
            .put("$schema", CARD_SCHEMA)
            .put("type", "AdaptiveCard")
            .put("version", CARD_VERSION);
    // Full width: a digest's lines are long, and the default card is narrow.
    card.putObject("msteams").put("width", "Full");
    ArrayNode body = card.putArray("body");
    textBlock(body, text.headline(digest)).put("weight", "Bolder").put("size", "Medium");
    textBlock(body, text.window(digest)).put("isSubtle", true).put("spacing", "None");
    textBlock(body, text.counts(digest));
    if (digest.incomplete() != null) {
      ObjectNode container = body.addObject().put("type", "Container").put("style", "attention");
      ArrayNode items = container.putArray("items");
      textBlock(items, text.incompleteTitle()).put("weight", "Bolder");
      for (String line : text.incompleteLines(digest.incomplete(), INCOMPLETE_LINES)) {
        textBlock(items, line).put("spacing", "None");
      }
    }
    for (Digest.Item item : digest.items().subList(0, shown)) {
      ObjectNode container = body.addObject().put("type", "Container").put("separator", true);
      ArrayNode items = container.putArray("items");
      textBlock(items, text.heading(item)).put("weight", "Bolder");
      ArrayNode facts = items.addObject().put("type", "FactSet").putArray("facts");
      fact(facts, "Who", text.who(item));
      fact(facts, "Action", text.action(item));
      fact(facts, "When", text.time(item.occurredAt()));
      fact(facts, "Why", text.why(item));
    }
    long more = digest.total() - shown;
    if (more > 0) {
      textBlock(body, text.more(more, digest.reportUrl() != null)).put("isSubtle", true);
    }
    if (digest.reportUrl() != null) {
      card.putArray("actions")
          .addObject()
          .put("type", "Action.OpenUrl")
          .put("title", text.reportLabel(digest))
          .put("url", digest.reportUrl().toString());
    }
    return message;
  }

  private static ObjectNode textBlock(ArrayNode parent, String content) {
    return parent.addObject().put("type", "TextBlock").put("text", content).put("wrap", true);
  }

  private void fact(ArrayNode facts, String title, String value) {
    facts.addObject().put("title", text.words(title)).put("value", value);
  }
}
