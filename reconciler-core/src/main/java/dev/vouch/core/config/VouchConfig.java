package dev.vouch.core.config;

import dev.vouch.core.catalog.IdentityMap;
import dev.vouch.core.catalog.SystemCatalog;
import dev.vouch.core.match.MatchPolicy;
import dev.vouch.core.rules.RuleSet;
import java.nio.file.Path;
import java.util.List;

/**
 * A loaded configuration. Only use one whose load reported no problems.
 *
 * @param file the configuration file
 * @param baseDirectory the directory relative paths are resolved against (the file's directory)
 * @param sha256 hash of the file's bytes, recorded on every run
 * @param store where to keep data
 * @param catalog systems and their coordinates
 * @param identities people and their aliases
 * @param sources sources of actual change
 * @param records sources of approved change
 * @param matching the matcher's tolerances and controls
 * @param rules the effective rule set (built-in pack plus configured rules)
 * @param coverage which partitions are quiet on purpose, and how far runs reach back
 * @param service the schedule and server of {@code vouch serve}
 * @param notifications the chat channels alerted about findings
 */
public record VouchConfig(
    Path file,
    Path baseDirectory,
    String sha256,
    StoreSettings store,
    SystemCatalog catalog,
    IdentityMap identities,
    List<SourceDeclaration> sources,
    List<SourceDeclaration> records,
    MatchPolicy matching,
    RuleSet rules,
    CoveragePolicy coverage,
    ServiceSettings service,
    NotificationSettings notifications) {

  public VouchConfig {
    sources = List.copyOf(sources);
    records = List.copyOf(records);
  }

  /** This configuration with another system catalog (scopes renamed once sources are built). */
  public VouchConfig withCatalog(SystemCatalog renamed) {
    return new VouchConfig(
        file,
        baseDirectory,
        sha256,
        store,
        renamed,
        identities,
        sources,
        records,
        matching,
        rules,
        coverage,
        service,
        notifications);
  }
}
