package dev.vouch.core.store;

import dev.vouch.core.model.Verdict;
import org.jspecify.annotations.Nullable;

/**
 * Filters for listing findings.
 *
 * @param verdict only this verdict, or any when null
 * @param system only this logical system, or any when null
 * @param limit at most this many, newest change first
 */
public record FindingQuery(@Nullable Verdict verdict, @Nullable String system, int limit) {}
