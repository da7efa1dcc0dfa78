package dev.vouch.core.run;

import org.jspecify.annotations.Nullable;

/**
 * How one source fared in a run.
 *
 * @param name the configured name
 * @param type the connector type
 * @param kind whether it supplies changes or records
 * @param coverage COMPLETE when everything asked for was read, PARTIAL when some input was
 *     rejected, FAILED when the source could not be read
 * @param read observations (changes sources) or records (record sources) read
 * @param rejected pieces of input rejected as unusable
 * @param detail what was read, in words
 * @param error the failure, when FAILED
 */
public record SourceOutcome(
    String name,
    String type,
    Kind kind,
    Coverage coverage,
    long read,
    long rejected,
    String detail,
    @Nullable String error) {

  public enum Kind {
    CHANGES,
    RECORDS
  }

  public enum Coverage {
    COMPLETE,
    PARTIAL,
    FAILED
  }
}
