package dev.vouch.core.catalog;

import dev.vouch.core.model.Actor;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Maps aliases (emails, SSO user names, IAM user names, git identities) to people. Matching is
 * case-insensitive, because identity providers and AWS disagree about the case of the same name.
 */
public final class IdentityMap {
  private final Map<String, String> personByAlias = new HashMap<>();

  /**
   * @param people person name to that person's aliases; the person's own name is an alias too
   */
  public IdentityMap(Map<String, ? extends Collection<String>> people) {
    people.forEach(
        (person, aliases) -> {
          personByAlias.put(normalise(person), person);
          for (String alias : aliases) {
            personByAlias.put(normalise(alias), person);
          }
        });
  }

  public static IdentityMap empty() {
    return new IdentityMap(Map.of());
  }

  /** The person an alias belongs to. */
  public Optional<String> person(String alias) {
    return Optional.ofNullable(personByAlias.get(normalise(alias)));
  }

  /**
   * The person behind an actor: the first of its aliases (then its raw principal) that resolves.
   */
  public Optional<String> resolve(Actor actor) {
    for (String alias : actor.aliases()) {
      Optional<String> person = person(alias);
      if (person.isPresent()) {
        return person;
      }
    }
    return person(actor.raw());
  }

  /**
   * Whether a name written on a change record (an implementer or approver) denotes the same person
   * as the actor: through the identity map when both resolve, else by comparing the name with the
   * actor's aliases and raw principal.
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
    for (String alias : actor.aliases()) {
      if (normalise(alias).equals(wanted)) {
        return true;
      }
    }
    return normalise(actor.raw()).equals(wanted);
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
