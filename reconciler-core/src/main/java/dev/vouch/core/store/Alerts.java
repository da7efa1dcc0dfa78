package dev.vouch.core.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The store's memory of chat alerts: which runs had their digests planned, the messages waiting to
 * be delivered (the outbox), and which findings each channel has heard of. A channel is the name of
 * a notification in the configuration; no URL or secret is ever stored.
 */
public interface Alerts {

  /**
   * Plans a finished run's alerts, once: the messages and the findings they announce are stored
   * with a mark that the run is planned, all in one transaction.
   *
   * @return false, changing nothing, when the run's alerts were planned before
   */
  boolean plan(long runId, Instant now, List<Planned> messages);

  /**
   * The finished runs, COMPLETE or INCOMPLETE, since {@code since} whose alerts are not planned.
   */
  List<Long> unplannedRuns(Instant since);

  /** Of {@code eventKeys}, those the channel has already heard of. */
  Set<String> alerted(String channel, Collection<String> eventKeys);

  /** Undelivered messages whose next attempt is due, oldest first. */
  List<Message> due(Instant now, int limit);

  /** Messages not yet delivered, due or not. */
  long waiting();

  void delivered(long messageId, Instant at, int status);

  void failed(long messageId, Instant nextAttempt, int status, String error);

  /**
   * One message to plan.
   *
   * @param eventKeys the findings it announces, remembered for the channel
   */
  record Planned(String channel, String contentType, byte[] body, List<String> eventKeys) {
    public Planned {
      Objects.requireNonNull(channel, "channel");
      Objects.requireNonNull(contentType, "contentType");
      body = body.clone();
      eventKeys = List.copyOf(eventKeys);
    }

    @Override
    public byte[] body() {
      return body.clone();
    }
  }

  /** A message in the outbox. */
  record Message(
      long id,
      long runId,
      String channel,
      String contentType,
      byte[] body,
      int attempts,
      @Nullable Integer lastStatus) {
    public Message {
      body = body.clone();
    }

    @Override
    public byte[] body() {
      return body.clone();
    }
  }
}
