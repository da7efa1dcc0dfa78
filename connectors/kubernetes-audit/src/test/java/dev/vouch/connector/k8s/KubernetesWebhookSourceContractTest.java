package dev.vouch.connector.k8s;

import static dev.vouch.connector.k8s.TestSupport.event;
import static dev.vouch.connector.k8s.TestSupport.eventList;
import static dev.vouch.connector.k8s.TestSupport.nativeIds;
import static dev.vouch.connector.k8s.TestSupport.write;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.spi.ChangeSource;
import dev.vouch.core.spi.PushEndpoint.PushResult;
import dev.vouch.core.spi.PushEndpoint.PushSettings;
import dev.vouch.core.spi.SourceException;
import dev.vouch.testkit.ChangeSourceContract;
import dev.vouch.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/**
 * The testkit contract for the webhook: batches pushed over two UTC days, then pulled from the
 * spool as a stream. Its events carry {@code sourceType} {@code kubernetes-audit}.
 */
class KubernetesWebhookSourceContractTest extends ChangeSourceContract {
  private static final TimeWindow WINDOW =
      new TimeWindow(Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-10-02T00:00:00Z"));

  private static final ObjectNode E1 = event("e1", "2026-10-01T08:00:00Z");
  private static final ObjectNode E2 = event("e2", "2026-10-01T12:00:00Z");
  private static final ObjectNode E3 = event("e3", "2026-10-01T18:00:00Z");
  private static final ObjectNode E4 = event("e4", "2026-10-02T00:30:00Z");

  @TempDir Path dir;
  private final MutableClock clock = MutableClock.at("2026-10-01T23:00:00Z");

  private KubernetesWebhookSource source(Path spool) {
    return new KubernetesWebhookSource(
        TestSupport.SOURCE,
        TestSupport.CLUSTER,
        new WebhookSpool(spool, clock),
        "/audit/test",
        new PushSettings("127.0.0.1:0", Optional.empty(), 1 << 20, null, Optional.empty(), null));
  }

  private static void push(KubernetesWebhookSource source, String body) throws SourceException {
    PushResult result = source.accept(body.getBytes(StandardCharsets.UTF_8));
    if (result.status() != 200) {
      throw new AssertionError(result.message());
    }
  }

  @Override
  protected boolean deliversOnlyWindow() {
    return false;
  }

  @Override
  protected String expectedSourceType(ChangeSource source) {
    return AuditEventMapper.SOURCE_TYPE;
  }

  @Override
  protected ChangeSource createSource() throws Exception {
    Path spool = dir.resolve("spool");
    KubernetesWebhookSource source = source(spool);
    if (!Files.isDirectory(spool)) {
      push(source, eventList(E1, E2));
      // E2 again, as a resent batch carries it: an exact repeat, delivered once.
      push(source, eventList(E2, E3));
      clock.advance(Duration.ofHours(2));
      push(source, eventList(E4));
    }
    return source;
  }

  @Override
  protected ChangeSource createUnreadableSource() {
    write(dir.resolve("file"), "a file where the spool directory should be");
    return source(dir.resolve("file/spool"));
  }

  @Override
  protected TimeWindow window() {
    return WINDOW;
  }

  @Override
  protected Collection<String> expectedNativeIds() {
    return Stream.of(E1, E2, E3, E4).map(TestSupport::nativeId).toList();
  }

  @Override
  protected Collection<String> appendEvents() throws Exception {
    push(source(dir.resolve("spool")), eventList(event("e5"), event("e6")));
    return nativeIds("e5", "e6");
  }
}
