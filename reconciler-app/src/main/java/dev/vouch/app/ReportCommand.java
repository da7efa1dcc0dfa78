package dev.vouch.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.core.catalog.SystemDefinition;
import dev.vouch.core.config.VouchConfig;
import dev.vouch.core.json.Json;
import dev.vouch.core.model.Approval;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.ChangeRecord;
import dev.vouch.core.model.Finding;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.run.RunStatus;
import dev.vouch.core.run.RunSummary;
import dev.vouch.core.run.SourceOutcome;
import dev.vouch.core.store.FindingQuery;
import dev.vouch.core.store.PartitionDay;
import dev.vouch.core.store.PopulationCount;
import dev.vouch.core.store.Store;
import dev.vouch.core.store.TriageAction;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "report",
    description = {
      "Write the monthly audit pack of one UTC month from the store alone (no source is read):"
          + " pack.json (conclusion, warnings, coverage, population, every change with its"
          + " verdict and triage, exceptions by verdict, a reproducible sample with its"
          + " evidence), changes.csv, pack.html (the same, readable and printable, with charts), and manifest.json last, with the SHA-256 of every file,"
          + " of the configuration and of the rules. Check it later with verify-pack.",
      "",
      "Exit codes: 0 written; 64 usage error (a bad month or system, or no run of that month in"
          + " the store); 74 the store or the pack directory cannot be read or written; 78"
          + " configuration problems."
    },
    mixinStandardHelpOptions = true)
final class ReportCommand implements Callable<Integer> {
  static final List<String> CSV_COLUMNS =
      List.of(
          "time",
          "system",
          "source",
          "actor",
          "action",
          "verdict",
          "record",
          "triage",
          "event_key");

  private final Clock clock;

  @Spec CommandSpec spec;

  @Mixin ConfigOption config = new ConfigOption();

  @Option(
      names = "--month",
      required = true,
      paramLabel = "YYYY-MM",
      description = "The UTC month to report on, such as 2026-10.")
  String month;

  @Option(
      names = "--system",
      paramLabel = "NAME",
      description = "Only the changes and population of this system, one of the configuration's.")
  String system;

  @Option(
      names = "--sample",
      paramLabel = "N",
      defaultValue = "25",
      description = "How many changes the sample draws (default ${DEFAULT-VALUE}; 0 for none).")
  int sampleSize;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "1",
      description =
          "The sample's seed (default ${DEFAULT-VALUE}): the same seed, month and store give the"
              + " same sample.")
  long seed;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Where to write the pack (default vouch-out/pack-<month>).")
  Path out;

  ReportCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    YearMonth period;
    try {
      period = YearMonth.parse(month);
    } catch (DateTimeParseException e) {
      err.println("error: --month '" + month + "' is not a month such as 2026-10 (YYYY-MM)");
      return ExitCodes.USAGE;
    }
    if (sampleSize < 0) {
      err.println("error: --sample must be 0 or more, was " + sampleSize);
      return ExitCodes.USAGE;
    }
    Optional<VouchConfig> loaded = config.loadConfig(err);
    if (loaded.isEmpty()) {
      return ExitCodes.CONFIG;
    }
    VouchConfig configuration = loaded.get();
    List<String> systems =
        configuration.catalog().systems().stream().map(SystemDefinition::name).sorted().toList();
    if (system != null && !configuration.catalog().isKnown(system)) {
      err.println(
          "error: --system '"
              + system
              + "' is not a system of "
              + config.file
              + "; its systems are: "
              + String.join(", ", systems));
      return ExitCodes.USAGE;
    }
    Path dir = out != null ? out : Path.of("vouch-out", "pack-" + period);
    try (Store store = Workspace.openStore(configuration)) {
      List<RunSummary> runs = runsOf(store, period);
      if (runs.isEmpty()) {
        err.println(
            "error: no finished run of "
                + configuration.store().location()
                + " covers "
                + period
                + "; run vouch run --from "
                + period.atDay(1)
                + " --to "
                + period.plusMonths(1).atDay(1)
                + " first");
        return ExitCodes.USAGE;
      }
      Files.createDirectories(dir);
      // A directory without its manifest holds no complete pack: remove an old one first.
      Files.deleteIfExists(dir.resolve(PackManifest.FILE));
      Pack pack = build(store, configuration, period, runs, systems);
      Json.mapper()
          .writerWithDefaultPrettyPrinter()
          .writeValue(dir.resolve("pack.json").toFile(), pack.json());
      writeCsv(dir.resolve("changes.csv"), pack.changes(), pack.triage());
      Files.writeString(
          dir.resolve(PackPage.FILE), PackPage.render(pack.json()), StandardCharsets.UTF_8);
      ObjectNode manifest = Json.mapper().createObjectNode();
      manifest.put("format", "vouch-audit-pack/1");
      manifest.put("vouchVersion", VouchCli.version());
      manifest.put("month", period.toString());
      manifest.put("generatedAt", clock.instant().toString());
      ArrayNode runIds = manifest.putArray("runs");
      runs.forEach(r -> runIds.add(r.runId()));
      ObjectNode configHash = manifest.putObject("configuration");
      configHash.put("file", String.valueOf(configuration.file()));
      configHash.put("sha256", configuration.sha256());
      manifest.putObject("rules").put("sha256", configuration.rules().sha256());
      ObjectNode files = manifest.putObject("files");
      // The files this command wrote, named one by one: a stray file left in the directory must
      // show as ADDED in verify-pack, not be vouched for.
      PackManifest.hashes(dir, List.of("changes.csv", PackPage.FILE, "pack.json"))
          .forEach(files::put);
      Json.mapper()
          .writerWithDefaultPrettyPrinter()
          .writeValue(dir.resolve(PackManifest.FILE).toFile(), manifest);
      for (String warning : pack.warnings()) {
        stdout.println("WARNING: " + warning);
      }
      stdout.println(pack.conclusion());
      stdout.println("Pack written to " + dir + " (check it with vouch verify-pack " + dir + ")");
      return ExitCodes.OK;
    }
  }

  /** What a pack holds that its files are written from. */
  private record Pack(
      ObjectNode json,
      List<Finding> changes,
      Map<String, TriageAction> triage,
      List<String> warnings,
      String conclusion) {}

  /**
   * Every finished run, of any scope, whose window overlaps the month. Run ids are consecutive from
   * 1; the store names the latest finished review, and ids past it are read until one is missing.
   */
  static List<RunSummary> runsOf(Store store, YearMonth period) {
    Instant start = period.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant end = period.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    long last = store.lastRun().map(RunSummary::runId).orElse(0L);
    List<RunSummary> runs = new ArrayList<>();
    for (long id = 1; ; id++) {
      Optional<RunSummary> run = store.run(id);
      if (run.isEmpty()) {
        if (id > last) {
          break;
        }
        continue;
      }
      TimeWindow w = run.get().window();
      if (w.start().isBefore(end) && w.end().isAfter(start)) {
        runs.add(run.get());
      }
    }
    return runs;
  }

  private Pack build(
      Store store,
      VouchConfig configuration,
      YearMonth period,
      List<RunSummary> runs,
      List<String> allSystems) {
    Instant start = period.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant end = period.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    FindingQuery query = new FindingQuery(Set.of(), system, start, end, Integer.MAX_VALUE);
    List<Finding> changes = new ArrayList<>(store.latestFindings(query));
    changes.sort(Comparator.comparing(Finding::occurredAt).thenComparing(Finding::eventKey));
    Map<String, TriageAction> triage = store.currentTriage();
    Map<String, ChangeRecord> records = new HashMap<>();
    for (ChangeRecord record : store.currentRecords()) {
      records.putIfAbsent(record.key(), record);
    }

    ObjectNode root = Json.mapper().createObjectNode();
    ObjectNode periodNode = root.putObject("period");
    periodNode.put("month", period.toString());
    periodNode.put("start", start.toString());
    periodNode.put("end", end.toString());
    periodNode.put("timeZone", "UTC");
    ArrayNode scope = root.putArray("systems");
    (system != null ? List.of(system) : allSystems).forEach(scope::add);

    // Counts and the conclusion.
    long authorized = 0;
    long excluded = 0;
    long resolved = 0;
    Map<Verdict, List<Finding>> exceptions = new EnumMap<>(Verdict.class);
    for (Finding f : changes) {
      if (f.verdict().needsReview()) {
        exceptions.computeIfAbsent(f.verdict(), v -> new ArrayList<>()).add(f);
        if (triage.containsKey(f.eventKey())) {
          resolved++;
        }
      } else if (f.verdict() == Verdict.EXCLUDED) {
        excluded++;
      } else {
        authorized++;
      }
    }
    long exceptionCount = exceptions.values().stream().mapToLong(List::size).sum();
    String conclusion =
        changes.size()
            + " changes, "
            + authorized
            + " authorized or standard, "
            + (excluded > 0 ? excluded + " excluded by rule, " : "")
            + exceptionCount
            + " exceptions: "
            + resolved
            + " resolved, "
            + (exceptionCount - resolved)
            + " open";

    // Warnings: incomplete runs and partition-days without complete coverage.
    List<String> warnings = new ArrayList<>();
    for (RunSummary run : runs) {
      if (run.status() == RunStatus.INCOMPLETE || run.status() == RunStatus.INTERRUPTED) {
        warnings.add(
            "run "
                + run.runId()
                + " ("
                + run.window().start()
                + " to "
                + run.window().end()
                + ") is "
                + run.status()
                + ": what it did not read is not in this pack");
      }
    }
    ArrayNode coverage = Json.mapper().createArrayNode();
    long notComplete = coverage(store, period, runs, coverage);
    if (notComplete > 0) {
      warnings.add(
          notComplete
              + " partition-day(s) of "
              + period
              + " have no complete coverage (see coverage): a change made there may be missing");
    }
    // Warnings come first: a reader must not take the conclusion for more than the evidence holds.
    ArrayNode warningNodes = root.putArray("warnings");
    warnings.forEach(warningNodes::add);
    root.put(
        "conclusion",
        (warnings.isEmpty() ? "" : "Incomplete evidence (see warnings): ") + conclusion);
    ArrayNode runNodes = Json.mapper().createArrayNode();
    for (RunSummary run : runs) {
      ObjectNode r = runNodes.addObject();
      r.put("id", run.runId());
      r.put("status", run.status().name());
      r.put("from", run.window().start().toString());
      r.put("to", run.window().end().toString());
      r.put("resultSha256", run.resultSha256());
      r.put("chainSha256", run.chainSha256());
    }
    ObjectNode counts = root.putObject("counts");
    root.set("runs", runNodes);
    root.set("coverage", coverage);
    counts.put("changes", changes.size());
    counts.put("authorizedOrStandard", authorized);
    counts.put("excluded", excluded);
    counts.put("exceptions", exceptionCount);
    counts.put("resolved", resolved);
    counts.put("open", exceptionCount - resolved);

    population(store, new TimeWindow(start, end), root.putObject("population"));

    ArrayNode reconciliation = root.putArray("reconciliation");
    for (Finding f : changes) {
      ObjectNode c = reconciliation.addObject();
      change(c, f, records.get(f.recordId() == null ? "" : f.recordId()));
      c.put("triage", triageStatus(f, triage));
    }

    ObjectNode grouped = root.putObject("exceptions");
    for (Map.Entry<Verdict, List<Finding>> group : exceptions.entrySet()) {
      ArrayNode list = grouped.putArray(group.getKey().name());
      for (Finding f : group.getValue()) {
        ObjectNode e = list.addObject();
        change(e, f, records.get(f.recordId() == null ? "" : f.recordId()));
        e.put("reason", f.summary());
        ArrayNode evidence = e.putArray("evidence");
        f.evidence().forEach(evidence::add);
        e.put("triage", triageStatus(f, triage));
        ArrayNode history = e.putArray("triageHistory");
        for (TriageAction action : store.triageHistory(f.eventKey())) {
          ObjectNode a = history.addObject();
          a.put("at", action.actedAt().toString());
          a.put("decision", action.decision().label());
          a.put("by", action.by());
          a.put("reason", action.reason());
          a.put("record", action.recordKey());
          a.put("ticket", action.ticket());
        }
      }
    }

    ObjectNode sample = root.putObject("sample");
    PackSample drawn =
        PackSample.draw(seed, period, sampleSize, changes.stream().map(Finding::eventKey).toList());
    sample.put("seed", seed);
    sample.put("size", sampleSize);
    sample.put("population", changes.size());
    sample.put("algorithm", PackSample.algorithm());
    ArrayNode items = sample.putArray("changes");
    Map<String, Finding> byKey = new HashMap<>();
    changes.forEach(f -> byKey.put(f.eventKey(), f));
    for (String key : drawn.keys()) {
      Finding f = byKey.get(key);
      ChangeRecord record = records.get(f.recordId() == null ? "" : f.recordId());
      ObjectNode item = items.addObject();
      change(item, f, record);
      item.put("triage", triageStatus(f, triage));
      item.put("reason", f.summary());
      Optional<ChangeEvent> event = store.event(key);
      if (event.isPresent()) {
        item.set("event", event(event.get()));
      } else {
        item.putNull("event");
        item.put("eventNote", "no event is stored under this key (input that could not be used)");
      }
      if (record != null) {
        item.set("matchedRecord", Json.mapper().valueToTree(record));
        item.put(
            "matchedRecordVersions", store.recordHistory(record.source(), record.key()).size());
      } else {
        item.putNull("matchedRecord");
      }
    }
    return new Pack(root, List.copyOf(changes), triage, List.copyOf(warnings), conclusion);
  }

  private static ObjectNode event(ChangeEvent e) {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("key", e.key());
    node.put("source", e.source());
    node.put("sourceType", e.sourceType());
    node.put("nativeId", e.nativeId());
    node.put("occurredAt", e.occurredAt().toString());
    node.put("class", e.eventClass().name());
    node.set("coordinates", Json.mapper().valueToTree(e.coordinates()));
    node.put("actor", e.actor().raw());
    node.put("person", e.actor().person());
    node.put("action", e.action());
    ArrayNode targets = node.putArray("targets");
    e.targets().forEach(targets::add);
    node.put("rawSha256", e.rawSha256());
    node.put("raw", e.rawJson());
    return node;
  }

  private static void change(ObjectNode c, Finding f, @Nullable ChangeRecord record) {
    c.put("eventKey", f.eventKey());
    c.put("occurredAt", f.occurredAt() == null ? null : f.occurredAt().toString());
    c.put("system", f.system());
    c.put("source", f.source());
    c.put("actor", f.actor());
    c.put("person", f.person());
    c.put("action", f.action());
    c.put("verdict", f.verdict().name());
    c.put("record", f.recordId());
    c.put("rule", f.ruleId());
    Approval approval = null;
    if (record != null) {
      approval =
          record.approvals().stream()
              .filter(Approval::approved)
              .max(Comparator.comparing(a -> a.at() == null ? Instant.MIN : a.at()))
              .orElse(null);
    }
    c.put("approver", approval == null ? null : approval.approver());
    c.put(
        "approvedAt", approval == null || approval.at() == null ? null : approval.at().toString());
  }

  private static String triageStatus(Finding f, Map<String, TriageAction> triage) {
    TriageAction action = triage.get(f.eventKey());
    if (action != null) {
      return action.decision().label();
    }
    return f.verdict().needsReview() ? "open" : "";
  }

  /**
   * One entry per source partition and day of the month: complete, partial, failed, gap or not run.
   * Returns how many are not complete.
   */
  private static long coverage(
      Store store, YearMonth period, List<RunSummary> runs, ArrayNode target) {
    LocalDate first = period.atDay(1);
    LocalDate last = period.atEndOfMonth();
    Map<String, Map<LocalDate, PartitionDay>> byPartition = new TreeMap<>();
    for (PartitionDay day : store.coverage(first, last)) {
      byPartition
          .computeIfAbsent(day.source() + "\u0000" + day.partition(), k -> new TreeMap<>())
          .put(day.day(), day);
    }
    long notComplete = 0;
    for (Map.Entry<String, Map<LocalDate, PartitionDay>> partition : byPartition.entrySet()) {
      String[] parts = partition.getKey().split("\u0000", 2);
      for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
        String status = status(parts[0], day, partition.getValue().get(day), runs);
        if (!status.equals("complete")) {
          notComplete++;
        }
        ObjectNode node = target.addObject();
        node.put("source", parts[0]);
        node.put("partition", parts[1]);
        node.put("day", day.toString());
        PartitionDay row = partition.getValue().get(day);
        node.put("observations", row == null ? 0 : row.observations());
        node.put("status", status);
      }
    }
    return notComplete;
  }

  private static String status(
      String source, LocalDate day, @Nullable PartitionDay row, List<RunSummary> runs) {
    Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant dayEnd = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    Set<SourceOutcome.Coverage> outcomes = new LinkedHashSet<>();
    for (RunSummary run : runs) {
      if (run.window().start().isBefore(dayEnd) && run.window().end().isAfter(dayStart)) {
        run.sources().stream()
            .filter(s -> s.name().equals(source))
            .forEach(s -> outcomes.add(s.coverage()));
      }
    }
    if (row != null && row.provenComplete()) {
      return "complete";
    }
    if (outcomes.isEmpty()) {
      return row == null ? "not run" : "partial";
    }
    if (outcomes.contains(SourceOutcome.Coverage.FAILED)) {
      return "failed";
    }
    if (row == null || row.observations() == 0) {
      return "gap";
    }
    return outcomes.contains(SourceOutcome.Coverage.PARTIAL) ? "partial" : "complete";
  }

  private void population(Store store, TimeWindow window, ObjectNode target) {
    Map<String, Map<String, Long>> counts = new TreeMap<>();
    for (PopulationCount count : store.population(window)) {
      String name = count.system() == null ? "(no system)" : count.system();
      if (system != null && !system.equals(name)) {
        continue;
      }
      counts
          .computeIfAbsent(name, k -> new TreeMap<>())
          .merge(count.eventClass().name(), count.count(), Long::sum);
    }
    counts.forEach(
        (name, classes) -> {
          ObjectNode node = target.putObject(name);
          classes.forEach(node::put);
        });
  }

  private static void writeCsv(Path file, List<Finding> changes, Map<String, TriageAction> triage)
      throws IOException {
    try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        CSVPrinter rows =
            CSVFormat.DEFAULT
                .builder()
                .setHeader(CSV_COLUMNS.toArray(String[]::new))
                .get()
                .print(writer)) {
      for (Finding f : changes) {
        List<String> row = new ArrayList<>();
        row.add(f.occurredAt() == null ? "" : f.occurredAt().toString());
        row.add(f.system() == null ? "" : f.system());
        row.add(f.source());
        row.add(f.actor() == null ? "" : f.actor());
        row.add(f.action() == null ? "" : f.action());
        row.add(f.verdict().name());
        row.add(f.recordId() == null ? "" : f.recordId());
        row.add(triageStatus(f, triage));
        row.add(f.eventKey());
        rows.printRecord(row.stream().map(CsvCells::text).toList());
      }
    }
  }
}
