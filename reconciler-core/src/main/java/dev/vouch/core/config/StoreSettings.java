package dev.vouch.core.config;

import java.nio.file.Path;

/**
 * Where Vouch keeps its memory.
 *
 * @param type {@code sqlite} (the only type so far)
 * @param path the database file
 */
public record StoreSettings(String type, Path path) {}
