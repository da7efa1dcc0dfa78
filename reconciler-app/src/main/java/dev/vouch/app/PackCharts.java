package dev.vouch.app;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The charts of {@code pack.html}, drawn here as inline SVG: the page must open offline, print, and
 * hold no script, so no charting library in the browser. Every text that comes from the store
 * (system and verdict names) goes through {@link #xml}; the numbers are ours.
 */
final class PackCharts {
  static final String AUTHORIZED_COLOUR = "#4c9a5b";
  static final String EXCEPTION_COLOUR = "#c0392b";

  /**
   * One colour per verdict, none repeated: greens for what is backed, grey for what rules exclude,
   * and distinct warm or dark tones for each kind of exception, so that the bars read without the
   * legend's help for the common cases.
   */
  private static final Map<String, String> VERDICT_COLOURS =
      Map.ofEntries(
          Map.entry("AUTHORIZED", "#4c9a5b"),
          Map.entry("STANDARD_CHANGE", "#9bc99f"),
          Map.entry("EXCLUDED", "#b0b7bb"),
          Map.entry("UNAUTHORIZED", "#c0392b"),
          Map.entry("APPROVED_AFTER_CHANGE", "#e67e22"),
          Map.entry("OUTSIDE_WINDOW", "#f1c40f"),
          Map.entry("SELF_APPROVED", "#8e44ad"),
          Map.entry("EMERGENCY_UNDOCUMENTED", "#d35400"),
          Map.entry("HISTORY_REWRITTEN", "#5d2e1f"),
          Map.entry("UNREADABLE", "#2c3e50"),
          Map.entry("CONFLICTING_EVIDENCE", "#e84393"));

  /** For a verdict this class does not know yet. */
  private static final String OTHER_COLOUR = "#2e6f9e";

  /** Legend columns, wide enough for the longest verdict name at this font size. */
  private static final int LEGEND_COLUMNS = 2;

  private static final int LEGEND_COLUMN_WIDTH = 210;

  private PackCharts() {}

  /**
   * Changes per day of the month: one bar per day, authorized or standard at the bottom and
   * exceptions stacked on top. Days without a change still get their (empty) bar, so a reader sees
   * the whole month and a test can count the days.
   */
  static String daily(YearMonth month, long[] authorized, long[] exceptions) {
    int days = month.lengthOfMonth();
    if (authorized.length != days || exceptions.length != days) {
      throw new IllegalArgumentException("one count per day of " + month + " (" + days + ")");
    }
    long max = 1;
    long total = 0;
    long totalExceptions = 0;
    for (int d = 0; d < days; d++) {
      max = Math.max(max, authorized[d] + exceptions[d]);
      total += authorized[d] + exceptions[d];
      totalExceptions += exceptions[d];
    }
    int left = 40;
    int top = 10;
    int plotHeight = 160;
    int barWidth = 16;
    int step = 20;
    int width = left + days * step + 10;
    int height = top + plotHeight + 40;
    StringBuilder svg = new StringBuilder();
    open(svg, width, height, "daily-title", "daily-desc");
    svg.append("<title id=\"daily-title\">Changes per day of ").append(month).append("</title>\n");
    svg.append("<desc id=\"daily-desc\">")
        .append(total)
        .append(" changes in ")
        .append(month)
        .append(", of which ")
        .append(totalExceptions)
        .append(" exceptions, by UTC day. Changes excluded by rule are not drawn. Per day: ");
    List<String> perDay = new ArrayList<>();
    for (int d = 0; d < days; d++) {
      if (authorized[d] + exceptions[d] > 0) {
        perDay.add(
            (d + 1) + ": " + authorized[d] + " authorized, " + exceptions[d] + " exceptions");
      }
    }
    svg.append(perDay.isEmpty() ? "none" : String.join("; ", perDay)).append(".</desc>\n");
    axes(svg, left, top, plotHeight, width - 10, max);
    for (int d = 0; d < days; d++) {
      int x = left + d * step + (step - barWidth) / 2;
      double okHeight = plotHeight * (double) authorized[d] / max;
      double exHeight = plotHeight * (double) exceptions[d] / max;
      double base = top + plotHeight;
      svg.append("<g class=\"bar\" data-day=\"").append(d + 1).append("\">");
      rect(svg, x, base - okHeight, barWidth, okHeight, AUTHORIZED_COLOUR);
      rect(svg, x, base - okHeight - exHeight, barWidth, exHeight, EXCEPTION_COLOUR);
      svg.append("<text x=\"")
          .append(x + barWidth / 2)
          .append("\" y=\"")
          .append(top + plotHeight + 14)
          .append("\" text-anchor=\"middle\" font-size=\"9\">")
          .append(d + 1)
          .append("</text></g>\n");
    }
    label(svg, left + (width - left) / 2, height - 6, "Day of " + month + " (UTC)", "middle");
    svg.append("<text x=\"10\" y=\"")
        .append(top + plotHeight / 2)
        .append("\" font-size=\"10\" text-anchor=\"middle\" transform=\"rotate(-90 10 ")
        .append(top + plotHeight / 2)
        .append(")\">Changes</text>\n");
    return svg.append("</svg>").toString();
  }

  /**
   * Changes by system, one horizontal bar per system split by verdict. {@code counts} maps system
   * to verdict to count, both in the order they are drawn; {@code verdicts} fixes the colours.
   */
  static String bySystem(Map<String, Map<String, Long>> counts, List<String> verdicts) {
    long max = 1;
    for (Map<String, Long> row : counts.values()) {
      max = Math.max(max, row.values().stream().mapToLong(Long::longValue).sum());
    }
    int left = 140;
    int top = 10;
    int plotWidth = 420;
    int rowHeight = 22;
    int legendHeight = 18 * ((verdicts.size() + LEGEND_COLUMNS - 1) / LEGEND_COLUMNS);
    int plotHeight = Math.max(1, counts.size()) * rowHeight;
    int width = left + plotWidth + 20;
    int height = top + plotHeight + 36 + legendHeight;
    StringBuilder svg = new StringBuilder();
    open(svg, width, height, "system-title", "system-desc");
    svg.append("<title id=\"system-title\">Changes by system and verdict</title>\n");
    List<String> text = new ArrayList<>();
    counts.forEach(
        (name, row) -> {
          List<String> parts = new ArrayList<>();
          row.forEach((verdict, n) -> parts.add(n + " " + verdict));
          text.add(name + ": " + String.join(", ", parts));
        });
    svg.append("<desc id=\"system-desc\">")
        .append(xml(text.isEmpty() ? "No changes." : String.join("; ", text) + "."))
        .append("</desc>\n");
    int y = top;
    for (Map.Entry<String, Map<String, Long>> row : counts.entrySet()) {
      svg.append("<g class=\"system\">");
      svg.append("<text x=\"")
          .append(left - 6)
          .append("\" y=\"")
          .append(y + 15)
          .append("\" font-size=\"10\" text-anchor=\"end\">")
          .append(xml(row.getKey()))
          .append("</text>");
      double x = left;
      for (Map.Entry<String, Long> part : row.getValue().entrySet()) {
        double w = plotWidth * (double) part.getValue() / max;
        rect(svg, x, y + 3, w, rowHeight - 6, colourOf(part.getKey()));
        x += w;
      }
      svg.append("</g>\n");
      y += rowHeight;
    }
    // The x axis: a line and its scale, 0 to the largest system's total.
    line(svg, left, top + plotHeight, left + plotWidth, top + plotHeight);
    label(svg, left, top + plotHeight + 12, "0", "middle");
    label(svg, left + plotWidth, top + plotHeight + 12, String.valueOf(max), "middle");
    label(svg, left + plotWidth / 2, top + plotHeight + 26, "Changes", "middle");
    int ly = top + plotHeight + 36;
    for (int i = 0; i < verdicts.size(); i++) {
      int lx = left + (i % LEGEND_COLUMNS) * LEGEND_COLUMN_WIDTH;
      int row = ly + (i / LEGEND_COLUMNS) * 18;
      rect(svg, lx, row, 10, 10, colourOf(verdicts.get(i)));
      label(svg, lx + 14, row + 9, verdicts.get(i), "start");
    }
    return svg.append("</svg>").toString();
  }

  static String colourOf(String verdict) {
    return VERDICT_COLOURS.getOrDefault(verdict, OTHER_COLOUR);
  }

  private static void open(StringBuilder svg, int width, int height, String title, String desc) {
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"")
        .append(width)
        .append("\" height=\"")
        .append(height)
        .append("\" viewBox=\"0 0 ")
        .append(width)
        .append(' ')
        .append(height)
        .append("\" aria-labelledby=\"")
        .append(title)
        .append(' ')
        .append(desc)
        .append("\">\n");
  }

  private static void axes(
      StringBuilder svg, int left, int top, int plotHeight, int right, long max) {
    line(svg, left, top, left, top + plotHeight);
    line(svg, left, top + plotHeight, right, top + plotHeight);
    label(svg, left - 4, top + plotHeight + 3, "0", "end");
    label(svg, left - 4, top + 8, String.valueOf(max), "end");
  }

  private static void line(StringBuilder svg, int x1, int y1, int x2, int y2) {
    svg.append("<line x1=\"")
        .append(x1)
        .append("\" y1=\"")
        .append(y1)
        .append("\" x2=\"")
        .append(x2)
        .append("\" y2=\"")
        .append(y2)
        .append("\" stroke=\"#000\" stroke-width=\"1\"/>\n");
  }

  private static void label(StringBuilder svg, int x, int y, String text, String anchor) {
    svg.append("<text x=\"")
        .append(x)
        .append("\" y=\"")
        .append(y)
        .append("\" font-size=\"10\" text-anchor=\"")
        .append(anchor)
        .append("\">")
        .append(xml(text))
        .append("</text>\n");
  }

  private static void rect(StringBuilder svg, double x, double y, double w, double h, String fill) {
    svg.append(
        String.format(
            java.util.Locale.ROOT,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" stroke=\"#000\""
                + " stroke-width=\"0.5\"/>",
            x,
            y,
            w,
            h,
            fill));
  }

  /** Escapes text for XML content and attribute values. */
  static String xml(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          // Control characters other than tab and newline are not allowed in XML 1.0 at all.
          if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            out.append('?');
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
