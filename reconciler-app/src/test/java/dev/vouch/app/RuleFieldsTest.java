package dev.vouch.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.core.rules.Rule;
import dev.vouch.core.rules.RuleSet;
import dev.vouch.core.run.Plugins;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The built-in rules use only fields some connector sets: a rule on a field no event carries would
 * never apply, and its {@code unless} would never spare anything.
 */
class RuleFieldsTest {

  @Test
  void everyBuiltInConditionNamesAFieldAConnectorSets() {
    Set<String> known = new TreeSet<>(Rule.FACTS);
    known.addAll(Plugins.discover().attributes());
    Set<String> unknown = new TreeSet<>();
    for (Rule rule : RuleSet.load(List.of()).rules()) {
      for (String field : rule.when().keySet()) {
        if (!known.contains(field)) {
          unknown.add(rule.id() + " when " + field);
        }
      }
      for (String field : rule.unless().keySet()) {
        if (!known.contains(field)) {
          unknown.add(rule.id() + " unless " + field);
        }
      }
    }
    assertThat(unknown).isEmpty();
    assertThat(known).contains("aws.eventName", "k8s.verb", "git.authorEmail");
  }
}
