package dev.vouch.core.store;

/**
 * What saving a record source's records changed.
 *
 * @param added records seen for the first time
 * @param changed records whose content changed, stored as a new version
 * @param unchanged records identical to their latest version
 */
public record RecordSaveResult(long added, long changed, long unchanged) {}
