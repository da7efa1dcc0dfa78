/**
 * The storage port: what the runner needs from a store. Implemented by {@code reconciler-store}.
 */
@NullMarked
package dev.vouch.core.store;

import org.jspecify.annotations.NullMarked;
