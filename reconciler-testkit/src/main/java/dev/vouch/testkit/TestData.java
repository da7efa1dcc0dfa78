package dev.vouch.testkit;

import dev.vouch.core.model.Actor;
import dev.vouch.core.model.Approval;
import dev.vouch.core.model.CandidateEvaluation;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.ChangeRecord;
import dev.vouch.core.model.ChangeType;
import dev.vouch.core.model.Coordinates;
import dev.vouch.core.model.EventClass;
import dev.vouch.core.model.Finding;
import dev.vouch.core.model.RecordState;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.run.CoverageGap;
import dev.vouch.core.run.RunStatus;
import dev.vouch.core.run.RunSummary;
import dev.vouch.core.run.SourceOutcome;
import dev.vouch.core.spi.InputProblem;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Small builders for the values most tests need, with sensible defaults: change only what the test
 * is about.
 *
 * <pre>{@code
 * ChangeEvent event = TestData.event("e-1").at("2026-10-01T12:00:00Z").build();
 * ChangeRecord record = TestData.record("CHG0001").systems("payments").build();
 * Finding finding = TestData.finding(event).verdict(Verdict.UNAUTHORIZED).build();
 * }</pre>
 *
 * <p>Defaults describe one CloudTrail {@code CreateUser} call in account {@code 111122223333} at
 * {@link #T0}, and one approved normal change for system {@link #SYSTEM} whose window contains it.
 */
public final class TestData {

  /** The default time of events: 2026-10-01T12:00:00Z. */
  public static final Instant T0 = Instant.parse("2026-10-01T12:00:00Z");

  /** The UTC day of {@link #T0}, 2026-10-01, as a window. */
  public static final TimeWindow DAY =
      new TimeWindow(Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-10-02T00:00:00Z"));

  /** The default change source name. */
  public static final String SOURCE = "aws-prod";

  /** The default change source type. */
  public static final String SOURCE_TYPE = "cloudtrail";

  /** The default logical system. */
  public static final String SYSTEM = "payments";

  /** The default record source name. */
  public static final String RECORD_SOURCE = "changelog";

  /** 64 hex digits, for hash parameters that a test does not look at. */
  public static final String SHA256 = "0".repeat(64);

  private TestData() {}

  /** A change event with the given native id. */
  public static EventBuilder event(String nativeId) {
    return new EventBuilder(nativeId);
  }

  /** A change record with the given key. */
  public static RecordBuilder record(String key) {
    return new RecordBuilder(key);
  }

  /** A finding for an event, copying its key, source, time, actor and action. */
  public static FindingBuilder finding(ChangeEvent event) {
    return new FindingBuilder(event.key())
        .source(event.source())
        .occurredAt(event.occurredAt())
        .actor(event.actor().raw())
        .person(event.actor().person())
        .action(event.action());
  }

  /** A finding for an event key such as {@code cloudtrail:e-1}. */
  public static FindingBuilder finding(String eventKey) {
    return new FindingBuilder(eventKey);
  }

  /** The summary of a finished run. */
  public static RunSummaryBuilder runSummary(long runId, TimeWindow window) {
    return new RunSummaryBuilder(runId, window);
  }

  /** A window from one ISO-8601 instant to another. */
  public static TimeWindow window(String start, String end) {
    return new TimeWindow(Instant.parse(start), Instant.parse(end));
  }

  /** Builds a {@link ChangeEvent}. */
  public static final class EventBuilder {
    private String source = SOURCE;
    private String sourceType = SOURCE_TYPE;
    private final String nativeId;
    private Instant occurredAt = T0;
    private EventClass eventClass = EventClass.CHANGE;
    private boolean mutating = true;
    private Coordinates coordinates = new Coordinates("aws", "111122223333", "eu-west-1");
    private Actor actor =
        new Actor(
            "arn:aws:sts::111122223333:assumed-role/Admin/alice",
            "AssumedRole",
            List.of("alice"),
            null);
    private String action = "iam.amazonaws.com:CreateUser";
    private List<String> targets = List.of("arn:aws:iam::111122223333:user/bob");
    private List<String> referenceHints = List.of();
    private final Map<String, String> attributes = new TreeMap<>();
    private @Nullable String rawJson;

    private EventBuilder(String nativeId) {
      this.nativeId = nativeId;
      attributes.put("aws.eventSource", "iam.amazonaws.com");
    }

    public EventBuilder source(String value) {
      source = value;
      return this;
    }

    public EventBuilder sourceType(String value) {
      sourceType = value;
      return this;
    }

    public EventBuilder at(Instant value) {
      occurredAt = value;
      return this;
    }

    public EventBuilder at(String isoInstant) {
      return at(Instant.parse(isoInstant));
    }

    public EventBuilder eventClass(EventClass value) {
      eventClass = value;
      if (value == EventClass.READ_ONLY || value == EventClass.FAILED) {
        mutating = false;
      }
      return this;
    }

    public EventBuilder mutating(boolean value) {
      mutating = value;
      return this;
    }

    public EventBuilder coordinates(String platform, String scope, @Nullable String subScope) {
      coordinates = new Coordinates(platform, scope, subScope);
      return this;
    }

    public EventBuilder actor(Actor value) {
      actor = value;
      return this;
    }

    /** An actor known by its raw principal, with the given aliases. */
    public EventBuilder actor(String raw, String... aliases) {
      actor = new Actor(raw, actor.type(), List.of(aliases), null);
      return this;
    }

    /** The person the actor resolved to. */
    public EventBuilder person(@Nullable String person) {
      actor = actor.withPerson(person);
      return this;
    }

    public EventBuilder action(String value) {
      action = value;
      return this;
    }

    public EventBuilder targets(String... values) {
      targets = List.of(values);
      return this;
    }

    public EventBuilder referenceHints(String... values) {
      referenceHints = List.of(values);
      return this;
    }

    public EventBuilder attribute(String key, String value) {
      attributes.put(key, value);
      return this;
    }

    /** The raw payload; by default a small CloudTrail-like record naming the id, time and call. */
    public EventBuilder rawJson(String value) {
      rawJson = value;
      return this;
    }

    public ChangeEvent build() {
      String raw = rawJson;
      if (raw == null) {
        String name = action.substring(action.indexOf(':') + 1);
        raw =
            "{\"eventID\":\""
                + nativeId
                + "\",\"eventTime\":\""
                + occurredAt
                + "\",\"eventName\":\""
                + name
                + "\"}";
      }
      return new ChangeEvent(
          source,
          sourceType,
          nativeId,
          occurredAt,
          eventClass,
          mutating,
          coordinates,
          actor,
          action,
          targets,
          referenceHints,
          attributes,
          raw);
    }
  }

  /** Builds a {@link ChangeRecord}. */
  public static final class RecordBuilder {
    private final String key;
    private String source = RECORD_SOURCE;
    private String title = "Create service user";
    private ChangeType type = ChangeType.NORMAL;
    private RecordState state = RecordState.APPROVED;
    private Set<String> systems = Set.of(SYSTEM);
    private TimeWindow window =
        new TimeWindow(T0.minus(Duration.ofHours(2)), T0.plus(Duration.ofHours(2)));
    private List<String> implementers = List.of("alice");
    private List<Approval> approvals =
        List.of(new Approval("carol", true, T0.minus(Duration.ofDays(1))));
    private @Nullable String requestedBy = "alice";
    private @Nullable String risk = "low";
    private @Nullable String backoutPlan = "Delete the user.";
    private @Nullable String testEvidence = "Tested in staging.";
    private @Nullable String url;
    private @Nullable Instant updatedAt = T0.minus(Duration.ofDays(1));
    private String location = "changes.csv:2";

    private RecordBuilder(String key) {
      this.key = key;
    }

    public RecordBuilder source(String value) {
      source = value;
      return this;
    }

    public RecordBuilder title(String value) {
      title = value;
      return this;
    }

    public RecordBuilder type(ChangeType value) {
      type = value;
      return this;
    }

    public RecordBuilder state(RecordState value) {
      state = value;
      return this;
    }

    /** The systems, kept in the order given (the record itself holds them as a set). */
    public RecordBuilder systems(String... values) {
      systems = new LinkedHashSet<>(Arrays.asList(values));
      return this;
    }

    public RecordBuilder window(TimeWindow value) {
      window = value;
      return this;
    }

    public RecordBuilder window(String startIso, String endIso) {
      return window(TestData.window(startIso, endIso));
    }

    public RecordBuilder implementers(String... values) {
      implementers = List.of(values);
      return this;
    }

    /** Replaces the approvals. */
    public RecordBuilder approvals(Approval... values) {
      approvals = List.of(values);
      return this;
    }

    /** Adds a positive approval. */
    public RecordBuilder approvedBy(String approver, @Nullable Instant at) {
      List<Approval> more = new ArrayList<>(approvals);
      more.add(new Approval(approver, true, at));
      approvals = more;
      return this;
    }

    /** Removes every approval. */
    public RecordBuilder unapproved() {
      approvals = List.of();
      return this;
    }

    public RecordBuilder requestedBy(@Nullable String value) {
      requestedBy = value;
      return this;
    }

    public RecordBuilder risk(@Nullable String value) {
      risk = value;
      return this;
    }

    public RecordBuilder backoutPlan(@Nullable String value) {
      backoutPlan = value;
      return this;
    }

    public RecordBuilder testEvidence(@Nullable String value) {
      testEvidence = value;
      return this;
    }

    public RecordBuilder url(@Nullable String value) {
      url = value;
      return this;
    }

    public RecordBuilder updatedAt(@Nullable Instant value) {
      updatedAt = value;
      return this;
    }

    public RecordBuilder location(String value) {
      location = value;
      return this;
    }

    public ChangeRecord build() {
      return new ChangeRecord(
          key,
          source,
          title,
          type,
          state,
          systems,
          window,
          implementers,
          approvals,
          requestedBy,
          risk,
          backoutPlan,
          testEvidence,
          url,
          updatedAt,
          location);
    }
  }

  /** Builds a {@link Finding}. */
  public static final class FindingBuilder {
    private final String eventKey;
    private String source = SOURCE;
    private @Nullable String system = SYSTEM;
    private Instant occurredAt = T0;
    private String actor = "arn:aws:sts::111122223333:assumed-role/Admin/alice";
    private @Nullable String person;
    private String action = "iam.amazonaws.com:CreateUser";
    private Verdict verdict = Verdict.UNAUTHORIZED;
    private @Nullable String recordId;
    private @Nullable String ruleId;
    private List<String> risks = List.of();
    private @Nullable String summary;
    private List<CandidateEvaluation> candidates = List.of();
    private List<String> evidence = List.of();

    private FindingBuilder(String eventKey) {
      this.eventKey = eventKey;
    }

    public FindingBuilder source(String value) {
      source = value;
      return this;
    }

    public FindingBuilder system(@Nullable String value) {
      system = value;
      return this;
    }

    public FindingBuilder occurredAt(Instant value) {
      occurredAt = value;
      return this;
    }

    public FindingBuilder actor(String value) {
      actor = value;
      return this;
    }

    public FindingBuilder person(@Nullable String value) {
      person = value;
      return this;
    }

    public FindingBuilder action(String value) {
      action = value;
      return this;
    }

    public FindingBuilder verdict(Verdict value) {
      verdict = value;
      return this;
    }

    public FindingBuilder recordId(@Nullable String value) {
      recordId = value;
      return this;
    }

    public FindingBuilder ruleId(@Nullable String value) {
      ruleId = value;
      return this;
    }

    public FindingBuilder risks(String... values) {
      risks = List.of(values);
      return this;
    }

    /** The one-sentence reason; by default derived from the verdict. */
    public FindingBuilder summary(String value) {
      summary = value;
      return this;
    }

    public FindingBuilder candidates(CandidateEvaluation... values) {
      candidates = List.of(values);
      return this;
    }

    public FindingBuilder evidence(String... values) {
      evidence = List.of(values);
      return this;
    }

    public Finding build() {
      String why = summary;
      if (why == null) {
        why =
            recordId == null
                ? "Verdict " + verdict + ": no record considered."
                : "Verdict " + verdict + " against record " + recordId + ".";
      }
      return new Finding(
          eventKey,
          source,
          system,
          occurredAt,
          actor,
          person,
          action,
          verdict,
          recordId,
          ruleId,
          risks,
          why,
          candidates,
          evidence,
          List.of());
    }
  }

  /** Builds a {@link RunSummary} of a finished run. */
  public static final class RunSummaryBuilder {
    private final long runId;
    private final TimeWindow window;
    private Instant startedAt;
    private Instant finishedAt;
    private RunStatus status = RunStatus.COMPLETE;
    private final List<SourceOutcome> sources = new ArrayList<>();
    private final Map<Verdict, Long> verdicts = new EnumMap<>(Verdict.class);
    private final Map<EventClass, Long> population = new EnumMap<>(EventClass.class);
    private long newEvents;
    private long rejectedInputs;
    private final List<InputProblem> problems = new ArrayList<>();
    private String configSha256 = SHA256;
    private String rulesSha256 = SHA256;
    private String resultSha256 = SHA256;
    private final List<CoverageGap> gaps = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<LocalDate, Long> lateEvents = new TreeMap<>();

    private RunSummaryBuilder(long runId, TimeWindow window) {
      this.runId = runId;
      this.window = window;
      this.startedAt = window.end();
      this.finishedAt = window.end().plus(Duration.ofMinutes(1));
      for (Verdict verdict : Verdict.values()) {
        verdicts.put(verdict, 0L);
      }
    }

    public RunSummaryBuilder startedAt(Instant value) {
      startedAt = value;
      return this;
    }

    public RunSummaryBuilder finishedAt(Instant value) {
      finishedAt = value;
      return this;
    }

    public RunSummaryBuilder status(RunStatus value) {
      status = value;
      return this;
    }

    /** Adds a change source that was read completely. */
    public RunSummaryBuilder changeSource(String name, String type, long read) {
      return source(
          new SourceOutcome(
              name,
              type,
              SourceOutcome.Kind.CHANGES,
              SourceOutcome.Coverage.COMPLETE,
              read,
              0,
              read + " observations read",
              null));
    }

    public RunSummaryBuilder source(SourceOutcome outcome) {
      sources.add(outcome);
      return this;
    }

    public RunSummaryBuilder verdict(Verdict verdict, long count) {
      verdicts.put(verdict, count);
      return this;
    }

    public RunSummaryBuilder population(EventClass eventClass, long count) {
      population.put(eventClass, count);
      return this;
    }

    public RunSummaryBuilder newEvents(long value) {
      newEvents = value;
      return this;
    }

    /** Adds a rejected input and counts it. */
    public RunSummaryBuilder problem(String location, String message) {
      problems.add(new InputProblem(location, message));
      rejectedInputs++;
      return this;
    }

    public RunSummaryBuilder rejectedInputs(long value) {
      rejectedInputs = value;
      return this;
    }

    public RunSummaryBuilder configSha256(String value) {
      configSha256 = value;
      return this;
    }

    public RunSummaryBuilder rulesSha256(String value) {
      rulesSha256 = value;
      return this;
    }

    public RunSummaryBuilder resultSha256(String value) {
      resultSha256 = value;
      return this;
    }

    public RunSummaryBuilder gap(String partition, LocalDate day, String reason) {
      gaps.add(new CoverageGap(partition, day, reason));
      return this;
    }

    public RunSummaryBuilder note(String value) {
      notes.add(value);
      return this;
    }

    public RunSummaryBuilder lateEvents(LocalDate day, long count) {
      lateEvents.put(day, count);
      return this;
    }

    public RunSummary build() {
      return new RunSummary(
          runId,
          window,
          startedAt,
          finishedAt,
          status,
          sources,
          verdicts,
          population,
          newEvents,
          rejectedInputs,
          problems,
          configSha256,
          rulesSha256,
          resultSha256,
          gaps,
          notes,
          lateEvents,
          null,
          RunSummary.UnresolvedActors.NONE);
    }
  }
}
