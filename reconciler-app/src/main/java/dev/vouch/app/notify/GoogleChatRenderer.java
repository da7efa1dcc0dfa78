package dev.vouch.app.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * A Google Chat incoming-webhook message with one {@code cardsV2} card: the headline and window in
 * the card's header, the counts, what an incomplete run missed, one paragraph per listed finding,
 * "and N more", and a button to the report.
 *
 * <p>Card text is a small HTML subset: values are HTML-escaped and appear only in {@code
 * textParagraph} text, where Vouch's own {@code <b>} and {@code <br>} are the only tags. The
 * message's {@code text} (shown in notifications) holds only Vouch's own words, since Chat's text
 * syntax ({@code *bold*}, {@code <users/all>}) has no escape. The request stays under {@link
 * #MAX_BYTES}, a margin under Chat's 32,000-byte limit per message.
 */
final class GoogleChatRenderer implements Renderer {
  static final int MAX_BYTES = 30_000;
  static final int TOP = 10;
  static final int INCOMPLETE_LINES = 5;

  private final DigestText text = new DigestText(Text::html);

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
    ObjectNode message = Messages.mapper().createObjectNode();
    // Vouch's own words, and nothing that Chat's text syntax could read as a mention or a link.
    message.put("text", headlineOnly(digest));
    ObjectNode entry = message.putArray("cardsV2").addObject();
    entry.put("cardId", "vouch-run-" + digest.runId());
    ObjectNode card = entry.putObject("card");
    card.putObject("header").put("title", headlineOnly(digest)).put("subtitle", windowOnly(digest));
    ArrayNode sections = card.putArray("sections");
    paragraph(section(sections, null), text.counts(digest));
    if (digest.incomplete() != null) {
      ArrayNode widgets = section(sections, "INCOMPLETE");
      paragraph(
          widgets,
          "<b>"
              + text.incompleteTitle()
              + "</b><br>"
              + String.join("<br>", text.incompleteLines(digest.incomplete(), INCOMPLETE_LINES)));
    }
    if (shown > 0 || digest.total() > 0) {
      ArrayNode widgets = section(sections, "Findings");
      for (Digest.Item item : digest.items().subList(0, shown)) {
        paragraph(
            widgets,
            "<b>"
                + text.heading(item)
                + "</b><br>"
                + text.whoDid(item)
                + "<br>"
                + text.whenWhy(item));
      }
      long more = digest.total() - shown;
      if (more > 0) {
        paragraph(widgets, "<i>" + text.more(more, digest.reportUrl() != null) + "</i>");
      }
    }
    if (digest.reportUrl() != null) {
      section(sections, null)
          .addObject()
          .putObject("buttonList")
          .putArray("buttons")
          .addObject()
          .put("text", digest.sample() ? "Open Vouch" : "Open the report")
          .putObject("onClick")
          .putObject("openLink")
          .put("url", digest.reportUrl().toString());
    }
    return message;
  }

  /**
   * The headline in plain text, for fields that are not HTML (the header, the message text): it is
   * made of Vouch's own words and numbers only.
   */
  private static String headlineOnly(Digest digest) {
    return new DigestText(Text::plain).headline(digest);
  }

  /** The window and status, without the channel's name, in plain text for the header. */
  private static String windowOnly(Digest digest) {
    String window = new DigestText(Text::plain).window(digest);
    int to = window.lastIndexOf(DigestText.DOT + "to: ");
    return to < 0 ? window : window.substring(0, to);
  }

  private static ArrayNode section(ArrayNode sections, @Nullable String header) {
    ObjectNode section = sections.addObject();
    if (header != null) {
      section.put("header", header);
    }
    return section.putArray("widgets");
  }

  private static void paragraph(ArrayNode widgets, String html) {
    widgets.addObject().putObject("textParagraph").put("text", html);
  }
}
