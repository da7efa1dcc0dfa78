package dev.vouch.core.store;

import dev.vouch.core.model.Finding;
import dev.vouch.core.run.RunStatus;
import java.util.Objects;

/**
 * A finding as one run made it, with that run's id and status: one line of a change's history.
 *
 * @param runId the run
 * @param runStatus the run's status now ({@code RUNNING} for a run in progress, whose findings are
 *     not yet evidence)
 * @param finding the finding
 */
public record RunFinding(long runId, RunStatus runStatus, Finding finding) {
  public RunFinding {
    Objects.requireNonNull(runStatus, "runStatus");
    Objects.requireNonNull(finding, "finding");
  }
}
