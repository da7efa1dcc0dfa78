package dev.vouch.app;

import dev.vouch.app.notify.AlertOutbox;
import dev.vouch.app.notify.Backoff;
import dev.vouch.app.notify.Deliverer;
import dev.vouch.app.notify.Sleeper;
import dev.vouch.core.store.Store;
import java.io.PrintWriter;
import java.time.Clock;

/**
 * The chat alerts after a run, as {@code vouch run} and every scheduled run of {@code vouch serve}
 * send them: one pass of the outbox, reported in a line, never failing the run (what a channel did
 * not take waits in the outbox for the next run).
 */
final class Alerting {
  private Alerting() {}

  /** One pass of the outbox with a deliverer of its own (for {@code vouch run}). */
  static void send(
      Workspace workspace, Store store, Clock clock, PrintWriter out, PrintWriter err) {
    send(workspace, store, clock, Deliverer.create(clock), out, err);
  }

  static void send(
      Workspace workspace,
      Store store,
      Clock clock,
      Deliverer deliverer,
      PrintWriter out,
      PrintWriter err) {
    if (workspace.config().notifications().notifications().isEmpty()) {
      return;
    }
    AlertOutbox outbox =
        new AlertOutbox(
            store,
            workspace.config().notifications(),
            workspace.config().service().server().publicUrl(),
            deliverer,
            Backoff.standard(),
            Sleeper.SYSTEM,
            clock);
    try {
      AlertOutbox.Pass pass = outbox.run();
      for (String problem : pass.problems()) {
        err.println("warning: alert " + problem);
      }
      if (pass.planned() + pass.delivered() + pass.waiting() > 0) {
        out.printf(
            "Alerts: %d message(s) planned, %d delivered, %d waiting in the outbox%n",
            pass.planned(), pass.delivered(), pass.waiting());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("warning: alerts interrupted; what was not sent waits in the outbox");
    } catch (RuntimeException e) {
      err.println(
          "warning: alerts could not be planned or sent ("
              + ExitCodes.describe(e)
              + "); the next run tries again");
    }
  }
}
