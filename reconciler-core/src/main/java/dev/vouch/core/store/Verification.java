package dev.vouch.core.store;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of recomputing every hash in the store.
 *
 * @param rowsChecked evidence rows (events, conflicting copies, records, findings, triage actions)
 *     whose hashes were recomputed
 * @param runsChecked finished runs whose link in the hash chain was recomputed
 * @param mismatches one line per row or run that no longer matches what was recorded, naming it;
 *     empty when the store is intact
 * @param notes what could not be checked and why (runs finished before the chain existed)
 * @param chainHead the chain head recomputed from the rows, or null when no run has finished
 */
public record Verification(
    long rowsChecked,
    long runsChecked,
    List<String> mismatches,
    List<String> notes,
    @Nullable String chainHead) {
  public Verification {
    mismatches = List.copyOf(mismatches);
    notes = List.copyOf(notes);
  }

  public boolean intact() {
    return mismatches.isEmpty();
  }
}
