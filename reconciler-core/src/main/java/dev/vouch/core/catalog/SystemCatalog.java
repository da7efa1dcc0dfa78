package dev.vouch.core.catalog;

import dev.vouch.core.model.Coordinates;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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

  /**
   * The system names a change record's system entry stands for: the name itself when it is a
   * configured system, else the systems whose coordinates cover {@code platform:scope} (a record
   * source that knows only the raw coordinate, such as a pull request naming {@code
   * git:acme/shop}); empty when neither.
   */
  public Set<String> namesFor(String reference) {
    if (isKnown(reference)) {
      return Set.of(reference);
    }
    int colon = reference.indexOf(':');
    if (colon <= 0) {
      return Set.of();
    }
    String platform = reference.substring(0, colon);
    String scope = reference.substring(colon + 1);
    Set<String> names = new TreeSet<>();
    for (SystemDefinition system : systems) {
      for (SystemDefinition.Scope candidate : system.scopes()) {
        if (candidate.platform().equals(platform) && candidate.scopes().contains(scope)) {
          names.add(system.name());
        }
      }
    }
    return names;
  }

  public boolean isKnown(String systemName) {
    return systems.stream().anyMatch(s -> s.name().equals(systemName));
  }
}
