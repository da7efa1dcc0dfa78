package dev.vouch.app;

import dev.vouch.core.config.VouchConfig;
import dev.vouch.core.store.Store;
import dev.vouch.core.store.Verification;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "verify",
    description = {
      "Recompute the hash of every piece of evidence in the store and every run's link in the"
          + " hash chain, and name each row or run that no longer matches what was recorded.",
      "",
      "Exit codes: 0 intact; 65 a mismatch (or the chain head differs from --expect-head);"
          + " 74 the store cannot be read; 78 configuration problems."
    },
    mixinStandardHelpOptions = true)
final class VerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOption config = new ConfigOption();

  @Option(
      names = "--expect-head",
      paramLabel = "SHA256",
      description =
          "The chain head printed by the last run you trust (kept outside the store). A store"
              + " whose recomputed head differs was changed after that run: runs were removed,"
              + " added or rewritten together with their links.")
  String expectedHead;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<VouchConfig> loaded = config.loadConfig(err);
    if (loaded.isEmpty()) {
      return ExitCodes.CONFIG;
    }
    Verification result;
    try (Store store = Workspace.openStore(loaded.get())) {
      result = store.verify();
    }
    out.printf(
        "Checked %,d evidence row(s) and %,d run(s) of %s%n",
        result.rowsChecked(), result.runsChecked(), loaded.get().store().location());
    for (String note : result.notes()) {
      out.println("Note: " + note);
    }
    boolean headDiffers =
        expectedHead != null
            && !expectedHead.trim().toLowerCase(Locale.ROOT).equals(result.chainHead());
    if (result.intact() && !headDiffers) {
      out.println(
          "Intact. Chain head: "
              + (result.chainHead() == null ? "(no run has finished yet)" : result.chainHead()));
      return ExitCodes.OK;
    }
    for (String mismatch : result.mismatches()) {
      out.println("MISMATCH: " + mismatch);
    }
    if (headDiffers) {
      out.println(
          "MISMATCH: the chain head is "
              + result.chainHead()
              + ", not the expected "
              + expectedHead.trim()
              + ": runs were added, removed or rewritten since that head was kept");
    }
    out.println(
        "NOT INTACT: "
            + (result.mismatches().size() + (headDiffers ? 1 : 0))
            + " mismatch(es). Evidence in this store was changed after it was recorded; keep a"
            + " copy of the store as it is and investigate before relying on its findings.");
    return ExitCodes.VERIFY_FAILED;
  }
}
