package dev.vouch.core.store;

import dev.vouch.core.model.EventClass;
import java.time.LocalDate;
import org.jspecify.annotations.Nullable;

/**
 * How many observations of one class one source saw for one system on one UTC day.
 *
 * @param system the logical system, or null for observations that map to no system
 */
public record PopulationCount(
    String source, @Nullable String system, LocalDate day, EventClass eventClass, long count) {}
