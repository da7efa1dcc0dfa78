package dev.vouch.app.notify;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A rendered message, ready to post: what an outbox stores and a {@link Deliverer} sends. Signing
 * is not part of it: a signature covers the time of each attempt.
 *
 * @param body the request body
 * @param contentType its media type
 * @param shown how many findings the message lists in full (the rest are counted)
 */
public record Payload(byte[] body, String contentType, int shown) {
  public Payload {
    Objects.requireNonNull(contentType, "contentType");
    body = body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  public int size() {
    return body.length;
  }

  /** The body as text (every target takes UTF-8 JSON). */
  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Payload that
        && Arrays.equals(body, that.body)
        && contentType.equals(that.contentType)
        && shown == that.shown;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(body) + contentType.hashCode()) + shown;
  }

  @Override
  public String toString() {
    return "Payload[" + contentType + ", " + body.length + " bytes, " + shown + " shown]";
  }
}
