package dev.vouch.connector.k8s;

import static dev.vouch.connector.k8s.TestSupport.corpus;
import static dev.vouch.connector.k8s.TestSupport.corpusEvent;
import static dev.vouch.connector.k8s.TestSupport.fileSource;
import static dev.vouch.connector.k8s.TestSupport.panther;
import static dev.vouch.connector.k8s.TestSupport.pull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.connector.k8s.TestSupport.Pulled;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.EventClass;
import dev.vouch.core.spi.InputProblem;
import dev.vouch.core.spi.InputProblem.Extent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every Kubernetes audit sample of the corpus (see {@code src/test/resources/corpus/README.md}) is
 * delivered, skipped for its stage, skipped as an exact repeat, or rejected for the reason it
 * really has.
 */
class CorpusTest {
  private static final String PANTHER = "panther-analysis/k8s-rule-test-events.jsonl";

  @ParameterizedTest(
      name = "{0}: {1} delivered under {2} keys, {3} other stages, {4} repeats, {5} rejected")
  @CsvSource({
    // falco: 52 records in 47 files. fal_01_003.json is {"kind": 0}. exec_pod and attach_pod are
    // sessions as they opened (ResponseStarted): delivered. Two pairs of files are variants of
    // one request (same auditID, time, verb and URI) with other content: anonymous_ and
    // some-user_creates_namespace_foo (another user), and create_nginx_pod_privileged_2nd_container
    // and ..._no_secctx_1st_container_... (one more securityContext). Neither is an exact repeat,
    // so all four are delivered, under 2 keys.
    "falco, 51, 49, 0, 0, 1",
    "audit2rbac, 37, 37, 0, 0, 0",
    "kube-audit-log-tool, 1, 1, 0, 0, 0",
    // panther-analysis: 186 rule-test records, 173 rejected, 11 delivered, 2 at ResponseStarted
    // (a watch and a kubectl logs, counted when they end).
    // Lines 10-13 are one CoreDNS watch with other source IPs and codes: 4 events under 1 key.
    // Lines 18 and 19 reuse its auditID on another request (a kube-proxy token create, another
    // time): another key, which both share, differing in sourceIPs. No record repeats another.
    "panther-analysis, 11, 7, 2, 0, 173",
  })
  void shouldReadEachSampleSet(
      String folder, int delivered, int keys, int otherStages, int repeats, int rejected)
      throws Exception {
    Pulled pulled = pull(fileSource(corpus(folder)), null);

    assertThat(pulled.sink().events()).hasSize(delivered);
    assertThat(pulled.sink().rejections()).hasSize(rejected);
    assertThat(pulled.result().detail())
        .contains(
            delivered + " event" + (delivered == 1 ? "" : "s") + " delivered",
            otherStages + " at other stages skipped",
            repeats + " repeated event" + (repeats == 1 ? "" : "s") + " skipped",
            rejected + " rejected");
    for (ChangeEvent event : pulled.sink().events()) {
      assertThat(event.sourceType()).isEqualTo("kubernetes-audit");
      assertThat(event.coordinates().scope()).isEqualTo(TestSupport.CLUSTER);
      assertThat(event.rawJson()).startsWith("{").doesNotContain("\n");
      assertThat(event.nativeId())
          .isEqualTo(TestSupport.nativeId(Json.MAPPER.readTree(event.rawJson())));
    }
    assertThat(Set.copyOf(pulled.ids())).hasSize(keys);
    // Events under one key are delivered only when their content differs: never an exact repeat.
    assertThat(pulled.sink().events())
        .extracting(event -> event.nativeId() + " " + event.rawJson())
        .doesNotHaveDuplicates();
  }

  @Test
  void shouldReadTheWholeCorpusInOnePull() throws Exception {
    Pulled pulled = pull(fileSource(corpus("falco")), null);
    Pulled all =
        pull(fileSource(corpus("").toString() + "/**/*.{json,log,jsonl}", Path.of("/")), null);

    assertThat(all.sink().events()).hasSize(51 + 37 + 1 + 11);
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
  void shouldDeliverTheSessionsAsTheyOpenedAndBothVariantsOfARequest() throws Exception {
    Pulled pulled = pull(fileSource(corpus("falco")), null);
    Map<String, Long> shared =
        pulled.sink().events().stream()
            .collect(Collectors.groupingBy(ChangeEvent::nativeId, Collectors.counting()));
    shared.values().removeIf(count -> count == 1);

    // exec_pod.json and attach_pod.json are ResponseStarted (101): the sessions are open, and
    // changes.
    assertThat(
            pulled.sink().events().stream()
                .filter(event -> event.eventClass() == EventClass.CHANGE)
                .map(event -> event.attributes().get("k8s.subresource")))
        .contains("exec", "attach");
    // The two pairs of variants of one request: each delivered twice under its one key, so that
    // the store keeps both records and flags the conflict.
    assertThat(shared)
        .containsOnly(
            entry(
                TestSupport.nativeId(corpusEvent("falco/anonymous_creates_namespace_foo.json")),
                2L),
            entry(
                TestSupport.nativeId(
                    corpusEvent("falco/create_nginx_pod_privileged_2nd_container.json")),
                2L));
    assertThat(TestSupport.nativeId(corpusEvent("falco/some-user_creates_namespace_foo.json")))
        .isEqualTo(TestSupport.nativeId(corpusEvent("falco/anonymous_creates_namespace_foo.json")));
    assertThat(pulled.sink().events())
        .extracting(ChangeEvent::eventClass)
        .containsOnly(EventClass.CHANGE, EventClass.READ_ONLY);
    assertThat(pulled.sink().events().stream().filter(e -> e.eventClass() == EventClass.CHANGE))
        .hasSize(50);
  }

  @Test
  void shouldReadAPrettyPrintedEvent() throws Exception {
    Pulled pulled = pull(fileSource(corpus("kube-audit-log-tool/single-event.json")), null);

    assertThat(pulled.ids())
        .containsExactly(
            TestSupport.nativeId(
                Json.MAPPER.readTree(corpus("kube-audit-log-tool/single-event.json").toFile())))
        .allSatisfy(id -> assertThat(id).contains(":532b1164-8b26-4b49-95f2-907424a80cac:"));
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
    // What is still readable of an unusable record goes with its rejection, for triage.
    assertThat(fieldsAt(pulled, 1))
        .containsExactly(
            entry(InputProblem.ACTOR, "system:anonymous"),
            entry(InputProblem.EVENT_ID, "abcde12345"),
            entry(InputProblem.TIME, "2022-11-29 00:09:04.38"));
    assertThat(fieldsAt(pulled, 98))
        .containsExactly(
            entry(InputProblem.ACTOR, "john.doe@company.com"),
            entry(InputProblem.EVENT_ID, "abc-123"),
            entry(InputProblem.EVENT_NAME, "create pods/test-privileged-pod"));
    assertThat(pulled.sink().rejections())
        .extracting(InputProblem::extent)
        .containsOnly(Extent.RECORD);
    // Which lines were delivered, found by their content.
    Map<String, Integer> lineOf = new HashMap<>();
    List<JsonNode> records = TestSupport.corpusLines(PANTHER);
    for (int line = 1; line <= records.size(); line++) {
      lineOf.put(Json.MAPPER.writeValueAsString(records.get(line - 1)), line);
    }
    assertThat(pulled.sink().events())
        .extracting(event -> lineOf.get(event.rawJson()))
        .containsExactly(
            3, // an anonymous GET /version
            8, // an anonymous probe, 403
            10, // a CoreDNS watch, 403 from a private IP
            11, // the same watch (same key) from a public IP
            12, // the same watch, 200
            13, // the same watch, 200 from a public IP
            15, // another watch (line 14: its ResponseStarted)
            16, // eks:addon-manager
            17, // a kubelet token request
            18, // a token request reusing line 10's auditID: another request, another key
            19); // the same token request (same key) with one more source IP
    assertThat(pulled.ids())
        .containsExactly(
            TestSupport.nativeId(panther(3)),
            TestSupport.nativeId(panther(8)),
            TestSupport.nativeId(panther(10)),
            TestSupport.nativeId(panther(10)),
            TestSupport.nativeId(panther(10)),
            TestSupport.nativeId(panther(10)),
            TestSupport.nativeId(panther(15)),
            TestSupport.nativeId(panther(16)),
            TestSupport.nativeId(panther(17)),
            TestSupport.nativeId(panther(18)),
            TestSupport.nativeId(panther(18)));
    assertThat(TestSupport.nativeId(panther(18))).isNotEqualTo(TestSupport.nativeId(panther(10)));
  }

  /** The readable fields of the rejection of a line of the Panther records. */
  private static Map<String, String> fieldsAt(Pulled pulled, int line) {
    return pulled.sink().rejections().stream()
        .filter(problem -> problem.location().endsWith(":" + line))
        .map(InputProblem::fields)
        .findFirst()
        .orElseThrow(() -> new AssertionError("line " + line + " was not rejected"));
  }
}
