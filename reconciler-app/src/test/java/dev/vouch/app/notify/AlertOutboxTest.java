package dev.vouch.app.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.core.config.NotificationSettings;
import dev.vouch.core.config.NotificationSettings.Type;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.store.FindingWriter;
import dev.vouch.core.store.Store;
import dev.vouch.store.SqliteStore;
import dev.vouch.testkit.MutableClock;
import dev.vouch.testkit.TestData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox between a run's findings and a channel that throttles or refuses. */
class AlertOutboxTest {
  @TempDir Path dir;

  private final MutableClock clock = MutableClock.at(TestData.T0.plusSeconds(86_400));
  private final List<Duration> waits = new ArrayList<>();
  private final Sleeper sleeper =
      duration -> {
        waits.add(duration);
        clock.advance(duration);
      };
  private FakeChannel channel;
  private Store store;

  @BeforeEach
  void start() throws Exception {
    channel = FakeChannel.start();
    store = SqliteStore.open(dir.resolve("vouch.db"));
    long run = store.startRun(TestData.DAY, TestData.T0, TestData.SHA256);
    try (FindingWriter writer = store.findingWriter(run)) {
      writer.write(TestData.finding("cloudtrail:e-1").verdict(Verdict.UNAUTHORIZED).build());
      writer.write(TestData.finding("cloudtrail:e-2").verdict(Verdict.AUTHORIZED).build());
    }
    store.finishRun(TestData.runSummary(run, TestData.DAY).build(), List.of());
  }

  @AfterEach
  void stop() {
    store.close();
    channel.close();
  }

  private AlertOutbox outbox() {
    NotificationSettings settings =
        new NotificationSettings(
            List.of(Fixtures.notification("security", Type.WEBHOOK, channel.url("/hook"))));
    return new AlertOutbox(
        store,
        settings,
        null,
        new Deliverer(Deliverer.client(), clock, new Pacer(clock, sleeper)),
        new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), () -> 0.0),
        sleeper,
        clock);
  }

  @Test
  void aThrottledMessageIsSentAgainWithinTheRunAfterTheRetryAfterAsked() throws Exception {
    channel.script(new FakeChannel.Answer(429, Map.of("Retry-After", "7"), "rate_limited"));

    AlertOutbox.Pass pass = outbox().run();

    assertThat(pass.planned()).isEqualTo(1);
    assertThat(pass.delivered()).isEqualTo(1);
    assertThat(pass.waiting()).isZero();
    assertThat(waits).contains(Duration.ofSeconds(7));
    assertThat(channel.requests()).hasSize(2);
    assertThat(channel.requests().get(1).text()).contains("cloudtrail:e-1").doesNotContain("e-2");
    assertThat(outbox().run().delivered()).as("nothing is sent twice").isZero();
    assertThat(channel.requests()).hasSize(2);
  }

  @Test
  void aRefusedMessageWaitsInTheOutboxAndGoesOnceTheChannelTakesIt() throws Exception {
    channel.respond(request -> FakeChannel.Answer.of(404, "no_service"));

    AlertOutbox.Pass refused = outbox().run();

    assertThat(refused.delivered()).isZero();
    assertThat(refused.waiting()).isEqualTo(1);
    assertThat(refused.problems())
        .singleElement()
        .asString()
        .startsWith("security: failed: HTTP 404: no_service; the message of run 1 stays")
        .doesNotContain("127.0.0.1");
    assertThat(outbox().run().delivered()).as("not due yet").isZero();

    channel.respond(request -> FakeChannel.Answer.of(200, "ok"));
    clock.advance(Duration.ofMinutes(10));
    AlertOutbox.Pass later = outbox().run();

    assertThat(later.planned()).isZero();
    assertThat(later.delivered()).isEqualTo(1);
    assertThat(later.waiting()).isZero();
    assertThat(channel.requests()).hasSize(2);
  }
}
