package dev.vouch.core.spi;

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
}
