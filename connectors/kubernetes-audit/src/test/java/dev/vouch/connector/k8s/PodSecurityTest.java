package dev.vouch.connector.k8s;

import static dev.vouch.connector.k8s.TestSupport.corpusEvent;
import static dev.vouch.connector.k8s.TestSupport.event;
import static dev.vouch.connector.k8s.TestSupport.json;
import static dev.vouch.connector.k8s.TestSupport.map;
import static dev.vouch.connector.k8s.TestSupport.panther;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Pods that break isolation, found in the objects an event carries. */
class PodSecurityTest {

  private static Map<String, String> podAttributes(ObjectNode event) {
    Map<String, String> found = new TreeMap<>();
    map(event)
        .attributes()
        .forEach(
            (key, value) -> {
              if (key.startsWith("k8s.pod.")) {
                found.put(key, value);
              }
            });
    return found;
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "create_nginx_pod_privileged.json | {k8s.pod.privileged=true}",
        "create_nginx_pod_privileged_2nd_container.json | {k8s.pod.privileged=true}",
        "create_nginx_pod_no_secctx_1st_container_privileged_2nd_container.json"
            + " | {k8s.pod.privileged=true}",
        "create_nginx_pod_hostnetwork.json | {k8s.pod.hostNetwork=true}",
        "create_nginx_pod_sensitive_mount.json | {k8s.pod.hostPath=true}",
        "create_nginx_pod_sensitive_mount_2nd_container.json | {k8s.pod.hostPath=true}",
        "create_nginx_pod_unsensitive_mount.json | {k8s.pod.hostPath=true}",
        "create_nginx_pod_nohostnetwork.json | {}",
        "create_nginx_pod_unprivileged.json | {}",
        "create_pod_kube_system_namespace.json | {}",
        "create_deployment.json | {}",
        "create_configmap.json | {}",
      })
  void shouldFlagTheFalcoPodSamples(String file, String expected) {
    assertThat(podAttributes(corpusEvent("falco/" + file))).hasToString(expected);
  }

  @Test
  void shouldFlagThePantherPrivilegedPod() {
    ObjectNode event = panther(98);
    event.put("stageTimestamp", "2024-02-13T12:45:06.073Z");

    assertThat(podAttributes(event)).containsOnly(Map.entry("k8s.pod.privileged", "true"));
  }

  @Test
  void shouldLookIntoWorkloadTemplates() {
    ObjectNode deployment = event("a-1");
    deployment.set(
        "requestObject",
        json(
            """
            {"kind":"DaemonSet","apiVersion":"apps/v1","spec":{"template":{"spec":{
             "hostPID":true,"hostIPC":true,
             "initContainers":[{"name":"init","securityContext":{"privileged":true}}],
             "containers":[{"name":"agent"}]}}}}"""));
    ObjectNode cronJob = event("a-2");
    cronJob.set(
        "responseObject",
        json(
            """
            {"kind":"CronJob","apiVersion":"batch/v1","spec":{"jobTemplate":{"spec":{"template":{
             "spec":{"hostNetwork":true,"containers":[{"name":"c"}],
             "volumes":[{"name":"root","hostPath":{"path":"/"}}]}}}}}}"""));

    assertThat(podAttributes(deployment))
        .containsOnly(
            Map.entry("k8s.pod.privileged", "true"),
            Map.entry("k8s.pod.hostPID", "true"),
            Map.entry("k8s.pod.hostIPC", "true"));
    assertThat(podAttributes(cronJob))
        .containsOnly(
            Map.entry("k8s.pod.hostNetwork", "true"), Map.entry("k8s.pod.hostPath", "true"));
  }

  @Test
  void shouldLookIntoPatches() {
    ObjectNode strategicMerge = event("a-1");
    strategicMerge.put("verb", "patch");
    strategicMerge.set(
        "requestObject",
        json(
            """
            {"spec":{"template":{"spec":{"containers":[
             {"name":"app","securityContext":{"privileged":true}}]}}}}"""));
    ObjectNode jsonPatch = event("a-2");
    jsonPatch.put("verb", "patch");
    jsonPatch.set(
        "requestObject",
        Json.MAPPER.valueToTree(
            java.util.List.of(
                Map.of("op", "add", "path", "/spec/template/spec/hostNetwork", "value", true),
                Map.of(
                    "op",
                    "add",
                    "path",
                    "/spec/template/spec/volumes/-",
                    "value",
                    Map.of("name", "docker", "hostPath", Map.of("path", "/var/run/docker.sock"))),
                Map.of(
                    "op",
                    "replace",
                    "path",
                    "/spec/template/spec/containers/0/securityContext/privileged",
                    "value",
                    true),
                Map.of("op", "remove", "path", "/spec/template/spec/hostPID"))));

    assertThat(podAttributes(strategicMerge)).containsOnly(Map.entry("k8s.pod.privileged", "true"));
    assertThat(podAttributes(jsonPatch))
        .containsOnly(
            Map.entry("k8s.pod.privileged", "true"),
            Map.entry("k8s.pod.hostNetwork", "true"),
            Map.entry("k8s.pod.hostPath", "true"));
  }

  @Test
  void shouldNotFlagFalseSettings() {
    ObjectNode event = event("a-1");
    event.set(
        "requestObject",
        json(
            """
            {"kind":"Pod","spec":{"hostNetwork":false,"hostPID":false,
             "containers":[{"name":"c","securityContext":{"privileged":false}}],
             "volumes":[{"name":"v","emptyDir":{}}]}}"""));

    assertThat(podAttributes(event)).isEmpty();
  }
}
