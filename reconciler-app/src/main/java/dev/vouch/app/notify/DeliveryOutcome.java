package dev.vouch.app.notify;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one attempt to post a message came to. The {@code reason} texts name neither the URL nor a
 * secret: they are for logs and for {@code vouch notify test}.
 */
public sealed interface DeliveryOutcome {

  /** The HTTP status of the answer, or 0 when there was none (the connection failed). */
  int status();

  /** The outcome in words, for a person. */
  String describe();

  /**
   * The channel took the message (a 2xx answer). Teams' Workflows answer 202 once the flow has
   * started: a card the flow then rejects is not reported back to the sender.
   */
  record Delivered(int status) implements DeliveryOutcome {
    @Override
    public String describe() {
      return "delivered (HTTP "
          + status
          + (status == 202 ? ", accepted: the channel processes it afterwards" : "")
          + ")";
    }
  }

  /**
   * Try again later: the channel is throttling (429), overloaded or failing (5xx, 408), or could
   * not be reached.
   *
   * @param retryAfter how long the channel asked to wait ({@code Retry-After}), or null when it did
   *     not say, and a {@link Backoff} decides
   */
  record RetryLater(@Nullable Duration retryAfter, int status, String reason)
      implements DeliveryOutcome {
    public RetryLater {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String describe() {
      return "not delivered yet: "
          + reason
          + (retryAfter == null ? "" : "; asked to retry after " + retryAfter.toSeconds() + " s");
    }
  }

  /**
   * The channel refused the message and will refuse it again (4xx other than 408 and 429, or a
   * redirect, which is never followed: the body would go where the configuration does not say).
   */
  record Failed(int status, String reason) implements DeliveryOutcome {
    public Failed {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String describe() {
      return "failed: " + reason;
    }
  }
}
