package dev.vouch.app.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Slack incoming-webhook message in Block Kit: a header, the window, the counts, what an
 * incomplete run missed, one section per listed finding, "and N more", and the report link.
 *
 * <p>Every value from an event goes into a {@code plain_text} object, which Slack never formats,
 * with {@code &}, {@code <} and {@code >} as entities, so {@code <!channel>} or {@code *bold*}
 * arrive as text. The only {@code mrkdwn} is the report link, made of the configured public URL.
 * The top-level {@code text} (the notification fallback) holds only Vouch's own words.
 *
 * <p>Limits kept (Slack's documented ones, and a margin under the undocumented total): at most 50
 * blocks, 3,000 characters per section and 150 per header, and the blocks at most {@link
 * #MAX_BLOCKS_JSON} characters of JSON, under the {@code msg_blocks_too_long} rejection reported at
 * about 13,000.
 */
final class SlackRenderer implements Renderer {
  static final int MAX_BLOCKS = 50;
  static final int MAX_SECTION_TEXT = 3_000;
  static final int MAX_HEADER_TEXT = 150;
  static final int MAX_FALLBACK_TEXT = 3_000;
  static final int MAX_BLOCKS_JSON = 12_000;

  /** Findings listed in full: enough to act on, few enough to read in a channel. */
  static final int TOP = 10;

  /** Lines per kind (sources, gaps) of an incomplete run. */
  static final int INCOMPLETE_LINES = 5;

  private final DigestText text = new DigestText(Text::slack);

  @Override
  public Payload render(Digest digest) {
    int max = Math.min(TOP, digest.items().size());
    Fitting.Fitted<ObjectNode> fitted =
        Fitting.largest(max, n -> message(digest, n), SlackRenderer::withinLimits);
    return new Payload(Messages.bytes(fitted.message()), Messages.JSON, fitted.shown());
  }

  private ObjectNode message(Digest digest, int shown) {
    ObjectNode message = Messages.mapper().createObjectNode();
    message.put("text", Text.fit(plainFallback(digest), MAX_FALLBACK_TEXT, s -> s));
    ArrayNode blocks = message.putArray("blocks");
    ObjectNode header = blocks.addObject().put("type", "header");
    plain(header.putObject("text"), Text.fit(text.headline(digest), MAX_HEADER_TEXT, s -> s));
    ObjectNode window = blocks.addObject().put("type", "context");
    plain(window.putArray("elements").addObject(), text.window(digest));
    section(blocks, text.counts(digest));
    if (digest.incomplete() != null) {
      StringBuilder lines = new StringBuilder(text.incompleteTitle());
      for (String line : text.incompleteLines(digest.incomplete(), INCOMPLETE_LINES)) {
        lines.append("\n• ").append(line);
      }
      section(blocks, lines.toString());
    }
    blocks.addObject().put("type", "divider");
    for (Digest.Item item : digest.items().subList(0, shown)) {
      section(blocks, text.heading(item) + "\n" + text.whoDid(item) + "\n" + text.whenWhy(item));
    }
    long more = digest.total() - shown;
    if (more > 0) {
      ObjectNode context = blocks.addObject().put("type", "context");
      plain(context.putArray("elements").addObject(), text.more(more, digest.reportUrl() != null));
    }
    if (digest.reportUrl() != null) {
      ObjectNode link = blocks.addObject().put("type", "section");
      link.putObject("text")
          .put("type", "mrkdwn")
          .put(
              "text",
              "<"
                  + Text.slack(digest.reportUrl().toString())
                  + "|"
                  + text.reportLabel(digest)
                  + ">")
          .put("verbatim", true);
    }
    return message;
  }

  /** The fallback: headline and counts, Vouch's own words only, escaped. */
  private String plainFallback(Digest digest) {
    return text.headline(digest) + "\n" + text.counts(digest);
  }

  /**
   * A section of plain text. Its parts are already cut to lengths that keep it far under Slack's
   * limit; the cut here only guards that limit.
   */
  private static void section(ArrayNode blocks, String content) {
    ObjectNode section = blocks.addObject().put("type", "section");
    plain(section.putObject("text"), Text.fit(content, MAX_SECTION_TEXT, s -> s));
  }

  private static void plain(ObjectNode node, String content) {
    node.put("type", "plain_text").put("text", content).put("emoji", false);
  }

  static boolean withinLimits(ObjectNode message) {
    ArrayNode blocks = (ArrayNode) message.get("blocks");
    if (blocks.size() > MAX_BLOCKS || Messages.chars(blocks) > MAX_BLOCKS_JSON) {
      return false;
    }
    if (message.get("text").asText().length() > MAX_FALLBACK_TEXT) {
      return false;
    }
    for (var block : blocks) {
      String type = block.path("type").asText();
      int length = block.path("text").path("text").asText().length();
      if (type.equals("header") && length > MAX_HEADER_TEXT) {
        return false;
      }
      if (type.equals("section") && length > MAX_SECTION_TEXT) {
        return false;
      }
    }
    return true;
  }
}
