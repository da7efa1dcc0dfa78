package dev.vouch.core.match;

import dev.vouch.core.model.Actor;
import dev.vouch.core.model.Approval;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.ChangeRecord;
import dev.vouch.core.model.ChangeType;
import dev.vouch.core.model.Coordinates;
import dev.vouch.core.model.EventClass;
import dev.vouch.core.model.RecordState;
import dev.vouch.core.model.TimeWindow;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Small builders for matcher tests. */
final class Fixtures {
  static final String DAY = "2026-11-17T";

  private Fixtures() {}

  static Instant at(String time) {
    return Instant.parse(time.contains("T") ? time : DAY + time + "Z");
  }

  static ChangeEvent change(String id, String time, String who, String... hints) {
    return change(id, time, who, Map.of(), hints);
  }

  static ChangeEvent change(
      String id, String time, String who, Map<String, String> attributes, String... hints) {
    Map<String, String> attrs = new HashMap<>(attributes);
    attrs.putIfAbsent("aws.eventName", "AuthorizeSecurityGroupIngress");
    attrs.putIfAbsent("aws.eventSource", "ec2.amazonaws.com");
    attrs.putIfAbsent("aws.userIdentity.type", "AssumedRole");
    return new ChangeEvent(
        "trail",
        "cloudtrail",
        id,
        at(time),
        EventClass.CHANGE,
        true,
        new Coordinates("aws", "111111111111", "eu-west-1"),
        new Actor(
            "arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_Admin_abc/"
                + who
                + "@example.com",
            "AssumedRole",
            List.of(who + "@example.com"),
            null),
        "ec2.amazonaws.com:AuthorizeSecurityGroupIngress",
        List.of(),
        List.of(hints),
        attrs,
        "{}");
  }

  static RecordBuilder record(String key) {
    return new RecordBuilder(key);
  }

  static final class RecordBuilder {
    private final String key;
    private ChangeType type = ChangeType.NORMAL;
    private RecordState state = RecordState.APPROVED;
    private Set<String> systems = Set.of("payments-prod");
    private Instant start = at("10:00:00");
    private Instant end = at("12:00:00");
    private List<String> implementers = List.of("alice");
    private List<String> approvers = List.of("bob");
    private Instant approvedAt = at("09:00:00");

    RecordBuilder(String key) {
      this.key = key;
    }

    RecordBuilder type(ChangeType value) {
      type = value;
      return this;
    }

    RecordBuilder state(RecordState value) {
      state = value;
      return this;
    }

    RecordBuilder systems(String... value) {
      systems = Set.of(value);
      return this;
    }

    RecordBuilder window(String from, String to) {
      start = at(from);
      end = at(to);
      return this;
    }

    RecordBuilder implementers(String... value) {
      implementers = List.of(value);
      return this;
    }

    RecordBuilder approvedBy(String... value) {
      approvers = List.of(value);
      return this;
    }

    RecordBuilder approvedAt(String value) {
      approvedAt = value == null ? null : at(value);
      return this;
    }

    ChangeRecord build() {
      List<Approval> approvals =
          approvedAt == null
              ? List.of()
              : approvers.stream().map(a -> new Approval(a, true, approvedAt)).toList();
      return new ChangeRecord(
          key,
          "change-log",
          "test change " + key,
          type,
          state,
          systems,
          new TimeWindow(start, end),
          implementers,
          approvals,
          null,
          null,
          "roll back",
          null,
          null,
          null,
          "changes.csv:2");
    }
  }
}
