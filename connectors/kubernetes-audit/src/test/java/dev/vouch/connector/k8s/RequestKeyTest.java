package dev.vouch.connector.k8s;

import static dev.vouch.connector.k8s.TestSupport.event;
import static dev.vouch.connector.k8s.TestSupport.eventList;
import static dev.vouch.connector.k8s.TestSupport.fileSource;
import static dev.vouch.connector.k8s.TestSupport.line;
import static dev.vouch.connector.k8s.TestSupport.lines;
import static dev.vouch.connector.k8s.TestSupport.nativeId;
import static dev.vouch.connector.k8s.TestSupport.pull;
import static dev.vouch.connector.k8s.TestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.connector.k8s.TestSupport.Pulled;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.spi.PushEndpoint.PushSettings;
import dev.vouch.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the sources key a request: by cluster, {@code auditID} and the request itself (when it was
 * received, its verb and URI), so that a client reusing an {@code Audit-ID} cannot hide a second
 * request behind a first, while the same request read twice keeps one key. Only an exact repeat
 * close by is skipped; anything else under a key already delivered is delivered, for the store to
 * keep and flag as conflicting evidence.
 */
class RequestKeyTest {
  @TempDir Path dir;

  private Path live() {
    return dir.resolve("audit.log");
  }

  /** {@link TestSupport#event(String)}: a create of ConfigMap payments/settings, answered 201. */
  private static ObjectNode create(String auditId) {
    return event(auditId);
  }

  /** The same create sent again a second later under the same Audit-ID: it already exists. */
  private static ObjectNode createAgain(String auditId) {
    ObjectNode again = event(auditId, "2026-10-01T12:00:01.234567Z");
    ((ObjectNode) again.get("responseStatus")).put("code", 409);
    return again;
  }

  /** A delete of the same ConfigMap five minutes later, under the same Audit-ID. */
  private static ObjectNode delete(String auditId) {
    ObjectNode delete = event(auditId, "2026-10-01T12:05:00.000001Z");
    delete
        .put("verb", "delete")
        .put("requestURI", "/api/v1/namespaces/payments/configmaps/settings");
    ((ObjectNode) delete.get("responseStatus")).put("code", 200);
    return delete;
  }

  private static List<String> rawJson(Pulled pulled) {
    return pulled.sink().events().stream().map(ChangeEvent::rawJson).toList();
  }

  @Test
  void shouldDeliverEveryRequestThatReusesAnAuditIdUnderItsOwnKey() throws Exception {
    ObjectNode create = create("reused");
    ObjectNode createAgain = createAgain("reused");
    ObjectNode delete = delete("reused");
    write(live(), lines(create, createAgain, delete));

    Pulled pulled = pull(fileSource(live()), null);

    assertThat(pulled.ids())
        .containsExactly(nativeId(create), nativeId(createAgain), nativeId(delete))
        .doesNotHaveDuplicates()
        .allSatisfy(id -> assertThat(id).startsWith(TestSupport.CLUSTER + ":reused:"));
    assertThat(pulled.result().detail()).contains("3 events delivered", "0 repeated events");
  }

  @Test
  void shouldSkipARequestLoggedTwiceIdenticallyInOneFile() throws Exception {
    write(live(), lines(create("a-1"), create("a-2"), create("a-1")));

    Pulled pulled = pull(fileSource(live()), null);

    assertThat(pulled.ids()).containsExactly(nativeId(create("a-1")), nativeId(create("a-2")));
    assertThat(pulled.result().detail()).contains("2 events delivered", "1 repeated event skipped");
  }

  @Test
  void shouldGiveARequestTheSameKeyInTheLogFileAndFromTheWebhook() throws Exception {
    ObjectNode request = create("a-1");
    write(live(), line(request));
    KubernetesWebhookSource webhook =
        new KubernetesWebhookSource(
            "webhook",
            TestSupport.CLUSTER,
            new WebhookSpool(dir.resolve("spool"), MutableClock.at("2026-10-01T12:00:05Z")),
            "/audit/webhook",
            new PushSettings(
                "127.0.0.1:0", Optional.empty(), 1 << 20, null, Optional.empty(), null));
    assertThat(webhook.accept(eventList(request).getBytes(StandardCharsets.UTF_8)).status())
        .isEqualTo(200);

    ChangeEvent fromFile = pull(fileSource(live()), null).sink().events().get(0);
    ChangeEvent fromWebhook = pull(webhook, null).sink().events().get(0);

    // One key and one record: the store keeps it once, with no conflict to flag.
    assertThat(fromWebhook.key())
        .isEqualTo(fromFile.key())
        .isEqualTo(AuditEventMapper.SOURCE_TYPE + ":" + nativeId(request));
    assertThat(fromWebhook.rawSha256()).isEqualTo(fromFile.rawSha256());
  }

  @Test
  void shouldGiveTheSameAuditIdInTwoClustersTwoKeys() throws Exception {
    // Each cluster's API server logs a request under an auditID the client chose: the same one.
    ObjectNode request = create("client-chosen-id");
    Path eu = write(dir.resolve("prod-eu/audit.log"), line(request));
    Path us = write(dir.resolve("prod-us/audit.log"), line(request));

    List<String> euIds =
        pull(new KubernetesAuditSource("eu", "prod-eu", LogSelection.of(eu.toString(), dir)), null)
            .ids();
    List<String> usIds =
        pull(new KubernetesAuditSource("us", "prod-us", LogSelection.of(us.toString(), dir)), null)
            .ids();

    assertThat(euIds).containsExactly(TestSupport.nativeId("prod-eu", request));
    assertThat(usIds).containsExactly(TestSupport.nativeId("prod-us", request));
    assertThat(usIds.get(0)).isNotEqualTo(euIds.get(0));
  }

  @Test
  void shouldDeliverASecondRecordOfARequestWithOtherContentRatherThanSkipIt() throws Exception {
    // The same request (same auditID, time, verb and URI) recorded again as made by someone else:
    // not a repeat, so both go to the store, which keeps both and flags the conflict.
    ObjectNode original = create("a-1");
    ObjectNode otherUser = create("a-1");
    ((ObjectNode) otherUser.get("user")).put("username", "mallory@example.com");
    write(live(), lines(original, otherUser));

    Pulled pulled = pull(fileSource(live()), null);

    assertThat(pulled.ids()).containsExactly(nativeId(original), nativeId(original));
    assertThat(rawJson(pulled)).containsExactly(original.toString(), otherUser.toString());
    assertThat(pulled.sink().events())
        .extracting(event -> event.actor().raw())
        .containsExactly("alice@example.com", "mallory@example.com");
    assertThat(pulled.result().detail()).contains("0 repeated events skipped");
  }

  /** falco's exec into a pod as the session opened: stage ResponseStarted, code 101. */
  private static ObjectNode sessionOpened() {
    return TestSupport.corpusEvent("falco/exec_pod.json");
  }

  /** The same session's record when it ended, twenty minutes later. */
  private static ObjectNode sessionEnded() {
    ObjectNode ended = sessionOpened();
    ended.put("stage", "ResponseComplete").put("stageTimestamp", "2018-10-26T13:58:34.902914Z");
    return ended;
  }

  @Test
  void shouldDeliverASessionOnceWhicheverOfItsStagesComesFirst() throws Exception {
    write(live(), lines(sessionOpened(), sessionEnded()));
    Path reversed =
        write(dir.resolve("reversed/audit.log"), lines(sessionEnded(), sessionOpened()));

    Pulled inOrder = pull(fileSource(live()), null);
    Pulled inReverse = pull(fileSource(reversed), null);

    // The second record of the session is the first one again: a repeat, not a second change.
    assertThat(inOrder.ids()).containsExactly(nativeId(sessionOpened()));
    assertThat(inOrder.result().detail())
        .contains("1 event delivered (1 change)", "0 at other stages", "1 repeated event skipped");
    assertThat(inReverse.sink().events()).isEqualTo(inOrder.sink().events());
  }

  @Test
  void shouldDeliverTheSameRecordAgainWhenASessionsEndComesInALaterPull() throws Exception {
    KubernetesAuditSource source = fileSource(live());
    write(live(), line(sessionOpened()));
    Pulled opened = pull(source, null);
    TestSupport.append(live(), line(sessionEnded()));

    Pulled ended = pull(source, opened.cursor());

    // Same key and same content: the store keeps the first copy and has no conflict to report.
    assertThat(ended.sink().events()).isEqualTo(opened.sink().events()).hasSize(1);
    assertThat(ended.sink().events().get(0).key())
        .isEqualTo(AuditEventMapper.SOURCE_TYPE + ":" + nativeId(sessionOpened()));
  }

  @Test
  void shouldDeliverAnIdenticalCopyAgainWhenTooManyEventsCameBetween() throws Exception {
    // A pull remembers only the last events it delivered (memory stays flat); a far copy goes to
    // the store, which keeps one record of it.
    List<JsonNode> events = new ArrayList<>();
    events.add(create("first"));
    for (int i = 0; i < RecentEvents.WINDOW; i++) {
      events.add(create("between-" + i));
    }
    events.add(create("first"));
    write(live(), lines(events.toArray(JsonNode[]::new)));

    Pulled pulled = pull(fileSource(live()), null);

    assertThat(pulled.ids()).hasSize(RecentEvents.WINDOW + 2);
    assertThat(pulled.ids().get(RecentEvents.WINDOW + 1)).isEqualTo(pulled.ids().get(0));
    assertThat(pulled.result().detail()).contains("0 repeated events skipped");
  }
}
