/** Declarative rules: exclusions, standard changes, data-event opt-ins and risk categories. */
@NullMarked
package dev.vouch.core.rules;

import org.jspecify.annotations.NullMarked;
