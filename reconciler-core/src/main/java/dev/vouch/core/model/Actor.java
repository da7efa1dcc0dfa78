package dev.vouch.core.model;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Who made a change.
 *
 * @param raw the raw principal exactly as the source recorded it (an ARN, a Kubernetes user name, a
 *     git identity); kept as evidence
 * @param type the source's principal type, such as {@code AssumedRole} or {@code IAMUser}
 * @param aliases names that may identify the person behind the call, most telling first (source
 *     identity, SSO session name, IAM user name, ...); resolved through the configured identities
 * @param person the person the aliases resolved to, or null before resolution or when none did
 */
public record Actor(String raw, String type, List<String> aliases, @Nullable String person) {
  public Actor {
    Objects.requireNonNull(raw, "raw");
    Objects.requireNonNull(type, "type");
    aliases = List.copyOf(aliases);
  }

  public Actor withPerson(@Nullable String resolved) {
    return new Actor(raw, type, aliases, resolved);
  }

  /**
   * The most human name known: the resolved person, else the first alias, else the raw principal.
   */
  public String display() {
    if (person != null) {
      return person;
    }
    return aliases.isEmpty() ? raw : aliases.get(0);
  }
}
