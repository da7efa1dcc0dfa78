package dev.vouch.core.spi;

import java.util.List;

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

  /**
   * What would make the next pull fail that can be seen without reading (a missing change-log
   * file), in words naming the setting; empty when nothing can be seen.
   */
  default List<String> preflight() {
    return List.of();
  }
}
