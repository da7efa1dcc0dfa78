package dev.vouch.app.notify;

import java.util.function.UnaryOperator;

/**
 * Text as chat messages can show it: on one line, cut to a length, and escaped for the target's
 * markup so that whatever an event says arrives as text, never as a mention, a link or formatting.
 */
final class Text {
  static final String ELLIPSIS = "…";

  private Text() {}

  /**
   * The text on one line: line breaks, tabs, other control characters and the Unicode controls that
   * reorder text (bidirectional overrides and isolates, which can make a displayed name read
   * differently from its bytes) become spaces, and runs of spaces one space.
   */
  static String oneLine(String text) {
    StringBuilder out = new StringBuilder(text.length());
    boolean space = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean blank =
          Character.isWhitespace(c)
              || Character.isISOControl(c)
              || c == '\u2028'
              || c == '\u2029'
              || (c >= '\u202A' && c <= '\u202E')
              || (c >= '\u2066' && c <= '\u2069')
              || c == '\u200E'
              || c == '\u200F';
      if (blank) {
        space = out.length() > 0;
      } else {
        if (space) {
          out.append(' ');
          space = false;
        }
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * At most {@code max} characters once escaped: the value, or its longest start that fits with
   * {@link #ELLIPSIS} after it. Cutting before escaping keeps entities and escapes whole, and a
   * surrogate pair is never split.
   */
  static String fit(String raw, int max, UnaryOperator<String> escape) {
    String whole = escape.apply(raw);
    if (whole.length() <= max) {
      return whole;
    }
    int low = 0;
    int high = raw.length();
    // The longest prefix whose escaped form plus the ellipsis fits: escaping only grows text, so
    // the escaped length grows with the prefix and a binary search finds it.
    while (low < high) {
      int mid = (low + high + 1) >>> 1;
      if (escape.apply(prefix(raw, mid)).length() + ELLIPSIS.length() <= max) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return escape.apply(prefix(raw, low)) + ELLIPSIS;
  }

  /** {@link #oneLine} then {@link #fit}: how a value from an event is shown. */
  static String value(String raw, int max, UnaryOperator<String> escape) {
    return fit(oneLine(raw), max, escape);
  }

  private static String prefix(String text, int length) {
    if (length > 0
        && length < text.length()
        && Character.isHighSurrogate(text.charAt(length - 1))) {
      length--;
    }
    return text.substring(0, length).stripTrailing();
  }

  /** No markup: for JSON consumers, which read values, not text. */
  static String plain(String text) {
    return text;
  }

  /**
   * Slack: {@code &}, {@code <} and {@code >} start mentions ({@code <!channel>}), links and
   * entities in every text object, so they are sent as entities. Formatting characters ({@code *},
   * {@code _}, {@code ~}, {@code `}) have no escape in mrkdwn: the renderer puts event values in
   * {@code plain_text} objects, which Slack never formats.
   */
  static String slack(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** Characters that start Markdown (and Adaptive Card) syntax anywhere in a line. */
  private static final String MARKDOWN_SPECIAL = "\\`*_~[]()<>#{}|!&";

  /**
   * Teams: Adaptive Card text blocks and facts are Markdown, so every character that could start
   * emphasis, a link, an HTML tag, an entity or a {@code {{DATE(...)}}} function is escaped with a
   * backslash (CommonMark's escape for any ASCII punctuation), and so are a leading {@code -},
   * {@code +} or {@code 1.} that would start a list.
   */
  static String markdown(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    if (!text.isEmpty() && (text.charAt(0) == '-' || text.charAt(0) == '+')) {
      out.append('\\');
    }
    int digits = 0;
    while (digits < text.length() && Character.isDigit(text.charAt(digits))) {
      digits++;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean listNumber = digits > 0 && i == digits && c == '.';
      if (MARKDOWN_SPECIAL.indexOf(c) >= 0 || listNumber) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  /**
   * Google Chat: card text is a small HTML subset, so the HTML specials are sent as entities; with
   * HTML formatting, Chat's own {@code *bold*} syntax does not apply in cards.
   */
  static String html(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
