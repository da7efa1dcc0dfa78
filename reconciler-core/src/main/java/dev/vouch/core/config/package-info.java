/** Loading and checking the one YAML configuration file. */
@NullMarked
package dev.vouch.core.config;

import org.jspecify.annotations.NullMarked;
