/**
 * The plug-in interfaces that connectors implement. A connector module depends on this package and
 * {@code dev.vouch.core.model} and on nothing else of Vouch.
 */
@NullMarked
package dev.vouch.core.spi;

import org.jspecify.annotations.NullMarked;
