package dev.vouch.core.run;

import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.Finding;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.store.StoredEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The finding for an event id under which different records were delivered. Neither copy decides
 * alone, and the answer must not depend on which copy arrived first: every copy that is a change is
 * evaluated, the finding is told from the copy with the smallest SHA-256 (a choice no delivery
 * order can influence), and each copy's own verdict is listed as evidence.
 */
final class ConflictingEvidence {
  private ConflictingEvidence() {}

  /**
   * @param stored the stored event and its conflicting copies (at least one)
   * @param evaluate the finding one copy would get on its own
   */
  static Finding finding(StoredEvent stored, Function<ChangeEvent, Finding> evaluate) {
    List<ChangeEvent> copies = new ArrayList<>();
    copies.add(stored.event());
    List<String> countedOnly = new ArrayList<>();
    for (StoredEvent.Conflict conflict : stored.conflicts()) {
      if (conflict.event() != null) {
        copies.add(conflict.event());
      } else {
        countedOnly.add(
            "a record with this id was also delivered in run "
                + conflict.firstSeen().runId()
                + " as a "
                + conflict.eventClass().name().toLowerCase().replace('_', '-')
                + " observation (only counted, not kept)");
      }
    }
    copies.sort(Comparator.comparing(ChangeEvent::rawSha256));
    List<String> evidence = new ArrayList<>();
    Finding chosen = null;
    for (ChangeEvent copy : copies) {
      Finding alone = evaluate.apply(copy);
      if (chosen == null) {
        chosen = alone;
      }
      evidence.add(
          "copy sha256 "
              + copy.rawSha256()
              + ": "
              + copy.action()
              + " by "
              + copy.actor().raw()
              + " at "
              + copy.occurredAt()
              + " would alone be "
              + alone.verdict()
              + (alone.recordId() == null ? "" : " (" + alone.recordId() + ")"));
    }
    evidence.addAll(countedOnly);
    evidence.addAll(chosen.evidence());
    int versions = copies.size() + countedOnly.size();
    return new Finding(
        chosen.eventKey(),
        chosen.source(),
        chosen.system(),
        chosen.occurredAt(),
        chosen.actor(),
        chosen.person(),
        chosen.action(),
        Verdict.CONFLICTING_EVIDENCE,
        chosen.recordId(),
        chosen.ruleId(),
        chosen.risks(),
        versions
            + " different records were delivered under one event id: possible tampering with the"
            + " log, or misconfigured log shipping; all are kept as evidence and neither decides"
            + " alone (each copy's own verdict is listed)",
        chosen.candidates(),
        evidence,
        chosen.via());
  }
}
