package dev.vouch.core.store;

import dev.vouch.core.spi.InputProblem;
import java.util.Objects;

/**
 * A piece of a change source's input that could not be used, kept as evidence by the run that met
 * it.
 *
 * @param runId the run
 * @param source the configured source name
 * @param problem what could not be read, where, and what of it could
 */
public record StoredRejection(long runId, String source, InputProblem problem) {
  public StoredRejection {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(problem, "problem");
  }
}
