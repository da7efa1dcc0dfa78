package dev.vouch.core.catalog;

import dev.vouch.core.model.Actor;
import dev.vouch.core.rules.Globs;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Maps aliases (emails, SSO user names, IAM user names, git identities) to people. Matching is
 * case-insensitive, because identity providers and AWS disagree about the case of the same name.
 *
 * <p>Only names an actor carries on the source's authority identify a person. A name the caller
 * chose (an assumed role's session name) counts only when the principal that let them choose it is
 * configured as enforcing it ({@code identities.trustedSessionRoles}: roles whose trust policy pins
 * {@code sts:RoleSessionName} to the caller's identity).
 */
public final class IdentityMap {
  private final Map<String, String> personByAlias = new HashMap<>();
  private final List<String> trustedSessionRoles;

  /**
   * @param people person name to that person's aliases; the person's own name is an alias too
   */
  public IdentityMap(Map<String, ? extends Collection<String>> people) {
    this(people, List.of());
  }

  /**
   * @param people person name to that person's aliases
   * @param trustedSessionRoles role ARNs (globs) whose session names identify the caller
   */
  public IdentityMap(
      Map<String, ? extends Collection<String>> people, List<String> trustedSessionRoles) {
    people.forEach(
        (person, aliases) -> {
          personByAlias.put(normalise(person), person);
          for (String alias : aliases) {
            personByAlias.put(normalise(alias), person);
          }
        });
    this.trustedSessionRoles = List.copyOf(trustedSessionRoles);
  }

  public static IdentityMap empty() {
    return new IdentityMap(Map.of());
  }

  /** The person an alias belongs to. */
  public Optional<String> person(String alias) {
    return Optional.ofNullable(personByAlias.get(normalise(alias)));
  }

  /** Whether the names an actor's issuer let them choose are trusted here. */
  public boolean trustsClaims(Actor actor) {
    return actor.issuer() != null && Globs.anyMatch(actor.issuer(), trustedSessionRoles);
  }

  /**
   * The names that may identify the person behind an actor, most telling first: its aliases, its
   * raw principal unless that embeds an unverified name, and its unverified names when their issuer
   * is trusted.
   */
  public List<String> trustedNames(Actor actor) {
    boolean trusted = trustsClaims(actor);
    List<String> names = new ArrayList<>(actor.aliases());
    if (actor.unverified().isEmpty() || trusted) {
      names.add(actor.raw());
    }
    if (trusted) {
      names.addAll(actor.unverified());
    }
    return names;
  }

  /** The person behind an actor: the first of its trusted names that resolves. */
  public Optional<String> resolve(Actor actor) {
    for (String name : trustedNames(actor)) {
      Optional<String> person = person(name);
      if (person.isPresent()) {
        return person;
      }
    }
    return Optional.empty();
  }

  /**
   * Whether a name written on a change record (an implementer or approver) denotes the same person
   * as the actor: through the identity map when both resolve, else by comparing the name with the
   * actor's trusted names.
   */
  public boolean samePerson(String recordName, Actor actor) {
    Optional<String> named = person(recordName);
    Optional<String> acting = actor.person() != null ? Optional.of(actor.person()) : resolve(actor);
    if (named.isPresent() && acting.isPresent()) {
      return named.get().equals(acting.get());
    }
    String wanted = normalise(recordName);
    if (acting.isPresent() && normalise(acting.get()).equals(wanted)) {
      return true;
    }
    for (String name : trustedNames(actor)) {
      if (normalise(name).equals(wanted)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a name on a record denotes the actor or anyone the change was made through (an
   * impersonator): all of them carried it out.
   */
  public boolean involved(String recordName, Actor actor) {
    if (samePerson(recordName, actor)) {
      return true;
    }
    for (String principal : actor.via()) {
      if (samePerson(recordName, principal)) {
        return true;
      }
    }
    return false;
  }

  /** Whether two names written on a record denote the same person. */
  public boolean samePerson(String a, String b) {
    String pa = person(a).orElse(a);
    String pb = person(b).orElse(b);
    return normalise(pa).equals(normalise(pb));
  }

  public List<String> people() {
    return personByAlias.values().stream().distinct().sorted().toList();
  }

  private static String normalise(String name) {
    return name.trim().toLowerCase(Locale.ROOT);
  }
}
