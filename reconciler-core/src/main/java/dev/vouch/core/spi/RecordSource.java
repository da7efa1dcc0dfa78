package dev.vouch.core.spi;

/** A source of approved change: a change log, a ticketing system, pull requests. */
public interface RecordSource {

  /** The configured name of this source. */
  String name();

  /** The connector type, such as {@code file}. */
  String type();

  /**
   * Reads every change record the source holds (or that changed since its cursor, for sources that
   * support one) and hands each to the sink.
   *
   * @return a short human description of what was read, for the run report
   * @throws SourceException when the source as a whole cannot be read
   */
  String pull(RecordSink sink) throws SourceException;
}
