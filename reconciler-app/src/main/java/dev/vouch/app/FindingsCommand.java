package dev.vouch.app;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.vouch.core.catalog.SystemDefinition;
import dev.vouch.core.config.VouchConfig;
import dev.vouch.core.model.Finding;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.store.FindingQuery;
import dev.vouch.core.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "findings",
    description = "Read findings from the store.",
    mixinStandardHelpOptions = true,
    subcommands = {FindingsCommand.ListFindings.class})
final class FindingsCommand {

  @Command(
      name = "list",
      description = {
        "List the latest finding of every stored change, newest first, optionally filtered.",
        "",
        "Exit codes: 0 listed (whatever the verdicts); 64 usage error (an unknown system, --since"
            + " not before --until); 74 the store cannot be read; 78 configuration problems."
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
      FindingQuery query = query();
      try (Store store = Workspace.openStore(configuration)) {
        List<Finding> findings = store.latestFindings(query);
        // Only a full page can have been cut by the limit; count only then.
        long matched = findings.size() < limit ? findings.size() : store.countLatestFindings(query);
        if (json) {
          printJson(findings, out);
          if (matched > findings.size()) {
            // On stderr, so that stdout stays one JSON document.
            err.printf(
                "%d of %d finding(s); raise --limit to list more%n", findings.size(), matched);
          }
        } else {
          printTable(findings, out);
          out.println(
              matched > findings.size()
                  ? findings.size() + " of " + matched + " finding(s); raise --limit to list more"
                  : findings.size() + " finding(s)");
        }
        return ExitCodes.OK;
      }
    }

    private FindingQuery query() {
      Set<Verdict> only =
          verdicts.isEmpty() ? EnumSet.noneOf(Verdict.class) : EnumSet.copyOf(verdicts);
      if (needsReview) {
        Arrays.stream(Verdict.values()).filter(Verdict::needsReview).forEach(only::add);
      }
      FindingQuery query = FindingQuery.newest(limit).withVerdicts(only);
      if (system != null) {
        query = query.withSystem(system);
      }
      if (since != null) {
        query = query.withSince(since);
      }
      if (until != null) {
        query = query.withUntil(until);
      }
      return query;
    }

    private static void printTable(List<Finding> findings, PrintWriter out) {
      out.printf(
          "%-20s %-22s %-16s %-24s %-14s %s%n",
          "occurredAt", "verdict", "system", "who", "record", "action");
      for (Finding finding : findings) {
        out.printf(
            "%-20s %-22s %-16s %-24s %-14s %s%n",
            finding.occurredAt(),
            finding.verdict(),
            finding.system() == null ? "(unknown)" : finding.system(),
            truncate(finding.person() == null ? finding.actor() : finding.person(), 24),
            finding.recordId() == null
                ? (finding.ruleId() == null ? "-" : finding.ruleId())
                : finding.recordId(),
            finding.action());
      }
    }

    private static void printJson(List<Finding> findings, PrintWriter out) throws IOException {
      try (JsonGenerator generator = ReportWriter.jsonGenerator(out)) {
        generator.writeStartArray();
        for (Finding finding : findings) {
          ReportWriter.writeJson(generator, finding);
        }
        generator.writeEndArray();
      }
      out.println();
    }

    private static String truncate(String text, int width) {
      return text.length() <= width ? text : text.substring(0, width - 1) + "…";
    }
  }
}
