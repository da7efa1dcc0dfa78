package dev.vouch.connector.k8s;

import static dev.vouch.connector.k8s.TestSupport.corpus;
import static dev.vouch.connector.k8s.TestSupport.fileSource;
import static dev.vouch.connector.k8s.TestSupport.pull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.connector.k8s.TestSupport.Pulled;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.EventClass;
import dev.vouch.core.spi.InputProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every Kubernetes audit sample of the corpus (see {@code src/test/resources/corpus/README.md}) is
 * delivered, skipped for its stage, skipped as a duplicate, or rejected for the reason it really
 * has.
 */
class CorpusTest {
  private static final String PANTHER = "panther-analysis/k8s-rule-test-events.jsonl";

  @ParameterizedTest(name = "{0}: {1} delivered, {2} other stages, {3} duplicates, {4} rejected")
  @CsvSource({
    "falco, 47, 2, 2, 1",
    "audit2rbac, 37, 0, 0, 0",
    "kube-audit-log-tool, 1, 0, 0, 0",
    "panther-analysis, 6, 2, 5, 173",
  })
  void shouldReadEachSampleSet(
      String folder, int delivered, int otherStages, int duplicates, int rejected)
      throws Exception {
    Pulled pulled = pull(fileSource(corpus(folder)), null);

    assertThat(pulled.sink().events()).hasSize(delivered);
    assertThat(pulled.sink().rejections()).hasSize(rejected);
    assertThat(pulled.result().detail())
        .contains(
            delivered + " event" + (delivered == 1 ? "" : "s") + " delivered",
            otherStages + " at other stages skipped",
            duplicates + " duplicate auditID" + (duplicates == 1 ? "" : "s") + " skipped",
            rejected + " rejected");
    for (ChangeEvent event : pulled.sink().events()) {
      assertThat(event.sourceType()).isEqualTo("kubernetes-audit");
      assertThat(event.coordinates().scope()).isEqualTo(TestSupport.CLUSTER);
      assertThat(event.rawJson()).startsWith("{").doesNotContain("\n");
      assertThat(Json.MAPPER.readTree(event.rawJson()).get("auditID").asText())
          .isEqualTo(event.nativeId());
    }
    assertThat(pulled.ids()).doesNotHaveDuplicates();
  }

  @Test
  void shouldReadTheWholeCorpusInOnePull() throws Exception {
    Pulled pulled = pull(fileSource(corpus("falco")), null);
    Pulled all =
        pull(fileSource(corpus("").toString() + "/**/*.{json,log,jsonl}", Path.of("/")), null);

    assertThat(all.sink().events()).hasSize(47 + 37 + 1 + 6);
    assertThat(all.sink().rejections()).hasSize(1 + 173);
    assertThat(all.result().unitsRead()).isEqualTo(47 + 1 + 1 + 1);
    assertThat(all.result().detail()).startsWith("50 files, ");
    assertThat(pulled.result().unitsRead()).isEqualTo(47);
  }

  @Test
  void shouldRejectFalcosNonEventWithItsLine() throws Exception {
    Pulled pulled = pull(fileSource(corpus("falco")), null);

    assertThat(pulled.sink().rejections())
        .containsExactly(
            new InputProblem(
                corpus("falco/fal_01_003.json") + ":1",
                "not a Kubernetes audit Event: kind is a number (0), expected the text Event"));
  }

  @Test
  void shouldSkipTheSamplesAtResponseStartedAndTheRepeatedAuditIds() throws Exception {
    Pulled pulled = pull(fileSource(corpus("falco")), null);
    Map<String, Long> byId =
        pulled.sink().events().stream()
            .collect(Collectors.groupingBy(ChangeEvent::nativeId, Collectors.counting()));

    // exec_pod.json and attach_pod.json are ResponseStarted (101): not counted.
    assertThat(byId).doesNotContainKeys("ca1ed9f4-7bf4-4c85-81a8-1b11253d1ba6");
    assertThat(pulled.sink().events())
        .extracting(ChangeEvent::eventClass)
        .containsOnly(EventClass.CHANGE, EventClass.READ_ONLY);
    assertThat(pulled.sink().events().stream().filter(e -> e.eventClass() == EventClass.CHANGE))
        .hasSize(46);
  }

  @Test
  void shouldReadAPrettyPrintedEvent() throws Exception {
    Pulled pulled = pull(fileSource(corpus("kube-audit-log-tool/single-event.json")), null);

    assertThat(pulled.ids()).containsExactly("532b1164-8b26-4b49-95f2-907424a80cac");
    assertThat(pulled.result().detail()).startsWith("1 file, 39 new lines;");
    long size = Files.size(corpus("kube-audit-log-tool/single-event.json"));
    assertThat(pulled.cursor()).endsWith(":" + size + "}}");
  }

  @Test
  void shouldRejectEveryPartialPantherRecordForWhatItLacks() throws Exception {
    Pulled pulled = pull(fileSource(corpus(PANTHER)), null);
    Map<Integer, String> reasons = new HashMap<>();
    for (InputProblem problem : pulled.sink().rejections()) {
      String location = problem.location();
      reasons.put(
          Integer.parseInt(location.substring(location.lastIndexOf(':') + 1)), problem.message());
    }
    List<String> index =
        Files.readAllLines(corpus("panther-analysis/k8s-rule-test-events.index.tsv"));

    // Every record the index marks as partial is rejected...
    for (String row : index.subList(1, index.size())) {
      String[] columns = row.split("\t", -1);
      if (columns.length > 4 && columns[4].startsWith("partial")) {
        assertThat(reasons)
            .as("line %s: %s", columns[0], row)
            .containsKey(Integer.valueOf(columns[0]));
      }
    }
    // ...for what it really lacks.
    assertThat(reasons.get(1)).isEqualTo("audit Event (auditID abcde12345): no verb");
    assertThat(reasons.get(68))
        .isEqualTo(
            "audit Event watch discovery.k8s.io/v1/endpointslices -/- (auditID abc-123): no"
                + " stageTimestamp, requestReceivedTimestamp or timestamp");
    assertThat(reasons.get(98))
        .isEqualTo(
            "audit Event create core/v1/pods default/test-privileged-pod (auditID abc-123): no"
                + " stageTimestamp, requestReceivedTimestamp or timestamp");
    assertThat(reasons.values())
        .allSatisfy(
            reason ->
                assertThat(reason)
                    .containsAnyOf("no verb", "no auditID", "no stage", "no stageTimestamp"));
    Map<String, ChangeEvent> delivered =
        pulled.sink().events().stream()
            .collect(Collectors.toMap(ChangeEvent::nativeId, Function.identity()));
    assertThat(delivered.keySet())
        .containsExactlyInAnyOrder(
            "d976bfc6-a2bc-49d5-bdeb-074441e0b875", // line 3: anonymous GET /version
            "edf35e8d-92c3-4507-9bc6-4dd9cf068bcf", // line 8: anonymous probe, 403
            // Line 10, a CoreDNS watch; lines 11-13, 18 and 19 reuse its auditID (duplicates).
            "e2626946-90e1-4d0c-829e-ad5a78572926",
            "c8c5bc49-cd5d-45d6-999c-b55783c7840f", // line 15 (line 14: its ResponseStarted)
            "43410f6e-9c19-482b-b2c7-f2cde260b0e9", // line 16: eks:addon-manager
            "e5ca89e7-8686-4b7c-b666-f8b863b6f21c"); // line 17: kubelet token request
  }
}
