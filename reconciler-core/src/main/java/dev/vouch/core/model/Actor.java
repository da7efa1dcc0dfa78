package dev.vouch.core.model;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Who made a change, and how far each name of theirs can be trusted.
 *
 * @param raw the raw principal exactly as the source recorded it (an ARN, a Kubernetes user name, a
 *     git identity); kept as evidence
 * @param type the source's principal type, such as {@code AssumedRole} or {@code IAMUser}
 * @param aliases names that identify the person behind the call on the source's authority, most
 *     telling first (source identity, IAM Identity Center session name, IAM user name, ...);
 *     resolved through the configured identities
 * @param person the person the aliases resolved to, or null before resolution or when none did
 * @param unverified names the caller chose and that prove nothing by themselves (the session name
 *     of an ordinary assumed role: whoever may assume the role picks it): shown, but used to
 *     identify the person only when the {@code issuer} is configured as enforcing it
 * @param issuer the principal that let the caller choose the {@code unverified} names (the role's
 *     ARN), or null when there are none
 * @param via other principals through which the change was made, who carry it out too (the
 *     impersonating user of a Kubernetes request): none of them may be its only approver
 */
public record Actor(
    String raw,
    String type,
    List<String> aliases,
    @Nullable String person,
    List<String> unverified,
    @Nullable String issuer,
    List<String> via) {
  public Actor {
    Objects.requireNonNull(raw, "raw");
    Objects.requireNonNull(type, "type");
    aliases = List.copyOf(aliases);
    // Null-tolerant: events stored before these fields existed read back without them.
    unverified = unverified == null ? List.of() : List.copyOf(unverified);
    via = via == null ? List.of() : List.copyOf(via);
  }

  /** An actor all of whose names are the source's word, acting alone. */
  public Actor(String raw, String type, List<String> aliases, @Nullable String person) {
    this(raw, type, aliases, person, List.of(), null, List.of());
  }

  public Actor withPerson(@Nullable String resolved) {
    return new Actor(raw, type, aliases, resolved, unverified, issuer, via);
  }

  /**
   * The most human name known: the resolved person, else the first alias, else the raw principal
   * (with a caller-chosen name marked as unverified).
   */
  public String display() {
    if (person != null) {
      return person;
    }
    if (!aliases.isEmpty()) {
      return aliases.get(0);
    }
    return unverified.isEmpty() ? raw : raw + " (session name unverified)";
  }
}
