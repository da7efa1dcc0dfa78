package dev.vouch.app;

import dev.vouch.core.model.CandidateEvaluation;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.ChangeRecord;
import dev.vouch.core.model.Finding;
import dev.vouch.core.store.Store;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A change that needs review, with what the summary page shows beside its finding: the stored event
 * (the resources it acted on, where it happened, the pull request a commit names) and the records
 * the finding's candidates name (their links, windows, approvals and implementers).
 *
 * <p>A finding carries neither: the event is read back from the store by the finding's key, the
 * records by each candidate's source and key. The records are their latest stored versions, which
 * for a run's own report are the versions the run matched against (a run stores its records before
 * it matches).
 *
 * @param finding the finding
 * @param event the stored change event, or null when none is stored under the finding's key (an
 *     UNREADABLE finding)
 * @param records the records of the finding's candidates that are stored, by source and key
 */
record ReviewItem(
    Finding finding, @Nullable ChangeEvent event, Map<RecordRef, ChangeRecord> records) {

  /**
   * The git source's attribute naming the pull request a commit came from ({@code owner/repo#N}).
   */
  static final String PULL_REQUEST_ATTRIBUTE = "git.pullRequest";

  /** A record by its source and key: keys are unique only within a source. */
  record RecordRef(String source, String key) {}

  ReviewItem {
    records = Map.copyOf(records);
  }

  /** Reads the event and the candidates' records of a finding from the store. */
  static ReviewItem read(Store store, Finding finding) {
    Map<RecordRef, ChangeRecord> records = new LinkedHashMap<>();
    for (CandidateEvaluation candidate : finding.candidates()) {
      RecordRef ref = new RecordRef(candidate.recordSource(), candidate.recordId());
      if (!records.containsKey(ref)) {
        List<ChangeRecord> versions = store.recordHistory(ref.source(), ref.key());
        if (!versions.isEmpty()) {
          records.put(ref, versions.get(versions.size() - 1));
        }
      }
    }
    return new ReviewItem(finding, store.event(finding.eventKey()).orElse(null), records);
  }

  /** The candidate the verdict rests on: the one named by the finding's record id. */
  Optional<CandidateEvaluation> deciding() {
    if (finding.recordId() == null) {
      return Optional.empty();
    }
    List<CandidateEvaluation> named =
        finding.candidates().stream().filter(c -> c.recordId().equals(finding.recordId())).toList();
    // Two sources may hold the same key; the one whose own outcome is the verdict decided.
    return named.stream()
        .filter(c -> c.outcome() == finding.verdict())
        .findFirst()
        .or(() -> named.stream().findFirst());
  }

  /** The stored record of a candidate, if it is stored. */
  Optional<ChangeRecord> record(CandidateEvaluation candidate) {
    return Optional.ofNullable(
        records.get(new RecordRef(candidate.recordSource(), candidate.recordId())));
  }

  /** A record named on the page, with the link to it in its home system, if it has one. */
  record Named(String name, @Nullable String url) {}

  /** The record the verdict rests on, with its link. */
  Optional<Named> decidingRecord() {
    if (finding.recordId() == null) {
      return Optional.empty();
    }
    String url = deciding().flatMap(this::record).map(ChangeRecord::url).orElse(null);
    return Optional.of(new Named(finding.recordId(), url));
  }

  /**
   * The records considered and rejected, with their links, when no record decided the verdict (an
   * UNAUTHORIZED change whose explanation names them).
   */
  List<Named> considered() {
    if (finding.recordId() != null) {
      return List.of();
    }
    String pullRequest = pullRequestName();
    return finding.candidates().stream()
        .filter(c -> !c.recordId().equals(pullRequest))
        .map(c -> new Named(c.recordId(), record(c).map(ChangeRecord::url).orElse(null)))
        .distinct()
        .toList();
  }

  /**
   * The pull request a commit names, when it is not the record the verdict rests on (a commit whose
   * pull request was not approved still links to it), with the link of its stored record, if any.
   */
  Optional<Named> pullRequest() {
    String named = pullRequestName();
    if (named == null) {
      return Optional.empty();
    }
    String url =
        finding.candidates().stream()
            .filter(c -> c.recordId().equals(named))
            .map(this::record)
            .flatMap(Optional::stream)
            .map(ChangeRecord::url)
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(null);
    return Optional.of(new Named(named, url));
  }

  /** The pull request a commit names, unless the verdict rests on it; null when none. */
  private @Nullable String pullRequestName() {
    String named = event == null ? null : event.attributes().get(PULL_REQUEST_ATTRIBUTE);
    return named == null || named.equals(finding.recordId()) ? null : named;
  }
}
