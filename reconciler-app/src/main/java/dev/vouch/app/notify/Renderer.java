package dev.vouch.app.notify;

import dev.vouch.core.config.NotificationSettings.Type;

/**
 * Turns a digest into the request body one kind of channel expects, within that channel's limits.
 * Pure and deterministic: the same digest gives the same bytes, so an outbox can store them and a
 * retry sends exactly what the first attempt did.
 */
public interface Renderer {

  Payload render(Digest digest);

  /** The renderer for a kind of channel. */
  static Renderer of(Type type) {
    return switch (type) {
      case SLACK -> new SlackRenderer();
      case TEAMS -> new TeamsRenderer();
      case GOOGLECHAT -> new GoogleChatRenderer();
      case WEBHOOK -> new WebhookRenderer();
    };
  }
}
