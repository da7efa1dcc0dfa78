package dev.vouch.connector.k8s;

import static dev.vouch.connector.k8s.TestSupport.CLUSTER;
import static dev.vouch.connector.k8s.TestSupport.SOURCE;
import static dev.vouch.connector.k8s.TestSupport.atStage;
import static dev.vouch.connector.k8s.TestSupport.corpusEvent;
import static dev.vouch.connector.k8s.TestSupport.corpusLines;
import static dev.vouch.connector.k8s.TestSupport.event;
import static dev.vouch.connector.k8s.TestSupport.json;
import static dev.vouch.connector.k8s.TestSupport.map;
import static dev.vouch.connector.k8s.TestSupport.panther;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.Coordinates;
import dev.vouch.core.model.EventClass;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The mapping of one audit event: what is counted, classification, fields, rejections. */
class AuditEventMapperTest {

  @Nested
  class Stages {
    @ParameterizedTest
    @ValueSource(strings = {"RequestReceived", "ResponseStarted"})
    void shouldSkipStagesThatDoNotEndTheRequest(String stage) {
      assertThat(AuditEventMapper.map(atStage(event("a-1"), stage), SOURCE, CLUSTER)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ResponseComplete", "Panic"})
    void shouldCountStagesThatEndTheRequest(String stage) {
      assertThat(AuditEventMapper.map(atStage(event("a-1"), stage), SOURCE, CLUSTER)).isPresent();
    }

    @Test
    void shouldCountFalcosExecAndAttachLoggedOnlyAsTheyOpened() {
      // falco exec_pod.json and attach_pod.json hold only the 101 Switching Protocols stage: the
      // session is open, and its end may never be in the log that is read.
      ChangeEvent exec = map(corpusEvent("falco/exec_pod.json"));
      ChangeEvent attach = map(corpusEvent("falco/attach_pod.json"));

      assertThat(exec.eventClass()).isEqualTo(EventClass.CHANGE);
      assertThat(exec.action())
          .isEqualTo("create core/v1/pods/exec default/nginx-deployment-7998647bdf-phvq7");
      assertThat(attach.eventClass()).isEqualTo(EventClass.CHANGE);
      assertThat(attach.action())
          .isEqualTo("create core/v1/pods/attach default/nginx-deployment-7998647bdf-phvq7");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
      "create, exec",
      "get, exec",
      "create, attach",
      "get, attach",
      "create, portforward",
      "get, portforward",
    })
    void shouldMakeBothStagesOfASessionOneAndTheSameEvent(String verb, String subresource) {
      // The API server writes the same record at both stages but for the stage and its time.
      ObjectNode started = corpusEvent("falco/exec_pod.json");
      started.put("verb", verb);
      ((ObjectNode) started.get("objectRef")).put("subresource", subresource);
      ObjectNode complete = started.deepCopy();
      complete.put("stage", "ResponseComplete").put("stageTimestamp", "2018-10-26T14:02:11.5Z");

      ChangeEvent opened = map(started);
      ChangeEvent ended = map(complete);

      assertThat(ended).isEqualTo(opened);
      assertThat(opened.eventClass()).isEqualTo(EventClass.CHANGE);
      // When the session was asked for, the same in both records.
      assertThat(opened.occurredAt()).isEqualTo(Instant.parse("2018-10-26T13:38:34.867116Z"));
      assertThat(opened.attributes()).doesNotContainKey("k8s.stage");
      // The evidence is the record without what tells the stages apart, all else as written.
      ObjectNode evidence = started.deepCopy();
      evidence.remove(List.of("stage", "stageTimestamp"));
      assertThat(opened.rawJson()).isEqualTo(evidence.toString());
    }

    @Test
    void shouldStillSkipOtherLongRunningRequestsUntilTheyEnd() {
      // Panther line 14: a CoreDNS watch as it started; a kubectl logs -f as it started.
      ObjectNode logs = corpusEvent("falco/exec_pod.json");
      logs.put("verb", "get");
      ((ObjectNode) logs.get("objectRef")).put("subresource", "log");

      assertThat(panther(14).get("stage").asText()).isEqualTo("ResponseStarted");
      assertThat(AuditEventMapper.map(panther(14), SOURCE, CLUSTER)).isEmpty();
      assertThat(AuditEventMapper.map(logs, SOURCE, CLUSTER)).isEmpty();
    }

    @Test
    void shouldSkipASessionAsItIsReceived() {
      // Logged before it is authorized: whether the session opened is not known yet.
      assertThat(
              AuditEventMapper.map(
                  atStage(corpusEvent("falco/exec_pod.json"), "RequestReceived"), SOURCE, CLUSTER))
          .isEmpty();
    }

    @Test
    void shouldCountASessionThatPanickedAsFailedUnderTheSameKey() {
      // Not the same record as its opening: the store keeps both and flags them for a person.
      ObjectNode started = corpusEvent("falco/exec_pod.json");
      ObjectNode panic = started.deepCopy();
      panic.put("stage", "Panic").set("responseStatus", json("{\"code\":500}"));

      ChangeEvent failed = map(panic);

      assertThat(failed.eventClass()).isEqualTo(EventClass.FAILED);
      assertThat(failed.nativeId()).isEqualTo(map(started).nativeId());
      assertThat(failed.rawJson()).isNotEqualTo(map(started).rawJson());
    }

    @Test
    void shouldRejectAStageThatIsNotOne() {
      assertThatThrownBy(() -> map(atStage(event("a-1"), "Done")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "audit Event create core/v1/configmaps payments/settings (auditID a-1): stage 'Done'"
                  + " is not one of RequestReceived, ResponseStarted, ResponseComplete, Panic");
    }
  }

  @Nested
  class Keys {
    @ParameterizedTest(name = "another {0}")
    @CsvSource({
      "verb, delete",
      "requestURI, /api/v1/namespaces/payments/configmaps/settings",
      "requestReceivedTimestamp, 2026-10-01T12:00:00.123457Z",
    })
    void shouldGiveAnotherRequestThatReusesAnAuditIdAnotherKey(String field, String value) {
      // A client sets the Audit-ID header as it likes: the id alone must not make two requests one.
      ObjectNode first = event("a-1");
      ObjectNode second = event("a-1");
      second.put(field, value);

      String firstId = map(first).nativeId();
      String secondId = map(second).nativeId();

      assertThat(firstId).isEqualTo(TestSupport.nativeId(first)).startsWith("prod-eu:a-1:");
      assertThat(secondId).isEqualTo(TestSupport.nativeId(second)).startsWith("prod-eu:a-1:");
      assertThat(secondId).isNotEqualTo(firstId);
    }

    @Test
    void shouldGiveTheSameAuditIdInAnotherClusterAnotherKey() {
      ObjectNode event = event("a-1");

      String eu = AuditEventMapper.map(event, SOURCE, "prod-eu").orElseThrow().nativeId();
      String us = AuditEventMapper.map(event, SOURCE, "prod-us").orElseThrow().nativeId();

      assertThat(eu).isEqualTo(TestSupport.nativeId("prod-eu", event));
      assertThat(us).isEqualTo(TestSupport.nativeId("prod-us", event));
      assertThat(us).isNotEqualTo(eu);
    }

    @Test
    void shouldKeyARequestTheSameWhateverElseItsRecordSays() {
      // Who, how it ended and when the stage was reached are not part of the key: a record of the
      // same request with other content is the same event, which the store flags as conflicting.
      ObjectNode original = event("a-1");
      ObjectNode other = event("a-1");
      ((ObjectNode) other.get("user")).put("username", "mallory@example.com");
      ((ObjectNode) other.get("responseStatus")).put("code", 403);
      other.put("stage", "Panic").put("stageTimestamp", "2026-10-01T12:00:01Z");

      ChangeEvent mapped = map(original);
      ChangeEvent otherMapped = map(other);

      assertThat(otherMapped.nativeId()).isEqualTo(mapped.nativeId());
      assertThat(otherMapped.rawJson()).isNotEqualTo(mapped.rawJson());
    }

    @Test
    void shouldKeyALegacyEventWithoutRequestReceivedTimestamp() {
      // audit2rbac's 2017 events have only "timestamp": the key's hash takes the missing time as
      // empty, so the same legacy request still gets one key.
      JsonNode legacy = corpusLines("audit2rbac/demo.log").get(0);

      assertThat(legacy.has("requestReceivedTimestamp")).isFalse();
      assertThat(map(legacy).nativeId()).isEqualTo(TestSupport.nativeId(legacy));
    }
  }

  @Nested
  class Classification {
    @Test
    void shouldTreatExecOverWebSocketGetAsAChange() {
      // kubectl 1.30+ opens exec with a WebSocket GET: verb get, subresource exec.
      ObjectNode exec = corpusEvent("falco/exec_pod.json");
      exec.put("stage", "ResponseComplete").put("verb", "get");
      exec.put("stageTimestamp", "2018-10-26T13:38:40.001122Z");

      ChangeEvent event = map(exec);

      assertThat(event.eventClass()).isEqualTo(EventClass.CHANGE);
      assertThat(event.mutating()).isTrue();
      assertThat(event.action())
          .isEqualTo("get core/v1/pods/exec default/nginx-deployment-7998647bdf-phvq7");
      // A session happened when it was opened, not when it ended.
      assertThat(event.occurredAt()).isEqualTo(Instant.parse("2018-10-26T13:38:34.867116Z"));
    }

    @ParameterizedTest(name = "{0} {1}/{2}, code {3} -> {4}, mutating {5}")
    @CsvSource(
        nullValues = "null",
        value = {
          "create, configmaps, null, 201, CHANGE, true",
          "update, configmaps, null, 200, CHANGE, true",
          "patch, deployments, null, 200, CHANGE, true",
          "delete, secrets, null, 200, CHANGE, true",
          "deletecollection, pods, null, 200, CHANGE, true",
          "create, pods, exec, 101, CHANGE, true",
          "get, pods, exec, 101, CHANGE, true",
          "get, pods, attach, 101, CHANGE, true",
          "get, pods, portforward, 101, CHANGE, true",
          "create, pods, eviction, 201, CHANGE, true",
          "get, pods, log, 200, READ_ONLY, false",
          "get, pods, null, 200, READ_ONLY, false",
          "list, pods, null, 200, READ_ONLY, false",
          "watch, pods, null, 200, READ_ONLY, false",
          "create, pods, null, 403, FAILED, true",
          "get, secrets, null, 404, FAILED, false",
          "create, pods, null, 409, FAILED, true",
          "create, pods, eviction, 429, FAILED, true",
          "delete, pods, null, 500, FAILED, true",
          "impersonate, users, null, 200, OTHER, false",
          "bind, clusterroles, null, 200, OTHER, false",
          "escalate, roles, null, 200, OTHER, false",
        })
    void shouldClassifyByCodeSubresourceAndVerb(
        String verb,
        String resource,
        String subresource,
        int code,
        EventClass expected,
        boolean mutating) {
      ObjectNode event = event("a-1");
      event.put("verb", verb);
      ObjectNode ref = (ObjectNode) event.get("objectRef");
      ref.put("resource", resource);
      if (subresource != null) {
        ref.put("subresource", subresource);
      }
      ((ObjectNode) event.get("responseStatus")).put("code", code);

      ChangeEvent mapped = map(event);

      assertThat(mapped.eventClass()).isEqualTo(expected);
      assertThat(mapped.mutating()).isEqualTo(mutating);
    }

    @Test
    void shouldTreatForbiddenAsFailed() {
      // audit2rbac: bob (impersonated) may not list pods.
      ChangeEvent event = map(corpusLines("audit2rbac/demo.log").get(0));

      assertThat(event.eventClass()).isEqualTo(EventClass.FAILED);
      assertThat(event.attributes()).containsEntry("k8s.responseCode", "403");
    }

    @Test
    void shouldTreatADryRunAsNoChange() {
      ObjectNode event = event("a-1");
      event.put("requestURI", "/api/v1/namespaces/payments/configmaps?dryRun=All&fieldManager=x");

      ChangeEvent mapped = map(event);

      assertThat(mapped.eventClass()).isEqualTo(EventClass.OTHER);
      assertThat(mapped.mutating()).isTrue();
      assertThat(mapped.attributes()).containsEntry("k8s.dryRun", "All");
    }

    @Test
    void shouldTreatNonResourceRequestsAsReadOnlyWhateverTheVerb() {
      // Panther line 3: an anonymous GET of /version (no objectRef).
      ChangeEvent version = map(panther(3));
      ObjectNode post = panther(3);
      post.put("verb", "post").put("requestURI", "/apis/some/non-resource?x=1");
      ObjectNode delete = panther(3);
      delete.put("verb", "delete");

      assertThat(version.eventClass()).isEqualTo(EventClass.READ_ONLY);
      assertThat(version.action()).isEqualTo("get /version");
      assertThat(version.targets()).containsExactly("/version");
      assertThat(map(post).eventClass()).isEqualTo(EventClass.READ_ONLY);
      assertThat(map(post).action()).isEqualTo("post /apis/some/non-resource");
      assertThat(map(delete).eventClass()).isEqualTo(EventClass.READ_ONLY);
      assertThat(map(delete).mutating()).isFalse();
    }
  }

  @Nested
  class Reviews {
    /**
     * The audit event of the real AKS record: metrics-server asking whether a controller may read
     * {@code /apis/metrics.k8s.io/v1beta1} (a SubjectAccessReview, {@code v1beta1}).
     */
    private JsonNode aksSubjectAccessReview() throws Exception {
      JsonNode record = TestSupport.managedLines("aks/dynatrace-diagnostic-records.jsonl").get(0);
      return Json.MAPPER.readTree(record.get("properties").get("log").textValue());
    }

    @Test
    void shouldCountARealSubjectAccessReviewAsReadOnly() throws Exception {
      ChangeEvent event = map(aksSubjectAccessReview());

      assertThat(event.action())
          .isEqualTo("create authorization.k8s.io/v1beta1/subjectaccessreviews -/-");
      assertThat(event.eventClass()).isEqualTo(EventClass.READ_ONLY);
      assertThat(event.mutating()).isFalse();
    }

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource(
        nullValues = "null",
        value = {
          "authorization.k8s.io, subjectaccessreviews, null",
          "authorization.k8s.io, localsubjectaccessreviews, payments",
          "authorization.k8s.io, selfsubjectaccessreviews, null",
          "authorization.k8s.io, selfsubjectrulesreviews, null",
          "authentication.k8s.io, tokenreviews, null",
          "authentication.k8s.io, selfsubjectreviews, null",
          "authorization.openshift.io, subjectaccessreviews, null",
          "authorization.openshift.io, localsubjectaccessreviews, payments",
          "authorization.openshift.io, resourceaccessreviews, null",
          "authorization.openshift.io, localresourceaccessreviews, payments",
          "authorization.openshift.io, subjectrulesreviews, payments",
          "authorization.openshift.io, selfsubjectrulesreviews, payments",
          "security.openshift.io, podsecuritypolicyreviews, payments",
          "security.openshift.io, podsecuritypolicysubjectreviews, payments",
          "security.openshift.io, podsecuritypolicyselfsubjectreviews, payments",
        })
    void shouldCountEveryReviewAsReadOnlyWhoeverAsksAndAsWhom(
        String group, String resource, String namespace) {
      // A person, a node, a kube-system controller, and a person asking as someone else
      // (kubectl auth can-i --as=bob): the question creates nothing, whoever asks it.
      List<String> users =
          List.of(
              "{\"username\":\"alice@example.com\"}",
              "{\"username\":\"system:node:node-1\",\"groups\":[\"system:nodes\"]}",
              "{\"username\":\"system:serviceaccount:kube-system:metrics-server\"}");
      for (String user : users) {
        for (boolean impersonating : List.of(false, true)) {
          ObjectNode review = review(group, resource, namespace);
          review.set("user", json(user));
          if (impersonating) {
            review.set("impersonatedUser", json("{\"username\":\"bob\",\"groups\":[\"dev\"]}"));
          }

          ChangeEvent event = map(review);

          assertThat(event.eventClass())
              .as(user + " " + impersonating)
              .isEqualTo(EventClass.READ_ONLY);
          assertThat(event.mutating()).as(user + " " + impersonating).isFalse();
        }
      }
    }

    @Test
    void shouldTakeOnlyTheReviewsOfTheirOwnGroupForReviews() {
      // A custom resource named like a review is an object like any other, and a token request
      // (serviceaccounts/token) issues a credential: both are changes.
      ObjectNode custom = review("reviews.example.com", "tokenreviews", "payments");
      ObjectNode tokenRequest = event("a-1");
      tokenRequest.set(
          "objectRef",
          json(
              "{\"resource\":\"serviceaccounts\",\"subresource\":\"token\","
                  + "\"namespace\":\"payments\",\"name\":\"deployer\",\"apiVersion\":\"v1\"}"));
      ObjectNode reviewSubresource = review("authorization.k8s.io", "subjectaccessreviews", null);
      ((ObjectNode) reviewSubresource.get("objectRef")).put("subresource", "status");

      assertThat(map(custom).eventClass()).isEqualTo(EventClass.CHANGE);
      assertThat(map(tokenRequest).eventClass()).isEqualTo(EventClass.CHANGE);
      assertThat(map(reviewSubresource).eventClass()).isEqualTo(EventClass.CHANGE);
    }

    @Test
    void shouldCountARefusedReviewAsFailed() {
      ObjectNode refused = review("authorization.k8s.io", "subjectaccessreviews", null);
      ((ObjectNode) refused.get("responseStatus")).put("code", 403);

      assertThat(map(refused).eventClass()).isEqualTo(EventClass.FAILED);
    }

    /**
     * A successful create of a review, as kubectl auth can-i and the API server's webhooks send.
     */
    private ObjectNode review(String group, String resource, String namespace) {
      ObjectNode review = event("a-1");
      review.put(
          "requestURI",
          "/apis/"
              + group
              + "/v1/"
              + (namespace == null ? "" : "namespaces/" + namespace + "/")
              + resource);
      ObjectNode ref = json("{\"apiVersion\":\"v1\"}");
      ref.put("resource", resource).put("apiGroup", group);
      if (namespace != null) {
        ref.put("namespace", namespace);
      }
      review.set("objectRef", ref);
      return review;
    }
  }

  @Nested
  class Fields {
    @Test
    void shouldMapACorpusExecEventCompletely() {
      ObjectNode exec = corpusEvent("falco/exec_pod.json");

      ChangeEvent event = map(exec);

      assertThat(event.source()).isEqualTo(SOURCE);
      assertThat(event.sourceType()).isEqualTo("kubernetes-audit");
      // The hash: printf '%s\n%s\n%s' <requestReceivedTimestamp> <verb> <requestURI> | sha256sum
      assertThat(event.nativeId())
          .isEqualTo("prod-eu:ca1ed9f4-7bf4-4c85-81a8-1b11253d1ba6:ccb252feae92")
          .isEqualTo(TestSupport.nativeId(exec));
      assertThat(event.occurredAt()).isEqualTo(Instant.parse("2018-10-26T13:38:34.867116Z"));
      assertThat(event.coordinates()).isEqualTo(new Coordinates("kubernetes", CLUSTER, "default"));
      assertThat(event.action())
          .isEqualTo("create core/v1/pods/exec default/nginx-deployment-7998647bdf-phvq7");
      assertThat(event.targets())
          .containsExactly("core/v1/pods/exec default/nginx-deployment-7998647bdf-phvq7");
      assertThat(event.actor().raw()).isEqualTo("minikube-user");
      assertThat(event.attributes())
          .containsOnly(
              entry("k8s.verb", "create"),
              entry("k8s.apiGroup", "core"),
              entry("k8s.apiVersion", "v1"),
              entry("k8s.resource", "pods"),
              entry("k8s.subresource", "exec"),
              entry("k8s.namespace", "default"),
              entry("k8s.name", "nginx-deployment-7998647bdf-phvq7"),
              entry("k8s.user.username", "minikube-user"),
              entry("k8s.user.groups", "system:masters,system:authenticated"),
              entry("k8s.responseCode", "101"),
              entry("k8s.level", "Request"),
              entry(
                  "k8s.requestURI",
                  "/api/v1/namespaces/default/pods/nginx-deployment-7998647bdf-phvq7/exec?"
                      + "command=bash&container=nginx1&container=nginx1&stdin=true&stdout=true"
                      + "&tty=true"),
              entry("k8s.sourceIP", "192.168.99.1"),
              entry("k8s.cluster", CLUSTER));
    }

    @Test
    void shouldMapTheKubeAuditLogToolLeaseUpdate() throws Exception {
      JsonNode lease =
          Json.MAPPER.readTree(
              TestSupport.corpus("kube-audit-log-tool/single-event.json").toFile());

      ChangeEvent event = map(lease);

      assertThat(event.action())
          .isEqualTo(
              "update coordination.k8s.io/v1/leases kube-node-lease/"
                  + "ip-10-0-31-19.us-west-2.compute.internal");
      assertThat(event.targets())
          .containsExactly(
              "coordination.k8s.io/v1/leases kube-node-lease/"
                  + "ip-10-0-31-19.us-west-2.compute.internal",
              "f0b5005d-aee8-4738-9b95-3e3bb91dd156");
      assertThat(event.eventClass()).isEqualTo(EventClass.CHANGE);
      assertThat(event.occurredAt()).isEqualTo(Instant.parse("2023-09-01T15:37:02.757366Z"));
      assertThat(event.actor().type()).isEqualTo("node");
      assertThat(event.attributes())
          .containsEntry("k8s.apiGroup", "coordination.k8s.io")
          .containsEntry(
              "k8s.userAgent", "kubelet/v1.27.4+2c83a9f (linux/amd64) kubernetes/bbf96b6")
          .containsEntry("k8s.user.groups", "system:nodes,system:authenticated");
      assertThat(event.rawJson()).doesNotContain("\n").startsWith("{\"kind\":\"Event\"");
      assertThat(Json.MAPPER.readTree(event.rawJson())).isEqualTo(lease);
    }

    @Test
    void shouldNameClusterScopedObjectsWithADash() {
      ChangeEvent event = map(corpusEvent("falco/create_clusterrolebinding.json"));

      assertThat(event.action())
          .isEqualTo(
              "create rbac.authorization.k8s.io/v1/clusterrolebindings -/some-reader-binding");
      assertThat(event.coordinates().subScope()).isNull();
      assertThat(event.attributes()).doesNotContainKey("k8s.namespace");
    }

    @Test
    void shouldTakeTheNameOfAGeneratedObjectFromTheResponse() {
      // The replicaset controller creates pods with generateName: objectRef has no name.
      ChangeEvent event = map(corpusEvent("falco/create_nginx_pod_privileged.json"));

      assertThat(event.action())
          .isEqualTo("create core/v1/pods default/nginx-deployment-5cdcc99dbf-rgw6z");
    }

    @Test
    void shouldWriteDashesForWhatAListDoesNotName() {
      ChangeEvent event = map(corpusLines("audit2rbac/demo.log").get(0));

      assertThat(event.action()).isEqualTo("list core/v1/pods default/-");
      assertThat(event.targets()).containsExactly("core/v1/pods default/-");
      assertThat(event.attributes()).doesNotContainKey("k8s.name");
    }

    @Test
    void shouldTrustOnlyTheLastSourceIp() {
      ObjectNode event = event("a-1");
      event.putArray("sourceIPs").add("203.0.113.9").add("10.1.2.3").add("192.0.2.44");

      assertThat(map(event).attributes()).containsEntry("k8s.sourceIP", "192.0.2.44");
    }

    @Test
    void shouldCarryAnnotationAndLabelValuesAsReferenceHints() {
      ObjectNode event = event("a-1");
      event.set(
          "requestObject",
          json(
              """
              {"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"settings",
               "annotations":{"change.example.com/id":"CHG0012345",
                 "kubectl.kubernetes.io/last-applied-configuration":"{\\"CHG0000001\\":1}"},
               "labels":{"ticket":"PROJ-123","app":"payments"}},"data":{"a":"b"}}"""));

      assertThat(map(event).referenceHints()).containsExactly("CHG0012345", "PROJ-123", "payments");
    }

    @Test
    void shouldFindHintsInAPatchAndAPodTemplate() {
      ObjectNode jsonPatch = event("a-1");
      jsonPatch.put("verb", "patch");
      jsonPatch.set(
          "requestObject",
          Json.MAPPER.valueToTree(
              List.of(
                  java.util.Map.of(
                      "op", "add", "path", "/metadata/annotations/change-id", "value", "CHG7"))));
      ObjectNode template = event("a-2");
      template.set(
          "requestObject",
          json(
              """
              {"kind":"Deployment","spec":{"template":{"metadata":{
               "annotations":{"deploy/ticket":"PROJ-9"}}}}}"""));

      assertThat(map(jsonPatch).referenceHints()).containsExactly("CHG7");
      assertThat(map(template).referenceHints()).containsExactly("PROJ-9");
    }

    @Test
    void shouldKeepUnknownFieldsInTheEvidence() {
      // Panther's enrichment keys are not audit fields; they stay in rawJson only.
      ChangeEvent event = map(panther(16));

      assertThat(event.rawJson()).contains("\"p_log_type\":\"Amazon.EKS.Audit\"");
      assertThat(event.attributes().keySet()).allMatch(key -> key.startsWith("k8s."));
    }
  }

  @Nested
  class Times {
    @Test
    void shouldPreferTheStageTimestamp() {
      ObjectNode event = event("a-1");
      event.put("requestReceivedTimestamp", "2026-10-01T11:59:59.000001Z");
      event.put("stageTimestamp", "2026-10-01T12:00:00.123456789Z");

      assertThat(map(event).occurredAt())
          .isEqualTo(Instant.parse("2026-10-01T12:00:00.123456789Z"));
    }

    @Test
    void shouldFallBackToTheRequestReceivedTimestamp() {
      ObjectNode event = event("a-1");
      event.remove("stageTimestamp");
      event.put("requestReceivedTimestamp", "2026-10-01T11:59:59.000001Z");

      assertThat(map(event).occurredAt()).isEqualTo(Instant.parse("2026-10-01T11:59:59.000001Z"));
    }

    @Test
    void shouldReadTheLegacyTimestampOfAudit2rbac() {
      // audit2rbac's 2017 log has only "timestamp" and metadata.creationTimestamp.
      assertThat(map(corpusLines("audit2rbac/demo.log").get(0)).occurredAt())
          .isEqualTo(Instant.parse("2017-09-11T19:55:05Z"));
      ObjectNode onlyMetadata = event("a-1");
      onlyMetadata.remove(List.of("stageTimestamp", "requestReceivedTimestamp"));
      onlyMetadata.putObject("metadata").put("creationTimestamp", "2017-09-11T19:55:05Z");
      assertThat(map(onlyMetadata).occurredAt()).isEqualTo(Instant.parse("2017-09-11T19:55:05Z"));
    }

    @Test
    void shouldReadPanthersSpaceSeparatedUtcTimes() {
      assertThat(map(panther(3)).occurredAt())
          .isEqualTo(Instant.parse("2024-11-13T18:34:10.595494Z"));
    }

    @Test
    void shouldReadOffsets() {
      ObjectNode event = event("a-1", "2026-10-01T14:00:00.5+02:00");

      assertThat(map(event).occurredAt()).isEqualTo(Instant.parse("2026-10-01T12:00:00.5Z"));
    }
  }

  @Nested
  class Rejections {
    @Test
    void shouldRejectFalcosKindZero() {
      assertThatThrownBy(() -> map(corpusEvent("falco/fal_01_003.json")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "not a Kubernetes audit Event: kind is a number (0), expected the text Event");
    }

    @Test
    void shouldRejectAClusterEventOfTheCoreApi() {
      ObjectNode coreEvent =
          json(
              """
              {"kind":"Event","apiVersion":"v1","metadata":{"name":"nginx.17a"},
               "reason":"Scheduled","message":"Successfully assigned default/nginx to node-1"}""");

      assertThatThrownBy(() -> map(coreEvent))
          .hasMessage(
              "kind Event with apiVersion 'v1' is a cluster event (as kubectl get events shows),"
                  + " not an audit Event (expected apiVersion audit.k8s.io/v1)");
    }

    @Test
    void shouldRejectAnEventListGivenAsOneEvent() {
      assertThatThrownBy(() -> map(json("{\"kind\":\"EventList\",\"items\":[]}")))
          .hasMessage("an audit EventList, not a single Event: its items are the events");
    }

    @Test
    void shouldRejectOtherKindsAndValues() {
      assertThatThrownBy(() -> map(json("{\"kind\":\"Pod\",\"apiVersion\":\"v1\"}")))
          .hasMessage(
              "not a Kubernetes audit Event: kind 'Pod', apiVersion 'v1' (expected kind Event,"
                  + " apiVersion audit.k8s.io/v1)");
      assertThatThrownBy(() -> map(Json.MAPPER.valueToTree(List.of(1))))
          .hasMessage("expected a Kubernetes audit Event (a JSON object) but found an array");
      assertThatThrownBy(() -> map(json("{\"auditID\":\"x\"}")))
          .hasMessage(
              "not a Kubernetes audit Event: no kind and no apiVersion (expected kind Event,"
                  + " apiVersion audit.k8s.io/v1)");
    }

    @Test
    void shouldAcceptAnEventWithoutKindWhenItsApiVersionIsAnAuditOne() {
      ObjectNode event = event("a-1");
      event.remove("kind");

      assertThat(map(event).nativeId()).isEqualTo(TestSupport.nativeId(event));
    }

    @Test
    void shouldNameEveryMissingFieldOfAPartialRecord() {
      // Panther line 20: a hand-trimmed rule test without stage, auditID or times.
      assertThatThrownBy(() -> map(panther(20)))
          .hasMessage(
              "audit Event create admissionregistration.k8s.io/v1/mutatingwebhookconfigurations"
                  + " -/custom-mutator: no stage; no auditID; no stageTimestamp,"
                  + " requestReceivedTimestamp or timestamp");
      // Panther line 1: complete but for its verb.
      assertThatThrownBy(() -> map(panther(1)))
          .hasMessage("audit Event (auditID abcde12345): no verb");
    }

    @Test
    void shouldRejectABadTime() {
      ObjectNode event = event("a-1");
      event.put("stageTimestamp", "yesterday");

      assertThatThrownBy(() -> map(event))
          .hasMessageEndingWith(
              "(auditID a-1): stageTimestamp 'yesterday' is not an RFC 3339 time (expected such as"
                  + " 2026-10-01T12:00:00.123456Z)");
    }

    @Test
    void shouldRejectAnEmptyAuditIdAndANonNumericCode() {
      ObjectNode event = event("");
      ((ObjectNode) event.get("responseStatus")).put("code", "OK");

      assertThatThrownBy(() -> map(event))
          .hasMessageEndingWith(
              ": auditID is empty; responseStatus.code 'OK' is not a whole number");
    }
  }
}
