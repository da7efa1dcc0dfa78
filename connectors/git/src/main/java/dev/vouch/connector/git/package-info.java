/**
 * Reads what landed on a git repository's protected branches: a bare mirror of the repository kept
 * by Vouch (JGit), walked first-parent from each branch head back to the request's window, one
 * {@link dev.vouch.core.model.ChangeEvent} per commit, plus one event whenever a branch's history
 * was rewritten (force push, reset) since the last pull. See the module README for settings,
 * events, the cursor and the limits.
 */
@NullMarked
package dev.vouch.connector.git;

import org.jspecify.annotations.NullMarked;
