package dev.vouch.app;

import dev.vouch.core.catalog.IdentityMap;
import dev.vouch.core.model.EventClass;
import dev.vouch.core.model.Finding;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.run.CoverageGap;
import dev.vouch.core.run.RunStatus;
import dev.vouch.core.run.RunSummary;
import dev.vouch.core.run.SourceOutcome;
import dev.vouch.core.spi.InputProblem;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one-page HTML summary of a run: self-contained (no external assets), every time in UTC to the
 * second, everything interpolated HTML-escaped, and only http(s) links.
 */
final class SummaryPage {
  /** How many resources a change's row names before "and N more". */
  static final int TARGETS_SHOWN = 3;

  private static final DateTimeFormatter TO_THE_SECOND =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private final RunSummary summary;
  private final List<ReviewItem> forReview;
  private final long reviewTotal;
  private final IdentityMap identities;
  private final StringBuilder html = new StringBuilder(16_384);

  /**
   * @param forReview the changes that need review to list, in {@link ReviewOrder#FOR_REVIEW}
   * @param reviewTotal how many changes need review in all
   * @param identities the configured people, to say who approved what as the matcher judged it
   */
  SummaryPage(
      RunSummary summary, List<ReviewItem> forReview, long reviewTotal, IdentityMap identities) {
    this.summary = summary;
    this.forReview = forReview;
    this.reviewTotal = reviewTotal;
    this.identities = identities;
  }

  String render() {
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>Vouch run ")
        .append(summary.runId())
        .append("</title>")
        .append("<style>")
        .append(
            "body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:90em;padding:0 1em;color:#222}")
        .append("table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;")
        .append(
            "padding:.25em .6em;text-align:left;vertical-align:top}.wrap{overflow-wrap:anywhere}th{background:#f3f3f3}")
        .append(".num{text-align:right}.banner{padding:.8em 1em;border-radius:4px;font-weight:600}")
        .append(".ok{background:#e6f4ea}.review{background:#fff4e5}.incomplete{background:#fde8e8}")
        .append("code{font-size:12px}.muted{color:#666;font-size:12px}")
        .append(
            ".risk{display:inline-block;padding:0 .5em;margin:0 .2em .2em 0;border-radius:.8em;")
        .append("font-size:12px;white-space:nowrap;border:1px solid #bbb;background:#f3f3f3}")
        .append(".risk.t1{background:#fde2e1;border-color:#d9918c}")
        .append(".risk.t2{background:#fff0d6;border-color:#dcb36a}")
        .append(".risk.t3{background:#ece6fb;border-color:#a896d8}</style></head><body>\n");
    html.append("<h1>Vouch reconciliation, run ").append(summary.runId()).append("</h1>\n");
    html.append("<p>Window ")
        .append(utc(summary.window().start()))
        .append(" to ")
        .append(utc(summary.window().end()))
        .append(" (end exclusive). Started ")
        .append(utc(summary.startedAt()))
        .append(", finished ")
        .append(utc(summary.finishedAt()))
        .append(". Every time on this page is UTC.</p>\n");
    banner();
    notes();
    gaps();
    verdicts();
    sources();
    population();
    late();
    unknownActors();
    findings();
    problems();
    html.append("<h2>Integrity</h2><table>")
        .append(row("configuration SHA-256", "<code>" + esc(summary.configSha256()) + "</code>"))
        .append(row("rules SHA-256", "<code>" + esc(summary.rulesSha256()) + "</code>"))
        .append(row("result SHA-256", "<code>" + esc(summary.resultSha256()) + "</code>"))
        .append(
            row(
                "chain head after this run",
                "<code>"
                    + esc(summary.chainSha256() == null ? "(not chained)" : summary.chainSha256())
                    + "</code>"))
        .append(
            "</table>\n<p>The result hash covers every finding's event, verdict, record and rule;"
                + " a re-run over the same window and data gives the same hash. The chain head"
                + " covers this run, everything it stored and every run before it: keep it"
                + " outside the store, and <code>vouch verify --expect-head</code> shows whether"
                + " anything was changed since.</p>\n");
    html.append("</body></html>\n");
    return html.toString();
  }

  /** The same words as the console's last line, so the two can never disagree. */
  private void banner() {
    String css =
        summary.status() != RunStatus.COMPLETE
            ? "incomplete"
            : summary.needingReview() > 0 ? "review" : "ok";
    html.append("<p class=\"banner ")
        .append(css)
        .append("\">")
        .append(esc(RunCommand.banner(summary)))
        .append("</p>\n");
  }

  private void notes() {
    if (summary.notes().isEmpty()) {
      return;
    }
    html.append("<h2>Notes on this run</h2><ul>");
    for (String note : summary.notes()) {
      html.append("<li>").append(esc(note)).append("</li>");
    }
    html.append("</ul>\n");
  }

  private void gaps() {
    html.append("<h2>Coverage gaps</h2>");
    if (summary.gaps().isEmpty()) {
      html.append(
          "<p>None: every expected partition (account and region, cluster, repository)"
              + " delivered data for every whole day of the window.</p>\n");
      return;
    }
    html.append("<p>")
        .append(summary.gaps().size())
        .append(
            " partition-day(s) delivered no data; changes made there are unseen, so the run is"
                + " INCOMPLETE.</p><table><tr><th>partition</th><th>day (UTC)</th><th>why it"
                + " was expected</th></tr>");
    for (CoverageGap gap : summary.gaps()) {
      html.append("<tr><td><code>")
          .append(esc(gap.partition()))
          .append("</code></td><td>")
          .append(gap.day())
          .append("</td><td>")
          .append(esc(gap.reason()))
          .append("</td></tr>");
    }
    html.append("</table>\n");
  }

  /** The commonest cause of false alarms: actors that match no configured person. */
  private void unknownActors() {
    RunSummary.UnresolvedActors unknown = summary.unresolvedActors();
    if (unknown.changes() == 0) {
      return;
    }
    html.append("<h2>Actors that match no configured person</h2><p>")
        .append(unknown.changes())
        .append(
            " change(s) in review scope were made by actors that match no one in"
                + " <code>identities</code>: no record's implementer or approver can be matched"
                + " to them. Add the people among them (a session name shown as unverified is"
                + " the caller's own choice and proves nothing).</p><table><tr><th>actor</th>"
                + "<th class=\"num\">changes</th></tr>");
    for (RunSummary.ActorCount actor : unknown.top()) {
      html.append("<tr><td><code>")
          .append(esc(actor.actor()))
          .append("</code></td><td class=\"num\">")
          .append(actor.changes())
          .append("</td></tr>");
    }
    html.append("</table>\n");
  }

  private void late() {
    if (summary.lateEvents().isEmpty()) {
      return;
    }
    html.append(
        "<h2>Late events</h2><p>Changes of days before this window that were delivered"
            + " late and first seen, and matched, by this run:</p><table><tr><th>day they"
            + " belong to (UTC)</th><th class=\"num\">changes</th></tr>");
    for (Map.Entry<LocalDate, Long> day : summary.lateEvents().entrySet()) {
      html.append("<tr><td>")
          .append(day.getKey())
          .append("</td><td class=\"num\">")
          .append(day.getValue())
          .append("</td></tr>");
    }
    html.append("</table>\n");
  }

  private void verdicts() {
    html.append(
        "<h2>Verdicts</h2><table><tr><th>verdict</th><th>findings</th><th>needs review</th></tr>");
    for (Verdict verdict : Verdict.values()) {
      html.append("<tr><td>")
          .append(verdict.name())
          .append("</td><td class=\"num\">")
          .append(summary.count(verdict))
          .append("</td><td>")
          .append(verdict.needsReview() ? "yes" : "no")
          .append("</td></tr>");
    }
    html.append("<tr><th>total</th><th class=\"num\">")
        .append(summary.findings())
        .append("</th><th></th></tr></table>\n");
  }

  private void sources() {
    html.append(
        "<h2>Sources</h2><table><tr><th>source</th><th>type</th><th>supplies</th>"
            + "<th>coverage</th><th class=\"num\">read</th><th class=\"num\">rejected</th><th>detail</th></tr>");
    for (SourceOutcome source : summary.sources()) {
      html.append("<tr><td>")
          .append(esc(source.name()))
          .append("</td><td>")
          .append(esc(source.type()))
          .append("</td><td>")
          .append(source.kind() == SourceOutcome.Kind.CHANGES ? "changes" : "records")
          .append("</td><td>")
          .append(source.coverage())
          .append("</td><td class=\"num\">")
          .append(source.read())
          .append("</td><td class=\"num\">")
          .append(source.rejected())
          .append("</td><td class=\"wrap\">")
          .append(esc(source.detail()));
      if (source.error() != null) {
        html.append("<br><strong>error:</strong> ").append(esc(source.error()));
      }
      html.append("</td></tr>");
    }
    html.append("</table>\n");
  }

  private void population() {
    html.append(
        "<h2>Population examined</h2><p>Every observation in the window, by class. Only"
            + " changes are reconciled one by one; the rest are counted.</p><table>");
    long total = 0;
    for (EventClass eventClass : EventClass.values()) {
      long count = summary.population().getOrDefault(eventClass, 0L);
      total += count;
      html.append(row(eventClass.name(), String.valueOf(count)));
    }
    html.append(row("<strong>total</strong>", "<strong>" + total + "</strong>"));
    html.append("</table>\n");
  }

  private void findings() {
    html.append("<h2>Changes that need review</h2>");
    if (forReview.isEmpty()) {
      html.append("<p>None.</p>\n");
      return;
    }
    html.append("<p>Most severe risk first (")
        .append(esc(String.join(", ", ReviewOrder.RISK_SEVERITY)))
        .append(", then any other category; changes without one last), then oldest first.");
    if (reviewTotal > forReview.size()) {
      html.append(" The ")
          .append(forReview.size())
          .append(" most severe of ")
          .append(reviewTotal)
          .append(" are listed; findings.json and findings.csv hold all of them.");
    }
    html.append(
        "</p><table><tr><th>risk</th><th>when</th><th>system</th><th>who</th><th>change</th>"
            + "<th>verdict</th><th>record</th><th>why</th></tr>");
    for (ReviewItem item : forReview) {
      Finding finding = item.finding();
      html.append("<tr><td>");
      risks(finding);
      html.append("</td><td>")
          .append(utc(finding.occurredAt()))
          .append("</td><td>")
          .append(esc(finding.system() == null ? "(unknown)" : finding.system()))
          .append("</td><td>")
          .append(esc(finding.person() == null ? finding.actor() : finding.person()))
          .append(
              finding.via().isEmpty()
                  ? ""
                  : "<br><small>through " + esc(String.join(", ", finding.via())) + "</small>")
          .append("</td><td class=\"wrap\">");
      change(item);
      html.append("</td><td>").append(finding.verdict()).append("</td><td>");
      records(item);
      String why = Explanation.of(item, identities);
      html.append("</td><td>").append(esc(why));
      if (!why.equals(finding.summary())) {
        html.append("<div class=\"muted\">").append(esc(finding.summary())).append("</div>");
      }
      html.append("</td></tr>");
    }
    html.append("</table>\n");
  }

  /** The finding's risk categories as badges, most severe first. */
  private void risks(Finding finding) {
    List<String> risks = new ArrayList<>(finding.risks());
    risks.sort(ReviewOrder::compareRisks);
    for (String risk : risks) {
      int rank = ReviewOrder.RISK_SEVERITY.indexOf(risk);
      String tier = rank < 0 ? "" : rank < 4 ? " t1" : rank < 8 ? " t2" : " t3";
      html.append("<span class=\"risk")
          .append(tier)
          .append("\">")
          .append(esc(risk))
          .append("</span>");
    }
  }

  /** What was done, to which resources, where, and the event id to find it at its source. */
  private void change(ReviewItem item) {
    html.append(esc(item.finding().action()));
    if (item.event() != null) {
      List<String> targets = item.event().targets();
      if (!targets.isEmpty()) {
        List<String> shown = targets.subList(0, Math.min(TARGETS_SHOWN, targets.size()));
        html.append("<br><span class=\"muted\">on</span> ").append(esc(String.join(", ", shown)));
        if (targets.size() > shown.size()) {
          html.append(" and ").append(targets.size() - shown.size()).append(" more");
        }
      }
      html.append("<br><span class=\"muted\">in</span> ")
          .append(esc(item.event().coordinates().toString()));
    }
    html.append("<br><span class=\"muted\">event</span> <code>")
        .append(esc(ReportWriter.eventId(item.finding())))
        .append("</code>");
  }

  /**
   * The record the verdict rests on (or the records considered and rejected, when none did) and the
   * pull request a commit names, linked when they can be.
   */
  private void records(ReviewItem item) {
    String separator = "";
    Optional<ReviewItem.Named> record = item.decidingRecord();
    if (record.isPresent()) {
      link(record.get());
      separator = "<br>";
    }
    List<ReviewItem.Named> considered = item.considered();
    if (!considered.isEmpty()) {
      html.append("<span class=\"muted\">considered</span> ");
      for (int i = 0; i < considered.size(); i++) {
        html.append(i == 0 ? "" : ", ");
        link(considered.get(i));
      }
      separator = "<br>";
    }
    Optional<ReviewItem.Named> pullRequest = item.pullRequest();
    if (pullRequest.isPresent()) {
      html.append(separator).append("<span class=\"muted\">pull request</span> ");
      link(pullRequest.get());
    }
  }

  /**
   * A record's name, linked to its url when that is a web address: a record's url comes from
   * outside (a change log row, a ticket), and a {@code javascript:} url would run in the page.
   */
  private void link(ReviewItem.Named named) {
    String url = named.url();
    String scheme = url == null ? "" : url.strip().toLowerCase(Locale.ROOT);
    if (scheme.startsWith("https://") || scheme.startsWith("http://")) {
      html.append("<a href=\"")
          .append(esc(url.strip()))
          .append("\" rel=\"noopener noreferrer\">")
          .append(esc(named.name()))
          .append("</a>");
    } else {
      html.append(esc(named.name()));
    }
  }

  private void problems() {
    html.append("<h2>Rejected input</h2>");
    if (summary.rejectedInputs() == 0) {
      html.append("<p>None.</p>\n");
      return;
    }
    html.append("<p>")
        .append(summary.rejectedInputs())
        .append(" piece(s) of input could not be used");
    if (summary.rejectedInputs() > summary.problems().size()) {
      html.append("; the first ").append(summary.problems().size()).append(" are listed");
    }
    html.append(".</p><table><tr><th>where</th><th>problem</th></tr>");
    for (InputProblem problem : summary.problems()) {
      html.append("<tr><td><code>")
          .append(esc(problem.location()))
          .append("</code></td><td>")
          .append(esc(problem.message()))
          .append("</td></tr>");
    }
    html.append("</table>\n");
  }

  /** A time as the page shows every time: UTC, to the second ({@code 2026-11-17 10:00:05Z}). */
  static String utc(Instant time) {
    return TO_THE_SECOND.format(time);
  }

  private static String row(String label, String value) {
    return "<tr><th>" + label + "</th><td>" + value + "</td></tr>";
  }

  static String esc(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
