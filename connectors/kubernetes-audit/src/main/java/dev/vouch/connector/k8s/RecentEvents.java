package dev.vouch.connector.k8s;

import dev.vouch.core.model.ChangeEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The events a pull delivered last, to skip an identical copy delivered again close by (a webhook
 * batch retried, a log line repeated). Only an exact repeat is skipped: a second event under the
 * same id with other content is delivered, so that the store keeps both and flags the conflict. The
 * store de-duplicates whatever the distance; this only spares it the near ones.
 *
 * <p>Each event is remembered by its id and the SHA-256 of its raw JSON, not the JSON itself: an
 * audit event at {@code RequestResponse} level can carry megabytes of request and response objects,
 * and {@link #WINDOW} of them held whole could take gigabytes. Remembered this way, an event takes
 * a few hundred bytes whatever its size.
 */
final class RecentEvents {
  /** How many recent events are remembered. */
  static final int WINDOW = 4_096;

  private final Map<String, String> rawSha256ById =
      new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > WINDOW;
        }
      };

  /** Whether the event repeats one delivered recently, byte for byte; remembers it otherwise. */
  boolean isRepeat(ChangeEvent event) {
    String digest = event.rawSha256();
    return digest.equals(rawSha256ById.put(event.nativeId(), digest));
  }
}
