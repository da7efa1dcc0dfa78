package dev.vouch.app.notify;

import dev.vouch.core.model.Verdict;
import dev.vouch.core.run.CoverageGap;
import dev.vouch.core.run.RunStatus;
import dev.vouch.core.run.SourceOutcome;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The words of a digest, the same in every chat target, each already cut and escaped for one
 * target's markup. Values from events are cut to fixed lengths here, so a long value shortens
 * itself, never the message.
 */
final class DigestText {
  static final int SYSTEM = 60;
  static final int ACTOR = 100;
  static final int ACTION = 160;
  static final int WHY = 240;
  static final int RISKS = 80;
  static final int SOURCE_NAME = 60;
  static final int ERROR = 200;
  static final int PARTITION = 100;

  /** Separates the parts of one line. */
  static final String DOT = " · ";

  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter SECOND =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private final UnaryOperator<String> escape;

  DigestText(UnaryOperator<String> escape) {
    this.escape = escape;
  }

  /** Our own words (no event values), escaped all the same: verdict names hold underscores. */
  String words(String text) {
    return escape.apply(text);
  }

  String value(String raw, int max) {
    return Text.value(raw, max, escape);
  }

  /** "Vouch run 42: 12 findings need review · INCOMPLETE". */
  String headline(Digest digest) {
    if (digest.sample()) {
      return words("Vouch test message: the findings below are examples, not real");
    }
    StringBuilder line = new StringBuilder("Vouch run " + digest.runId() + ": ");
    if (digest.total() == 0) {
      line.append("INCOMPLETE, not everything was seen");
    } else {
      line.append(digest.total()).append(digest.total() == 1 ? " finding" : " findings");
      if (digest.allNeedReview()) {
        line.append(digest.total() == 1 ? " needs review" : " need review");
      }
      if (digest.status() == RunStatus.INCOMPLETE && digest.incomplete() != null) {
        line.append(DOT).append("INCOMPLETE");
      }
    }
    return words(line.toString());
  }

  /** "Window 2026-11-16 00:00Z to 2026-11-17 00:00Z · COMPLETE · to: security". */
  String window(Digest digest) {
    return words("Window ")
        + words(
            MINUTE.format(digest.window().start()) + " to " + MINUTE.format(digest.window().end()))
        + words(DOT + digest.status().name() + DOT + "to: ")
        + value(digest.notification(), SOURCE_NAME);
  }

  /** "UNAUTHORIZED 7 · SELF_APPROVED 2", or that there is no finding. */
  String counts(Digest digest) {
    if (digest.counts().isEmpty()) {
      return words("No finding for this channel in this run.");
    }
    List<String> parts = new ArrayList<>();
    for (Map.Entry<Verdict, Long> count : digest.counts().entrySet()) {
      parts.add(count.getKey().name() + " " + count.getValue());
    }
    return words(String.join(DOT, parts));
  }

  /** "UNAUTHORIZED · risk high (iam, logging) · payments-prod". */
  String heading(Digest.Item item) {
    String risks =
        item.risks().isEmpty()
            ? words("risk " + item.level().configName())
            : words("risk " + item.level().configName() + " (")
                + value(String.join(", ", item.risks()), RISKS)
                + words(")");
    return words(item.verdict().name() + DOT)
        + risks
        + words(DOT)
        + (item.system() == null ? words("no configured system") : value(item.system(), SYSTEM));
  }

  String who(Digest.Item item) {
    return value(item.who(), ACTOR);
  }

  String action(Digest.Item item) {
    return value(item.action(), ACTION);
  }

  String time(Instant at) {
    return words(SECOND.format(at));
  }

  String why(Digest.Item item) {
    return value(item.why(), WHY);
  }

  /** "alice: DeleteTrail". */
  String whoDid(Digest.Item item) {
    return who(item) + words(": ") + action(item);
  }

  /** "2026-11-17 02:14:05Z · no approved record for payments-prod at 02:14Z". */
  String whenWhy(Digest.Item item) {
    return time(item.occurredAt()) + words(DOT) + why(item);
  }

  /** What an incomplete run did not see, as a title. */
  String incompleteTitle() {
    return words("INCOMPLETE: not everything was seen, so changes there may be missing");
  }

  /** One line per source and gap, at most {@code max} of each, then how many more. */
  List<String> incompleteLines(Digest.Incomplete incomplete, int max) {
    List<String> lines = new ArrayList<>();
    for (SourceOutcome source : incomplete.sources().stream().limit(max).toList()) {
      String what = source.error() != null ? source.error() : source.detail();
      lines.add(
          words("source ")
              + value(source.name(), SOURCE_NAME)
              + words(" " + source.coverage().name() + ": ")
              + value(what, ERROR));
    }
    int shownSources = Math.min(max, incomplete.sources().size());
    if (incomplete.sourceCount() > shownSources) {
      lines.add(words("and " + (incomplete.sourceCount() - shownSources) + " more source(s)"));
    }
    for (CoverageGap gap : incomplete.gaps().stream().limit(max).toList()) {
      lines.add(value(gap.partition(), PARTITION) + words(" delivered nothing on " + gap.day()));
    }
    int shownGaps = Math.min(max, incomplete.gaps().size());
    if (incomplete.gapCount() > shownGaps) {
      lines.add(words("and " + (incomplete.gapCount() - shownGaps) + " more gap(s)"));
    }
    return lines;
  }

  /** "and 37 more (see the report)". */
  String more(long more, boolean link) {
    return words("and " + more + " more" + (link ? " (see the report)" : ""));
  }

  String reportLabel(Digest digest) {
    return words(digest.sample() ? "Open Vouch" : "Open the report");
  }
}
