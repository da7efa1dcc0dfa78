package dev.vouch.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vouch.core.catalog.IdentityMap;
import dev.vouch.core.catalog.SystemCatalog;
import dev.vouch.core.catalog.SystemDefinition;
import dev.vouch.core.match.MatchPolicy;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.rules.RuleSet;
import dev.vouch.core.spi.ConfigProblem;
import dev.vouch.core.spi.SettingsNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * Reads the YAML configuration and reports every problem with its path, not just the first.
 *
 * <p>Connector settings are checked when the runtime creates the connectors (their factories report
 * into the same problem list), so {@code vouch config check} lists everything in one go.
 */
public final class ConfigLoader {
  /**
   * Platforms a system can name coordinates of, and the keys of their scope and sub-scope lists.
   */
  private static final Map<String, String[]> PLATFORMS =
      Map.of(
          "aws", new String[] {"accounts", "regions"},
          "kubernetes", new String[] {"clusters", "namespaces"},
          "gcp", new String[] {"projects", "locations"},
          "git", new String[] {"repos", "branches"});

  /** An AWS account id: twelve digits. */
  private static final Pattern AWS_ACCOUNT = Pattern.compile("\\d{12}");

  /** The setting that declares a system or a source quiet on purpose. */
  static final String EXPECT_DAILY_ACTIVITY = "expectDailyActivity";

  private final Function<String, @Nullable String> environment;

  public ConfigLoader(Function<String, @Nullable String> environment) {
    this.environment = environment;
  }

  /**
   * The result of loading: the configuration, usable only when there are no problems. The problem
   * list stays open: connector factories reading the declarations' settings add theirs to it.
   */
  public record Result(
      @Nullable VouchConfig config,
      List<ConfigProblem> problems,
      List<ConfigProblem> warnings,
      JsonNode root) {
    public boolean ok() {
      return config != null && problems.isEmpty();
    }

    /**
     * The problems with each list entry named after its path ({@code systems[1] (payments-prod)},
     * {@code sources[0] (org-trail)}, {@code rules[2] (ops.terraform)}), so a long file's problem
     * is found without counting entries.
     */
    public List<ConfigProblem> named(List<ConfigProblem> list) {
      return list.stream().map(p -> new ConfigProblem(label(p.path()), p.message())).toList();
    }

    private String label(String path) {
      java.util.regex.Matcher entry = ENTRY.matcher(path);
      if (!entry.lookingAt()) {
        return path;
      }
      JsonNode item = root.path(entry.group(1)).path(Integer.parseInt(entry.group(2)));
      JsonNode name = item.has("name") ? item.get("name") : item.get("id");
      if (name == null || !name.isValueNode() || name.asText().isBlank()) {
        return path;
      }
      return entry.group() + " (" + name.asText() + ")" + path.substring(entry.end());
    }
  }

  /** A path into a named list entry: {@code systems[1]}, {@code sources[0]}, {@code rules[2]}. */
  private static final Pattern ENTRY =
      Pattern.compile("(systems|sources|records|rules|notifications)\\[(\\d+)\\]");

  public Result load(Path file) {
    List<ConfigProblem> problems = new ArrayList<>();
    List<ConfigProblem> warnings = new ArrayList<>();
    Path absolute = file.toAbsolutePath().normalize();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(absolute);
    } catch (IOException e) {
      problems.add(new ConfigProblem(file.toString(), unreadable(e)));
      return new Result(null, problems, List.of(), MissingNode.getInstance());
    }
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(bytes);
    } catch (JsonProcessingException e) {
      JsonLocation where = e.getLocation();
      String at = where == null ? "" : ":" + where.getLineNr() + ":" + where.getColumnNr();
      problems.add(new ConfigProblem(file + at, "not valid YAML: " + e.getOriginalMessage()));
      return new Result(null, problems, List.of(), MissingNode.getInstance());
    } catch (IOException e) {
      problems.add(new ConfigProblem(file.toString(), unreadable(e)));
      return new Result(null, problems, List.of(), MissingNode.getInstance());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      root = MissingNode.getInstance();
    }
    if (!root.isObject()) {
      problems.add(new ConfigProblem("(top level)", "must be a mapping of settings"));
      return new Result(null, problems, List.of(), MissingNode.getInstance());
    }
    Path base = absolute.getParent();
    SettingsNode top = new SettingsNode(root, "", problems, environment);

    StoreSettings store = store(top, base);
    SystemCatalog catalog = systems(top, warnings);
    IdentityMap identities = identities(top);
    List<SourceDeclaration> sources = declarations(top, "sources", true);
    List<SourceDeclaration> records = declarations(top, "records", false);
    MatchPolicy matching = matching(top);
    CoveragePolicy coverage = coverage(top);
    RuleSet rules = RuleSet.load(top.objectList("rules"));
    Set<String> sourceNames = new TreeSet<>();
    sources.forEach(declaration -> sourceNames.add(declaration.name()));
    ServiceSettings service = service(top, base, sourceNames);
    NotificationSettings notifications = notifications(top, base, catalog, rules);
    top.finish();

    if (sources.isEmpty()) {
      problems.add(new ConfigProblem("sources", "configure at least one source of actual change"));
    }
    if (records.isEmpty()) {
      problems.add(new ConfigProblem("records", "configure at least one source of change records"));
    }
    Set<String> names = new HashSet<>();
    for (SourceDeclaration declaration : concat(sources, records)) {
      if (!declaration.name().isEmpty() && !names.add(declaration.name())) {
        problems.add(
            new ConfigProblem(
                declaration.settings().childPath("name"),
                "the name '" + declaration.name() + "' is used by another source"));
      }
    }
    String sha = ChangeEvent.sha256Hex(new String(bytes, StandardCharsets.UTF_8));
    VouchConfig config =
        new VouchConfig(
            absolute,
            base,
            sha,
            store,
            catalog,
            identities,
            sources,
            records,
            matching,
            rules,
            coverage,
            service,
            notifications);
    return new Result(config, problems, warnings, root);
  }

  /** Why the file cannot be read, and what to do: no exception class names. */
  private static String unreadable(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file; check the path given to --config";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied; the file must be readable by the user running vouch";
    }
    if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
      return "cannot read the file: " + fs.getReason();
    }
    return "cannot read the file: "
        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
  }

  private static List<SourceDeclaration> concat(
      List<SourceDeclaration> a, List<SourceDeclaration> b) {
    List<SourceDeclaration> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private StoreSettings store(SettingsNode top, Path base) {
    Path defaultPath = base.resolve("vouch-data/vouch.db").normalize();
    return top.object("store")
        .map(
            node -> {
              String type = node.optionalString("type").orElse("sqlite");
              StoreSettings store;
              switch (type) {
                case "sqlite" -> {
                  for (String key : List.of("url", "user", "password", "pool")) {
                    onlyFor(node, key, "postgres", "a SQLite store is the file in store.path");
                  }
                  store =
                      new StoreSettings.Sqlite(node.optionalPath("path", base).orElse(defaultPath));
                }
                case "postgres" -> {
                  onlyFor(node, "path", "sqlite", "a PostgreSQL store is found by store.url");
                  store = postgres(node, base);
                }
                default -> {
                  node.problem(
                      "type", "unknown store type '" + type + "'; supported: sqlite, postgres");
                  node.accept("path", "url", "user", "password", "pool");
                  store = new StoreSettings.Sqlite(defaultPath);
                }
              }
              node.finish();
              return store;
            })
        .orElse(new StoreSettings.Sqlite(defaultPath));
  }

  /** Reports a store setting that belongs to the other type of store. */
  private static void onlyFor(SettingsNode node, String key, String type, String why) {
    if (node.has(key)) {
      node.problem(key, "only for type " + type + " (" + why + ")");
    }
    node.accept(key);
  }

  private static StoreSettings.Postgres postgres(SettingsNode node, Path base) {
    String url = node.requiredString("url");
    if (!url.isEmpty()) {
      if (!url.startsWith("jdbc:postgresql:")) {
        node.problem(
            "url",
            // Without the value: a mistyped URL may still hold a password.
            "must be a PostgreSQL JDBC URL, starting with jdbc:postgresql: (such as"
                + " jdbc:postgresql://127.0.0.1:5432/vouch)");
      } else if (urlParameter(url, "password") != null) {
        // Reported without the URL: it holds the secret.
        node.problem(
            "url", "must not hold the password; give it as store.password: env:NAME or file:PATH");
      } else if ("true".equalsIgnoreCase(urlParameter(url, "reWriteBatchedInserts"))) {
        node.problem(
            "url",
            "reWriteBatchedInserts=true hides how many rows each insert stored, which the store"
                + " needs to count new and duplicate events exactly; remove it (the store batches"
                + " its inserts itself)");
      }
    }
    @Nullable String user = node.optionalString("user").orElse(null);
    if (user != null && user.isBlank()) {
      node.problem("user", "must not be empty; leave it out to use the URL's or the driver's");
      user = null;
    }
    SettingsNode.@Nullable Secret password = node.secret("password", base).orElse(null);
    int maxPoolSize =
        node.object("pool")
            .map(
                pool -> {
                  int size =
                      pool.integer(
                          "maxSize",
                          StoreSettings.Postgres.DEFAULT_MAX_POOL_SIZE,
                          StoreSettings.Postgres.MIN_POOL_SIZE,
                          1_000);
                  pool.finish();
                  return size;
                })
            .orElse(StoreSettings.Postgres.DEFAULT_MAX_POOL_SIZE);
    return new StoreSettings.Postgres(url, user, password, maxPoolSize);
  }

  /**
   * The value of a parameter of a JDBC URL's query ({@code ?a=1&b=2}), compared without case, or
   * null when absent.
   */
  private static @Nullable String urlParameter(String url, String name) {
    int query = url.indexOf('?');
    if (query < 0) {
      return null;
    }
    for (String parameter : url.substring(query + 1).split("&")) {
      int equals = parameter.indexOf('=');
      String key = equals < 0 ? parameter : parameter.substring(0, equals);
      if (key.equalsIgnoreCase(name)) {
        return equals < 0 ? "" : parameter.substring(equals + 1);
      }
    }
    return null;
  }

  private SystemCatalog systems(SettingsNode top, List<ConfigProblem> warnings) {
    List<SystemDefinition> systems = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Map<String, String> owners = new HashMap<>();
    for (SettingsNode node : top.objectList("systems")) {
      String name = node.requiredString("name");
      if (!name.isEmpty() && !names.add(name)) {
        node.problem("name", "the system '" + name + "' is defined twice");
      }
      List<SystemDefinition.Scope> scopes = new ArrayList<>();
      for (Map.Entry<String, String[]> platform : PLATFORMS.entrySet()) {
        node.object(platform.getKey())
            .ifPresent(
                coordinates -> {
                  String scopeKey = platform.getValue()[0];
                  String subKey = platform.getValue()[1];
                  List<String> scopeValues = coordinates.stringList(scopeKey);
                  List<String> subValues = coordinates.stringList(subKey);
                  if (scopeValues.isEmpty()) {
                    coordinates.problem(scopeKey, "list at least one");
                  }
                  if (platform.getKey().equals("aws")) {
                    for (String account : scopeValues) {
                      if (!AWS_ACCOUNT.matcher(account).matches()) {
                        warnings.add(
                            new ConfigProblem(
                                coordinates.childPath(scopeKey),
                                "'"
                                    + account
                                    + "' is not a 12-digit AWS account id, so no CloudTrail"
                                    + " record will name it (quote ids with a leading zero:"
                                    + " \"012345678901\")"));
                      }
                    }
                  }
                  coordinates.finish();
                  for (String value : scopeValues) {
                    for (String sub : subValues.isEmpty() ? List.of("*") : subValues) {
                      String key = platform.getKey() + ":" + value + "/" + sub;
                      String other = owners.putIfAbsent(key, name);
                      if (other != null && !other.equals(name)) {
                        coordinates.problem(
                            scopeKey,
                            value
                                + (sub.equals("*") ? "" : " in " + sub)
                                + " already belongs to system '"
                                + other
                                + "'");
                      }
                    }
                  }
                  scopes.add(
                      new SystemDefinition.Scope(
                          platform.getKey(), Set.copyOf(scopeValues), Set.copyOf(subValues)));
                });
      }
      if (scopes.isEmpty()) {
        node.problem("", "a system needs coordinates: aws, kubernetes, gcp or git");
      }
      boolean expectDaily = node.bool(EXPECT_DAILY_ACTIVITY, true);
      node.finish();
      systems.add(new SystemDefinition(name, scopes, expectDaily));
    }
    return new SystemCatalog(systems);
  }

  /**
   * {@code identities} is either the list of people, or a mapping with {@code people} (that list)
   * and {@code trustedSessionRoles} (role ARNs, globs, whose session names identify the caller).
   */
  private IdentityMap identities(SettingsNode top) {
    JsonNode raw = top.raw().get("identities");
    if (raw != null && raw.isObject()) {
      SettingsNode node = top.object("identities").orElseThrow();
      Map<String, List<String>> people = people(node, "people");
      List<String> trusted = node.stringList("trustedSessionRoles");
      for (int i = 0; i < trusted.size(); i++) {
        if (!trusted.get(i).startsWith("arn:")) {
          node.problem(
              "trustedSessionRoles",
              "'"
                  + trusted.get(i)
                  + "' is not a role ARN; write it like arn:aws:iam::111122223333:role/deploy"
                  + " (globs allowed: arn:aws:iam::*:role/deploy)");
        }
      }
      node.finish();
      return new IdentityMap(people, trusted);
    }
    return new IdentityMap(people(top, "identities"));
  }

  private Map<String, List<String>> people(SettingsNode parent, String key) {
    Map<String, List<String>> people = new LinkedHashMap<>();
    Map<String, String> aliasOwner = new HashMap<>();
    for (SettingsNode node : parent.objectList(key)) {
      String person = node.requiredString("person");
      List<String> aliases = node.stringList("aliases");
      node.finish();
      if (person.isEmpty()) {
        continue;
      }
      if (people.containsKey(person)) {
        node.problem("person", "'" + person + "' is listed twice; merge the aliases");
      }
      for (String alias : aliases) {
        String owner = aliasOwner.putIfAbsent(alias.trim().toLowerCase(), person);
        if (owner != null && !owner.equals(person)) {
          node.problem("aliases", "alias '" + alias + "' already belongs to '" + owner + "'");
        }
      }
      people.computeIfAbsent(person, p -> new ArrayList<>()).addAll(aliases);
    }
    return people;
  }

  private List<SourceDeclaration> declarations(SettingsNode top, String key, boolean ofChange) {
    List<SourceDeclaration> declarations = new ArrayList<>();
    for (SettingsNode node : top.objectList(key)) {
      String type = node.requiredString("type");
      String name = node.requiredString("name");
      // Read here, not by the connector: coverage is judged by the runner for every source alike.
      boolean expectDaily = !ofChange || node.bool(EXPECT_DAILY_ACTIVITY, true);
      declarations.add(new SourceDeclaration(type, name, node, expectDaily));
    }
    return declarations;
  }

  /** The chat alerts; read after the systems and rules, whose names their routes must use. */
  private static NotificationSettings notifications(
      SettingsNode top, Path base, SystemCatalog catalog, RuleSet rules) {
    return NotificationSettings.read(top.objectList("notifications"), base, catalog, rules);
  }

  private static final Pattern JOB_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private static List<ServiceSettings.Job> jobs(SettingsNode schedule, Set<String> sourceNames) {
    List<ServiceSettings.Job> jobs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (SettingsNode node : schedule.objectList("jobs")) {
      String name = node.requiredString("name");
      if (!name.isEmpty() && !JOB_NAME.matcher(name).matches()) {
        node.problem(
            "name",
            "'"
                + name
                + "' is not a job name; use lower-case letters, digits and dashes, such as"
                + " apiserver-log");
      } else if (!name.isEmpty() && !names.add(name)) {
        node.problem("name", "the name '" + name + "' is used by another job");
      }
      String cron = node.requiredString("cron");
      boolean listed = node.has("sources");
      List<String> sources = node.stringList("sources");
      if (!listed) {
        node.problem(
            "sources",
            "list the sources of change this job reads, or [] for a job that only reads the"
                + " change records and matches what is stored");
      }
      for (String source : sources) {
        if (!sourceNames.contains(source)) {
          String nearest = SettingsNode.nearest(source, sourceNames);
          node.problem(
              "sources",
              "no source of change is named '"
                  + source
                  + "'"
                  + (nearest == null ? "" : "; did you mean " + nearest + "?")
                  + " (sources: "
                  + String.join(", ", new TreeSet<>(sourceNames))
                  + ")");
        }
      }
      if (node.has("systems")) {
        node.accept("systems");
        node.problem(
            "systems",
            "a job reviews the sources it lists; limiting it to systems is not built yet");
      }
      node.finish();
      jobs.add(new ServiceSettings.Job(name, cron, sources));
    }
    return jobs;
  }

  private static ServiceSettings service(SettingsNode top, Path base, Set<String> sourceNames) {
    ServiceSettings defaults = ServiceSettings.defaults(base);
    ServiceSettings.Schedule schedule =
        top.object("schedule")
            .map(
                node -> {
                  ServiceSettings.Schedule d = defaults.schedule();
                  String cron = node.optionalString("cron").orElse(d.cron());
                  ZoneId zone = d.timezone();
                  Optional<String> zoneName = node.optionalString("timezone");
                  if (zoneName.isPresent()) {
                    try {
                      zone = ZoneId.of(zoneName.get());
                    } catch (DateTimeException e) {
                      node.problem(
                          "timezone",
                          "'"
                              + zoneName.get()
                              + "' is not a time zone; write an IANA name such as UTC or"
                              + " Europe/Berlin");
                    }
                  }
                  Duration lookback = node.duration("initialLookback", d.initialLookback());
                  if (lookback.isZero()) {
                    node.problem("initialLookback", "must be longer than zero");
                  }
                  Path reports = node.optionalPath("reports", base).orElse(d.reports());
                  Duration keep = node.duration("keepReports", d.keepReports());
                  if (keep.isZero()) {
                    node.problem("keepReports", "must be longer than zero");
                  }
                  List<ServiceSettings.Job> jobs = jobs(node, sourceNames);
                  node.finish();
                  return new ServiceSettings.Schedule(cron, zone, lookback, reports, keep, jobs);
                })
            .orElse(defaults.schedule());
    ServiceSettings.Server server =
        top.object("server")
            .map(
                node -> {
                  ServiceSettings.Server d = defaults.server();
                  String bind = node.optionalString("bind").orElse(d.bind());
                  int port = node.integer("port", d.port(), 0, 65_535);
                  URI publicUrl = publicUrl(node);
                  node.finish();
                  return new ServiceSettings.Server(bind, port, publicUrl);
                })
            .orElse(defaults.server());
    return new ServiceSettings(schedule, server);
  }

  /**
   * {@code server.publicUrl}: where people reach what the service publishes, for the links in chat
   * alerts; an absolute http(s) URL without query or fragment, since paths are appended to it.
   */
  private static @Nullable URI publicUrl(SettingsNode node) {
    Optional<String> text = node.optionalString("publicUrl");
    if (text.isEmpty()) {
      return null;
    }
    try {
      URI uri = new URI(text.get().strip());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https"))
          && uri.getHost() != null
          && uri.getRawQuery() == null
          && uri.getRawFragment() == null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below, with what is expected
    }
    node.problem(
        "publicUrl",
        "'"
            + text.get()
            + "' is not an absolute http or https URL without query or fragment, such as"
            + " https://vouch.example.com/");
    return null;
  }

  private CoveragePolicy coverage(SettingsNode top) {
    CoveragePolicy defaults = CoveragePolicy.defaults();
    return top.object("coverage")
        .map(
            node -> {
              List<String> quiet = node.stringList("quiet");
              for (int i = 0; i < quiet.size(); i++) {
                if (quiet.get(i).indexOf(':') <= 0) {
                  node.problem(
                      "quiet",
                      "'"
                          + quiet.get(i)
                          + "' is not a partition pattern; write it like aws:111122223333/eu-west-1,"
                          + " aws:999988887777/*, kubernetes:prod-eu or git:acme/shop");
                }
              }
              Duration maxCatchUp = node.duration("maxCatchUp", defaults.maxCatchUp());
              Duration lookback = node.duration("firstRunLookback", defaults.firstRunLookback());
              if (maxCatchUp.isZero()) {
                node.problem("maxCatchUp", "must be longer than zero");
              }
              if (lookback.isZero()) {
                node.problem("firstRunLookback", "must be longer than zero");
              }
              node.finish();
              return new CoveragePolicy(quiet, maxCatchUp, lookback);
            })
        .orElse(defaults);
  }

  private MatchPolicy matching(SettingsNode top) {
    MatchPolicy defaults = MatchPolicy.defaults();
    return top.object("matching")
        .map(
            node -> {
              Duration before = node.duration("graceBefore", defaults.graceBefore());
              Duration after = node.duration("graceAfter", defaults.graceAfter());
              Duration proximity = node.duration("proximity", defaults.proximity());
              boolean approvalFirst =
                  node.bool("requireApprovalBeforeChange", defaults.requireApprovalBeforeChange());
              boolean sod = node.bool("segregationOfDuties", defaults.segregationOfDuties());
              Duration deadline =
                  node.duration(
                      "emergencyDocumentationDeadline", defaults.emergencyDocumentationDeadline());
              List<Pattern> patterns = defaults.referencePatterns();
              if (node.has("referencePatterns")) {
                patterns = new ArrayList<>();
                for (String text : node.stringList("referencePatterns")) {
                  try {
                    patterns.add(Pattern.compile(text));
                  } catch (PatternSyntaxException e) {
                    node.problem(
                        "referencePatterns",
                        "'" + text + "' is not a regular expression: " + e.getDescription());
                  }
                }
              } else {
                node.accept("referencePatterns");
              }
              node.finish();
              return new MatchPolicy(
                  before, after, proximity, approvalFirst, sod, deadline, patterns);
            })
        .orElse(defaults);
  }
}
