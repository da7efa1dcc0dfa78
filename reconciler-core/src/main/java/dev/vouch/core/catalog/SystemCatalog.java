package dev.vouch.core.catalog;

import dev.vouch.core.model.Coordinates;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps raw coordinates to logical systems. A scope that names sub-scopes (regions, namespaces) is
 * more specific than one that does not and wins; among equally specific scopes the first system in
 * the configuration wins (the configuration check reports such overlaps).
 */
public final class SystemCatalog {
  private final List<SystemDefinition> systems;
  private final ConcurrentHashMap<Coordinates, Optional<String>> cache = new ConcurrentHashMap<>();

  public SystemCatalog(List<SystemDefinition> systems) {
    this.systems = List.copyOf(systems);
  }

  public List<SystemDefinition> systems() {
    return systems;
  }

  /** The logical system the coordinates belong to, or empty when none does. */
  public Optional<String> resolve(Coordinates coordinates) {
    return cache.computeIfAbsent(coordinates, this::lookup);
  }

  private Optional<String> lookup(Coordinates coordinates) {
    String general = null;
    for (SystemDefinition system : systems) {
      for (SystemDefinition.Scope scope : system.scopes()) {
        if (scope.matches(coordinates)) {
          if (!scope.subScopes().isEmpty()) {
            return Optional.of(system.name());
          }
          if (general == null) {
            general = system.name();
          }
        }
      }
    }
    return Optional.ofNullable(general);
  }

  public boolean isKnown(String systemName) {
    return systems.stream().anyMatch(s -> s.name().equals(systemName));
  }
}
