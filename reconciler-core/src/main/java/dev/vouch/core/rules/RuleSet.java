package dev.vouch.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vouch.core.json.Json;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.spi.ConfigProblem;
import dev.vouch.core.spi.SettingsNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The effective rules: the built-in pack ({@code dev/vouch/core/rules/builtin.yaml}) with the
 * configuration's rules on top. A configured rule with the id of a built-in one replaces it; {@code
 * enabled: false} switches a rule off.
 */
public final class RuleSet {
  public static final String BUILTIN_RESOURCE = "/dev/vouch/core/rules/builtin.yaml";

  /** The origin of a configured rule starts with this, followed by its path. */
  private static final String CONFIGURED = "config ";

  private final List<Rule> rules;

  public RuleSet(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  public List<Rule> rules() {
    return rules;
  }

  /** The first INCLUDE rule that opts this data event in. */
  public Optional<Rule> inclusion(ChangeEvent event, @Nullable String system) {
    return first(RuleAction.INCLUDE, event, system);
  }

  /** Whether any INCLUDE rule exists, which could make a data-plane write a change. */
  public boolean hasInclusions() {
    return rules.stream().anyMatch(rule -> rule.action() == RuleAction.INCLUDE);
  }

  /** The first EXCLUDE rule that takes this change out of review. */
  public Optional<Rule> exclusion(ChangeEvent event, @Nullable String system) {
    return first(RuleAction.EXCLUDE, event, system);
  }

  /** The first STANDARD_CHANGE rule that pre-approves this change. */
  public Optional<Rule> standardChange(ChangeEvent event, @Nullable String system) {
    return first(RuleAction.STANDARD_CHANGE, event, system);
  }

  /** Every risk category flagged for this change, in rule order, without duplicates. */
  public List<String> risks(ChangeEvent event, @Nullable String system) {
    List<String> risks = new ArrayList<>();
    for (Rule rule : rules) {
      if (rule.action() == RuleAction.RISK
          && rule.risk() != null
          && !risks.contains(rule.risk())
          && rule.matches(event, system)) {
        risks.add(rule.risk());
      }
    }
    return risks;
  }

  private Optional<Rule> first(RuleAction action, ChangeEvent event, @Nullable String system) {
    for (Rule rule : rules) {
      if (rule.action() == action && rule.matches(event, system)) {
        return Optional.of(rule);
      }
    }
    return Optional.empty();
  }

  /**
   * A problem for every condition of a configured rule on a field no event carries: a misspelt
   * field matches nothing, so a {@code when} never applies and an {@code unless} never stops the
   * rule (an exclusion meant to spare {@code DeleteRole} would exclude it).
   *
   * @param attributes every attribute name the connectors on the class path set
   */
  public List<ConfigProblem> unknownFields(java.util.Set<String> attributes) {
    java.util.Set<String> known = new java.util.TreeSet<>(Rule.FACTS);
    known.addAll(attributes);
    List<ConfigProblem> problems = new ArrayList<>();
    for (Rule rule : rules) {
      if (!rule.origin().startsWith(CONFIGURED)) {
        continue;
      }
      String path = rule.origin().substring(CONFIGURED.length());
      check(rule.when(), path + ".when", known, problems);
      check(rule.unless(), path + ".unless", known, problems);
    }
    return problems;
  }

  private static void check(
      Map<String, List<String>> conditions,
      String path,
      java.util.Set<String> known,
      List<ConfigProblem> problems) {
    for (String field : new java.util.TreeSet<>(conditions.keySet())) {
      if (known.contains(field) || field.startsWith(ChangeEvent.EVIDENCE_PREFIX)) {
        continue;
      }
      String nearest = SettingsNode.nearest(field, known);
      problems.add(
          new ConfigProblem(
              path + "." + field,
              "no event has a field '"
                  + field
                  + "', so this condition "
                  + (path.endsWith(".unless") ? "never stops the rule" : "never holds")
                  + (nearest == null ? "" : "; did you mean " + nearest + "?")
                  + " (fields: source, sourceType, action, actor, person, system, eventClass and"
                  + " the connectors' attributes such as aws.eventName or k8s.verb; see the README)"));
    }
  }

  /** Hash of the effective rules, recorded on every run. */
  public String sha256() {
    try {
      return ChangeEvent.sha256Hex(Json.mapper().writeValueAsString(rules));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Loads the built-in pack and applies the configured rules on top. */
  public static RuleSet load(List<SettingsNode> configured) {
    Map<String, Rule> effective = new LinkedHashMap<>();
    for (Rule rule : builtin()) {
      effective.put(rule.id(), rule);
    }
    for (SettingsNode node : configured) {
      String id = node.requiredString("id");
      boolean enabled = node.bool("enabled", true);
      if (!enabled) {
        node.finish();
        if (effective.remove(id) == null) {
          node.problem("id", "no rule '" + id + "' to disable");
        }
        continue;
      }
      Rule rule = parse(node, CONFIGURED + node.path());
      if (rule != null) {
        effective.put(rule.id(), rule);
      }
    }
    return new RuleSet(new ArrayList<>(effective.values()));
  }

  static List<Rule> builtin() {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    try (InputStream in = RuleSet.class.getResourceAsStream(BUILTIN_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(BUILTIN_RESOURCE + " is missing from the classpath");
      }
      JsonNode root = yaml.readTree(in);
      List<ConfigProblem> problems = new ArrayList<>();
      SettingsNode top = new SettingsNode(root, "builtin", problems, name -> null);
      List<Rule> rules = new ArrayList<>();
      for (SettingsNode node : top.objectList("rules")) {
        Rule rule = parse(node, "built-in");
        if (rule != null) {
          rules.add(rule);
        }
      }
      top.finish();
      if (!problems.isEmpty()) {
        throw new IllegalStateException("built-in rule pack is invalid: " + problems);
      }
      return rules;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + BUILTIN_RESOURCE, e);
    }
  }

  private static @Nullable Rule parse(SettingsNode node, String origin) {
    String id = node.requiredString("id");
    node.accept("enabled");
    String actionText = node.requiredString("action");
    RuleAction action = null;
    try {
      action = actionText.isEmpty() ? null : RuleAction.parse(actionText);
    } catch (IllegalArgumentException e) {
      node.problem("action", e.getMessage());
    }
    String risk = node.optionalString("risk").orElse(null);
    if (action == RuleAction.RISK && risk == null) {
      node.problem("risk", "is required for a risk rule (logging, iam, network, keys, ...)");
    }
    String reason = node.optionalString("reason").orElse("");
    if (reason.isBlank() && action != RuleAction.RISK) {
      node.problem("reason", "say why the rule exists; it is shown on every finding it decides");
    }
    Map<String, List<String>> when = conditions(node, "when");
    Map<String, List<String>> unless = conditions(node, "unless");
    if (when.isEmpty()) {
      node.problem("when", "a rule needs at least one condition");
    }
    node.finish();
    if (action == null || id.isEmpty() || when.isEmpty()) {
      return null;
    }
    return new Rule(id, action, risk, reason, when, unless, origin);
  }

  private static Map<String, List<String>> conditions(SettingsNode node, String key) {
    Map<String, List<String>> result = new LinkedHashMap<>();
    node.object(key)
        .ifPresent(
            conditions -> {
              conditions
                  .raw()
                  .fieldNames()
                  .forEachRemaining(
                      field -> {
                        List<String> patterns = conditions.stringList(field);
                        if (patterns.isEmpty()) {
                          conditions.problem(field, "needs at least one pattern");
                        } else {
                          result.put(field, patterns);
                        }
                      });
            });
    return result;
  }
}
