package dev.vouch.app;

import dev.vouch.core.config.CoveragePolicy;
import dev.vouch.core.config.ServiceSettings;
import dev.vouch.core.run.Plugins;
import dev.vouch.core.run.Reconciler;
import dev.vouch.core.run.RunControl;
import dev.vouch.core.run.RunListener;
import dev.vouch.core.run.RunSummary;
import dev.vouch.core.run.WindowPolicy;
import dev.vouch.core.spi.ChangeSource;
import dev.vouch.core.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One reconciliation as {@code vouch run} and the scheduler of {@code vouch serve} both do it:
 * decide the window with the core's {@link WindowPolicy}, then reconcile it. The two differ only in
 * what they pass: a run started by hand may name its window; the scheduler never does, so each of
 * its runs starts where complete coverage ends.
 */
final class Review {
  private final Workspace workspace;
  private final Store store;
  private final Clock clock;
  private final String scope;
  private final Plugins.Sources sources;

  /** A review of every source. */
  Review(Workspace workspace, Store store, Clock clock) {
    this(workspace, store, clock, Store.REVIEW, workspace.sources());
  }

  private Review(
      Workspace workspace, Store store, Clock clock, String scope, Plugins.Sources sources) {
    this.workspace = workspace;
    this.store = store;
    this.clock = clock;
    this.scope = scope;
    this.sources = sources;
  }

  /**
   * The review of an extra job: only its sources of change (every record source), windows of its
   * own scope, each ending at the last whole minute that has settled rather than the last hour,
   * since such a job runs every few minutes.
   */
  static Review ofJob(Workspace workspace, Store store, Clock clock, ServiceSettings.Job job) {
    Plugins.Sources all = workspace.sources();
    List<ChangeSource> changes =
        all.changes().stream().filter(source -> job.sources().contains(source.name())).toList();
    return new Review(
        workspace,
        store,
        clock,
        job.scope(),
        new Plugins.Sources(changes, all.records(), all.quietChanges()));
  }

  /**
   * The window to reconcile.
   *
   * @param from the requested start, or null to continue where complete coverage ends
   * @param to the requested end, or null for the last whole hour that has settled
   * @param firstRunLookback how far back to reach when no run has covered anything yet, or null for
   *     the configuration's {@code coverage.firstRunLookback}
   */
  WindowPolicy.Decision decide(
      @Nullable Instant from, @Nullable Instant to, @Nullable Duration firstRunLookback)
      throws WindowPolicy.WindowException {
    CoveragePolicy coverage = workspace.config().coverage();
    if (firstRunLookback != null) {
      coverage = new CoveragePolicy(coverage.quiet(), coverage.maxCatchUp(), firstRunLookback);
    }
    WindowPolicy.Settle settle = settle(sources.changes());
    if (to == null && !scope.equals(Store.REVIEW)) {
      to = clock.instant().minus(settle.settle()).truncatedTo(ChronoUnit.MINUTES);
    }
    return new WindowPolicy(coverage)
        .decide(from, to, clock.instant(), settle, store.completeWindows(scope));
  }

  /** Reconciles the decided window; a stop asked through {@code control} makes it INTERRUPTED. */
  RunSummary reconcile(WindowPolicy.Decision decision, RunListener listener, RunControl control) {
    Reconciler reconciler =
        new Reconciler(
            store,
            clock,
            workspace.config().catalog(),
            workspace.config().identities(),
            workspace.config().rules(),
            workspace.config().matching(),
            workspace.config().coverage(),
            listener);
    return reconciler.run(
        new Reconciler.RunRequest(
            decision,
            sources,
            workspace.config().sha256(),
            workspace.config().baseDirectory(),
            control,
            scope));
  }

  /** The longest settle time of the sources of change, and which source has it. */
  static WindowPolicy.Settle settle(List<ChangeSource> sources) {
    Duration longest = Duration.ZERO;
    String by = "";
    for (ChangeSource source : sources) {
      if (source.settle().compareTo(longest) > 0) {
        longest = source.settle();
        by = source.name();
      }
    }
    return new WindowPolicy.Settle(longest, by);
  }
}
