package dev.vouch.connector.cloudtrail;

import static dev.vouch.connector.cloudtrail.TestSupport.ALL_TIME;
import static dev.vouch.connector.cloudtrail.TestSupport.corpus;
import static dev.vouch.connector.cloudtrail.TestSupport.pull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.core.model.ChangeEvent;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The attribute names the factory declares are the ones events carry: rule conditions are checked
 * against the declaration, so a name set but not declared would be refused in a rule.
 */
class AttributesTest {

  @Test
  void everyAttributeOfEveryCorpusEventIsDeclared() throws Exception {
    Set<String> carried = new TreeSet<>();
    for (ChangeEvent event : pull(corpus(""), ALL_TIME).sink().events()) {
      carried.addAll(event.attributes().keySet());
    }

    assertThat(carried).isNotEmpty();
    assertThat(new CloudTrailSourceFactory().attributes())
        .containsAll(
            carried.stream()
                .filter(name -> !name.startsWith(ChangeEvent.EVIDENCE_PREFIX))
                .toList());
  }
}
