/**
 * The {@code github} record source: reads merged GitHub pull requests, with their reviews and
 * commits, as change records, through the REST API or from recorded responses in files. See the
 * module's README for the settings and the mapping.
 */
@NullMarked
package dev.vouch.connector.github;

import org.jspecify.annotations.NullMarked;
