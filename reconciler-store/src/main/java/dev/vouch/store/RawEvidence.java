package dev.vouch.store;

/**
 * A change event's raw payload as stored, with the SHA-256 computed when it was first stored.
 *
 * @param rawJson the payload exactly as the source delivered it
 * @param sha256 hex SHA-256 of {@code rawJson} (UTF-8), recorded at ingestion
 */
public record RawEvidence(String rawJson, String sha256) {}
