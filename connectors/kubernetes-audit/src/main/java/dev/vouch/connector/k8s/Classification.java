package dev.vouch.connector.k8s;

import dev.vouch.core.model.EventClass;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Decides the {@link EventClass} and write-ness of an audit event from its verb, object, response
 * code and request URI.
 *
 * <p>The first rule that applies wins:
 *
 * <ol>
 *   <li>{@code responseStatus.code} of 400 or more: {@link EventClass#FAILED};
 *   <li>{@code dryRun=All} in the request URI: {@link EventClass#OTHER} (a dry run changes
 *       nothing);
 *   <li>a non-resource request (no {@code objectRef.resource}: {@code /healthz}, {@code /version},
 *       {@code /metrics}), whatever its verb: {@link EventClass#READ_ONLY};
 *   <li>{@code create} of a review ({@link #REVIEWS}: an access, rules, token or self-subject
 *       review), whoever asks and whether or not someone is impersonated: {@link
 *       EventClass#READ_ONLY}. The API server answers the question in the response and stores
 *       nothing, so there is no object that could have changed;
 *   <li>subresource {@code exec}, {@code attach} or {@code portforward}, whatever the verb (kubectl
 *       1.30 and later opens them with a WebSocket {@code get}): {@link EventClass#CHANGE};
 *   <li>verb {@code create}, {@code update}, {@code patch}, {@code delete} or {@code
 *       deletecollection}: {@link EventClass#CHANGE};
 *   <li>verb {@code get}, {@code list} or {@code watch}: {@link EventClass#READ_ONLY};
 *   <li>anything else ({@code impersonate}, {@code bind}, {@code escalate}, {@code approve}, ...):
 *       {@link EventClass#OTHER}.
 * </ol>
 */
final class Classification {
  /** The verbs that write. */
  static final Set<String> MUTATING_VERBS =
      Set.of("create", "update", "patch", "delete", "deletecollection");

  /** The verbs that only read. */
  static final Set<String> READ_ONLY_VERBS = Set.of("get", "list", "watch");

  /** Subresources that open an interactive session into a container: changes whatever the verb. */
  static final Set<String> INTERACTIVE_SUBRESOURCES = Set.of("exec", "attach", "portforward");

  /**
   * The review resources, by API group: each is served for {@code create} only, answers a question
   * (may this user do that? what may I do? whose is this token? who am I?) in the response, and is
   * never stored. Named with their group, so that a custom resource of the same name in another
   * group is not taken for one. Kubernetes' own, and OpenShift's of the same kind.
   */
  static final Map<String, Set<String>> REVIEWS =
      Map.of(
          "authorization.k8s.io",
          Set.of(
              "subjectaccessreviews",
              "localsubjectaccessreviews",
              "selfsubjectaccessreviews",
              "selfsubjectrulesreviews"),
          "authentication.k8s.io",
          Set.of("tokenreviews", "selfsubjectreviews"),
          "authorization.openshift.io",
          Set.of(
              "subjectaccessreviews",
              "localsubjectaccessreviews",
              "resourceaccessreviews",
              "localresourceaccessreviews",
              "subjectrulesreviews",
              "selfsubjectrulesreviews"),
          "security.openshift.io",
          Set.of(
              "podsecuritypolicyreviews",
              "podsecuritypolicysubjectreviews",
              "podsecuritypolicyselfsubjectreviews"));

  private Classification() {}

  /**
   * The class of a request.
   *
   * @param verb the audit verb
   * @param group the object's API group ({@code core} for the core group), or null
   * @param resource the object's resource, or null for a non-resource request
   * @param subresource the subresource, or null
   * @param code the response code, or null when the event has none
   * @param dryRun whether the request was a dry run
   */
  static EventClass classify(
      String verb,
      @Nullable String group,
      @Nullable String resource,
      @Nullable String subresource,
      @Nullable Integer code,
      boolean dryRun) {
    if (code != null && code >= 400) {
      return EventClass.FAILED;
    }
    if (dryRun) {
      return EventClass.OTHER;
    }
    if (resource == null) {
      return EventClass.READ_ONLY;
    }
    if (isReview(verb, group, resource, subresource)) {
      return EventClass.READ_ONLY;
    }
    if (isInteractive(subresource)) {
      return EventClass.CHANGE;
    }
    String normalised = verb.toLowerCase(Locale.ROOT);
    if (MUTATING_VERBS.contains(normalised)) {
      return EventClass.CHANGE;
    }
    if (READ_ONLY_VERBS.contains(normalised)) {
      return EventClass.READ_ONLY;
    }
    return EventClass.OTHER;
  }

  /**
   * Whether the request writes, whatever its class: a mutating verb or an interactive subresource
   * on a resource. A failed delete or a dry-run create is still mutating; a non-resource request
   * and a review, which store nothing, never are.
   */
  static boolean mutating(
      String verb,
      @Nullable String group,
      @Nullable String resource,
      @Nullable String subresource) {
    return resource != null
        && !isReview(verb, group, resource, subresource)
        && (MUTATING_VERBS.contains(verb.toLowerCase(Locale.ROOT)) || isInteractive(subresource));
  }

  /** Whether the request asks a review question: {@code create} of a review resource itself. */
  static boolean isReview(
      String verb, @Nullable String group, String resource, @Nullable String subresource) {
    @Nullable Set<String> reviews =
        group == null ? null : REVIEWS.get(group.toLowerCase(Locale.ROOT));
    return reviews != null
        && subresource == null
        && verb.equalsIgnoreCase("create")
        && reviews.contains(resource.toLowerCase(Locale.ROOT));
  }

  static boolean isInteractive(@Nullable String subresource) {
    return subresource != null
        && INTERACTIVE_SUBRESOURCES.contains(subresource.toLowerCase(Locale.ROOT));
  }

  /**
   * The value of the {@code dryRun} query parameter of a request URI ({@code All} for a dry run),
   * or null when there is none.
   */
  static @Nullable String dryRun(@Nullable String requestUri) {
    if (requestUri == null) {
      return null;
    }
    int query = requestUri.indexOf('?');
    if (query < 0) {
      return null;
    }
    for (String parameter : requestUri.substring(query + 1).split("&")) {
      int equals = parameter.indexOf('=');
      String name = decode(equals < 0 ? parameter : parameter.substring(0, equals));
      if (name.equals("dryRun")) {
        String value = equals < 0 ? "" : decode(parameter.substring(equals + 1));
        if (!value.isBlank()) {
          return value;
        }
      }
    }
    return null;
  }

  /** Whether a {@code dryRun} value asks for a dry run: {@code All}, the only value defined. */
  static boolean isDryRun(@Nullable String dryRunValue) {
    return dryRunValue != null && dryRunValue.equalsIgnoreCase("All");
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return text;
    }
  }
}
