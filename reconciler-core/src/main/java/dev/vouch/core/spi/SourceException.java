package dev.vouch.core.spi;

/**
 * A source could not deliver what it was asked for: unreadable directory, refused credentials,
 * unreachable service. The run marks the source FAILED and the run INCOMPLETE; it never treats this
 * as an empty result.
 */
public class SourceException extends Exception {
  private static final long serialVersionUID = 1L;

  public SourceException(String message) {
    super(message);
  }

  public SourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
