package dev.vouch.app;

import dev.vouch.core.config.VouchConfig;
import dev.vouch.core.model.Finding;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.store.FindingQuery;
import dev.vouch.core.store.Store;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
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
      description =
          "List the latest finding of every stored change, newest first, optionally filtered.",
      mixinStandardHelpOptions = true)
  static final class ListFindings implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ConfigOption config = new ConfigOption();

    @Option(
        names = "--verdict",
        paramLabel = "VERDICT",
        description = "Only this verdict: ${COMPLETION-CANDIDATES}.")
    Verdict verdict;

    @Option(names = "--system", paramLabel = "NAME", description = "Only this system.")
    String system;

    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "100",
        description = "At most this many (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      // Only the store is read: the sources are not built, so their credentials are not needed.
      Optional<VouchConfig> loaded = config.loadConfig(spec.commandLine().getErr());
      if (loaded.isEmpty()) {
        return ExitCodes.CONFIG;
      }
      try (Store store = Workspace.openStore(loaded.get())) {
        List<Finding> findings = store.latestFindings(new FindingQuery(verdict, system, limit));
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
        out.printf("%d finding(s)%n", findings.size());
        return ExitCodes.OK;
      }
    }

    private static String truncate(String text, int width) {
      return text.length() <= width ? text : text.substring(0, width - 1) + "…";
    }
  }
}
