package dev.vouch.core.rules;

import dev.vouch.core.model.ChangeEvent;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One rule: when every field in {@code when} matches one of its patterns (and no field in {@code
 * unless} does), the rule applies.
 *
 * <p>Fields are the event's attributes ({@code aws.eventName}, {@code aws.userIdentity.type}, ...)
 * and these facts: {@code source}, {@code sourceType}, {@code action}, {@code actor} (raw
 * principal), {@code person}, {@code system}, {@code eventClass}. Patterns are case-insensitive
 * globs: {@code *} matches any run of characters, {@code ?} one. A field the event does not have
 * matches nothing, so {@code "*"} means "present".
 *
 * @param id stable id, recorded on every finding the rule decides
 * @param action what the rule does
 * @param risk the risk category, for {@link RuleAction#RISK} rules
 * @param reason why the rule exists, in words shown to reviewers and auditors
 * @param when the conditions, all of which must hold
 * @param unless conditions any one of which stops the rule
 * @param origin where the rule comes from: {@code built-in} or the configuration path
 */
public record Rule(
    String id,
    RuleAction action,
    @Nullable String risk,
    String reason,
    Map<String, List<String>> when,
    Map<String, List<String>> unless,
    String origin) {

  public Rule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(action, "action");
    when = Map.copyOf(when);
    unless = Map.copyOf(unless);
  }

  /** Whether the rule applies to the event, given the facts the core resolved. */
  public boolean matches(ChangeEvent event, @Nullable String system) {
    for (Map.Entry<String, List<String>> condition : when.entrySet()) {
      if (!anyMatch(fact(event, system, condition.getKey()), condition.getValue())) {
        return false;
      }
    }
    for (Map.Entry<String, List<String>> condition : unless.entrySet()) {
      if (anyMatch(fact(event, system, condition.getKey()), condition.getValue())) {
        return false;
      }
    }
    return true;
  }

  /** The facts every event has, besides its attributes. */
  public static final java.util.Set<String> FACTS =
      java.util.Set.of("source", "sourceType", "action", "actor", "person", "system", "eventClass");

  static @Nullable String fact(ChangeEvent event, @Nullable String system, String field) {
    return switch (field) {
      case "source" -> event.source();
      case "sourceType" -> event.sourceType();
      case "action" -> event.action();
      case "actor" -> event.actor().raw();
      case "person" -> event.actor().person();
      case "system" -> system;
      case "eventClass" -> event.eventClass().name();
      default -> event.attributes().get(field);
    };
  }

  private static boolean anyMatch(@Nullable String value, List<String> patterns) {
    return value != null && Globs.anyMatch(value, patterns);
  }
}
