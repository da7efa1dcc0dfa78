package dev.vouch.bench;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The classification and the rules the benchmark expects from Vouch for Kubernetes audit events,
 * written independently of Vouch's code but to the semantics of its built-in rule pack ({@code
 * builtin.k8s.*} in reconciler-core's {@code builtin.yaml}) and of the generated vouch.yaml.
 *
 * <p>Class, decided per request (a session, exec, attach or portforward, is one request whether its
 * ResponseStarted, its ResponseComplete or both are logged), first match wins: {@code
 * responseStatus.code >= 400} is FAILED; {@code dryRun=All} in the request URI is OTHER; a
 * non-resource request (no {@code objectRef}) is READ_ONLY; a create of a review (token, access and
 * rules reviews of authentication.k8s.io and authorization.k8s.io, which are never stored) is
 * READ_ONLY; a request on the subresource exec, attach or portforward is CHANGE whatever the verb
 * (kubectl 1.30 and later sends {@code get pods/exec} over WebSocket); the verbs create, update,
 * patch, delete and deletecollection are CHANGE; get, list and watch READ_ONLY; anything else
 * OTHER.
 *
 * <p>Rules, applied to a change before any record is looked at. The actor is the effective user
 * ({@code impersonatedUser} when present); every exclusion stops when the request was impersonated
 * (a person acting as a controller is a person):
 *
 * <ul>
 *   <li>EXCLUDED ({@code builtin.k8s.control-plane}, {@code
 *       builtin.k8s.kube-system-serviceaccount}): actors {@code system:node:*}, {@code
 *       system:kube-controller-manager}, {@code system:kube-scheduler}, {@code system:kube-proxy},
 *       {@code system:apiserver}, {@code eks:*}, {@code system:serviceaccount:kube-system:*};
 *   <li>EXCLUDED ({@code builtin.k8s.housekeeping}): resource leases;
 *   <li>EXCLUDED ({@code builtin.k8s.events}): resource events in the core group or events.k8s.io;
 *   <li>STANDARD_CHANGE ({@code bench.argocd} in the generated vouch.yaml): effective user Argo
 *       CD's application controller.
 * </ul>
 */
final class KubernetesRules {

  /** How one request is counted. */
  enum RequestClass {
    CHANGE,
    READ_ONLY,
    FAILED,
    OTHER
  }

  /**
   * Control-plane and platform users (globs, {@code *} at the end only). The benchmark's audit
   * policy also logs their requests without the RequestReceived stage.
   */
  static final List<String> EXCLUDED_USERS =
      List.of(
          "system:node:*",
          "system:kube-controller-manager",
          "system:kube-scheduler",
          "system:kube-proxy",
          "system:apiserver",
          "eks:*",
          "system:serviceaccount:kube-system:*");

  static final Set<String> HOUSEKEEPING_RESOURCES = Set.of("leases");

  /** The review resources by API group: created to ask a question, never stored. */
  static final Map<String, Set<String>> REVIEWS =
      Map.of(
          "authentication.k8s.io",
          Set.of("tokenreviews", "selfsubjectreviews"),
          "authorization.k8s.io",
          Set.of(
              "subjectaccessreviews",
              "localsubjectaccessreviews",
              "selfsubjectaccessreviews",
              "selfsubjectrulesreviews"));

  static final Set<String> EVENT_GROUPS = Set.of("", "events.k8s.io");

  static final Set<String> MUTATING_VERBS =
      Set.of("create", "update", "patch", "delete", "deletecollection");

  static final Set<String> INTERACTIVE_SUBRESOURCES = Set.of("exec", "attach", "portforward");

  /**
   * @param resource {@code objectRef.resource}, or null for a non-resource request
   * @param apiGroup {@code objectRef.apiGroup}, empty for the core group
   */
  static RequestClass classify(
      int code,
      String requestUri,
      String verb,
      String resource,
      String apiGroup,
      String subresource) {
    if (code >= 400) {
      return RequestClass.FAILED;
    }
    if (dryRun(requestUri)) {
      return RequestClass.OTHER;
    }
    if (resource == null) {
      return RequestClass.READ_ONLY;
    }
    if (verb.equals("create")
        && subresource == null
        && REVIEWS.getOrDefault(apiGroup, Set.of()).contains(resource)) {
      return RequestClass.READ_ONLY;
    }
    if (subresource != null && INTERACTIVE_SUBRESOURCES.contains(subresource)) {
      return RequestClass.CHANGE;
    }
    if (MUTATING_VERBS.contains(verb)) {
      return RequestClass.CHANGE;
    }
    if (verb.equals("get") || verb.equals("list") || verb.equals("watch")) {
      return RequestClass.READ_ONLY;
    }
    return RequestClass.OTHER;
  }

  /** Whether the request URI asks for a dry run ({@code dryRun=All}). */
  static boolean dryRun(String requestUri) {
    int q = requestUri.indexOf('?');
    if (q < 0) {
      return false;
    }
    for (String param : requestUri.substring(q + 1).split("&")) {
      int eq = param.indexOf('=');
      if (eq > 0
          && URLDecoder.decode(param.substring(0, eq), StandardCharsets.UTF_8).equals("dryRun")
          && URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8)
              .equalsIgnoreCase("All")) {
        return true;
      }
    }
    return false;
  }

  static boolean excludedUser(String username) {
    for (String pattern : EXCLUDED_USERS) {
      if (pattern.endsWith("*")
          ? username.startsWith(pattern.substring(0, pattern.length() - 1))
          : username.equals(pattern)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The verdict a rule gives a change, or null when the change goes on to be matched against the
   * change records.
   *
   * @param effectiveUser the impersonated user, else the authenticated one
   * @param impersonated whether the request was impersonated
   * @param resource {@code objectRef.resource}
   * @param apiGroup {@code objectRef.apiGroup}, empty for the core group
   */
  static String ruleVerdict(
      String effectiveUser, boolean impersonated, String resource, String apiGroup) {
    if (!impersonated) {
      if (excludedUser(effectiveUser)
          || HOUSEKEEPING_RESOURCES.contains(resource)
          || (resource.equals("events") && EVENT_GROUPS.contains(apiGroup))) {
        return "EXCLUDED";
      }
    }
    if (effectiveUser.equals(KubernetesCatalog.ARGOCD_CONTROLLER)) {
      return "STANDARD_CHANGE";
    }
    return null;
  }

  private KubernetesRules() {}
}
