/**
 * Pure look-ups loaded from the configuration: which system a coordinate belongs to, who an alias
 * is.
 */
@NullMarked
package dev.vouch.core.catalog;

import org.jspecify.annotations.NullMarked;
