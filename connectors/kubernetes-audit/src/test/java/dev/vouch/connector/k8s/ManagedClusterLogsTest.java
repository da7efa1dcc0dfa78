package dev.vouch.connector.k8s;

import static dev.vouch.connector.k8s.TestSupport.corpusEvent;
import static dev.vouch.connector.k8s.TestSupport.fileSource;
import static dev.vouch.connector.k8s.TestSupport.json;
import static dev.vouch.connector.k8s.TestSupport.managed;
import static dev.vouch.connector.k8s.TestSupport.managedLines;
import static dev.vouch.connector.k8s.TestSupport.nativeId;
import static dev.vouch.connector.k8s.TestSupport.pull;
import static dev.vouch.connector.k8s.TestSupport.write;
import static dev.vouch.connector.k8s.TestSupport.writeGzip;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.connector.k8s.TestSupport.Pulled;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.EventClass;
import dev.vouch.core.spi.InputProblem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Audit events as managed clusters' log pipelines deliver them: taken out of AKS diagnostic records
 * and CloudWatch Logs subscription messages, with the audit event alone kept as evidence; GKE's
 * Cloud Audit Logs entries and the pipelines' other records refused, each saying what it is and
 * what to configure.
 */
class ManagedClusterLogsTest {
  private static final String AKS_FILE = "aks/dynatrace-diagnostic-records.jsonl";

  @TempDir Path dir;

  /** The real AKS records: line 1 of category kube-audit, line 2 of kube-controller-manager. */
  private static ObjectNode aksRecord(int line) {
    return (ObjectNode) managedLines(AKS_FILE).get(line - 1);
  }

  /** The audit event the real kube-audit record carries: metrics-server's SubjectAccessReview. */
  private static JsonNode aksAuditEvent() {
    return json(aksRecord(1).get("properties").get("log").textValue());
  }

  private static final String CONTROLLER_MANAGER_REFUSAL =
      "an AKS diagnostic record of category 'kube-controller-manager': that component's own log,"
          + " not a Kubernetes audit event (only the categories kube-audit and kube-audit-admin"
          + " hold those); select only the kube-audit-admin (or kube-audit) category in the"
          + " cluster's diagnostic setting that exports to what this source reads";

  @Nested
  class Aks {
    @Test
    void shouldReadTheAuditEventOfAStorageExportAndRefuseTheOtherCategory() throws Exception {
      // A storage account export writes one record per line
      // (insights-logs-<category>/.../PT1H.json).
      Path file = managed(AKS_FILE);

      Pulled pulled = pull(fileSource(file), null);

      ChangeEvent event = pulled.sink().events().get(0);
      assertThat(pulled.sink().events()).hasSize(1);
      assertThat(event.nativeId()).isEqualTo(nativeId(aksAuditEvent()));
      assertThat(event.action())
          .isEqualTo("create authorization.k8s.io/v1beta1/subjectaccessreviews -/-");
      assertThat(event.eventClass()).isEqualTo(EventClass.READ_ONLY);
      assertThat(event.actor().raw()).isEqualTo("system:serviceaccount:kube-system:metrics-server");
      // The evidence is the audit event as the API server wrote it, not Azure's record around it.
      assertThat(event.rawJson()).isEqualTo(Json.MAPPER.writeValueAsString(aksAuditEvent()));
      assertThat(pulled.sink().rejections())
          .containsExactly(new InputProblem(file + ":2", CONTROLLER_MANAGER_REFUSAL));
    }

    @Test
    void shouldReadAnEventHubsBatchRecordByRecord() throws Exception {
      // Azure Monitor streams resource logs to Event Hubs (and other exports batch them) as
      // {"records": [...]}: here the two real records in that documented shape.
      ObjectNode batch = json("{}");
      batch.putArray("records").add(aksRecord(1)).add(aksRecord(2));
      Path file = write(dir.resolve("eventhub.json"), batch + "\n");

      Pulled pulled = pull(fileSource(file), null);

      assertThat(pulled.ids()).containsExactly(nativeId(aksAuditEvent()));
      assertThat(pulled.sink().rejections())
          .containsExactly(
              new InputProblem(file + ":1 (record 2 of 2)", CONTROLLER_MANAGER_REFUSAL));
    }

    @Test
    void shouldKeepOneCopyOfAnEventExportedInBothAuditCategories() throws Exception {
      // With kube-audit and kube-audit-admin both exported, a write is in both: one request.
      ObjectNode admin = aksRecord(1);
      admin.put("category", "kube-audit-admin").put("time", "2021-02-02T15:00:00.1000000Z");
      Path file = write(dir.resolve("PT1H.json"), aksRecord(1) + "\n" + admin + "\n");

      Pulled pulled = pull(fileSource(file), null);

      assertThat(pulled.ids()).containsExactly(nativeId(aksAuditEvent()));
      assertThat(pulled.result().detail())
          .contains("1 event delivered", "1 repeated event skipped", "0 rejected");
    }

    @Test
    void shouldSayWhatIsWrongInsideAnAksRecord() throws Exception {
      String log = aksRecord(1).get("properties").get("log").textValue();
      ObjectNode cut = aksRecord(1);
      ((ObjectNode) cut.get("properties")).put("log", log.substring(0, 200));
      ObjectNode empty = aksRecord(1);
      ((ObjectNode) empty.get("properties")).remove("log");
      ObjectNode noEvent = aksRecord(1);
      ((ObjectNode) noEvent.get("properties")).put("log", "{\"kind\":\"Event\"}");
      // An activity log record in the same Event Hub, in Azure's documented activity log schema.
      ObjectNode activity =
          json(
              """
              {"time":"2021-02-02T15:00:00.0000000Z","category":"Administrative",
               "resourceId":"/SUBSCRIPTIONS/97E9B03F-04D6-4B69-B307-35F483F7ED81/RESOURCEGROUPS/\
              DEMO-BACKEND-RG/PROVIDERS/MICROSOFT.WEB/SITES/SHOP",
               "operationName":"MICROSOFT.WEB/SITES/WRITE","resultType":"Success",
               "properties":{"statusCode":"OK"}}""");
      ObjectNode batch = json("{}");
      ArrayNode records = batch.putArray("records");
      records.add(cut).add(empty).add(noEvent).add(activity).add(42);
      Path file = write(dir.resolve("eventhub.json"), batch + "\n");

      Pulled pulled = pull(fileSource(file), null);

      assertThat(pulled.sink().events()).isEmpty();
      assertThat(pulled.sink().rejections())
          .extracting(InputProblem::location)
          .containsExactly(
              file + ":1 (record 1 of 5, properties.log)",
              file + ":1 (record 2 of 5)",
              file + ":1 (record 3 of 5, properties.log)",
              file + ":1 (record 4 of 5)",
              file + ":1 (record 5 of 5)");
      assertThat(pulled.sink().rejections())
          .extracting(InputProblem::message)
          .satisfiesExactly(
              message ->
                  assertThat(message)
                      .startsWith(
                          "the properties.log of an AKS kube-audit record is not JSON:"
                              + " Unexpected end-of-input"),
              message ->
                  assertThat(message)
                      .isEqualTo(
                          "an AKS kube-audit record without its audit event: properties.log is"
                              + " missing or not text"),
              message ->
                  assertThat(message)
                      .isEqualTo(
                          "audit Event: no stage; no auditID; no stageTimestamp,"
                              + " requestReceivedTimestamp or timestamp; no verb"),
              message ->
                  assertThat(message)
                      .isEqualTo(
                          "an Azure resource log record of category 'Administrative' of"
                              + " /SUBSCRIPTIONS/97E9B03F-04D6-4B69-B307-35F483F7ED81/RESOURCEGROUPS/"
                              + "DEMO-BACKEND-RG/PROVIDERS/MICROSOFT.WEB/SITES/SHOP, not an AKS"
                              + " audit record: only an AKS cluster's kube-audit and"
                              + " kube-audit-admin categories hold Kubernetes audit events; export"
                              + " only those to what this source reads"),
              message ->
                  assertThat(message)
                      .isEqualTo(
                          "expected an Azure resource log record (an object with category and"
                              + " properties) but found a number"));
    }
  }

  @Nested
  class CloudWatch {
    /**
     * A CloudWatch Logs subscription message as AWS documents it (decompressed): owner, log group,
     * log stream, filters, messageType and logEvents, each message one log event. EKS writes its
     * audit log to the group {@code /aws/eks/<cluster>/cluster}, streams {@code
     * kube-apiserver-audit-*}, one audit event per log event.
     */
    private ObjectNode message(String stream, String... messages) {
      ObjectNode message =
          json(
              """
              {"messageType":"DATA_MESSAGE","owner":"111122223333",
               "logGroup":"/aws/eks/prod-eu/cluster","subscriptionFilters":["to-firehose"]}""");
      message.put("logStream", stream);
      ArrayNode events = message.putArray("logEvents");
      long id = 37_548_091_284_103_681L;
      for (String text : messages) {
        ObjectNode event = events.addObject();
        event.put("id", Long.toString(id++)).put("timestamp", 1_763_640_000_000L);
        event.put("message", text);
      }
      return message;
    }

    private String configMap() {
      return corpusEvent("falco/create_configmap.json").toString();
    }

    private String exec() {
      return corpusEvent("falco/exec_pod.json").toString();
    }

    @Test
    void shouldReadTheAuditEventsOfASubscriptionMessage() throws Exception {
      Path file =
          write(
              dir.resolve("cloudwatch.json"),
              message("kube-apiserver-audit-0b4f6a6d", configMap(), exec()) + "\n");

      Pulled pulled = pull(fileSource(file), null);

      assertThat(pulled.ids())
          .containsExactly(
              nativeId(corpusEvent("falco/create_configmap.json")),
              nativeId(corpusEvent("falco/exec_pod.json")));
      assertThat(pulled.sink().events().get(0).rawJson())
          .isEqualTo(Json.MAPPER.writeValueAsString(corpusEvent("falco/create_configmap.json")));
      assertThat(pulled.sink().events())
          .extracting(ChangeEvent::eventClass)
          .containsOnly(EventClass.CHANGE);
      assertThat(pulled.sink().rejections()).isEmpty();
    }

    @Test
    void shouldRefuseAnotherControlPlaneLogSayingHowToFilterTheSubscription() throws Exception {
      // Without a filter pattern, a subscription on the log group sends every stream: here the
      // IAM authenticator's log, which is text.
      Path file =
          write(
              dir.resolve("cloudwatch.json"),
              message(
                      "authenticator-0b4f6a6d",
                      "time=\"2026-11-20T12:00:00Z\" level=info msg=\"access granted\"")
                  + "\n");

      Pulled pulled = pull(fileSource(file), null);

      assertThat(pulled.sink().events()).isEmpty();
      InputProblem problem = pulled.sink().rejections().get(0);
      assertThat(problem.location()).isEqualTo(file + ":1 (log event 1 of 1)");
      assertThat(problem.message())
          .startsWith(
              "the message of a CloudWatch Logs event of log stream 'authenticator-0b4f6a6d' is"
                  + " not JSON (")
          .endsWith(
              "): only the kube-apiserver-audit-* streams of an EKS cluster's log group hold"
                  + " audit events; give the subscription filter a pattern that sends only those,"
                  + " such as { $.kind = \"Event\" }");
    }

    @Test
    void shouldCountAControlMessageAndReadNothingOfIt() throws Exception {
      // CloudWatch Logs checks a new destination with a control message, as AWS documents it.
      Path file =
          write(
              dir.resolve("cloudwatch.json"),
              """
              {"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"",\
              "logStream":"","subscriptionFilters":[],"logEvents":[{"id":"",\
              "timestamp":1763640000000,"message":"CWL CONTROL MESSAGE: Checking health of\
               destination Firehose."}]}
              """);

      Pulled pulled = pull(fileSource(file), null);

      assertThat(pulled.sink().events()).isEmpty();
      assertThat(pulled.sink().rejections()).isEmpty();
      assertThat(pulled.result().detail()).contains("1 CloudWatch Logs control message skipped");
    }

    @Test
    void shouldReadTheMessagesFirehoseWroteWithoutLineEnds() throws Exception {
      // Kinesis Data Firehose writes a subscription's (gzipped) messages to an S3 object one after
      // the other: no line end between them, none at the end.
      ObjectNode first = message("kube-apiserver-audit-0b4f6a6d", configMap());
      ObjectNode second = message("kube-apiserver-audit-0b4f6a6d", exec());
      Path file =
          writeGzip(dir.resolve("prod-eu-audit-1-2026-11-20-12-00-00-5a1b"), first + "" + second);
      KubernetesAuditSource source = fileSource(file);

      Pulled pulled = pull(source, null);
      Pulled again = pull(source, pulled.cursor());

      assertThat(pulled.ids())
          .containsExactly(
              nativeId(corpusEvent("falco/create_configmap.json")),
              nativeId(corpusEvent("falco/exec_pod.json")));
      assertThat(pulled.sink().rejections()).isEmpty();
      assertThat(again.ids()).isEmpty();
    }

    @Test
    void shouldRejectWhatFollowsTheMessagesWhenItIsNotJson() throws Exception {
      ObjectNode first = message("kube-apiserver-audit-0b4f6a6d", configMap());
      ObjectNode second = message("kube-apiserver-audit-0b4f6a6d", exec());
      Path file = write(dir.resolve("firehose"), first + "" + second + "{\"messageType\":\n");

      Pulled pulled = pull(fileSource(file), null);

      assertThat(pulled.sink().events()).hasSize(2);
      InputProblem problem = pulled.sink().rejections().get(0);
      assertThat(problem.location()).isEqualTo(file + ":1 (message 3 on the line)");
      assertThat(problem.message())
          .startsWith("malformed JSON after 2 CloudWatch Logs message(s): Unexpected end-of-input")
          .endsWith("; the rest of the line was not read");
    }
  }

  @Nested
  class Gke {
    private static final String GKE_ADVICE =
        "GKE records its API server's requests only as Cloud Audit Logs, whose AuditLog is"
            + " Google's account of a request, not the audit Event a Kubernetes source reads, and"
            + " exports neither audit log files nor an audit webhook; read GKE clusters with the"
            + " gcp-audit source (not available in this version), not with a Kubernetes audit"
            + " source";

    @Test
    void shouldRefuseEveryGkeEntryOfTheCorpusNamingItsMethod() throws Exception {
      // Panther's GKE rule tests: LogEntries of k8s.io as Panther stores them (some without
      // serviceName or @type, which Panther drops).
      Path file = managed("gke/panther-gke-entries.jsonl");
      List<JsonNode> entries = managedLines("gke/panther-gke-entries.jsonl");

      Pulled pulled = pull(fileSource(file), null);

      assertThat(pulled.sink().events()).isEmpty();
      assertThat(pulled.sink().rejections()).hasSize(entries.size());
      for (int i = 0; i < entries.size(); i++) {
        String method = entries.get(i).get("protoPayload").get("methodName").asText();
        assertThat(pulled.sink().rejections().get(i).location()).isEqualTo(file + ":" + (i + 1));
        assertThat(pulled.sink().rejections().get(i).message())
            .startsWith("a GKE Cloud Audit Logs entry (a Cloud Logging LogEntry with an AuditLog")
            .contains("method " + method + "), not a Kubernetes audit Event: ")
            .endsWith(GKE_ADVICE);
      }
    }

    /**
     * A GKE exec as Cloud Logging writes it, built to Google's documented LogEntry and AuditLog
     * (INTEGRATIONS.md 3.3 and 4.2): what a log sink exports to files, and what a Pub/Sub sink
     * publishes.
     */
    private ObjectNode gkeExec() {
      return json(
          """
          {"insertId":"1f2e3d4c5b6a","logName":\
          "projects/shop-prod/logs/cloudaudit.googleapis.com%2Factivity",\
          "resource":{"type":"k8s_cluster","labels":{"project_id":"shop-prod",\
          "location":"europe-west1","cluster_name":"prod-eu"}},\
          "timestamp":"2026-11-20T12:00:00.123456Z","receiveTimestamp":"2026-11-20T12:00:01.5Z",\
          "severity":"NOTICE","operation":{"id":"0a1b2c3d","producer":"k8s.io",\
          "first":true,"last":true},"protoPayload":{\
          "@type":"type.googleapis.com/google.cloud.audit.AuditLog",\
          "serviceName":"k8s.io","methodName":"io.k8s.core.v1.pods.exec.create",\
          "resourceName":"core/v1/namespaces/payments/pods/api-7f9c/exec",\
          "authenticationInfo":{"principalEmail":"alice@example.com"},\
          "requestMetadata":{"callerIp":"203.0.113.9","callerSuppliedUserAgent":"kubectl/v1.34.1"}}}""");
    }

    @Test
    void shouldRefuseAGkeEntryAsALogSinkExportsItOrPubSubDeliversIt() throws Exception {
      ObjectNode exported = gkeExec();
      // A push subscription's request body: the LogEntry, base64, in message.data.
      ObjectNode pushed = json("{\"subscription\":\"projects/shop-prod/subscriptions/audit\"}");
      pushed
          .putObject("message")
          .put(
              "data",
              Base64.getEncoder()
                  .encodeToString(gkeExec().toString().getBytes(StandardCharsets.UTF_8)))
          .put("messageId", "1234567890");
      // A BigQuery sink's row (exported as JSON): the AuditLog in protopayload_auditlog.
      ObjectNode row = gkeExec();
      row.set("protopayload_auditlog", row.remove("protoPayload"));
      Path file = write(dir.resolve("gke.json"), exported + "\n" + pushed + "\n" + row + "\n");

      Pulled pulled = pull(fileSource(file), null);

      assertThat(pulled.sink().events()).isEmpty();
      assertThat(pulled.sink().rejections())
          .extracting(InputProblem::message)
          .containsExactly(
              "a GKE Cloud Audit Logs entry (a Cloud Logging LogEntry with an AuditLog of k8s.io,"
                  + " method io.k8s.core.v1.pods.exec.create), not a Kubernetes audit Event: "
                  + GKE_ADVICE,
              "a GKE Cloud Audit Logs entry (a Pub/Sub message whose data is a Cloud Logging"
                  + " LogEntry with an AuditLog of k8s.io, method io.k8s.core.v1.pods.exec.create),"
                  + " not a Kubernetes audit Event: "
                  + GKE_ADVICE,
              "a GKE Cloud Audit Logs entry (a BigQuery export row of a LogEntry with an AuditLog"
                  + " of k8s.io, method io.k8s.core.v1.pods.exec.create), not a Kubernetes audit"
                  + " Event: "
                  + GKE_ADVICE);
    }

    @Test
    void shouldRefuseAnotherGoogleCloudAuditLogEntryAsNotKubernetes() throws Exception {
      // spotify/gordon-gcp's real Compute Engine entry, pretty-printed.
      Path file = managed("gcp/gordon-msg.audit-log.json");

      Pulled pulled = pull(fileSource(file), null);

      assertThat(pulled.sink().events()).isEmpty();
      assertThat(pulled.sink().rejections())
          .extracting(InputProblem::message)
          .containsExactly(
              "a Google Cloud Audit Logs entry (a Cloud Logging LogEntry with an AuditLog of"
                  + " compute.googleapis.com, method v1.compute.instances.insert), not a"
                  + " Kubernetes audit Event: it belongs to a gcp-audit source (not available in"
                  + " this version); remove it from what this source reads");
    }
  }
}
