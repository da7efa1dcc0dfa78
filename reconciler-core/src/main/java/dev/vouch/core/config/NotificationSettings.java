package dev.vouch.core.config;

import dev.vouch.core.catalog.SystemCatalog;
import dev.vouch.core.catalog.SystemDefinition;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.rules.Rule;
import dev.vouch.core.rules.RuleAction;
import dev.vouch.core.rules.RuleSet;
import dev.vouch.core.spi.SettingsNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Where chat alerts about a run's findings go ({@code notifications:} in the YAML): one entry per
 * channel, each with its kind, its webhook URL (a credential, so a secret reference) and the
 * findings it wants to hear about.
 *
 * <p>The configuration only says where and what; rendering and sending live in the application,
 * since the core has no HTTP code.
 *
 * @param notifications the configured channels, in file order
 */
public record NotificationSettings(List<Notification> notifications) {

  public NotificationSettings {
    notifications = List.copyOf(notifications);
  }

  /** No channel configured: nobody is alerted. */
  public static NotificationSettings none() {
    return new NotificationSettings(List.of());
  }

  /** The channel with this name. */
  public Optional<Notification> named(String name) {
    return notifications.stream().filter(n -> n.name().equals(name)).findFirst();
  }

  /** The kind of channel, which decides the message format. */
  public enum Type {
    /** A Slack incoming webhook: Block Kit. */
    SLACK("slack"),
    /** A Microsoft Teams Workflows webhook: an Adaptive Card. */
    TEAMS("teams"),
    /** A Google Chat incoming webhook: cardsV2. */
    GOOGLECHAT("googlechat"),
    /** Any HTTPS endpoint: Vouch's own JSON document, signed with HMAC-SHA256. */
    WEBHOOK("webhook");

    private final String configName;

    Type(String configName) {
      this.configName = configName;
    }

    /** The name written in the configuration. */
    public String configName() {
      return configName;
    }

    static Optional<Type> of(String name) {
      return Arrays.stream(values()).filter(t -> t.configName.equals(name)).findFirst();
    }
  }

  /**
   * How risky a finding is, for routing ({@code when.minRisk}). The application decides a finding's
   * level from its risk categories and verdict; the order here is lowest first.
   */
  public enum RiskLevel {
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL;

    /** The name written in the configuration: {@code low}, {@code medium}, ... */
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public boolean atLeast(RiskLevel other) {
      return compareTo(other) >= 0;
    }
  }

  /**
   * One channel.
   *
   * @param name a name unique among the notifications; the only thing messages, logs and errors say
   *     about the channel (its URL is a credential)
   * @param type the kind of channel
   * @param url the webhook URL, resolved from its secret reference
   * @param secret the HMAC key that signs a {@code webhook}'s requests, or null when unsigned
   * @param when which findings, and which incomplete runs, the channel hears about
   */
  public record Notification(
      String name,
      Type type,
      SettingsNode.Secret url,
      SettingsNode.@Nullable Secret secret,
      Route when) {
    public Notification {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(when, "when");
    }

    /** The URL as a URI; checked when the configuration was read. */
    public URI uri() {
      // An environment variable may carry a trailing newline; the check ignored it too.
      return URI.create(url.value().strip());
    }
  }

  /**
   * Which findings go to a channel: a finding must pass every condition given. Without {@code
   * when}, every verdict that needs review goes, and every incomplete run is announced.
   *
   * @param verdicts the verdicts that go
   * @param systems the systems whose findings go; empty for every system (and changes on no
   *     configured system)
   * @param risks the risk categories of which a finding must carry one; empty for any, none
   *     included
   * @param minRisk the lowest risk level that goes, or null for every level
   * @param incomplete whether an INCOMPLETE run is announced, with its failed sources and gaps,
   *     even when none of its findings goes: what was not seen may hide a change this channel wants
   */
  public record Route(
      Set<Verdict> verdicts,
      Set<String> systems,
      Set<String> risks,
      @Nullable RiskLevel minRisk,
      boolean incomplete) {

    /** Every verdict that needs review, and incomplete runs. */
    public static final Route DEFAULT = new Route(needsReview(), Set.of(), Set.of(), null, true);

    public Route {
      verdicts = Set.copyOf(verdicts);
      systems = Set.copyOf(systems);
      risks = Set.copyOf(risks);
    }

    private static Set<Verdict> needsReview() {
      return Arrays.stream(Verdict.values())
          .filter(Verdict::needsReview)
          .collect(Collectors.toSet());
    }
  }

  /** Hosts a literal {@code http://} URL may name: only this machine, for local testing. */
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

  /**
   * Reads the {@code notifications} list; every problem goes to the nodes' shared list.
   *
   * @param catalog the configured systems, which {@code when.systems} must name
   * @param rules the effective rules, whose risk categories {@code when.risk} must name
   */
  static NotificationSettings read(
      List<SettingsNode> nodes, Path base, SystemCatalog catalog, RuleSet rules) {
    List<Notification> notifications = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (SettingsNode node : nodes) {
      String typeName = node.requiredString("type");
      Type type = null;
      if (!typeName.isEmpty()) {
        type = Type.of(typeName).orElse(null);
        if (type == null) {
          List<String> known = Arrays.stream(Type.values()).map(Type::configName).toList();
          String nearest = SettingsNode.nearest(typeName, known);
          node.problem(
              "type",
              "unknown notification type '"
                  + typeName
                  + "'"
                  + (nearest == null ? "" : "; did you mean " + nearest + "?")
                  + " (supported: "
                  + String.join(", ", known)
                  + ")");
        }
      }
      String name = node.requiredString("name");
      if (!name.isEmpty() && !names.add(name)) {
        node.problem("name", "the name '" + name + "' is used by another notification");
      }
      SettingsNode.Secret url = url(node, base);
      SettingsNode.Secret secret = node.secret("secret", base).orElse(null);
      if (secret != null && secret.value().isEmpty()) {
        // An HMAC with an empty key proves nothing; a file that should hold it is empty.
        node.problem("secret", secret.reference() + " is empty");
        secret = null;
      }
      if (node.has("secret") && type != null && type != Type.WEBHOOK) {
        node.problem(
            "secret",
            "only for type webhook (Slack, Teams and Google Chat know the sender by the URL"
                + " alone)");
      }
      Route when = node.object("when").map(w -> route(w, catalog, rules)).orElse(Route.DEFAULT);
      node.finish();
      if (type != null && !name.isEmpty() && url != null) {
        notifications.add(new Notification(name, type, url, secret, when));
      }
    }
    return new NotificationSettings(notifications);
  }

  /**
   * The webhook URL: a secret reference, since whoever has the URL can post to the channel. A
   * literal {@code http://} URL on this machine is accepted for local testing. No message repeats
   * the URL, not even a wrong one: it may be a real credential pasted in the wrong place.
   */
  private static SettingsNode.@Nullable Secret url(SettingsNode node, Path base) {
    if (!node.has("url")) {
      node.requiredString("url");
      return null;
    }
    com.fasterxml.jackson.databind.JsonNode raw = node.raw().get("url");
    String text = raw.isValueNode() ? raw.asText() : "";
    SettingsNode.Secret url;
    if (raw.isValueNode() && !text.startsWith("env:") && !text.startsWith("file:")) {
      node.accept("url");
      if (!loopbackHttp(text)) {
        node.problem(
            "url",
            "a webhook URL is a credential: give it as env:NAME or file:PATH (a literal URL is"
                + " accepted only for http://127.0.0.1, http://localhost or http://[::1], for"
                + " local testing)");
        return null;
      }
      url = new SettingsNode.Secret("a literal loopback URL", text);
    } else {
      url = node.secret("url", base).orElse(null);
      if (url == null) {
        return null;
      }
    }
    String wrong = urlProblem(url.value());
    if (wrong != null) {
      node.problem("url", url.reference() + " " + wrong);
      return null;
    }
    return url;
  }

  /** Why a resolved URL cannot be posted to, or null when it can; never quotes the URL. */
  private static @Nullable String urlProblem(String value) {
    URI uri;
    try {
      uri = new URI(value.strip());
    } catch (URISyntaxException e) {
      return "does not hold a URL";
    }
    if (!uri.isAbsolute() || uri.getHost() == null) {
      return "does not hold an absolute URL with a host";
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("https")) {
      return null;
    }
    if (scheme.equals("http") && LOOPBACK.contains(uri.getHost().toLowerCase(Locale.ROOT))) {
      return null;
    }
    // Plain HTTP would show the URL (the credential) and the findings to the network.
    return "must hold an https URL (plain http only to this machine, for testing)";
  }

  private static boolean loopbackHttp(String text) {
    try {
      URI uri = new URI(text.strip());
      return "http".equalsIgnoreCase(uri.getScheme())
          && uri.getHost() != null
          && LOOPBACK.contains(uri.getHost().toLowerCase(Locale.ROOT));
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static Route route(SettingsNode node, SystemCatalog catalog, RuleSet rules) {
    Set<Verdict> verdicts = Route.DEFAULT.verdicts();
    if (node.has("verdicts")) {
      verdicts = EnumSet.noneOf(Verdict.class);
      List<String> known = Arrays.stream(Verdict.values()).map(Verdict::name).toList();
      List<String> given = node.stringList("verdicts");
      if (given.isEmpty()) {
        node.problem("verdicts", "list at least one verdict, or leave it out for every verdict");
      }
      for (String text : given) {
        String wanted = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        if (known.contains(wanted)) {
          verdicts.add(Verdict.valueOf(wanted));
        } else {
          node.problem("verdicts", unknown("verdict", text, known));
        }
      }
    } else {
      node.accept("verdicts");
    }
    List<String> systems = node.stringList("systems");
    List<String> systemNames = catalog.systems().stream().map(SystemDefinition::name).toList();
    for (String system : systems) {
      if (!catalog.isKnown(system)) {
        node.problem("systems", unknown("system", system, systemNames));
      }
    }
    List<String> risks = node.stringList("risk");
    Set<String> categories = new TreeSet<>();
    for (Rule rule : rules.rules()) {
      if (rule.action() == RuleAction.RISK && rule.risk() != null) {
        categories.add(rule.risk());
      }
    }
    for (String risk : risks) {
      if (!categories.contains(risk)) {
        // A category no rule flags would silently route nothing.
        node.problem("risk", unknown("risk category", risk, List.copyOf(categories)));
      }
    }
    RiskLevel minRisk = null;
    Optional<String> level = node.optionalString("minRisk");
    if (level.isPresent()) {
      List<String> known = Arrays.stream(RiskLevel.values()).map(RiskLevel::configName).toList();
      String wanted = level.get().strip().toLowerCase(Locale.ROOT);
      if (known.contains(wanted)) {
        minRisk = RiskLevel.valueOf(wanted.toUpperCase(Locale.ROOT));
      } else {
        node.problem("minRisk", unknown("risk level", level.get(), known));
      }
    }
    boolean incomplete = node.bool("incomplete", true);
    node.finish();
    return new Route(verdicts, Set.copyOf(systems), Set.copyOf(risks), minRisk, incomplete);
  }

  private static String unknown(String what, String value, List<String> known) {
    String nearest = SettingsNode.nearest(value, known);
    return "no "
        + what
        + " '"
        + value
        + "'"
        + (nearest == null ? "" : "; did you mean " + nearest + "?")
        + " ("
        + (known.isEmpty() ? "none is configured" : "known: " + String.join(", ", known))
        + ")";
  }
}
