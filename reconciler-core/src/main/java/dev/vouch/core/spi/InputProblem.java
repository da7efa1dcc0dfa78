package dev.vouch.core.spi;

import java.util.Objects;

/**
 * One piece of input that could not be used: a malformed log record, a bad CSV row.
 *
 * @param location where: file with line and column where known ({@code changes.csv:12:5}), or a
 *     URL, or an event id
 * @param message what was wrong and what was expected
 */
public record InputProblem(String location, String message) {
  public InputProblem {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return location + ": " + message;
  }
}
