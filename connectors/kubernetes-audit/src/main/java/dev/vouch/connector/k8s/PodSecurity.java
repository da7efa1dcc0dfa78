package dev.vouch.connector.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.core.json.JsonNodes;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Finds the pod settings that break container isolation in the objects an audit event carries
 * ({@code requestObject}, {@code responseObject}): a Pod, the pod template of a workload
 * (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, ReplicationController, PodTemplate,
 * CronJob), a strategic-merge or merge patch of either, or a JSON patch whose operations add them.
 */
final class PodSecurity {
  /** What was found; each becomes a {@code k8s.pod.*} attribute set to {@code true}. */
  enum Flag {
    PRIVILEGED("k8s.pod.privileged"),
    HOST_PATH("k8s.pod.hostPath"),
    HOST_NETWORK("k8s.pod.hostNetwork"),
    HOST_PID("k8s.pod.hostPID"),
    HOST_IPC("k8s.pod.hostIPC");

    final String attribute;

    Flag(String attribute) {
      this.attribute = attribute;
    }
  }

  private static final List<String> CONTAINER_LISTS =
      List.of("containers", "initContainers", "ephemeralContainers");

  private PodSecurity() {}

  static Set<Flag> scan(@Nullable JsonNode requestObject, @Nullable JsonNode responseObject) {
    Set<Flag> flags = EnumSet.noneOf(Flag.class);
    scanObject(requestObject, flags);
    scanObject(responseObject, flags);
    return flags;
  }

  private static void scanObject(@Nullable JsonNode object, Set<Flag> flags) {
    if (object == null) {
      return;
    }
    if (object.isArray()) {
      jsonPatch(object, flags);
      return;
    }
    if (!object.isObject()) {
      return;
    }
    String kind = JsonNodes.text(object, "kind");
    if (kind == null) {
      // A patch document: it may touch a pod spec or a workload's template.
      podSpec(JsonNodes.at(object, "spec"), flags);
      podSpec(JsonNodes.at(object, "spec", "template", "spec"), flags);
      podSpec(JsonNodes.at(object, "spec", "jobTemplate", "spec", "template", "spec"), flags);
      podSpec(JsonNodes.at(object, "template", "spec"), flags);
      return;
    }
    switch (kind) {
      case "Pod" -> podSpec(JsonNodes.at(object, "spec"), flags);
      case "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "ReplicationController" ->
          podSpec(JsonNodes.at(object, "spec", "template", "spec"), flags);
      case "CronJob" ->
          podSpec(JsonNodes.at(object, "spec", "jobTemplate", "spec", "template", "spec"), flags);
      case "PodTemplate" -> podSpec(JsonNodes.at(object, "template", "spec"), flags);
      default -> {}
    }
  }

  private static void podSpec(@Nullable JsonNode spec, Set<Flag> flags) {
    if (spec == null || !spec.isObject()) {
      return;
    }
    if (JsonNodes.isTrue(spec, "hostNetwork")) {
      flags.add(Flag.HOST_NETWORK);
    }
    if (JsonNodes.isTrue(spec, "hostPID")) {
      flags.add(Flag.HOST_PID);
    }
    if (JsonNodes.isTrue(spec, "hostIPC")) {
      flags.add(Flag.HOST_IPC);
    }
    for (String list : CONTAINER_LISTS) {
      JsonNode containers = JsonNodes.at(spec, list);
      if (containers != null && containers.isArray()) {
        for (JsonNode container : containers) {
          container(container, flags);
        }
      }
    }
    JsonNode volumes = JsonNodes.at(spec, "volumes");
    if (volumes != null && volumes.isArray()) {
      for (JsonNode volume : volumes) {
        volume(volume, flags);
      }
    }
  }

  private static void container(JsonNode container, Set<Flag> flags) {
    if (JsonNodes.isTrue(container, "securityContext", "privileged")) {
      flags.add(Flag.PRIVILEGED);
    }
  }

  private static void volume(JsonNode volume, Set<Flag> flags) {
    if (JsonNodes.at(volume, "hostPath") != null) {
      flags.add(Flag.HOST_PATH);
    }
  }

  /**
   * RFC 6902 operations ({@code [{"op": "add", "path": "/spec/hostNetwork", "value": true}]}): the
   * value of an {@code add} or {@code replace} is checked for what its path says it is.
   */
  private static void jsonPatch(JsonNode operations, Set<Flag> flags) {
    for (JsonNode operation : operations) {
      String op = JsonNodes.text(operation, "op");
      String path = JsonNodes.text(operation, "path");
      JsonNode value = JsonNodes.at(operation, "value");
      if (path == null || value == null || !("add".equals(op) || "replace".equals(op))) {
        continue;
      }
      boolean isTrue =
          value.isBoolean() ? value.booleanValue() : "true".equalsIgnoreCase(value.asText());
      if (path.endsWith("/privileged") && isTrue) {
        flags.add(Flag.PRIVILEGED);
      } else if (path.endsWith("/hostNetwork") && isTrue) {
        flags.add(Flag.HOST_NETWORK);
      } else if (path.endsWith("/hostPID") && isTrue) {
        flags.add(Flag.HOST_PID);
      } else if (path.endsWith("/hostIPC") && isTrue) {
        flags.add(Flag.HOST_IPC);
      } else if (path.endsWith("/hostPath") || path.contains("/volumes")) {
        if (path.endsWith("/hostPath")) {
          flags.add(Flag.HOST_PATH);
        } else if (value.isArray()) {
          value.forEach(volume -> volume(volume, flags));
        } else {
          volume(value, flags);
        }
      } else if (path.contains("ontainers")) {
        if (path.endsWith("/securityContext")) {
          if (JsonNodes.isTrue(value, "privileged")) {
            flags.add(Flag.PRIVILEGED);
          }
        } else if (value.isArray()) {
          value.forEach(container -> container(container, flags));
        } else {
          container(value, flags);
        }
      } else if (value.isObject()) {
        // A whole spec or template replaced at once.
        podSpec(value, flags);
        podSpec(JsonNodes.at(value, "spec"), flags);
        podSpec(JsonNodes.at(value, "template", "spec"), flags);
      }
    }
  }
}
