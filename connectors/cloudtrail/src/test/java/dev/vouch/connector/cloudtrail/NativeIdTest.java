package dev.vouch.connector.cloudtrail;

import static dev.vouch.connector.cloudtrail.TestSupport.corpus;
import static dev.vouch.connector.cloudtrail.TestSupport.id;
import static dev.vouch.connector.cloudtrail.TestSupport.pull;
import static dev.vouch.connector.cloudtrail.TestSupport.readJson;
import static dev.vouch.connector.cloudtrail.TestSupport.recordsFile;
import static dev.vouch.connector.cloudtrail.TestSupport.window;
import static dev.vouch.connector.cloudtrail.TestSupport.write;
import static dev.vouch.connector.cloudtrail.TestSupport.writeGzip;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.connector.cloudtrail.TestSupport.Pulled;
import dev.vouch.core.model.TimeWindow;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CloudTrail event's native id is {@code <account>:<eventID>}: CloudTrail makes an eventID unique
 * within the account that received the event, so the account keeps the events of two accounts
 * apart, and one event delivered two ways is one id, which the store de-duplicates.
 */
class NativeIdTest {
  /** An elasticloadbalancing AddTags call as EventBridge delivers it (cloud-custodian's data). */
  private static final Path ENVELOPE =
      corpus("eventbridge-cloud-custodian/event-cloud-trail-appelb-add-tags.json");

  private static final String ACCOUNT = "123456789123";
  private static final String EVENT_ID = "e9f72371-5fc5-48fc-999d-462e13fdc6bd";
  private static final TimeWindow JULY_13_2022 =
      window("2022-07-13T00:00:00Z", "2022-07-14T00:00:00Z");

  @TempDir Path bucket;

  /** The CloudTrail record inside the envelope. */
  private static ObjectNode record() {
    return (ObjectNode) readJson(ENVELOPE).get("detail").deepCopy();
  }

  /** The record as the trail delivers it to S3, in the account's folder of the layout. */
  private void deliverToS3(String account, ObjectNode... records) {
    writeGzip(
        bucket.resolve(
            "AWSLogs/"
                + account
                + "/CloudTrail/us-east-1/2022/07/13/"
                + account
                + "_CloudTrail_us-east-1_20220713T2010Z_Xk3PqR7sT9vW2yZa.json.gz"),
        recordsFile(records));
  }

  @Test
  void shouldKeepTheSameEventIdOfTwoAccountsApart() throws Exception {
    // An organization trail delivers every account's events; an eventID is unique in one only.
    ObjectNode other = record();
    other.put("recipientAccountId", "210987654321");
    deliverToS3(ACCOUNT, record(), other);

    Pulled pulled = pull(bucket, JULY_13_2022);

    assertThat(pulled.ids())
        .containsExactlyInAnyOrder(id(ACCOUNT, EVENT_ID), id("210987654321", EVENT_ID));
    assertThat(pulled.event(id("210987654321", EVENT_ID)).coordinates().scope())
        .isEqualTo("210987654321");
  }

  @Test
  void shouldGiveAnEventDeliveredToS3AndThroughEventBridgeOneNativeId() throws Exception {
    deliverToS3(ACCOUNT, record());
    write(bucket.resolve("eventbridge/add-tags.json"), readJson(ENVELOPE).toString());

    Pulled pulled = pull(bucket, JULY_13_2022);

    // Delivered twice, once by each path, as one id with one content: stored once.
    assertThat(pulled.ids()).containsExactly(id(ACCOUNT, EVENT_ID), id(ACCOUNT, EVENT_ID));
    assertThat(pulled.sink().events().get(0).rawJson())
        .isEqualTo(pulled.sink().events().get(1).rawJson());
  }

  @Test
  void shouldScopeARecordWithoutAccountByItsS3FolderOrItsEnvelopeAlike() throws Exception {
    // A record that names no account (trimmed exports do this) takes it from around it: the
    // account folder of the layout, or the envelope's account.
    ObjectNode anonymous = record();
    anonymous.remove("recipientAccountId");
    ((ObjectNode) anonymous.get("userIdentity")).remove("accountId");
    deliverToS3(ACCOUNT, anonymous);
    ObjectNode envelope = (ObjectNode) readJson(ENVELOPE);
    envelope.set("detail", anonymous);
    write(bucket.resolve("eventbridge/add-tags.json"), envelope.toString());

    Pulled pulled = pull(bucket, JULY_13_2022);

    assertThat(pulled.ids()).containsExactly(id(ACCOUNT, EVENT_ID), id(ACCOUNT, EVENT_ID));
  }
}
