/** One reconciliation: pull, classify, store, match, summarise. */
@NullMarked
package dev.vouch.core.run;

import org.jspecify.annotations.NullMarked;
