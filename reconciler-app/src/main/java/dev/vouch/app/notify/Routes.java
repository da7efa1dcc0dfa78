package dev.vouch.app.notify;

import dev.vouch.core.config.NotificationSettings.Route;
import dev.vouch.core.model.Finding;
import dev.vouch.core.run.RunStatus;
import dev.vouch.core.run.RunSummary;

/** Whether a finding, or a run's incompleteness, goes to a channel. */
public final class Routes {
  private Routes() {}

  /**
   * True when the finding passes every condition of the route. A route that names systems leaves
   * out changes on no configured system, which have none.
   */
  public static boolean matches(Route route, Finding finding) {
    if (!route.verdicts().contains(finding.verdict())) {
      return false;
    }
    if (!route.systems().isEmpty()
        && (finding.system() == null || !route.systems().contains(finding.system()))) {
      return false;
    }
    if (!route.risks().isEmpty() && finding.risks().stream().noneMatch(route.risks()::contains)) {
      return false;
    }
    return route.minRisk() == null || RiskLevels.of(finding).atLeast(route.minRisk());
  }

  /** True when the run is INCOMPLETE and the route wants to hear about that. */
  public static boolean announcesIncomplete(Route route, RunSummary run) {
    return route.incomplete() && run.status() == RunStatus.INCOMPLETE;
  }
}
