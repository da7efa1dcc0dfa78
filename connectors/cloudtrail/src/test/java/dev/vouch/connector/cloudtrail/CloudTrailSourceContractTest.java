package dev.vouch.connector.cloudtrail;

import static dev.vouch.connector.cloudtrail.TestSupport.envelope;
import static dev.vouch.connector.cloudtrail.TestSupport.record;
import static dev.vouch.connector.cloudtrail.TestSupport.recordsFile;
import static dev.vouch.connector.cloudtrail.TestSupport.write;
import static dev.vouch.connector.cloudtrail.TestSupport.writeGzip;

import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.spi.ChangeSource;
import dev.vouch.testkit.ChangeSourceContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/** The testkit contract, over a trail copy with layout files, plain files and JSON lines. */
class CloudTrailSourceContractTest extends ChangeSourceContract {
  private static final TimeWindow WINDOW =
      TestSupport.window("2024-03-14T00:00:00Z", "2024-03-15T00:00:00Z");
  private static final Instant NOON = Instant.parse("2024-03-14T12:00:00Z");

  @TempDir Path dir;

  private Path fixture() {
    Path trail = dir.resolve("bucket/AWSLogs/111122223333/CloudTrail/us-east-1");
    if (Files.isDirectory(trail)) {
      return dir.resolve("bucket");
    }
    writeGzip(
        trail.resolve(
            "2024/03/14/111122223333_CloudTrail_us-east-1_20240314T0105Z_Aaaaaaaaaaaaaaaa.json.gz"),
        recordsFile(
            record("early", "2024-03-14T01:00:00Z"),
            record("before-noon", "2024-03-14T11:59:59.999Z"),
            record("at-noon", "2024-03-14T12:00:00Z")));
    writeGzip(
        trail.resolve(
            "2024/03/15/111122223333_CloudTrail_us-east-1_20240315T0004Z_Bbbbbbbbbbbbbbbb.json.gz"),
        recordsFile(
            record("at-2359", "2024-03-14T23:59:00Z"), record("tomorrow", "2024-03-15T00:00:00Z")));
    // Read for the files that straddle midnight: a late event of the window before, delivered
    // within the allowance, and one older than the allowance, which no pull of WINDOW delivers.
    writeGzip(
        trail.resolve(
            "2024/03/13/111122223333_CloudTrail_us-east-1_20240313T2359Z_Cccccccccccccccc.json.gz"),
        recordsFile(
            record("yesterday", "2024-03-13T23:58:00Z"),
            record("before-allowance", "2024-03-12T23:59:59Z")));
    write(
        dir.resolve("bucket/exports/bridge.jsonl"),
        envelope("AWS API Call via CloudTrail", record("from-eventbridge", "2024-03-14T18:30:00Z"))
            + "\n"
            + record("plain-line", "2024-03-14T06:00:00Z")
            + "\n");
    return dir.resolve("bucket");
  }

  @Override
  protected ChangeSource createSource() {
    return source(fixture());
  }

  @Override
  protected ChangeSource createUnreadableSource() {
    return source(dir.resolve("not-there"));
  }

  /** A source with the default lateness allowance and settle time, reading three files at once. */
  private static ChangeSource source(Path path) {
    return new CloudTrailFileSource(
        "contract",
        new CloudTrailSettings(
            path, CloudTrailSettings.DEFAULT_LATE_DELIVERY, 3, CloudTrailSettings.DEFAULT_SETTLE));
  }

  @Override
  protected TimeWindow window() {
    return WINDOW;
  }

  @Override
  protected Collection<String> expectedNativeIds() {
    // The envelope's account (444455556666) only fills in: the record names its own.
    return Stream.of("early", "before-noon", "at-noon", "at-2359", "from-eventbridge", "plain-line")
        .map(TestSupport::id)
        .toList();
  }

  @Override
  protected Instant splitPoint() {
    return NOON;
  }
}
