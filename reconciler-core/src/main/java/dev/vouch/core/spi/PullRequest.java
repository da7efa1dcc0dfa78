package dev.vouch.core.spi;

import dev.vouch.core.model.TimeWindow;
import org.jspecify.annotations.Nullable;

/**
 * What the runner asks of a change source.
 *
 * @param window the events wanted, by the time they occurred ({@code [start, end)})
 * @param cursor the cursor the source returned after its last successful pull, or null on the first
 */
public record PullRequest(TimeWindow window, @Nullable String cursor) {}
