package dev.vouch.app.notify;

import dev.vouch.core.config.NotificationSettings;
import dev.vouch.core.config.NotificationSettings.Notification;
import dev.vouch.core.model.Finding;
import dev.vouch.core.run.RunSummary;
import dev.vouch.core.store.Alerts;
import dev.vouch.core.store.Store;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Sends chat alerts through the store's outbox, so that each finding reaches each channel once and
 * none is lost. After a run: every finished run whose alerts are not planned yet (this one, or one
 * whose process died before planning) gets its digests planned, once, in one transaction with the
 * findings they announce; then every message due is attempted. A message a channel does not take
 * (an outage, 429, 5xx, or a refusal) stays in the outbox with the time of its next attempt, and
 * the next run, or {@code vouch serve}'s next firing, tries it again.
 */
public final class AlertOutbox {
  /**
   * How far back unplanned runs are planned: a run whose process died before its alerts were
   * planned is announced by the next run, but a store that gets alerts configured for the first
   * time does not announce its whole history.
   */
  public static final Duration CATCH_UP = Duration.ofDays(7);

  /** Attempts of one message within one run before it waits for the next run. */
  static final int ATTEMPTS_PER_RUN = 3;

  /** The longest a run waits for a channel that asked it to retry. */
  static final Duration MAX_WAIT_PER_RUN = Duration.ofSeconds(60);

  /** Messages attempted per run, oldest first: an outage's backlog drains over several runs. */
  static final int MESSAGES_PER_RUN = 200;

  private final Store store;
  private final NotificationSettings settings;
  private final @Nullable URI publicUrl;
  private final Deliverer deliverer;
  private final Backoff backoff;
  private final Sleeper sleeper;
  private final Clock clock;

  public AlertOutbox(
      Store store,
      NotificationSettings settings,
      @Nullable URI publicUrl,
      Deliverer deliverer,
      Backoff backoff,
      Sleeper sleeper,
      Clock clock) {
    this.store = store;
    this.settings = settings;
    this.publicUrl = publicUrl;
    this.deliverer = deliverer;
    this.backoff = backoff;
    this.sleeper = sleeper;
    this.clock = clock;
  }

  /**
   * What one pass did.
   *
   * @param planned messages planned in this pass
   * @param delivered messages delivered in this pass
   * @param waiting messages still in the outbox afterwards
   * @param problems one line per message a channel did not take, naming the channel only
   */
  public record Pass(int planned, int delivered, long waiting, List<String> problems) {
    public Pass {
      problems = List.copyOf(problems);
    }
  }

  /** Plans what is unplanned, then attempts what is due. */
  public Pass run() throws InterruptedException {
    if (settings.notifications().isEmpty()) {
      return new Pass(0, 0, store.alerts().waiting(), List.of());
    }
    int planned = 0;
    for (long runId : store.alerts().unplannedRuns(clock.instant().minus(CATCH_UP))) {
      planned += plan(runId);
    }
    List<String> problems = new ArrayList<>();
    int delivered = 0;
    for (Alerts.Message message : store.alerts().due(clock.instant(), MESSAGES_PER_RUN)) {
      if (deliver(message, problems)) {
        delivered++;
      }
    }
    return new Pass(planned, delivered, store.alerts().waiting(), problems);
  }

  /** Plans one run's digests: per channel, the findings its route selects that it has not heard. */
  int plan(long runId) {
    Optional<RunSummary> found = store.run(runId);
    if (found.isEmpty()) {
      return 0;
    }
    RunSummary run = found.get();
    List<Finding> routed = new ArrayList<>();
    store.forEachFinding(
        runId,
        finding -> {
          for (Notification notification : settings.notifications()) {
            if (Routes.matches(notification.when(), finding)) {
              routed.add(finding);
              return;
            }
          }
        });
    List<Alerts.Planned> messages = new ArrayList<>();
    for (Notification notification : settings.notifications()) {
      List<Finding> mine =
          routed.stream().filter(f -> Routes.matches(notification.when(), f)).toList();
      Set<String> heard =
          store
              .alerts()
              .alerted(notification.name(), mine.stream().map(Finding::eventKey).toList());
      List<Finding> fresh = mine.stream().filter(f -> !heard.contains(f.eventKey())).toList();
      Optional<Digest> digest = Digests.build(notification, run, fresh, publicUrl);
      if (digest.isPresent()) {
        Payload payload = Renderer.of(notification.type()).render(digest.get());
        messages.add(
            new Alerts.Planned(
                notification.name(),
                payload.contentType(),
                payload.body(),
                fresh.stream().map(Finding::eventKey).toList()));
      }
    }
    return store.alerts().plan(runId, clock.instant(), messages) ? messages.size() : 0;
  }

  private boolean deliver(Alerts.Message message, List<String> problems)
      throws InterruptedException {
    Optional<Notification> notification = settings.named(message.channel());
    if (notification.isEmpty()) {
      store
          .alerts()
          .failed(
              message.id(),
              clock.instant().plus(Duration.ofHours(1)),
              0,
              "no notification is named " + message.channel() + " in the configuration");
      problems.add(
          message.channel()
              + ": no longer configured; its message of run "
              + message.runId()
              + " waits in the outbox");
      return false;
    }
    Payload payload = new Payload(message.body(), message.contentType(), 0);
    Sender.Result result =
        new Sender(deliverer, sleeper, backoff, ATTEMPTS_PER_RUN, MAX_WAIT_PER_RUN)
            .send(notification.get(), payload);
    if (result.outcome() instanceof DeliveryOutcome.Delivered delivered) {
      store.alerts().delivered(message.id(), clock.instant(), delivered.status());
      return true;
    }
    Duration retryAfter = null;
    int status;
    if (result.outcome() instanceof DeliveryOutcome.RetryLater later) {
      retryAfter = later.retryAfter();
      status = later.status();
    } else {
      status = ((DeliveryOutcome.Failed) result.outcome()).status();
    }
    // A refusal is tried again too, later: a webhook fixed by its owner then gets the message.
    Instant next =
        clock.instant().plus(backoff.delay(message.attempts() + result.attempts(), retryAfter));
    store.alerts().failed(message.id(), next, status, result.outcome().describe());
    problems.add(
        message.channel()
            + ": "
            + result.outcome().describe()
            + "; the message of run "
            + message.runId()
            + " stays in the outbox (next attempt from "
            + next
            + ")");
    return false;
  }
}
