package dev.vouch.app.notify;

import dev.vouch.app.ReviewOrder;
import dev.vouch.core.config.NotificationSettings.Notification;
import dev.vouch.core.config.NotificationSettings.RiskLevel;
import dev.vouch.core.model.Finding;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.run.CoverageGap;
import dev.vouch.core.run.RunStatus;
import dev.vouch.core.run.RunSummary;
import dev.vouch.core.run.SourceOutcome;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Builds a channel's {@link Digest} of a run. Pure: no store, no clock, no I/O. */
public final class Digests {

  /**
   * Riskiest first: by risk level, then by the most severe category in the order of the summary
   * page, then oldest first (the order the report lists them in), then by key, so equal inputs give
   * equal digests.
   */
  static final Comparator<Finding> RISKIEST_FIRST =
      Comparator.comparing((Finding f) -> RiskLevels.of(f), Comparator.reverseOrder())
          .thenComparing(Digests::mostSevereRisk, ReviewOrder::compareRisks)
          .thenComparing(Finding::occurredAt)
          .thenComparing(Finding::eventKey);

  private Digests() {}

  /**
   * The digest of a run for one channel, or empty when the channel has nothing to hear: none of the
   * findings passes its route, and the run is complete or the route does not announce incomplete
   * runs.
   *
   * @param findings the findings to tell about (for alerts, the run's new ones); the route selects
   *     among them
   * @param publicUrl {@code server.publicUrl}, or null: the digest then carries no link
   */
  public static Optional<Digest> build(
      Notification notification,
      RunSummary run,
      Collection<Finding> findings,
      @Nullable URI publicUrl) {
    List<Finding> selected =
        findings.stream().filter(f -> Routes.matches(notification.when(), f)).toList();
    Digest.Incomplete incomplete =
        Routes.announcesIncomplete(notification.when(), run) ? incomplete(run) : null;
    if (selected.isEmpty() && incomplete == null) {
      return Optional.empty();
    }
    Map<Verdict, Long> counts = new EnumMap<>(Verdict.class);
    selected.forEach(f -> counts.merge(f.verdict(), 1L, Long::sum));
    List<Digest.Item> items =
        selected.stream()
            .sorted(RISKIEST_FIRST)
            .limit(Digest.MAX_ITEMS)
            .map(Digests::item)
            .toList();
    return Optional.of(
        new Digest(
            value(notification.name()),
            run.runId(),
            run.window(),
            run.status(),
            counts,
            selected.size(),
            items,
            incomplete,
            publicUrl == null ? null : report(publicUrl, run.runId()),
            false));
  }

  /**
   * The link to a run's report: {@code <publicUrl>/run-<id>/summary.html}, the layout {@code vouch
   * serve} writes under {@code schedule.reports}, so publishing that folder at the public URL makes
   * every link work.
   */
  public static URI report(URI publicUrl, long runId) {
    String base = publicUrl.toString();
    return URI.create((base.endsWith("/") ? base : base + "/") + "run-" + runId + "/summary.html");
  }

  static Digest.Item item(Finding finding) {
    return new Digest.Item(
        value(finding.eventKey()),
        value(finding.source()),
        finding.verdict(),
        RiskLevels.of(finding),
        finding.risks().stream().map(Digests::value).toList(),
        finding.system() == null ? null : value(finding.system()),
        value(finding.actor()),
        finding.person() == null ? null : value(finding.person()),
        value(finding.action()),
        finding.occurredAt(),
        value(Why.of(finding)),
        finding.recordId() == null ? null : value(finding.recordId()));
  }

  private static @Nullable String mostSevereRisk(Finding finding) {
    return finding.risks().stream().min(ReviewOrder::compareRisks).orElse(null);
  }

  private static Digest.Incomplete incomplete(RunSummary run) {
    List<SourceOutcome> unseen =
        run.sources().stream()
            .filter(s -> s.coverage() != SourceOutcome.Coverage.COMPLETE)
            .map(Digests::source)
            .toList();
    List<CoverageGap> gaps = run.gaps();
    return new Digest.Incomplete(
        unseen.stream().limit(Digest.Incomplete.MAX_LISTED).toList(),
        unseen.size(),
        gaps.stream()
            .limit(Digest.Incomplete.MAX_LISTED)
            .map(g -> new CoverageGap(value(g.partition()), g.day(), value(g.reason())))
            .toList(),
        gaps.size());
  }

  private static SourceOutcome source(SourceOutcome s) {
    return new SourceOutcome(
        value(s.name()),
        value(s.type()),
        s.kind(),
        s.coverage(),
        s.read(),
        s.rejected(),
        value(s.detail()),
        s.error() == null ? null : value(s.error()));
  }

  private static String value(String text) {
    return Text.value(text, Digest.MAX_VALUE, Text::plain);
  }

  /**
   * The example that {@code vouch notify test} sends: clearly marked as a test, with made-up
   * findings of the kinds a real digest lists, so the channel shows how alerts will look.
   */
  public static Digest sample(String notification, Instant now, @Nullable URI publicUrl) {
    Instant end = now.truncatedTo(ChronoUnit.HOURS);
    Instant start = end.minus(Duration.ofDays(1));
    List<Digest.Item> items =
        List.of(
            new Digest.Item(
                "cloudtrail:111122223333:example-1",
                "example-trail",
                Verdict.UNAUTHORIZED,
                RiskLevel.CRITICAL,
                List.of("logging"),
                "example-system",
                "arn:aws:iam::111122223333:user/example.user",
                "example.user",
                "cloudtrail.amazonaws.com StopLogging (example)",
                end.minus(Duration.ofMinutes(106)),
                "no approved record for example-system (this is an example)",
                null),
            new Digest.Item(
                "git:example-commit",
                "example-repo",
                Verdict.SELF_APPROVED,
                RiskLevel.LOW,
                List.of(),
                "example-code",
                "example.dev@example.com",
                "example.dev",
                "direct push to main (example)",
                end.minus(Duration.ofHours(5)),
                "EXAMPLE-1 has no approver independent of example.dev (this is an example)",
                "EXAMPLE-1"));
    return new Digest(
        notification,
        0,
        new TimeWindow(start, end),
        RunStatus.COMPLETE,
        Map.of(Verdict.UNAUTHORIZED, 1L, Verdict.SELF_APPROVED, 1L),
        items.size(),
        items,
        null,
        // No run to link to: the public URL itself shows whether links will work.
        publicUrl,
        true);
  }
}
