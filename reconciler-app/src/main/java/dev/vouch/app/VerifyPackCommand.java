package dev.vouch.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "verify-pack",
    description = {
      "Recompute the SHA-256 of every file of an audit pack written by vouch report and compare"
          + " them with its manifest.json; name each file changed, added or removed.",
      "",
      "Exit codes: 0 OK; 64 DIR is not a directory; 65 a file changed, was added or removed, or"
          + " the manifest is missing or unreadable."
    },
    mixinStandardHelpOptions = true)
final class VerifyPackCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The pack's directory.")
  Path dir;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.isDirectory(dir)) {
      err.println("error: " + dir + " is not a directory");
      return ExitCodes.USAGE;
    }
    if (!Files.isRegularFile(dir.resolve(PackManifest.FILE))) {
      out.println(
          "FAILED: "
              + dir.resolve(PackManifest.FILE)
              + " is missing: this directory holds no complete pack");
      return ExitCodes.VERIFY_FAILED;
    }
    ObjectNode manifest;
    try {
      manifest = PackManifest.read(dir);
    } catch (IOException e) {
      out.println("FAILED: the manifest cannot be read: " + ExitCodes.describe(e));
      return ExitCodes.VERIFY_FAILED;
    }
    PackManifest.Check check = PackManifest.check(dir, manifest);
    if (check.intact()) {
      out.println("OK");
      return ExitCodes.OK;
    }
    check.changed().forEach(name -> out.println("CHANGED: " + name));
    check.added().forEach(name -> out.println("ADDED: " + name));
    check.removed().forEach(name -> out.println("REMOVED: " + name));
    out.println(
        "FAILED: "
            + (check.changed().size() + check.added().size() + check.removed().size())
            + " file(s) differ from the manifest of "
            + dir);
    return ExitCodes.VERIFY_FAILED;
  }
}
