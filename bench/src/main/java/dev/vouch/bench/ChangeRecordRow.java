package dev.vouch.bench;

import java.util.List;

/**
 * One row of the generated change log.
 *
 * @param approvedAt epoch second of the approval, or null when the record carries none
 */
record ChangeRecordRow(
    String id,
    Scenario scenario,
    Catalog.Theme theme,
    String title,
    String type,
    String state,
    List<String> systems,
    long start,
    long end,
    List<String> implementers,
    List<String> approvers,
    Long approvedAt,
    String requestedBy,
    String risk,
    String backoutPlan,
    String testEvidence,
    long updatedAt,
    int homeRegion) {

  /** The states in which a record authorizes anything. */
  boolean authorizing() {
    return state.equals("approved") || state.equals("implemented") || state.equals("closed");
  }

  boolean emergency() {
    return type.equals("emergency");
  }

  /** What the generator intends the record to demonstrate. */
  enum Scenario {
    AUTHORIZED,
    APPROVED_AFTER_CHANGE,
    SELF_APPROVED,
    EMERGENCY_AUTHORIZED,
    EMERGENCY_LATE,
    EMERGENCY_NEVER,
    REJECTED,
    NOT_EXECUTED
  }
}
