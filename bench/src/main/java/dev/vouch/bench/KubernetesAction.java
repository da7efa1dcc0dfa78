package dev.vouch.bench;

import dev.vouch.bench.Catalog.Theme;
import java.util.ArrayList;
import java.util.List;

/**
 * A change a person makes with kubectl (or a similar client), as the API server sees it: verb,
 * resource and subresource. Themes reuse {@link Theme} in their Kubernetes sense: COMPUTE is
 * workloads and pods, CONFIG config maps and secrets, IAM RBAC and admission webhooks, NETWORK
 * services, network policies and ingresses, FUNCTIONS jobs and cron jobs, STORAGE volume claims.
 */
enum KubernetesAction {
  SET_IMAGE(Theme.COMPUTE, "patch", "deployments", null, false, true),
  RESTART_ROLLOUT(Theme.COMPUTE, "patch", "deployments", null, false, true),
  SCALE(Theme.COMPUTE, "patch", "deployments", "scale", false, false),
  CREATE_DEPLOYMENT(Theme.COMPUTE, "create", "deployments", null, false, true),
  DELETE_DEPLOYMENT(Theme.COMPUTE, "delete", "deployments", null, false, false),
  DELETE_POD(Theme.COMPUTE, "delete", "pods", null, false, false),
  CREATE_PRIVILEGED_POD(Theme.COMPUTE, "create", "pods", null, false, true),
  CREATE_HOSTPATH_POD(Theme.COMPUTE, "create", "pods", null, false, true),
  CREATE_CONFIGMAP(Theme.CONFIG, "create", "configmaps", null, false, false),
  PATCH_CONFIGMAP(Theme.CONFIG, "patch", "configmaps", null, false, false),
  DELETE_CONFIGMAP(Theme.CONFIG, "delete", "configmaps", null, false, false),
  CREATE_SECRET(Theme.CONFIG, "create", "secrets", null, false, false),
  PATCH_SECRET(Theme.CONFIG, "patch", "secrets", null, false, false),
  DELETE_SECRET(Theme.CONFIG, "delete", "secrets", null, false, false),
  CREATE_ROLEBINDING(Theme.IAM, "create", "rolebindings", null, false, true),
  DELETE_ROLEBINDING(Theme.IAM, "delete", "rolebindings", null, false, false),
  PATCH_CLUSTERROLE(Theme.IAM, "patch", "clusterroles", null, true, true),
  CREATE_CLUSTERROLEBINDING(Theme.IAM, "create", "clusterrolebindings", null, true, true),
  PATCH_WEBHOOK(Theme.IAM, "patch", "validatingwebhookconfigurations", null, true, true),
  DELETE_WEBHOOK(Theme.IAM, "delete", "validatingwebhookconfigurations", null, true, false),
  PATCH_SERVICE(Theme.NETWORK, "patch", "services", null, false, true),
  CREATE_NETWORKPOLICY(Theme.NETWORK, "create", "networkpolicies", null, false, true),
  DELETE_NETWORKPOLICY(Theme.NETWORK, "delete", "networkpolicies", null, false, false),
  PATCH_INGRESS(Theme.NETWORK, "patch", "ingresses", null, false, true),
  SUSPEND_CRONJOB(Theme.FUNCTIONS, "patch", "cronjobs", null, false, true),
  CREATE_JOB(Theme.FUNCTIONS, "create", "jobs", null, false, true),
  DELETE_JOB(Theme.FUNCTIONS, "delete", "jobs", null, false, false),
  RESIZE_PVC(Theme.STORAGE, "patch", "persistentvolumeclaims", null, false, true),
  DELETE_PVC(Theme.STORAGE, "delete", "persistentvolumeclaims", null, false, false),
  /** kubectl before 1.30 (SPDY): {@code create pods/exec}. */
  EXEC_CREATE(null, "create", "pods", "exec", false, false),
  /** kubectl 1.30 and later (WebSocket, an HTTP GET): {@code get pods/exec}. */
  EXEC_GET(null, "get", "pods", "exec", false, false),
  ATTACH_GET(null, "get", "pods", "attach", false, false),
  PORTFORWARD_GET(null, "get", "pods", "portforward", false, false),
  PORTFORWARD_CREATE(null, "create", "pods", "portforward", false, false);

  private final Theme theme;
  private final String verb;
  private final String resource;
  private final String subresource;
  private final boolean clusterScoped;
  private final boolean referenceable;

  KubernetesAction(
      Theme theme,
      String verb,
      String resource,
      String subresource,
      boolean clusterScoped,
      boolean referenceable) {
    this.theme = theme;
    this.verb = verb;
    this.resource = resource;
    this.subresource = subresource;
    this.clusterScoped = clusterScoped;
    this.referenceable = referenceable;
  }

  Theme theme() {
    return theme;
  }

  String verb() {
    return verb;
  }

  String resource() {
    return resource;
  }

  /** The subresource, or null. */
  String subresource() {
    return subresource;
  }

  boolean clusterScoped() {
    return clusterScoped;
  }

  /**
   * Whether the audit event carries the request body with the object's metadata, so a {@code
   * change-id} annotation can travel in {@code requestObject.metadata.annotations}. Config maps and
   * secrets are logged at Metadata level (no body), deletes and exec carry no object.
   */
  boolean referenceable() {
    return referenceable;
  }

  /** exec, attach and port-forward: interactive sessions, long-running requests. */
  boolean interactive() {
    return theme == null;
  }

  /** The non-interactive actions of a theme, cluster-scoped ones only when allowed. */
  static List<KubernetesAction> of(Theme theme, boolean clusterScopedAllowed) {
    List<KubernetesAction> result = new ArrayList<>();
    for (KubernetesAction a : values()) {
      if (a.theme == theme && (clusterScopedAllowed || !a.clusterScoped)) {
        result.add(a);
      }
    }
    return result;
  }

  static List<KubernetesAction> interactiveActions() {
    List<KubernetesAction> result = new ArrayList<>();
    for (KubernetesAction a : values()) {
      if (a.interactive()) {
        result.add(a);
      }
    }
    return result;
  }
}
