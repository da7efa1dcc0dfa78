package dev.vouch.app;

import dev.vouch.store.StoreException;
import java.io.PrintWriter;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code vouch} command. */
@Command(
    name = "vouch",
    description =
        "Proves that every change that reached production was backed by an approved change record.",
    mixinStandardHelpOptions = true,
    versionProvider = VouchCli.Version.class,
    subcommands = {
      RunCommand.class,
      DemoCommand.class,
      ServeCommand.class,
      ReceiveCommand.class,
      ConfigCommand.class,
      FindingsCommand.class,
      VerifyCommand.class,
      ReportCommand.class,
      VerifyPackCommand.class,
      NotifyCommand.class
    })
public final class VouchCli {

  public static void main(String[] args) {
    System.exit(execute(Clock.systemUTC(), args));
  }

  /** Runs the command line with the given clock and returns the exit code (used by tests). */
  public static int execute(Clock clock, String... args) {
    return commandLine(clock).execute(args);
  }

  static CommandLine commandLine(Clock clock) {
    CommandLine cli =
        new CommandLine(
            new VouchCli(),
            new CommandLine.IFactory() {
              @Override
              public <K> K create(Class<K> type) throws Exception {
                if (type == RunCommand.class) {
                  return type.cast(new RunCommand(clock));
                }
                if (type == ServeCommand.class) {
                  return type.cast(new ServeCommand(clock));
                }
                if (type == ReportCommand.class) {
                  return type.cast(new ReportCommand(clock));
                }
                if (type == DemoCommand.class) {
                  return type.cast(new DemoCommand(clock));
                }
                if (type == FindingsCommand.ResolveFinding.class) {
                  return type.cast(new FindingsCommand.ResolveFinding(clock));
                }
                return CommandLine.defaultFactory().create(type);
              }
            });
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExitCodeExceptionMapper(e -> ExitCodes.USAGE);
    cli.setParameterExceptionHandler(
        (ex, params) -> {
          ex.getCommandLine().getErr().println("error: " + ex.getMessage());
          ex.getCommandLine().usage(ex.getCommandLine().getErr());
          return ExitCodes.USAGE;
        });
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          Throwable storeProblem = storeProblem(ex);
          if (storeProblem != null) {
            // The store (or a file Vouch writes) could not be opened, read or written: say what
            // and where, without a stack trace; what the run committed before stays committed.
            err.println(
                "error: "
                    + ExitCodes.describe(storeProblem)
                    + (storeProblem instanceof StoreException
                        ? ". Check store.path in the configuration, and that its disk has space"
                            + " and can be written"
                        : ""));
            return ExitCodes.STORE_ERROR;
          }
          err.println(
              "error: Vouch failed unexpectedly: "
                  + (ex.getMessage() == null ? "no message" : ex.getMessage())
                  + ". This is a bug; please report it with the output of the same command run"
                  + " with VOUCH_DEBUG=1 set.");
          if (System.getenv("VOUCH_DEBUG") != null) {
            ex.printStackTrace(err);
          }
          return ExitCodes.INTERNAL;
        });
    return cli;
  }

  /** The store or I/O failure behind an exception, if that is what it is. */
  private static Throwable storeProblem(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof StoreException
          || t instanceof java.io.IOException
          || t instanceof java.io.UncheckedIOException) {
        return t;
      }
    }
    return null;
  }

  /** The version of this build, from the jar's manifest, or {@code (development build)}. */
  static String version() {
    String version = VouchCli.class.getPackage().getImplementationVersion();
    return version == null ? "(development build)" : version;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"vouch " + version()};
    }
  }
}
