package dev.vouch.core.model;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * One change record from a source of approved change: a row of a change log, a ServiceNow change
 * request, a Jira issue, a pull request.
 *
 * @param key the record's id, such as {@code CHG0012345}; unique within its source
 * @param source the configured name of the record source
 * @param title a short description
 * @param type standard, normal or emergency
 * @param state life-cycle state; only some states authorize
 * @param systems the logical systems the change may touch (names from the config)
 * @param window the planned window, inclusive at both ends
 * @param implementers who may carry out the change; empty when the record does not restrict it
 * @param approvals decisions recorded on the record
 * @param requestedBy who asked for the change, if known
 * @param risk the record's own risk rating, if any
 * @param backoutPlan the back-out plan text or link, if any
 * @param testEvidence the test evidence text or link, if any
 * @param url a link to the record in its home system, if any
 * @param updatedAt when the record last changed upstream, if known
 * @param location where the record was read from (file and line, URL), for evidence
 * @param referenceOnly true when the record covers only changes that name it explicitly (a pull
 *     request covers its own merge commit, not every commit its author pushed while it was open);
 *     false when it covers its systems for its whole window
 */
public record ChangeRecord(
    String key,
    String source,
    String title,
    ChangeType type,
    RecordState state,
    Set<String> systems,
    TimeWindow window,
    List<String> implementers,
    List<Approval> approvals,
    @Nullable String requestedBy,
    @Nullable String risk,
    @Nullable String backoutPlan,
    @Nullable String testEvidence,
    @Nullable String url,
    @Nullable Instant updatedAt,
    String location,
    boolean referenceOnly) {

  /** A record that covers its systems for its whole window (a change-log row, a ticket). */
  public ChangeRecord(
      String key,
      String source,
      String title,
      ChangeType type,
      RecordState state,
      Set<String> systems,
      TimeWindow window,
      List<String> implementers,
      List<Approval> approvals,
      @Nullable String requestedBy,
      @Nullable String risk,
      @Nullable String backoutPlan,
      @Nullable String testEvidence,
      @Nullable String url,
      @Nullable Instant updatedAt,
      String location) {
    this(
        key,
        source,
        title,
        type,
        state,
        systems,
        window,
        implementers,
        approvals,
        requestedBy,
        risk,
        backoutPlan,
        testEvidence,
        url,
        updatedAt,
        location,
        false);
  }

  public ChangeRecord {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(location, "location");
    // Sorted, so that equal records serialise (and hash) the same in every JVM.
    systems = Collections.unmodifiableSortedSet(new TreeSet<>(systems));
    implementers = List.copyOf(implementers);
    approvals = List.copyOf(approvals);
  }

  /** This record with other systems (after mapping coordinate references to system names). */
  public ChangeRecord withSystems(Set<String> resolved) {
    return new ChangeRecord(
        key,
        source,
        title,
        type,
        state,
        resolved,
        window,
        implementers,
        approvals,
        requestedBy,
        risk,
        backoutPlan,
        testEvidence,
        url,
        updatedAt,
        location,
        referenceOnly);
  }

  /** The latest approval time among positive decisions, or empty when nobody approved. */
  public Optional<Instant> lastApprovalAt() {
    return approvals.stream()
        .filter(Approval::approved)
        .map(Approval::at)
        .filter(Objects::nonNull)
        .max(Instant::compareTo);
  }

  public List<Approval> positiveApprovals() {
    return approvals.stream().filter(Approval::approved).toList();
  }
}
