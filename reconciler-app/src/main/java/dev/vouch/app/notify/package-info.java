/**
 * Chat alerts: a run's findings, filtered by each channel's route, become one {@link
 * dev.vouch.app.notify.Digest} per run and channel; a {@link dev.vouch.app.notify.Renderer} turns
 * it into the bytes Slack, Teams, Google Chat or a signed webhook expect (pure, no I/O), and a
 * {@link dev.vouch.app.notify.Deliverer} posts those bytes once and says what the channel answered:
 * delivered, retry after a delay, or failed for good. {@link dev.vouch.app.notify.Sender} retries
 * for callers that wait (such as {@code vouch notify test}); an outbox can drive the single
 * attempts itself instead.
 */
@NullMarked
package dev.vouch.app.notify;

import org.jspecify.annotations.NullMarked;
