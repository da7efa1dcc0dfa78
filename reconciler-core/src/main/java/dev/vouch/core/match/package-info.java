/** The matcher: a pure function from a change event and the change records to a finding. */
@NullMarked
package dev.vouch.core.match;

import org.jspecify.annotations.NullMarked;
