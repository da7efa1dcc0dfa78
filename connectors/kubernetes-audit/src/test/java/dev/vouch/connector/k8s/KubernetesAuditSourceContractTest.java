package dev.vouch.connector.k8s;

import static dev.vouch.connector.k8s.TestSupport.append;
import static dev.vouch.connector.k8s.TestSupport.event;
import static dev.vouch.connector.k8s.TestSupport.line;
import static dev.vouch.connector.k8s.TestSupport.lines;
import static dev.vouch.connector.k8s.TestSupport.nativeIds;
import static dev.vouch.connector.k8s.TestSupport.write;
import static dev.vouch.connector.k8s.TestSupport.writeGzip;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.spi.ChangeSource;
import dev.vouch.testkit.ChangeSourceContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/**
 * The testkit contract, for a stream: a rotated gzip file, a rotated plain one and the live log,
 * with events inside and outside the window (all delivered: the window does not filter a log).
 */
class KubernetesAuditSourceContractTest extends ChangeSourceContract {
  private static final TimeWindow WINDOW =
      new TimeWindow(Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-10-02T00:00:00Z"));

  private static final ObjectNode YESTERDAY = event("yesterday", "2026-09-30T23:59:59.999999Z");
  private static final ObjectNode EARLY = event("early", "2026-10-01T01:00:00Z");
  private static final ObjectNode MORNING = event("morning", "2026-10-01T09:00:00Z");
  private static final ObjectNode AT_NOON = event("at-noon", "2026-10-01T12:00:00Z");
  private static final ObjectNode AFTERNOON = event("afternoon", "2026-10-01T15:00:00Z");
  private static final ObjectNode TOMORROW = event("tomorrow", "2026-10-02T00:00:00Z");

  @TempDir Path dir;

  private Path logs() {
    Path logs = dir.resolve("logs");
    if (Files.isDirectory(logs)) {
      return logs;
    }
    writeGzip(logs.resolve("audit-2026-10-01T06-00-00.000.log.gz"), lines(YESTERDAY, EARLY));
    write(logs.resolve("audit-2026-10-01T12-00-00.000.log"), lines(MORNING, AT_NOON));
    write(
        logs.resolve("audit.log"),
        lines(TestSupport.atStage(AFTERNOON, "RequestReceived"), AFTERNOON, TOMORROW));
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
    return Stream.of(YESTERDAY, EARLY, MORNING, AT_NOON, AFTERNOON, TOMORROW)
        .map(TestSupport::nativeId)
        .toList();
  }

  @Override
  protected Collection<String> appendEvents() {
    append(logs().resolve("audit.log"), line(event("appended-1")) + line(event("appended-2")));
    return nativeIds("appended-1", "appended-2");
  }
}
