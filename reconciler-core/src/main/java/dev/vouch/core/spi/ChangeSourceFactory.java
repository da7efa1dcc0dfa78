package dev.vouch.core.spi;

import java.util.Set;

/**
 * Creates {@link ChangeSource}s of one type from their configuration. Found with {@link
 * java.util.ServiceLoader}; list implementations in {@code
 * META-INF/services/dev.vouch.core.spi.ChangeSourceFactory}.
 */
public interface ChangeSourceFactory {

  /** The value of {@code type} in the configuration that selects this factory. */
  String type();

  /**
   * Reads the source's settings. The runtime has already read {@code type} and {@code name}; the
   * factory reads the rest and calls {@link SettingsNode#finish()} so that unknown keys are
   * reported. Problems are reported to {@code settings} (so that {@code vouch config check} can
   * list all of them) and the returned source is then not used.
   */
  ChangeSource create(String name, SettingsNode settings, SourceContext context);

  /**
   * The attribute names the events of this type may carry ({@code aws.eventName}, {@code k8s.verb},
   * ...): rule conditions on any other field are reported as configuration problems, since a
   * misspelt field matches nothing and would silently switch a rule (or its {@code unless}) off.
   */
  default Set<String> attributes() {
    return Set.of();
  }
}
