package dev.vouch.connector.cloudtrail;

import dev.vouch.core.spi.ChangeSource;
import dev.vouch.core.spi.ChangeSourceFactory;
import dev.vouch.core.spi.SettingsNode;
import dev.vouch.core.spi.SourceContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Creates {@code cloudtrail} sources: CloudTrail log files read from disk.
 *
 * <p>Settings: {@code path} (required; a directory tree or one file, relative to the
 * configuration's base directory), {@code lateDelivery} (default {@code 1d}), {@code settle}
 * (default {@code 1h}) and {@code parallelism} (1 to 64, default the runtime's parallelism). The
 * path is not checked here: a trail synchronised from S3 may appear after start-up, and a missing
 * path fails the pull, not the configuration.
 */
public final class CloudTrailSourceFactory implements ChangeSourceFactory {

  /** The value of {@code type} that selects this factory. */
  public static final String TYPE = "cloudtrail";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Set<String> attributes() {
    return RecordMapper.ATTRIBUTES;
  }

  @Override
  public ChangeSource create(String name, SettingsNode settings, SourceContext context) {
    Path path = settings.requiredPath(CloudTrailSettings.PATH, context.baseDirectory());
    Duration lateDelivery =
        settings.duration(
            CloudTrailSettings.LATE_DELIVERY, CloudTrailSettings.DEFAULT_LATE_DELIVERY);
    int defaultParallelism =
        Math.max(
            CloudTrailSettings.MIN_PARALLELISM,
            Math.min(CloudTrailSettings.MAX_PARALLELISM, context.parallelism()));
    int parallelism =
        settings.integer(
            CloudTrailSettings.PARALLELISM,
            defaultParallelism,
            CloudTrailSettings.MIN_PARALLELISM,
            CloudTrailSettings.MAX_PARALLELISM);
    Duration settle =
        settings.duration(CloudTrailSettings.SETTLE, CloudTrailSettings.DEFAULT_SETTLE);
    settings.finish();
    return new CloudTrailFileSource(
        name, new CloudTrailSettings(path, lateDelivery, parallelism, settle));
  }
}
