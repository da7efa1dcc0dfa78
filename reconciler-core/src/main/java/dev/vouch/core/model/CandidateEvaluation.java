package dev.vouch.core.model;

import java.time.Duration;
import java.util.List;

/**
 * How one candidate record compared with an event: the per-key results behind a verdict.
 *
 * @param recordId the record's key
 * @param recordSource the record's source name
 * @param state the record's state at matching time
 * @param system whether the event's system is among the record's systems
 * @param window how the event's time relates to the record's window
 * @param outsideWindowBy how far the event lies outside the window itself (zero when inside)
 * @param implementer whether the event's actor is one of the record's implementers
 * @param explicitReference true when the event names this record (change id in a session name, tag
 *     or commit message)
 * @param checks the control checks evaluated against this record
 * @param outcome the verdict this record alone would give
 */
public record CandidateEvaluation(
    String recordId,
    String recordSource,
    RecordState state,
    KeyResult system,
    WindowFit window,
    Duration outsideWindowBy,
    KeyResult implementer,
    boolean explicitReference,
    List<ControlCheck> checks,
    Verdict outcome) {
  public CandidateEvaluation {
    checks = List.copyOf(checks);
  }
}
