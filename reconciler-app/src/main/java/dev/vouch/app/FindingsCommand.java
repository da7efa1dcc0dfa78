package dev.vouch.app;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.vouch.core.catalog.SystemDefinition;
import dev.vouch.core.config.VouchConfig;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.ChangeRecord;
import dev.vouch.core.model.Finding;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.run.RunStatus;
import dev.vouch.core.spi.SettingsNode;
import dev.vouch.core.store.FindingQuery;
import dev.vouch.core.store.RunFinding;
import dev.vouch.core.store.Store;
import dev.vouch.core.store.TriageAction;
import dev.vouch.core.store.TriageDecision;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

@Command(
    name = "findings",
    description = "Read findings from the store, and record how a person triaged them.",
    mixinStandardHelpOptions = true,
    subcommands = {
      FindingsCommand.ListFindings.class,
      FindingsCommand.ShowFinding.class,
      FindingsCommand.ResolveFinding.class
    })
final class FindingsCommand {

  @Command(
      name = "list",
      description = {
        "List the latest finding of every stored change, newest first, optionally filtered.",
        "",
        "Each row ends with the change's key, which findings show and findings resolve take; the"
            + " triage column says open, or the latest triage decision.",
        "",
        "Exit codes: 0 listed (whatever the verdicts); 64 usage error (an unknown system, --since"
            + " not before --until, --open with verdicts that need no review); 74 the store cannot"
            + " be read; 78 configuration problems."
      },
      mixinStandardHelpOptions = true)
  static final class ListFindings implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ConfigOption config = new ConfigOption();

    @Option(
        names = "--verdict",
        paramLabel = "VERDICT",
        split = ",",
        description =
            "Only these verdicts; repeat the option or separate them with commas:"
                + " ${COMPLETION-CANDIDATES}.")
    List<Verdict> verdicts = new ArrayList<>();

    @Option(
        names = "--needs-review",
        description =
            "Only the verdicts that need review (every verdict but AUTHORIZED, STANDARD_CHANGE"
                + " and EXCLUDED); with --verdict, those verdicts as well.")
    boolean needsReview;

    @Option(
        names = "--open",
        description =
            "Only findings that need review and have no triage action yet (see findings resolve);"
                + " with --verdict, only those of its verdicts that need review.")
    boolean open;

    @Option(
        names = "--system",
        paramLabel = "NAME",
        description = "Only this system, one of the configuration's systems.")
    String system;

    @Option(
        names = "--since",
        paramLabel = "TIME",
        converter = TimeArgument.class,
        description =
            "Only changes made at or after this time: an ISO-8601 time such as"
                + " 2026-11-16T00:00:00Z or 2026-11-16T01:00:00+01:00, or a date (2026-11-16,"
                + " midnight UTC).")
    Instant since;

    @Option(
        names = "--until",
        paramLabel = "TIME",
        converter = TimeArgument.class,
        description = "Only changes made before this time (exclusive), a time or a date.")
    Instant until;

    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "100",
        description =
            "At most this many (default ${DEFAULT-VALUE}); the table then says how many matched.")
    int limit;

    @Option(
        names = "--json",
        description =
            "Print a JSON array of findings shaped like the objects of findings.json instead of"
                + " the table.")
    boolean json;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (limit < 1) {
        err.println("error: --limit must be at least 1, was " + limit);
        return ExitCodes.USAGE;
      }
      if (since != null && until != null && !since.isBefore(until)) {
        err.println(
            "error: --since "
                + since
                + " is not before --until "
                + until
                + "; the listed changes are those made from --since up to, not including,"
                + " --until");
        return ExitCodes.USAGE;
      }
      // Only the store is read: the sources are not built, so their credentials are not needed.
      Optional<VouchConfig> loaded = config.loadConfig(err);
      if (loaded.isEmpty()) {
        return ExitCodes.CONFIG;
      }
      VouchConfig configuration = loaded.get();
      if (system != null && !configuration.catalog().isKnown(system)) {
        err.println(
            "error: --system '"
                + system
                + "' is not a system of "
                + config.file
                + "; its systems are: "
                + String.join(
                    ", ",
                    configuration.catalog().systems().stream()
                        .map(SystemDefinition::name)
                        .sorted()
                        .toList()));
        return ExitCodes.USAGE;
      }
      Optional<FindingQuery> built = query(err);
      if (built.isEmpty()) {
        return ExitCodes.USAGE;
      }
      FindingQuery query = built.get();
      try (Store store = Workspace.openStore(configuration)) {
        List<Finding> findings = store.latestFindings(query);
        Map<String, TriageAction> triage = store.currentTriage();
        // Only a full page can have been cut by the limit; count only then.
        long matched = findings.size() < limit ? findings.size() : store.countLatestFindings(query);
        if (json) {
          printJson(findings, triage, out);
          if (matched > findings.size()) {
            // On stderr, so that stdout stays one JSON document.
            err.printf(
                "%d of %d finding(s); raise --limit to list more%n", findings.size(), matched);
          }
        } else {
          printTable(findings, triage, out);
          out.println(
              matched > findings.size()
                  ? findings.size() + " of " + matched + " finding(s); raise --limit to list more"
                  : findings.size() + " finding(s)");
        }
        return ExitCodes.OK;
      }
    }

    private Optional<FindingQuery> query(PrintWriter err) {
      Set<Verdict> only =
          verdicts.isEmpty() ? EnumSet.noneOf(Verdict.class) : EnumSet.copyOf(verdicts);
      if (needsReview) {
        Arrays.stream(Verdict.values()).filter(Verdict::needsReview).forEach(only::add);
      }
      if (open) {
        // Open means: needs review and nobody has acted on it. Verdicts given narrow that down.
        if (only.isEmpty()) {
          Arrays.stream(Verdict.values()).filter(Verdict::needsReview).forEach(only::add);
        } else {
          only.removeIf(verdict -> !verdict.needsReview());
          if (only.isEmpty()) {
            err.println(
                "error: --open lists findings that need review, and none of the --verdict values "
                    + verdicts
                    + " needs review");
            return Optional.empty();
          }
        }
      }
      FindingQuery query = FindingQuery.newest(limit).withVerdicts(only);
      if (open) {
        query = query.withoutTriage();
      }
      if (system != null) {
        query = query.withSystem(system);
      }
      if (since != null) {
        query = query.withSince(since);
      }
      if (until != null) {
        query = query.withUntil(until);
      }
      return Optional.of(query);
    }

    private static void printTable(
        List<Finding> findings, Map<String, TriageAction> triage, PrintWriter out) {
      out.printf(
          "%-20s %-22s %-14s %-16s %-24s %-14s %-40s %s%n",
          "occurredAt", "verdict", "triage", "system", "who", "record", "action", "key");
      for (Finding finding : findings) {
        TriageAction current = triage.get(finding.eventKey());
        out.printf(
            "%-20s %-22s %-14s %-16s %-24s %-14s %-40s %s%n",
            finding.occurredAt(),
            finding.verdict(),
            current == null ? "open" : current.decision().label(),
            finding.system() == null ? "(unknown)" : finding.system(),
            truncate(finding.person() == null ? finding.actor() : finding.person(), 24),
            finding.recordId() == null
                ? (finding.ruleId() == null ? "-" : finding.ruleId())
                : finding.recordId(),
            finding.action(),
            finding.eventKey());
      }
    }

    private static void printJson(
        List<Finding> findings, Map<String, TriageAction> triage, PrintWriter out)
        throws IOException {
      try (JsonGenerator generator = ReportWriter.jsonGenerator(out)) {
        generator.writeStartArray();
        for (Finding finding : findings) {
          generator.writeStartObject();
          ReportWriter.writeFields(generator, finding);
          // Always present, null while open, so a consumer never confuses "open" with "unknown".
          TriageAction current = triage.get(finding.eventKey());
          if (current == null) {
            generator.writeNullField("triage");
          } else {
            generator.writeObjectFieldStart("triage");
            generator.writeStringField("decision", current.decision().label());
            generator.writeStringField("by", current.by());
            generator.writeStringField("at", current.actedAt().toString());
            generator.writeEndObject();
          }
          generator.writeEndObject();
        }
        generator.writeEndArray();
      }
      out.println();
    }

    private static String truncate(String text, int width) {
      return text.length() <= width ? text : text.substring(0, width - 1) + "…";
    }
  }

  /** The change's key as given, or an explanation when nothing is stored under it. */
  private static boolean known(Store store, String key, List<RunFinding> history) {
    return !history.isEmpty() || store.event(key).isPresent();
  }

  private static void unknownKey(PrintWriter err, String key) {
    err.println(
        "error: no change or finding is stored under the key '"
            + key
            + "'; findings list shows each change's key in its last column (eventKey with"
            + " --json)");
  }

  /** The latest finding of a finished run: what the change's review status rests on. */
  private static Optional<RunFinding> latestFinished(List<RunFinding> history) {
    for (int i = history.size() - 1; i >= 0; i--) {
      if (history.get(i).runStatus() != RunStatus.RUNNING) {
        return Optional.of(history.get(i));
      }
    }
    return Optional.empty();
  }

  /** Reads a decision as written on the command line: {@code retro-approved} and the like. */
  static final class DecisionConverter implements ITypeConverter<TriageDecision> {
    @Override
    public TriageDecision convert(String value) {
      return TriageDecision.fromLabel(value)
          .orElseThrow(
              () ->
                  new TypeConversionException(
                      "'"
                          + value
                          + "' is not a decision; expected one of "
                          + String.join(
                              ", ",
                              Arrays.stream(TriageDecision.values())
                                  .map(TriageDecision::label)
                                  .toList())));
    }
  }

  @Command(
      name = "resolve",
      description = {
        "Record how a person triaged a change whose latest finding needs review. The action is"
            + " appended to the store, never edited: a later resolve on the same change becomes"
            + " its current status, and both stay in its history (findings show).",
        "",
        "Exit codes: 0 recorded; 64 usage error (an unknown key, a finding that needs no review,"
            + " a person not in identities, a record the store does not hold, an option that does"
            + " not go with the decision); 74 the store cannot be read or written; 78"
            + " configuration problems."
      },
      mixinStandardHelpOptions = true)
  static final class ResolveFinding implements Callable<Integer> {
    private final Clock clock;

    @Spec CommandSpec spec;

    @Mixin ConfigOption config = new ConfigOption();

    @Parameters(
        index = "0",
        paramLabel = "ID",
        description = "The change's key, as findings list shows it (eventKey in --json).")
    String id;

    @Option(
        names = "--as",
        required = true,
        paramLabel = "DECISION",
        converter = DecisionConverter.class,
        description =
            "retro-approved (a change record approves it after the fact; needs --record),"
                + " false-positive, incident (--ticket optional) or accepted-risk.")
    TriageDecision decision;

    @Option(
        names = "--reason",
        required = true,
        paramLabel = "TEXT",
        description = "Why, in words an auditor can follow; must not be blank.")
    String reason;

    @Option(
        names = "--by",
        required = true,
        paramLabel = "PERSON",
        description = "Who decides: a person of the configuration's identities (or an alias).")
    String by;

    @Option(
        names = "--record",
        paramLabel = "KEY",
        description = "With retro-approved only: the key of a change record the store holds.")
    String record;

    @Option(
        names = "--ticket",
        paramLabel = "REF",
        description = "With incident only: the ticket that tracks the incident.")
    String ticket;

    ResolveFinding(Clock clock) {
      this.clock = clock;
    }

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Optional<String> optionProblem = optionProblem();
      if (optionProblem.isPresent()) {
        err.println("error: " + optionProblem.get());
        return ExitCodes.USAGE;
      }
      Optional<VouchConfig> loaded = config.loadConfig(err);
      if (loaded.isEmpty()) {
        return ExitCodes.CONFIG;
      }
      Optional<String> person = loaded.get().identities().person(by);
      if (person.isEmpty()) {
        err.println("error: " + unknownPerson(loaded.get().identities().people()));
        return ExitCodes.USAGE;
      }
      try (Store store = Workspace.openStore(loaded.get())) {
        List<RunFinding> history = store.findingHistory(id);
        if (!known(store, id, history)) {
          unknownKey(err, id);
          return ExitCodes.USAGE;
        }
        Optional<RunFinding> latest = latestFinished(history);
        if (latest.isEmpty()) {
          err.println(
              "error: "
                  + id
                  + " has no finding of a finished run yet; resolve it once its run has finished");
          return ExitCodes.USAGE;
        }
        Verdict verdict = latest.get().finding().verdict();
        if (!verdict.needsReview()) {
          err.println(
              "error: the latest finding on "
                  + id
                  + " (run "
                  + latest.get().runId()
                  + ") is "
                  + verdict
                  + ", which needs no review; only a finding that needs review can be resolved");
          return ExitCodes.USAGE;
        }
        if (record != null) {
          List<String> keys =
              store.currentRecords().stream().map(ChangeRecord::key).distinct().sorted().toList();
          if (!keys.contains(record)) {
            String nearest = SettingsNode.nearest(record, keys);
            err.println(
                "error: --record '"
                    + record
                    + "' names no change record the store holds"
                    + (nearest == null ? "" : "; did you mean " + nearest + "?"));
            return ExitCodes.USAGE;
          }
        }
        List<TriageAction> before = store.triageHistory(id);
        TriageAction stored;
        try {
          stored =
              store.appendTriage(
                  TriageAction.of(
                      id, decision, reason.strip(), person.get(), record, ticket, clock.instant()));
        } catch (IllegalArgumentException e) {
          err.println("error: " + e.getMessage());
          return ExitCodes.USAGE;
        }
        out.println(
            "Recorded triage action "
                + stored.id()
                + ": "
                + id
                + " ("
                + verdict
                + " in run "
                + latest.get().runId()
                + ") is "
                + stored.decision().label()
                + (stored.recordKey() == null ? "" : " by record " + stored.recordKey())
                + (stored.ticket() == null ? "" : ", ticket " + stored.ticket())
                + ", decided by "
                + stored.by()
                + " at "
                + stored.actedAt()
                + ".");
        if (!before.isEmpty()) {
          TriageAction previous = before.get(before.size() - 1);
          out.println(
              "It supersedes "
                  + previous.decision().label()
                  + " by "
                  + previous.by()
                  + " at "
                  + previous.actedAt()
                  + "; both stay in the change's history.");
        }
        return ExitCodes.OK;
      }
    }

    /** What is wrong with the options alone, before the configuration or store is read. */
    private Optional<String> optionProblem() {
      if (reason.isBlank()) {
        return Optional.of("--reason must say why, and was blank");
      }
      if (decision == TriageDecision.RETRO_APPROVED && record == null) {
        return Optional.of(
            "--as retro-approved needs --record KEY: the change record that approves the change"
                + " after the fact");
      }
      if (record != null && decision != TriageDecision.RETRO_APPROVED) {
        return Optional.of(
            "--record goes only with --as retro-approved, not with --as " + decision.label());
      }
      if (ticket != null && decision != TriageDecision.INCIDENT) {
        return Optional.of(
            "--ticket goes only with --as incident, not with --as " + decision.label());
      }
      if (ticket != null && ticket.isBlank()) {
        return Optional.of("--ticket was blank; leave it out when there is no ticket");
      }
      return Optional.empty();
    }

    private String unknownPerson(List<String> people) {
      String where = "a person of identities in " + config.file;
      if (people.isEmpty()) {
        return "--by '" + by + "' is not " + where + ", which lists nobody";
      }
      String nearest = SettingsNode.nearest(by, people);
      return "--by '"
          + by
          + "' is not "
          + where
          + (nearest != null
              ? "; did you mean " + nearest + "?"
              : "; its people are: " + String.join(", ", people));
    }
  }

  @Command(
      name = "show",
      description = {
        "Show everything about one change: the event as stored, its raw record's SHA-256, every"
            + " finding it got across runs and every triage action, oldest first.",
        "",
        "Exit codes: 0 shown; 64 usage error (no change or finding under the key); 74 the store"
            + " cannot be read; 78 configuration problems."
      },
      mixinStandardHelpOptions = true)
  static final class ShowFinding implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ConfigOption config = new ConfigOption();

    @Parameters(
        index = "0",
        paramLabel = "ID",
        description = "The change's key, as findings list shows it (eventKey in --json).")
    String id;

    @Option(names = "--raw", description = "Also print the raw record as the source delivered it.")
    boolean raw;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Optional<VouchConfig> loaded = config.loadConfig(err);
      if (loaded.isEmpty()) {
        return ExitCodes.CONFIG;
      }
      try (Store store = Workspace.openStore(loaded.get())) {
        List<RunFinding> findings = store.findingHistory(id);
        Optional<ChangeEvent> event = store.event(id);
        if (findings.isEmpty() && event.isEmpty()) {
          unknownKey(err, id);
          return ExitCodes.USAGE;
        }
        List<TriageAction> triage = store.triageHistory(id);
        // The system and person are decided when a change is matched: its latest finding has them.
        @Nullable Finding latest =
            findings.isEmpty() ? null : findings.get(findings.size() - 1).finding();
        if (json) {
          printJson(event.orElse(null), latest, findings, triage, out);
        } else {
          printText(event.orElse(null), latest, findings, triage, out);
        }
        return ExitCodes.OK;
      }
    }

    private static @Nullable String person(@Nullable ChangeEvent event, @Nullable Finding latest) {
      if (event != null && event.actor().person() != null) {
        return event.actor().person();
      }
      return latest == null ? null : latest.person();
    }

    private void printText(
        @Nullable ChangeEvent event,
        @Nullable Finding latest,
        List<RunFinding> findings,
        List<TriageAction> triage,
        PrintWriter out) {
      out.println("Change " + id);
      if (event == null) {
        out.println(
            "  (no change event is stored under this key: the finding is about input that could"
                + " not be used)");
      } else {
        out.println("  source:      " + event.source() + " (" + event.sourceType() + ")");
        out.println(
            "  system:      "
                + (latest == null || latest.system() == null ? "(none)" : latest.system()));
        out.println("  occurred:    " + event.occurredAt());
        out.println("  actor:       " + event.actor().raw());
        String person = person(event, latest);
        out.println("  person:      " + (person == null ? "(unresolved)" : person));
        out.println("  action:      " + event.action());
        out.println(
            "  resources:   "
                + (event.targets().isEmpty() ? "(none)" : String.join(", ", event.targets())));
        out.println("  raw SHA-256: " + ChangeEvent.sha256Hex(event.rawJson()));
      }
      out.println();
      out.println("Findings, oldest run first:");
      if (findings.isEmpty()) {
        out.println("  (none yet)");
      }
      for (RunFinding entry : findings) {
        Finding finding = entry.finding();
        out.printf(
            "  run %d (%s): %s, record %s%n    %s%n",
            entry.runId(),
            entry.runStatus(),
            finding.verdict(),
            finding.recordId() == null ? "-" : finding.recordId(),
            finding.summary());
      }
      out.println();
      out.println("Triage, oldest first:");
      if (triage.isEmpty()) {
        out.println("  (none)");
      }
      for (TriageAction action : triage) {
        out.printf(
            "  %s %s by %s%s%s%n    reason: %s%n",
            action.actedAt(),
            action.decision().label(),
            action.by(),
            action.recordKey() == null ? "" : ", record " + action.recordKey(),
            action.ticket() == null ? "" : ", ticket " + action.ticket(),
            action.reason());
      }
      out.println();
      out.println(
          "Status: "
              + (triage.isEmpty()
                  ? (latest != null && latest.verdict().needsReview() ? "open" : "no triage")
                  : triage.get(triage.size() - 1).decision().label()));
      if (raw && event != null) {
        out.println();
        out.println("Raw record:");
        out.println(event.rawJson());
      }
    }

    private void printJson(
        @Nullable ChangeEvent event,
        @Nullable Finding latest,
        List<RunFinding> findings,
        List<TriageAction> triage,
        PrintWriter out)
        throws IOException {
      try (JsonGenerator g = ReportWriter.jsonGenerator(out)) {
        g.writeStartObject();
        g.writeStringField("eventKey", id);
        if (event == null) {
          g.writeNullField("event");
        } else {
          g.writeObjectFieldStart("event");
          g.writeStringField("source", event.source());
          g.writeStringField("sourceType", event.sourceType());
          g.writeStringField("system", latest == null ? null : latest.system());
          g.writeStringField("occurredAt", event.occurredAt().toString());
          g.writeStringField("actor", event.actor().raw());
          g.writeStringField("person", person(event, latest));
          g.writeStringField("action", event.action());
          g.writeFieldName("resources");
          dev.vouch.core.json.Json.mapper().writeValue(g, event.targets());
          g.writeStringField("rawSha256", ChangeEvent.sha256Hex(event.rawJson()));
          if (raw) {
            g.writeStringField("raw", event.rawJson());
          }
          g.writeEndObject();
        }
        g.writeArrayFieldStart("findings");
        for (RunFinding entry : findings) {
          g.writeStartObject();
          g.writeNumberField("runId", entry.runId());
          g.writeStringField("runStatus", entry.runStatus().name());
          g.writeStringField("verdict", entry.finding().verdict().name());
          g.writeStringField("recordId", entry.finding().recordId());
          g.writeStringField("ruleId", entry.finding().ruleId());
          g.writeStringField("summary", entry.finding().summary());
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("triage");
        for (TriageAction action : triage) {
          g.writeStartObject();
          g.writeNumberField("id", action.id());
          g.writeStringField("decision", action.decision().label());
          g.writeStringField("by", action.by());
          g.writeStringField("at", action.actedAt().toString());
          g.writeStringField("reason", action.reason());
          g.writeStringField("record", action.recordKey());
          g.writeStringField("ticket", action.ticket());
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      out.println();
    }
  }
}
