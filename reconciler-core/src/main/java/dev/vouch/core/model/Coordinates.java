package dev.vouch.core.model;

import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Where an event happened, in the source's own terms, before it is mapped to a logical system.
 *
 * @param platform the kind of coordinate, such as {@code aws}, {@code kubernetes}, {@code gcp} or
 *     {@code git}
 * @param scope the top-level container: AWS account id, cluster name, GCP project, repository
 * @param subScope an optional narrower part: AWS region, namespace, branch; null when not known
 */
public record Coordinates(String platform, String scope, @Nullable String subScope) {
  public Coordinates {
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(scope, "scope");
  }

  /**
   * Platforms whose sub-scope is a delivery stream of its own: an AWS trail delivers each region's
   * logs separately, so a region can fall silent while the others go on.
   */
  private static final Set<String> PARTITIONED_BY_SUB_SCOPE = Set.of("aws");

  /**
   * The source partition these coordinates belong to, the unit whose daily coverage is checked:
   * {@code aws:<account>/<region>} for AWS, {@code <platform>:<scope>} (a cluster, a repository, a
   * project) for the others.
   */
  public String partition() {
    return partitionedBySubScope(platform) && subScope != null
        ? platform + ":" + scope + "/" + subScope
        : platform + ":" + scope;
  }

  /** Whether a platform's sub-scopes (AWS regions) are partitions of their own. */
  public static boolean partitionedBySubScope(String platform) {
    return PARTITIONED_BY_SUB_SCOPE.contains(platform);
  }

  /**
   * Whether an observed partition falls under a configured one: equal, or an AWS account-wide
   * partition ({@code aws:<account>}) and one of its regions ({@code aws:<account>/<region>}).
   */
  public static boolean partitionCovers(String configured, String observed) {
    if (observed.equals(configured)) {
      return true;
    }
    int colon = configured.indexOf(':');
    return colon > 0
        && partitionedBySubScope(configured.substring(0, colon))
        && configured.indexOf('/') < 0
        && observed.startsWith(configured + "/");
  }

  @Override
  public String toString() {
    return subScope == null ? platform + ":" + scope : platform + ":" + scope + "/" + subScope;
  }
}
