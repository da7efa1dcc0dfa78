package dev.vouch.app.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.core.config.NotificationSettings.Notification;
import dev.vouch.core.config.NotificationSettings.Route;
import dev.vouch.core.config.NotificationSettings.Type;
import dev.vouch.core.model.Finding;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.run.RunSummary;
import dev.vouch.core.spi.SettingsNode;
import dev.vouch.testkit.MutableClock;
import dev.vouch.testkit.TestData;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Channels, runs and findings for the notification tests, hostile ones included. */
final class Fixtures {
  static final String SECRET = "webhook-hmac-key-for-tests";

  /** Everything an attacker who controls an event field might try on a chat client. */
  static final String HOSTILE =
      "<!channel> @here *bold* _it_ ~gone~ `code` <script>alert(1)</script>"
          + " [click](http://evil.example/x) <http://evil.example|here> <users/all>"
          + " {{DATE(2017-02-14T06:08:39Z, SHORT)}} &lt;b&gt; # head | pipe \"q\" 'a'\nline2";

  private Fixtures() {}

  /**
   * Posts a payload with the real HTTP client to a local channel that answers 200, and returns the
   * request as the channel received it.
   */
  static FakeChannel.Request postThroughHttp(Type type, Payload payload) throws Exception {
    try (FakeChannel channel = FakeChannel.start()) {
      MutableClock clock = MutableClock.at(TestData.T0);
      Deliverer deliverer =
          new Deliverer(Deliverer.client(), clock, new Pacer(clock, clock::advance));
      DeliveryOutcome outcome =
          deliverer.deliver(
              notification("test", type, channel.url("/hook"), SECRET, Route.DEFAULT), payload);
      assertThat(outcome).isEqualTo(new DeliveryOutcome.Delivered(200));
      assertThat(channel.requests()).hasSize(1);
      FakeChannel.Request request = channel.requests().get(0);
      assertThat(request.method()).isEqualTo("POST");
      assertThat(request.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
      return request;
    }
  }

  static Notification notification(String name, Type type, URI url) {
    return notification(name, type, url, null, Route.DEFAULT);
  }

  static Notification notification(String name, Type type, URI url, String secret, Route route) {
    return new Notification(
        name,
        type,
        new SettingsNode.Secret("test URL", url.toString()),
        secret == null ? null : new SettingsNode.Secret("test secret", secret),
        route);
  }

  static RunSummary run(long id) {
    return TestData.runSummary(id, TestData.DAY).build();
  }

  /**
   * {@code count} findings needing review whose every text field is hostile and far too long,
   * spread over verdicts and risk categories.
   */
  static List<Finding> hostile(int count) {
    List<Verdict> verdicts =
        List.of(
            Verdict.UNAUTHORIZED,
            Verdict.SELF_APPROVED,
            Verdict.UNREADABLE,
            Verdict.OUTSIDE_WINDOW,
            Verdict.CONFLICTING_EVIDENCE);
    List<List<String>> risks =
        List.of(List.of("logging"), List.of("iam"), List.of(), List.of("data"));
    List<Finding> findings = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      findings.add(
          TestData.finding("cloudtrail:" + HOSTILE + i + "x".repeat(3000))
              .verdict(verdicts.get(i % verdicts.size()))
              .risks(risks.get(i % risks.size()).toArray(String[]::new))
              .system(i % 7 == 0 ? null : "payments")
              .actor(HOSTILE + " actor " + i + " " + "A".repeat(5000))
              .person(i % 2 == 0 ? null : HOSTILE + " person")
              .action(HOSTILE + " action " + "B".repeat(5000))
              .summary(HOSTILE + " summary " + "C".repeat(5000))
              .occurredAt(TestData.T0.plus(Duration.ofMinutes(i)))
              .build());
    }
    return findings;
  }
}
