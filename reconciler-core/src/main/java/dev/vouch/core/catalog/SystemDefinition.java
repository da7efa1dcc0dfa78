package dev.vouch.core.catalog;

import dev.vouch.core.model.Coordinates;
import java.util.List;
import java.util.Set;

/**
 * A logical system and the raw coordinates that belong to it.
 *
 * @param name the system's name, used by change records
 * @param scopes the coordinate patterns that map to this system
 */
public record SystemDefinition(String name, List<Scope> scopes) {
  public SystemDefinition {
    scopes = List.copyOf(scopes);
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
