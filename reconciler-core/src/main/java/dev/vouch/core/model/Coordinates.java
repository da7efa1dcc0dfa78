package dev.vouch.core.model;

import java.util.Objects;
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

  @Override
  public String toString() {
    return subScope == null ? platform + ":" + scope : platform + ":" + scope + "/" + subScope;
  }
}
