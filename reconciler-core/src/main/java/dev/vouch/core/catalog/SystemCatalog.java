package dev.vouch.core.catalog;

import dev.vouch.core.model.Coordinates;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  /**
   * This catalog with scopes written under another name resolved to the scope events carry: a
   * system may name a git repository by the URL or path its source was given.
   *
   * @param platform the platform whose scopes are renamed
   * @param names other names to scopes; a relative path is also tried resolved against {@code base}
   * @param base the configuration's folder
   */
  public SystemCatalog withScopeNames(String platform, Map<String, String> names, Path base) {
    if (names.isEmpty()) {
      return this;
    }
    List<SystemDefinition> renamed = new ArrayList<>();
    for (SystemDefinition system : systems) {
      List<SystemDefinition.Scope> scopes = new ArrayList<>();
      for (SystemDefinition.Scope scope : system.scopes()) {
        if (!scope.platform().equals(platform)) {
          scopes.add(scope);
          continue;
        }
        Set<String> values = new TreeSet<>();
        for (String value : scope.scopes()) {
          values.add(rename(value, names, base));
        }
        scopes.add(new SystemDefinition.Scope(platform, values, scope.subScopes()));
      }
      renamed.add(new SystemDefinition(system.name(), scopes, system.expectDailyActivity()));
    }
    return new SystemCatalog(renamed);
  }

  private static String rename(String value, Map<String, String> names, Path base) {
    String direct = names.get(value);
    if (direct != null) {
      return direct;
    }
    if (value.contains("://") || value.startsWith("git@")) {
      return value;
    }
    try {
      return names.getOrDefault(base.resolve(value).toAbsolutePath().normalize().toString(), value);
    } catch (InvalidPathException e) {
      return value;
    }
  }

  public boolean isKnown(String systemName) {
    return systems.stream().anyMatch(s -> s.name().equals(systemName));
  }
}
