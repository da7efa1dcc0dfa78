package dev.vouch.core.model;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One approver's decision on a change record.
 *
 * @param approver who decided, as the record names them (resolved through identities when matched)
 * @param approved true for an approval, false for a rejection
 * @param at when the decision was made; null when the record does not say
 */
public record Approval(String approver, boolean approved, @Nullable Instant at) {
  public Approval {
    Objects.requireNonNull(approver, "approver");
  }
}
