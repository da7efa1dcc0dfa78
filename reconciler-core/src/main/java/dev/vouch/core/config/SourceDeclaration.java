package dev.vouch.core.config;

import dev.vouch.core.spi.SettingsNode;

/**
 * One entry of {@code sources} or {@code records}: its type and name, and the rest of its settings
 * for the connector to read.
 *
 * @param expectDailyActivity for a source of change: whether it is expected to deliver something
 *     every day, so that a day without any observation from it is a coverage gap (default true)
 */
public record SourceDeclaration(
    String type, String name, SettingsNode settings, boolean expectDailyActivity) {}
