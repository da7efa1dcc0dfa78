package dev.vouch.app;

import dev.vouch.app.notify.Backoff;
import dev.vouch.app.notify.Deliverer;
import dev.vouch.app.notify.Digests;
import dev.vouch.app.notify.Payload;
import dev.vouch.app.notify.Renderer;
import dev.vouch.app.notify.Sender;
import dev.vouch.app.notify.Sleeper;
import dev.vouch.core.config.NotificationSettings.Notification;
import dev.vouch.core.config.VouchConfig;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "notify",
    description = "Chat alerts: Slack, Microsoft Teams, Google Chat and signed webhooks.",
    mixinStandardHelpOptions = true,
    subcommands = {NotifyCommand.Test.class})
final class NotifyCommand {

  /** Attempts per channel: enough to ride out one throttling answer. */
  static final int ATTEMPTS = 4;

  /** The longest wait between attempts the command sits through. */
  static final Duration MAX_WAIT = Duration.ofSeconds(60);

  @Command(
      name = "test",
      description = {
        "Send an example message, marked as a test, to every configured notification (or the one"
            + " named), and print what each channel answered. The channels' URLs and secrets are"
            + " never printed.",
        "Exit codes: 0 every channel took the message; 69 one did not; 64 no such name; 78"
            + " configuration problems or no notification configured."
      },
      mixinStandardHelpOptions = true)
  static final class Test implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ConfigOption config = new ConfigOption();

    @Option(
        names = "--name",
        paramLabel = "NAME",
        description = "Only the notification with this name.")
    String name;

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      // The configuration alone: sending a test message needs no source's credentials.
      Optional<VouchConfig> loaded = config.loadConfig(err);
      if (loaded.isEmpty()) {
        return ExitCodes.CONFIG;
      }
      VouchConfig vouch = loaded.get();
      List<Notification> all = vouch.notifications().notifications();
      if (all.isEmpty()) {
        err.println(
            "error: "
                + config.file
                + " configures no notifications; add a notifications: list (see the README's"
                + " Chat alerts section)");
        return ExitCodes.CONFIG;
      }
      List<Notification> chosen = all;
      if (name != null) {
        chosen = all.stream().filter(n -> n.name().equals(name)).toList();
        if (chosen.isEmpty()) {
          err.println(
              "error: no notification is named '"
                  + name
                  + "'; configured: "
                  + String.join(", ", all.stream().map(Notification::name).toList()));
          return ExitCodes.USAGE;
        }
      }
      Clock clock = Clock.systemUTC();
      Sender sender =
          new Sender(
              Deliverer.create(clock), Sleeper.SYSTEM, Backoff.standard(), ATTEMPTS, MAX_WAIT);
      boolean allDelivered = true;
      for (Notification notification : chosen) {
        Payload payload =
            Renderer.of(notification.type())
                .render(
                    Digests.sample(
                        notification.name(),
                        clock.instant(),
                        vouch.service().server().publicUrl()));
        Sender.Result result = sender.send(notification, payload);
        allDelivered &= result.delivered();
        out.println(
            notification.name()
                + " ("
                + notification.type().configName()
                + "): "
                + result.outcome().describe()
                + (result.attempts() > 1 ? " after " + result.attempts() + " attempts" : ""));
        out.flush();
      }
      return allDelivered ? ExitCodes.OK : ExitCodes.UNAVAILABLE;
    }
  }
}
