package dev.vouch.core.catalog;

import dev.vouch.core.model.Coordinates;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A logical system and the raw coordinates that belong to it.
 *
 * @param name the system's name, used by change records
 * @param scopes the coordinate patterns that map to this system
 * @param expectDailyActivity whether each of the system's source partitions (accounts and regions,
 *     clusters, repositories) is expected to deliver data every day, so that a silent day is a
 *     coverage gap; false for systems that are quiet on purpose
 */
public record SystemDefinition(String name, List<Scope> scopes, boolean expectDailyActivity) {
  public SystemDefinition {
    scopes = List.copyOf(scopes);
  }

  /** A system expected to deliver data every day. */
  public SystemDefinition(String name, List<Scope> scopes) {
    this(name, scopes, true);
  }

  /**
   * The source partitions the configuration names for this system: {@code aws:<account>/<region>}
   * for each listed region, or {@code aws:<account>} (any region) when none is listed; {@code
   * <platform>:<scope>} for clusters, repositories and projects.
   */
  public List<String> partitions() {
    List<String> partitions = new ArrayList<>();
    for (Scope scope : scopes) {
      for (String value : new TreeSet<>(scope.scopes())) {
        if (Coordinates.partitionedBySubScope(scope.platform()) && !scope.subScopes().isEmpty()) {
          for (String sub : new TreeSet<>(scope.subScopes())) {
            partitions.add(new Coordinates(scope.platform(), value, sub).partition());
          }
        } else {
          partitions.add(new Coordinates(scope.platform(), value, null).partition());
        }
      }
    }
    return partitions;
  }

  /**
   * One coordinate pattern: a platform, the scope values that belong (accounts, clusters), and
   * optionally the sub-scopes (regions, namespaces); an empty sub-scope set means any.
   */
  public record Scope(String platform, Set<String> scopes, Set<String> subScopes) {
    public Scope {
      scopes = Set.copyOf(scopes);
      subScopes = Set.copyOf(subScopes);
    }

    boolean matches(Coordinates coordinates) {
      if (!platform.equals(coordinates.platform()) || !scopes.contains(coordinates.scope())) {
        return false;
      }
      return subScopes.isEmpty()
          || (coordinates.subScope() != null && subScopes.contains(coordinates.subScope()));
    }
  }
}
