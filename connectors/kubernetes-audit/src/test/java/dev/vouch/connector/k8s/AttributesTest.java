package dev.vouch.connector.k8s;

import static dev.vouch.connector.k8s.TestSupport.corpus;
import static dev.vouch.connector.k8s.TestSupport.fileSource;
import static dev.vouch.connector.k8s.TestSupport.pull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.core.model.ChangeEvent;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The attribute names the factories declare are the ones events carry: rule conditions are checked
 * against the declaration, so a name set but not declared would be refused in a rule.
 */
class AttributesTest {

  @Test
  void everyAttributeOfEveryCorpusEventIsDeclared() throws Exception {
    Set<String> carried = new TreeSet<>();
    TestSupport.Pulled pulled =
        pull(fileSource(corpus("").toString() + "/**/*.{json,log,jsonl}", Path.of("/")), null);
    for (ChangeEvent event : pulled.sink().events()) {
      carried.addAll(event.attributes().keySet());
    }

    assertThat(carried).contains("k8s.verb", "k8s.user.username");
    assertThat(new KubernetesAuditSourceFactory().attributes()).containsAll(carried);
    assertThat(new KubernetesWebhookSourceFactory().attributes()).containsAll(carried);
    assertThat(new KubernetesApiServerLogSourceFactory().attributes()).containsAll(carried);
  }
}
