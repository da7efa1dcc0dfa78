package dev.vouch.core.run;

import dev.vouch.core.config.SourceDeclaration;
import dev.vouch.core.config.VouchConfig;
import dev.vouch.core.spi.ChangeSource;
import dev.vouch.core.spi.ChangeSourceFactory;
import dev.vouch.core.spi.ConfigProblem;
import dev.vouch.core.spi.RecordSource;
import dev.vouch.core.spi.RecordSourceFactory;
import dev.vouch.core.spi.SourceContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The connectors on the class path, found with {@link ServiceLoader}, and building sources. */
public final class Plugins {
  private final Map<String, ChangeSourceFactory> changeFactories = new TreeMap<>();
  private final Map<String, RecordSourceFactory> recordFactories = new TreeMap<>();

  public Plugins(List<ChangeSourceFactory> changes, List<RecordSourceFactory> records) {
    changes.forEach(f -> changeFactories.put(f.type(), f));
    records.forEach(f -> recordFactories.put(f.type(), f));
  }

  public static Plugins discover() {
    ClassLoader loader = Plugins.class.getClassLoader();
    List<ChangeSourceFactory> changes = new ArrayList<>();
    ServiceLoader.load(ChangeSourceFactory.class, loader).forEach(changes::add);
    List<RecordSourceFactory> records = new ArrayList<>();
    ServiceLoader.load(RecordSourceFactory.class, loader).forEach(records::add);
    return new Plugins(changes, records);
  }

  /**
   * The configured sources; problems (unknown types, bad settings) go to the list.
   *
   * @param quietChanges the names of change sources declared quiet ({@code expectDailyActivity:
   *     false}): a day without observations from them is not a coverage gap
   */
  public record Sources(
      List<ChangeSource> changes, List<RecordSource> records, Set<String> quietChanges) {
    public Sources {
      changes = List.copyOf(changes);
      records = List.copyOf(records);
      quietChanges = Set.copyOf(quietChanges);
    }
  }

  /** Every attribute name the connectors of change on the class path set on their events. */
  public Set<String> attributes() {
    Set<String> names = new TreeSet<>();
    changeFactories.values().forEach(factory -> names.addAll(factory.attributes()));
    return names;
  }

  public Sources create(VouchConfig config, SourceContext context, List<ConfigProblem> problems) {
    List<ChangeSource> changes = new ArrayList<>();
    Set<String> quiet = new HashSet<>();
    for (SourceDeclaration declaration : config.sources()) {
      if (!declaration.expectDailyActivity()) {
        quiet.add(declaration.name());
      }
      ChangeSourceFactory factory = changeFactories.get(declaration.type());
      if (factory == null) {
        problems.add(unknown(declaration, changeFactories.keySet()));
        continue;
      }
      changes.add(factory.create(declaration.name(), declaration.settings(), context));
    }
    List<RecordSource> records = new ArrayList<>();
    for (SourceDeclaration declaration : config.records()) {
      RecordSourceFactory factory = recordFactories.get(declaration.type());
      if (factory == null) {
        problems.add(unknown(declaration, recordFactories.keySet()));
        continue;
      }
      records.add(factory.create(declaration.name(), declaration.settings(), context));
    }
    return new Sources(changes, records, quiet);
  }

  private static ConfigProblem unknown(SourceDeclaration declaration, Iterable<String> known) {
    return new ConfigProblem(
        declaration.settings().childPath("type"),
        "unknown type '" + declaration.type() + "'; known types: " + String.join(", ", known));
  }
}
