package dev.vouch.core.config;

import dev.vouch.core.spi.SettingsNode;

/**
 * One entry of {@code sources} or {@code records}: its type and name, and the rest of its settings
 * for the connector to read.
 */
public record SourceDeclaration(String type, String name, SettingsNode settings) {}
