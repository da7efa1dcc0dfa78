package dev.vouch.connector.recordsfile;

import static dev.vouch.connector.recordsfile.ChangeLogs.lines;
import static dev.vouch.connector.recordsfile.ChangeLogs.pull;
import static dev.vouch.connector.recordsfile.ChangeLogs.source;
import static dev.vouch.connector.recordsfile.ChangeLogs.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.core.model.Approval;
import dev.vouch.core.model.ChangeRecord;
import dev.vouch.core.model.ChangeType;
import dev.vouch.core.model.RecordState;
import dev.vouch.testkit.CollectingRecordSink;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same change log written as CSV, YAML and JSON gives the same records. */
class SameContentAcrossFormatsTest {
  @TempDir Path dir;

  private CollectingRecordSink csv;
  private CollectingRecordSink yaml;
  private CollectingRecordSink json;

  @BeforeEach
  void readTheSameLogInEveryFormat() throws Exception {
    write(
        dir,
        "changes.csv",
        lines(
            "id,title,type,state,systems,window_start,window_end,implementer,approved_by,"
                + "approved_at,requested_by,risk,backout_plan,test_evidence,url,updated_at",
            "CHG-1,\"Rotate keys, payments\",normal,approved,payments-prod;payments-stage,"
                + "2026-11-17T10:00:00+01:00,2026-11-17T11:00:00+01:00,alice,bob;carol,"
                + "2026-11-16T15:00:00Z,dana,high,\"Restore the old key",
            "from the vault\",https://ci.example.com/1,https://chg.example.com/CHG-1,"
                + "2026-11-17T12:00:00Z",
            "0012,Hotfix for checkout,emergency,implemented,web,2026-11-18T02:00:00Z,"
                + "2026-11-18T02:30:00Z,erin,,,,,,,,",
            "CHG-3,Add index,Standard,Closed,db,2026-11-20T09:00:00Z,2026-11-20T09:15:00Z,"
                + "alice;bob,frank,2026-11-01T00:00:00-05:00,,low,,,,"));
    write(
        dir,
        "changes.yaml",
        lines(
            "# Change log, kept by the platform team",
            "records:",
            "  - id: CHG-1",
            "    title: Rotate keys, payments",
            "    type: normal",
            "    state: approved",
            "    systems: [payments-prod, payments-stage]",
            "    window_start: 2026-11-17T10:00:00+01:00",
            "    window_end: 2026-11-17T11:00:00+01:00",
            "    implementer: alice",
            "    approved_by:",
            "      - bob",
            "      - carol",
            "    approved_at: 2026-11-16T15:00:00Z",
            "    requested_by: dana",
            "    risk: high",
            "    backout_plan: |",
            "      Restore the old key",
            "      from the vault",
            "    test_evidence: https://ci.example.com/1",
            "    url: https://chg.example.com/CHG-1",
            "    updated_at: 2026-11-17T12:00:00Z",
            "",
            "  - id: 0012",
            "    title: Hotfix for checkout",
            "    type: emergency",
            "    state: implemented",
            "    systems: web",
            "    window_start: 2026-11-18T02:00:00Z",
            "    window_end: 2026-11-18T02:30:00Z",
            "    implementer: [erin]",
            "    approved_by: []",
            "    approved_at: ~",
            "",
            "  - id: CHG-3",
            "    title: Add index",
            "    type: Standard",
            "    state: Closed",
            "    systems: db",
            "    window_start: '2026-11-20T09:00:00Z'",
            "    window_end: \"2026-11-20T09:15:00Z\"",
            "    implementer: alice; bob",
            "    approved_by: frank",
            "    approved_at: 2026-11-01T00:00:00-05:00",
            "    risk: low"));
    write(
        dir,
        "changes.json",
        lines(
            "[",
            "  {",
            "    \"id\": \"CHG-1\", \"title\": \"Rotate keys, payments\", \"type\": \"normal\",",
            "    \"state\": \"approved\", \"systems\": \"payments-prod;payments-stage\",",
            "    \"window_start\": \"2026-11-17T10:00:00+01:00\",",
            "    \"window_end\": \"2026-11-17T11:00:00+01:00\",",
            "    \"implementer\": \"alice\", \"approved_by\": [\"bob\", \"carol\"],",
            "    \"approved_at\": \"2026-11-16T15:00:00Z\", \"requested_by\": \"dana\",",
            "    \"risk\": \"high\", \"backout_plan\": \"Restore the old key\\nfrom the vault\",",
            "    \"test_evidence\": \"https://ci.example.com/1\",",
            "    \"url\": \"https://chg.example.com/CHG-1\", \"updated_at\": \"2026-11-17T12:00:00Z\"",
            "  },",
            "  {\"id\": \"0012\", \"title\": \"Hotfix for checkout\", \"type\": \"emergency\",",
            "   \"state\": \"implemented\", \"systems\": [\"web\"],",
            "   \"window_start\": \"2026-11-18T02:00:00Z\", \"window_end\": \"2026-11-18T02:30:00Z\",",
            "   \"implementer\": \"erin\", \"approved_by\": null},",
            "  {\"id\": \"CHG-3\", \"title\": \"Add index\", \"type\": \"Standard\", \"state\": \"Closed\",",
            "   \"systems\": \"db\", \"window_start\": \"2026-11-20T09:00:00Z\",",
            "   \"window_end\": \"2026-11-20T09:15:00Z\", \"implementer\": [\"alice\", \"bob\"],",
            "   \"approved_by\": \"frank\", \"approved_at\": \"2026-11-01T00:00:00-05:00\",",
            "   \"risk\": \"low\"}",
            "]"));

    csv = pull(source(dir, "changes.csv"));
    yaml = pull(source(dir, "changes.yaml"));
    json = pull(source(dir, "changes.json"));
  }

  @Test
  void everyFormatReadsCleanly() {
    assertThat(csv.problems()).isEmpty();
    assertThat(yaml.problems()).isEmpty();
    assertThat(json.problems()).isEmpty();
    assertThat(csv.keys()).containsExactly("CHG-1", "0012", "CHG-3");
  }

  @Test
  void csvYamlAndJsonGiveEqualRecords() {
    List<ChangeRecord> fromCsv = csv.records().stream().map(ChangeLogs::withoutLocation).toList();

    assertThat(yaml.records().stream().map(ChangeLogs::withoutLocation).toList())
        .isEqualTo(fromCsv);
    assertThat(json.records().stream().map(ChangeLogs::withoutLocation).toList())
        .isEqualTo(fromCsv);
  }

  @Test
  void theRecordsAreWhatTheLogSays() {
    ChangeRecord keys = csv.record("CHG-1");
    assertThat(keys.title()).isEqualTo("Rotate keys, payments");
    assertThat(keys.window().start()).isEqualTo(Instant.parse("2026-11-17T09:00:00Z"));
    assertThat(keys.window().end()).isEqualTo(Instant.parse("2026-11-17T10:00:00Z"));
    assertThat(keys.backoutPlan()).isEqualTo("Restore the old key\nfrom the vault");

    ChangeRecord hotfix = csv.record("0012");
    assertThat(hotfix.type()).isEqualTo(ChangeType.EMERGENCY);
    assertThat(hotfix.approvals()).isEmpty();

    ChangeRecord index = csv.record("CHG-3");
    assertThat(index.type()).isEqualTo(ChangeType.STANDARD);
    assertThat(index.state()).isEqualTo(RecordState.CLOSED);
    assertThat(index.implementers()).containsExactly("alice", "bob");
    assertThat(index.approvals())
        .containsExactly(new Approval("frank", true, Instant.parse("2026-11-01T05:00:00Z")));
  }

  @Test
  void eachRecordIsLocatedAtTheLineWhereItStartsInItsOwnFile() {
    assertThat(csv.records())
        .extracting(ChangeRecord::location)
        .containsExactly("changes.csv:2", "changes.csv:4", "changes.csv:5");
    assertThat(yaml.records())
        .extracting(ChangeRecord::location)
        .containsExactly("changes.yaml:3", "changes.yaml:24", "changes.yaml:35");
    assertThat(json.records())
        .extracting(ChangeRecord::location)
        .containsExactly("changes.json:2", "changes.json:13", "changes.json:17");
  }
}
