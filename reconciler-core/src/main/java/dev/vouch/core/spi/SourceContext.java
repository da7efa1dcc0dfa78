package dev.vouch.core.spi;

import java.nio.file.Path;
import java.time.Clock;

/**
 * What the runtime gives a connector when it is created.
 *
 * @param clock the clock to use for every notion of "now"
 * @param baseDirectory the directory relative paths in the configuration are resolved against
 * @param parallelism how many worker threads a source may use for reading
 */
public record SourceContext(Clock clock, Path baseDirectory, int parallelism) {}
