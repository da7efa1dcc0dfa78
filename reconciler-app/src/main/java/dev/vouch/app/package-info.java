/** The {@code vouch} command line: wiring, runs, reports and findings. */
@NullMarked
package dev.vouch.app;

import org.jspecify.annotations.NullMarked;
