package dev.vouch.connector.k8s;

import static dev.vouch.connector.k8s.TestSupport.corpus;
import static dev.vouch.connector.k8s.TestSupport.corpusEvent;
import static dev.vouch.connector.k8s.TestSupport.corpusLines;
import static dev.vouch.connector.k8s.TestSupport.event;
import static dev.vouch.connector.k8s.TestSupport.json;
import static dev.vouch.connector.k8s.TestSupport.map;
import static dev.vouch.connector.k8s.TestSupport.panther;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.EventClass;
import dev.vouch.core.rules.Rule;
import dev.vouch.core.rules.RuleAction;
import dev.vouch.core.rules.RuleSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Kubernetes part of the built-in rule pack, applied to corpus events as this connector maps
 * them: which exclusion applies, and which risks are flagged.
 */
class BuiltinRulesTest {
  private static final RuleSet RULES = RuleSet.load(List.of());

  private static String exclusion(ChangeEvent event) {
    return RULES.exclusion(event, "cluster").map(Rule::id).orElse("none");
  }

  private static List<String> risks(ChangeEvent event) {
    return RULES.risks(event, "cluster");
  }

  private static ChangeEvent falco(String file) {
    return map(corpusEvent("falco/" + file));
  }

  /** A corpus event at ResponseComplete (falco recorded exec and attach only as they started). */
  private static ChangeEvent completed(String file) {
    ObjectNode event = corpusEvent("falco/" + file);
    event.put("stage", "ResponseComplete");
    return map(event);
  }

  @Test
  void shouldGiveEveryKubernetesRuleAStableIdAndTheKubernetesSourceType() {
    List<Rule> kubernetes =
        RULES.rules().stream()
            .filter(
                r -> r.id().startsWith("builtin.k8s.") || r.id().startsWith("builtin.risk.k8s."))
            .toList();

    assertThat(kubernetes).hasSizeGreaterThanOrEqualTo(15);
    assertThat(kubernetes)
        .allSatisfy(
            rule ->
                assertThat(rule.when()).containsEntry("sourceType", List.of("kubernetes-audit")));
    assertThat(kubernetes.stream().filter(r -> r.action() == RuleAction.EXCLUDE).map(Rule::id))
        .allMatch(id -> id.startsWith("builtin.k8s."));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
    // The replicaset controller creating pods; the controller manager creating a token secret.
    "create_nginx_pod_privileged.json, builtin.k8s.kube-system-serviceaccount",
    "create_pod_kube_system_namespace.json, builtin.k8s.kube-system-serviceaccount",
    "create_service_account_token_secret.json, builtin.k8s.control-plane",
    "create_nginx_pod_unsensitive_mount.json, builtin.k8s.control-plane",
    // People: reviewed.
    "create_clusterrolebinding.json, none",
    "create_kube_system_secret.json, none",
    "anonymous_creates_namespace_foo.json, none",
    "some-user_creates_namespace_foo.json, none",
  })
  void shouldExcludeClusterAutomationButNotPeople(String file, String rule) {
    assertThat(exclusion(falco(file))).isEqualTo(rule);
  }

  @Test
  void shouldExcludeNodesAndEksInternalsFromOtherCorpora() throws Exception {
    JsonNode lease = Json.MAPPER.readTree(corpus("kube-audit-log-tool/single-event.json").toFile());

    // A kubelet renewing its node lease (kube-audit-log-tool), kubelet token requests and
    // eks:addon-manager (Panther, EKS).
    assertThat(exclusion(map(lease))).isEqualTo("builtin.k8s.control-plane");
    assertThat(exclusion(map(panther(17)))).isEqualTo("builtin.k8s.control-plane");
    assertThat(exclusion(map(panther(16)))).isEqualTo("builtin.k8s.control-plane");
    // CoreDNS, a kube-system service account.
    assertThat(exclusion(map(panther(12)))).isEqualTo("builtin.k8s.kube-system-serviceaccount");
  }

  @Test
  void shouldExcludeHousekeepingObjectsWhoeverWritesThem() throws Exception {
    ObjectNode lease =
        (ObjectNode) Json.MAPPER.readTree(corpus("kube-audit-log-tool/single-event.json").toFile());
    lease.set("user", json("{\"username\":\"system:serviceaccount:monitoring:operator\"}"));
    ObjectNode coreEvent = event("a-1");
    ((ObjectNode) coreEvent.get("objectRef")).put("resource", "events");
    ObjectNode newEvent = event("a-2");
    ((ObjectNode) newEvent.get("objectRef"))
        .put("resource", "events")
        .put("apiGroup", "events.k8s.io");
    ObjectNode otherEvents = event("a-4");
    ((ObjectNode) otherEvents.get("objectRef"))
        .put("resource", "events")
        .put("apiGroup", "example.com");

    assertThat(exclusion(map(lease))).isEqualTo("builtin.k8s.housekeeping");
    assertThat(exclusion(map(coreEvent))).isEqualTo("builtin.k8s.events");
    assertThat(exclusion(map(newEvent))).isEqualTo("builtin.k8s.events");
    assertThat(exclusion(map(otherEvents))).isEqualTo("none");
  }

  @Test
  void shouldLeaveReviewsToTheirClassNotToAnExclusion() {
    // kubectl auth can-i --as=bob: a person asking, as someone else, a question that creates
    // nothing. Not a change at all, so no exclusion needs to (or could) apply to it.
    ObjectNode review = event("a-3");
    review.set(
        "objectRef",
        json(
            "{\"resource\":\"selfsubjectaccessreviews\",\"apiGroup\":\"authorization.k8s.io\","
                + "\"apiVersion\":\"v1\"}"));
    review.set("impersonatedUser", json("{\"username\":\"bob\"}"));

    ChangeEvent event = map(review);

    assertThat(event.eventClass()).isEqualTo(EventClass.READ_ONLY);
    assertThat(exclusion(event)).isEqualTo("none");
    assertThat(RULES.rules())
        .flatExtracting(rule -> rule.when().getOrDefault("k8s.resource", List.of()))
        .noneMatch(resource -> resource.endsWith("reviews"));
  }

  @Test
  void shouldNotExcludeSomeoneActingAsASystemUser() {
    ObjectNode impersonating = corpusEvent("falco/create_nginx_pod_privileged.json");
    impersonating.set("user", json("{\"username\":\"mallory@example.com\"}"));
    impersonating.set(
        "impersonatedUser",
        json("{\"username\":\"system:serviceaccount:kube-system:replicaset-controller\"}"));

    ChangeEvent event = map(impersonating);

    assertThat(exclusion(event)).isEqualTo("none");
    assertThat(risks(event)).containsExactly("privileged-pod", "impersonation");
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "attach_cluster_admin_role.json | [rbac]",
        "create_cluster_role_pod_exec.json | [rbac]",
        "delete_clusterrolebinding.json | [rbac]",
        "modify_cluster_role_node_problem_detector.json | [rbac]",
        "create_secret.json | [secrets]",
        "delete_secret.json | [secrets]",
        "create_kube_system_secret.json | [secrets]",
        "create_nginx_pod_privileged.json | [privileged-pod]",
        "create_nginx_pod_no_secctx_1st_container_privileged_2nd_container.json | [privileged-pod]",
        "create_nginx_pod_hostnetwork.json | [privileged-pod]",
        "create_nginx_pod_sensitive_mount.json | [privileged-pod]",
        "create_nginx_pod_unprivileged.json | []",
        "create_configmap.json | []",
        "create_deployment.json | []",
        "create_serviceaccount.json | []",
      })
  void shouldFlagTheRisksOfCorpusChanges(String file, String risks) {
    assertThat(risks(falco(file))).hasToString(risks);
  }

  @Test
  void shouldFlagInteractiveSessions() {
    ObjectNode webSocketExec = corpusEvent("falco/exec_pod.json");
    webSocketExec.put("stage", "ResponseComplete").put("verb", "get");

    assertThat(risks(completed("exec_pod.json"))).containsExactly("exec");
    assertThat(risks(completed("attach_pod.json"))).containsExactly("exec");
    assertThat(risks(map(webSocketExec))).containsExactly("exec");
  }

  @Test
  void shouldFlagImpersonation() {
    // audit2rbac: every request is system:admin acting as bob.
    List<ChangeEvent> events =
        corpusLines("audit2rbac/demo.log").stream().map(TestSupport::map).toList();

    assertThat(events).allSatisfy(e -> assertThat(risks(e)).contains("impersonation"));
  }

  @Test
  void shouldFlagAdmissionControlChanges() {
    // Panther line 20 is a trimmed mutating webhook rule test; completed as the API server logs it.
    ObjectNode webhook = panther(20);
    webhook.put("auditID", "9f1e").put("stage", "ResponseComplete");
    webhook.put("stageTimestamp", "2024-06-01T10:00:00.000001Z");
    ObjectNode policy = event("a-1");
    policy.set(
        "objectRef",
        json(
            "{\"resource\":\"validatingadmissionpolicybindings\","
                + "\"apiGroup\":\"admissionregistration.k8s.io\",\"apiVersion\":\"v1\",\"name\":\"p\"}"));

    assertThat(risks(map(webhook))).containsExactly("admission");
    assertThat(risks(map(policy))).containsExactly("admission");
  }

  @Test
  void shouldFlagChangesToTheAuditPath() {
    ObjectNode auditPolicy = corpusEvent("falco/create_configmap.json");
    ((ObjectNode) auditPolicy.get("objectRef"))
        .put("namespace", "kube-system")
        .put("name", "audit-policy");
    ObjectNode apiServerPod = corpusEvent("falco/create_pod_kube_system_namespace.json");
    ((ObjectNode) apiServerPod.get("objectRef")).put("name", "kube-apiserver-control-plane-1");
    ObjectNode sink = event("a-1");
    sink.set(
        "objectRef",
        json(
            "{\"resource\":\"auditsinks\",\"apiGroup\":\"auditregistration.k8s.io\","
                + "\"apiVersion\":\"v1alpha1\",\"name\":\"collector\"}"));
    ObjectNode elsewhere = corpusEvent("falco/create_configmap.json");
    ((ObjectNode) elsewhere.get("objectRef")).put("name", "audit-policy");

    assertThat(risks(map(auditPolicy))).containsExactly("audit");
    assertThat(risks(map(apiServerPod))).containsExactly("audit");
    assertThat(risks(map(sink))).containsExactly("audit");
    assertThat(risks(map(elsewhere))).isEmpty();
  }

  @Test
  void shouldFlagServiceAccountTokenRequestsAsSecrets() {
    ChangeEvent token = map(panther(17));

    assertThat(risks(token)).containsExactly("secrets");
    assertThat(exclusion(token)).isEqualTo("builtin.k8s.control-plane");
  }

  @Test
  void shouldLeaveOtherSourcesAlone() {
    ChangeEvent secret = falco("create_secret.json");
    ChangeEvent fromElsewhere =
        new ChangeEvent(
            secret.source(),
            "cloudtrail",
            secret.nativeId(),
            secret.occurredAt(),
            secret.eventClass(),
            secret.mutating(),
            secret.coordinates(),
            secret.actor(),
            secret.action(),
            secret.targets(),
            secret.referenceHints(),
            secret.attributes(),
            secret.rawJson());

    assertThat(risks(fromElsewhere)).isEmpty();
    assertThat(RULES.exclusion(fromElsewhere, null)).isEqualTo(Optional.empty());
  }
}
