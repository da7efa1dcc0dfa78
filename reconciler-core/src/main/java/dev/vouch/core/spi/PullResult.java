package dev.vouch.core.spi;

import org.jspecify.annotations.Nullable;

/**
 * What a change source reports after a complete pull.
 *
 * @param cursor the position to resume from next time; stored with the last batch it covers
 * @param unitsRead files (or pages) read
 * @param detail a short human description of what was read, for the run report
 */
public record PullResult(@Nullable String cursor, long unitsRead, String detail) {}
