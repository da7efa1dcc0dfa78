package dev.vouch.connector.cloudtrail;

import static dev.vouch.connector.cloudtrail.TestSupport.ACCOUNT;
import static dev.vouch.connector.cloudtrail.TestSupport.id;
import static dev.vouch.connector.cloudtrail.TestSupport.pull;
import static dev.vouch.connector.cloudtrail.TestSupport.record;
import static dev.vouch.connector.cloudtrail.TestSupport.recordsFile;
import static dev.vouch.connector.cloudtrail.TestSupport.source;
import static dev.vouch.connector.cloudtrail.TestSupport.window;
import static dev.vouch.connector.cloudtrail.TestSupport.write;
import static dev.vouch.connector.cloudtrail.TestSupport.writeBytes;
import static dev.vouch.connector.cloudtrail.TestSupport.writeGzip;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.connector.cloudtrail.TestSupport.Pulled;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.Coordinates;
import dev.vouch.core.model.TimeWindow;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S3 layout of a trail and of an organization trail, copied to disk: files are chosen by
 * delivery date (folders and file-name stamps), records by eventTime.
 */
class S3LayoutTest {
  private static final TimeWindow MARCH_14 = window("2024-03-14T00:00:00Z", "2024-03-15T00:00:00Z");

  @TempDir Path bucket;
  private Path trail;

  /** {@code AWSLogs/111122223333/CloudTrail/us-east-1/YYYY/MM/DD/<CloudTrail file name>}. */
  private Path logFile(String day, String stamp, String unique) {
    return trail
        .resolve(day)
        .resolve(ACCOUNT + "_CloudTrail_us-east-1_" + stamp + "_" + unique + ".json.gz");
  }

  @BeforeEach
  void buildBucket() {
    trail = bucket.resolve("AWSLogs").resolve(ACCOUNT).resolve("CloudTrail").resolve("us-east-1");
    // Delivered on the window's day; the record of the day before is a late one of its window.
    writeGzip(
        logFile("2024/03/14", "20240314T1005Z", "Mu0KsOhtH1ar15ZZ"),
        recordsFile(
            record("in-window", "2024-03-14T10:01:00Z"),
            record("day-before", "2024-03-13T23:59:59Z")));
    // An event at 23:58, delivered after midnight under the next day's folder.
    writeGzip(
        logFile("2024/03/15", "20240315T0003Z", "Ab12Cd34Ef56Gh78"),
        recordsFile(
            record("late-2358", "2024-03-14T23:58:00Z"),
            record("next-day", "2024-03-15T00:01:00Z")));
    // Delivered exactly at end + 1d, the default lateDelivery: still read.
    writeGzip(
        logFile("2024/03/16", "20240316T0000Z", "Zz99Yy88Xx77Ww66"),
        recordsFile(record("delayed", "2024-03-14T12:00:00Z")));
    // Under a day folder inside the range, but stamped a minute after end + 1d: the stamp decides.
    writeGzip(
        logFile("2024/03/16", "20240316T0001Z", "Oo00Pp11Aa22Ss33"),
        recordsFile(record("just-too-late", "2024-03-14T08:30:00Z")));
    // Delivered beyond end + 1d: its folder is not even listed, though it (impossibly) holds an
    // event of the window.
    writeGzip(
        logFile("2024/03/17", "20240317T0100Z", "Tt55Yy66Uu77Ii88"),
        recordsFile(record("too-late", "2024-03-14T08:00:00Z")));
    // The first day of the lateness allowance (start - 1d): delivered from the first second on,
    // nothing older.
    writeGzip(
        logFile("2024/03/13", "20240313T0002Z", "Qq11Ww22Ee33Rr44"),
        recordsFile(
            record("allowance-start", "2024-03-13T00:00:00Z"),
            record("before-allowance", "2024-03-12T23:59:59Z")));
    // The day before the allowance is read (files straddle midnight), its records filtered.
    writeGzip(
        logFile("2024/03/12", "20240312T2355Z", "Kk44Ll55Mm66Nn77"),
        recordsFile(record("on-the-12th", "2024-03-12T23:50:00Z")));
    // Far outside: not even opened. A corrupt file there would be rejected if it were.
    writeGzip(
        logFile("2024/03/11", "20240311T2355Z", "Jj00Hh99Gg88Ff77"),
        recordsFile(record("on-the-11th", "2024-03-11T23:50:00Z")));
    writeBytes(
        logFile("2024/01/02", "20240102T0000Z", "Corrupt000000001"),
        new byte[] {31, -117, 8, 0, 1});
    writeGzip(
        logFile("2024/06/30", "20240630T0000Z", "Future0000000001"),
        recordsFile(record("june", "2024-03-14T09:00:00Z")));
    writeBytes(
        logFile("2023/12/31", "20231231T0000Z", "Corrupt000000002"), new byte[] {31, -117, 8});

    // An organization trail: the record names neither account nor region, the path does.
    ObjectNode anonymous = record("org-event", "2024-03-14T15:00:00Z");
    anonymous.remove("recipientAccountId");
    anonymous.remove("awsRegion");
    ((ObjectNode) anonymous.get("userIdentity")).remove("accountId");
    writeGzip(
        bucket.resolve(
            "AWSLogs/o-exampleorgid/222233334444/CloudTrail/eu-west-1/2024/03/14/"
                + "222233334444_CloudTrail_eu-west-1_20240314T1500Z_OrgTrail00000001.json.gz"),
        recordsFile(anonymous));

    // A digest beside the logs: counted, never parsed (this one is not even JSON).
    write(
        bucket.resolve(
            "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/03/14/"
                + "111122223333_CloudTrail-Digest_us-east-1_trail_us-east-1_20240314T110000Z.json.gz"),
        "not a digest, and not read");
    // Other files are ignored and counted.
    write(trail.resolve("2024/03/14/notes.txt"), "{\"not\": \"read\"}");
    // Another service's logs under AWSLogs are not ours.
    writeGzip(
        bucket.resolve("AWSLogs/111122223333/Config/us-east-1/2024/3/14/ConfigHistory/x.json.gz"),
        "{\"configurationItems\": []}");
  }

  @Test
  void shouldReadTheFilesDeliveredFromTheDayBeforeTheAllowanceToADayAfterTheWindow()
      throws Exception {
    Pulled pulled = pull(bucket, MARCH_14);

    assertThat(pulled.ids())
        .containsExactlyInAnyOrder(
            id("in-window"),
            id("late-2358"),
            id("delayed"),
            id("222233334444", "org-event"),
            id("day-before"),
            id("allowance-start"));
    assertThat(pulled.windowIds())
        .containsExactlyInAnyOrder(
            id("in-window"), id("late-2358"), id("delayed"), id("222233334444", "org-event"));
    assertThat(pulled.sink().rejections()).isEmpty();
    assertThat(pulled.result().unitsRead()).isEqualTo(6);
    assertThat(pulled.sink().unitsDone())
        .hasSize(6)
        .allSatisfy(unit -> assertThat(unit).contains("_CloudTrail_").endsWith(".json.gz"));
    assertThat(pulled.result().detail())
        .isEqualTo(
            "6 files (1 digest file skipped, 1 other file ignored,"
                + " 1 file delivered outside 2024-03-12..2024-03-16T00:00:00Z not read,"
                + " 5 date folders outside 2024-03-12..2024-03-16T00:00:00Z not read,"
                + " 1 non-CloudTrail AWSLogs folder skipped);"
                + " 6 events, 0 rejected, 3 records outside the window");
    assertThat(pulled.result().cursor()).isEqualTo("{\"coveredThrough\":\"2024-03-15T00:00:00Z\"}");
    // A trail copy cannot prove an account was quiet: its files may simply not have arrived.
    assertThat(pulled.result().partitionsComplete()).isEmpty();
  }

  @Test
  void shouldPickUpAnEventAt2358DeliveredUnderTheNextDaysFolder() throws Exception {
    Pulled pulled = pull(bucket, MARCH_14);

    assertThat(pulled.event(id("late-2358")).occurredAt()).hasToString("2024-03-14T23:58:00Z");
    assertThat(pulled.ids()).doesNotContain(id("next-day"), id("on-the-12th"));
  }

  @Test
  void shouldDeliverARecordOfTheDayBeforeTheWindowFoundInAFileOfTheWindowsFirstDay(
      @TempDir Path late) throws Exception {
    // Delivered at 01:05 on the window's first day, 20 and 30 hours after the events it holds.
    writeGzip(
        late.resolve(
            "AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/14/"
                + "111122223333_CloudTrail_us-east-1_20240314T0105Z_Late000000000001.json.gz"),
        recordsFile(
            record("20-hours-early", "2024-03-13T04:00:00Z"),
            record("30-hours-early", "2024-03-12T18:00:00Z"),
            record("in-window", "2024-03-14T01:00:00Z")));

    Pulled pulled = pull(source(late, Duration.ofDays(1), 1), MARCH_14);

    // The run of March 13th had ended before this file arrived: this run stores the 20-hour-old
    // event, and the one older than the allowance is left to no one.
    assertThat(pulled.ids()).containsExactlyInAnyOrder(id("20-hours-early"), id("in-window"));
    assertThat(pulled.result().detail())
        .endsWith("2 events, 0 rejected, 1 record outside the window");
  }

  @Test
  void shouldReadLaterDeliveriesAndOlderRecordsWhenLateDeliveryIsLonger() throws Exception {
    Pulled pulled = pull(source(bucket, Duration.ofDays(5), 2), MARCH_14);

    // Delivered until March 20th, of events from March 9th on: only June's file stays unread.
    assertThat(pulled.ids())
        .containsExactlyInAnyOrder(
            id("in-window"),
            id("late-2358"),
            id("delayed"),
            id("just-too-late"),
            id("too-late"),
            id("222233334444", "org-event"),
            id("day-before"),
            id("allowance-start"),
            id("before-allowance"),
            id("on-the-12th"),
            id("on-the-11th"));
    assertThat(pulled.sink().rejections()).isEmpty();
  }

  @Test
  void shouldDeliverOnlyTheWindowsOwnRecordsWithoutLateDelivery() throws Exception {
    Pulled pulled = pull(source(bucket, Duration.ZERO, 1), MARCH_14);

    // Folders 13 and 14 (and the 15th up to 00:00) only: the 23:58 event delivered at 00:03 is
    // lost, and so is the record of the 13th read in a file of the 14th, which is why
    // lateDelivery defaults to a day.
    assertThat(pulled.ids())
        .containsExactlyInAnyOrder(id("in-window"), id("222233334444", "org-event"));
    assertThat(pulled.result().detail())
        .contains("outside 2024-03-13..2024-03-15T00:00:00Z")
        .endsWith("2 events, 0 rejected, 3 records outside the window");
  }

  @Test
  void shouldTakeAccountAndRegionOfAnOrganizationTrailFromThePath() throws Exception {
    Pulled pulled = pull(bucket, MARCH_14);

    ChangeEvent event = pulled.event(id("222233334444", "org-event"));
    assertThat(event.coordinates()).isEqualTo(new Coordinates("aws", "222233334444", "eu-west-1"));
    assertThat(event.attributes())
        .containsEntry("aws.account", "222233334444")
        .containsEntry("aws.region", "eu-west-1");
  }

  @Test
  void shouldPreferTheRecordsOwnAccountToThePath() throws Exception {
    ObjectNode elsewhere = record("cross-account", "2024-03-14T16:00:00Z");
    elsewhere.put("recipientAccountId", "999988887777");
    writeGzip(logFile("2024/03/14", "20240314T1605Z", "Cross00000000001"), recordsFile(elsewhere));

    Pulled pulled = pull(bucket, MARCH_14);

    // The record's account scopes its native id too, whatever folder it was found in.
    assertThat(pulled.event(id("999988887777", "cross-account")).coordinates().scope())
        .isEqualTo("999988887777");
  }

  @Test
  void shouldPruneByDateWhenPointedBelowAwsLogs() throws Exception {
    Pulled pulled = pull(trail, MARCH_14);

    assertThat(pulled.ids())
        .containsExactlyInAnyOrder(
            id("in-window"),
            id("late-2358"),
            id("delayed"),
            id("day-before"),
            id("allowance-start"));
    assertThat(pulled.sink().rejections()).isEmpty();
    assertThat(pulled.result().detail())
        .contains("1 file delivered outside")
        .contains("5 date folders outside");
  }

  @Test
  void shouldUseTheFileNameStampOutsideTheLayout(@TempDir Path loose) throws Exception {
    writeGzip(
        loose.resolve("111122223333_CloudTrail_us-east-1_20240102T0000Z_Old0000000000001.json.gz"),
        recordsFile(record("stamped-long-before", "2024-03-14T01:00:00Z")));
    writeGzip(
        loose.resolve("111122223333_CloudTrail_us-east-1_20240315T0010Z_New0000000000001.json.gz"),
        recordsFile(record("stamped-after-midnight", "2024-03-14T23:59:00Z")));
    writeGzip(
        loose.resolve("export.json.gz"), recordsFile(record("no-date", "2024-03-14T02:00:00Z")));

    Pulled pulled = pull(loose, MARCH_14);

    assertThat(pulled.ids()).containsExactlyInAnyOrder(id("stamped-after-midnight"), id("no-date"));
    assertThat(pulled.result().detail()).contains("1 file delivered outside");
  }

  @Test
  void shouldReadTheFilesOfAnUnpaddedDateFolderAsUndated(@TempDir Path odd) throws Exception {
    writeGzip(
        odd.resolve("AWSLogs/111122223333/CloudTrail/us-east-1/2024/3/14/batch.json.gz"),
        recordsFile(record("undated", "2024-03-14T03:00:00Z")));

    assertThat(pull(odd, MARCH_14).ids()).containsExactly(id("undated"));
  }
}
