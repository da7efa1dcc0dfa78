package dev.vouch.core.spi;

/**
 * Creates {@link RecordSource}s of one type. Found with {@link java.util.ServiceLoader}; list
 * implementations in {@code META-INF/services/dev.vouch.core.spi.RecordSourceFactory}.
 */
public interface RecordSourceFactory {

  /** The value of {@code type} in the configuration that selects this factory. */
  String type();

  /**
   * Reads the source's settings; problems go to {@code settings}, as for change sources. The
   * runtime has already read {@code type} and {@code name}; the factory calls {@link
   * SettingsNode#finish()}.
   */
  RecordSource create(String name, SettingsNode settings, SourceContext context);
}
