package dev.vouch.core.run;

import dev.vouch.core.model.Finding;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.spi.InputProblem;
import dev.vouch.core.store.StoredRejection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The finding for input a source of change could not use: it may have been a change, so someone
 * must look at it. It names where the input was, why it was unusable and whatever could still be
 * read of it.
 */
final class UnreadableFinding {
  private UnreadableFinding() {}

  /**
   * @param rejection the stored rejection
   * @param key the finding's event key, unique within the run
   * @param fallbackTime the time to file the finding under when the input gave none (the start of
   *     the window whose reading met it)
   */
  static Finding of(StoredRejection rejection, String key, Instant fallbackTime) {
    InputProblem problem = rejection.problem();
    Map<String, String> fields = problem.fields();
    Instant time = problem.readableTime().orElse(null);
    List<String> evidence = new ArrayList<>();
    evidence.add("where: " + problem.location());
    fields.forEach((name, value) -> evidence.add("readable " + name + ": " + value));
    if (time == null) {
      evidence.add(
          "time unknown: filed under "
              + fallbackTime
              + ", the start of the window whose reading met it");
    }
    String action = fields.getOrDefault(InputProblem.EVENT_NAME, "(unreadable)");
    String actor = fields.getOrDefault(InputProblem.ACTOR, "");
    String summary =
        (problem.cutShort()
                ? "Not read to the end (whatever followed may hold changes): "
                : "Unreadable record (it may be a change): ")
            + problem.message();
    return new Finding(
        key,
        rejection.source(),
        null,
        time == null ? fallbackTime : time,
        actor,
        null,
        action,
        Verdict.UNREADABLE,
        null,
        null,
        List.of(),
        summary,
        List.of(),
        evidence,
        List.of());
  }
}
