/**
 * The {@code file} record source: reads approved change records from a change log kept as a CSV,
 * YAML or JSON file. See the module's README for the format.
 */
@NullMarked
package dev.vouch.connector.recordsfile;

import org.jspecify.annotations.NullMarked;
