package dev.vouch.connector.k8s;

import static dev.vouch.connector.k8s.TestSupport.append;
import static dev.vouch.connector.k8s.TestSupport.event;
import static dev.vouch.connector.k8s.TestSupport.line;
import static dev.vouch.connector.k8s.TestSupport.lines;
import static dev.vouch.connector.k8s.TestSupport.write;
import static dev.vouch.connector.k8s.TestSupport.writeGzip;

import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.spi.ChangeSource;
import dev.vouch.testkit.ChangeSourceContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * The testkit contract, for a stream: a rotated gzip file, a rotated plain one and the live log,
 * with events inside and outside the window (all delivered: the window does not filter a log).
 */
class KubernetesAuditSourceContractTest extends ChangeSourceContract {
  private static final TimeWindow WINDOW =
      new TimeWindow(Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-10-02T00:00:00Z"));

  @TempDir Path dir;

  private Path logs() {
    Path logs = dir.resolve("logs");
    if (Files.isDirectory(logs)) {
      return logs;
    }
    writeGzip(
        logs.resolve("audit-2026-10-01T06-00-00.000.log.gz"),
        lines(
            event("yesterday", "2026-09-30T23:59:59.999999Z"),
            event("early", "2026-10-01T01:00:00Z")));
    write(
        logs.resolve("audit-2026-10-01T12-00-00.000.log"),
        lines(event("morning", "2026-10-01T09:00:00Z"), event("at-noon", "2026-10-01T12:00:00Z")));
    write(
        logs.resolve("audit.log"),
        lines(
            TestSupport.atStage(event("afternoon"), "RequestReceived"),
            event("afternoon", "2026-10-01T15:00:00Z"),
            event("tomorrow", "2026-10-02T00:00:00Z")));
    return logs;
  }

  @Override
  protected boolean deliversOnlyWindow() {
    return false;
  }

  @Override
  protected ChangeSource createSource() {
    return TestSupport.fileSource("logs/audit.log", logs().getParent());
  }

  @Override
  protected ChangeSource createUnreadableSource() {
    return TestSupport.fileSource(dir.resolve("not-there/audit.log"));
  }

  @Override
  protected TimeWindow window() {
    return WINDOW;
  }

  @Override
  protected Collection<String> expectedNativeIds() {
    return List.of("yesterday", "early", "morning", "at-noon", "afternoon", "tomorrow");
  }

  @Override
  protected Collection<String> appendEvents() {
    append(logs().resolve("audit.log"), line(event("appended-1")) + line(event("appended-2")));
    return List.of("appended-1", "appended-2");
  }
}
