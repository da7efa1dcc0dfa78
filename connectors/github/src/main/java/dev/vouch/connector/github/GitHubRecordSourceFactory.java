package dev.vouch.connector.github;

import dev.vouch.core.spi.RecordSource;
import dev.vouch.core.spi.RecordSourceFactory;
import dev.vouch.core.spi.SettingsNode;
import dev.vouch.core.spi.SettingsNode.Secret;
import dev.vouch.core.spi.SourceContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Creates {@code type: github} record sources.
 *
 * <pre>{@code
 * - name: pull-requests
 *   type: github
 *   repos: [acme/shop, acme/payments]
 *   token: env:GITHUB_TOKEN             # or file:PATH; never the token itself
 *   baseUrl: https://github.example.com/api/v3   # optional, for GitHub Enterprise Server
 *   lookback: 90d                       # optional: merged pull requests updated this far back
 *   maxRetries: 5                       # optional: retries of one request
 *   maxWait: 1h                         # optional: total waiting for rate limits in one pull
 *   requestTimeout: 30s                 # optional
 *
 * - name: pull-requests-demo
 *   type: github
 *   repos: [acme/shop]
 *   fixtures: github-fixtures           # recorded answers in files instead of baseUrl and token
 * }</pre>
 */
public final class GitHubRecordSourceFactory implements RecordSourceFactory {
  static final String DEFAULT_BASE_URL = "https://api.github.com";
  static final Duration DEFAULT_LOOKBACK = Duration.ofDays(90);
  static final int DEFAULT_MAX_RETRIES = 5;
  static final Duration DEFAULT_MAX_WAIT = Duration.ofHours(1);
  static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private static final String REPOS = "repos";
  private static final String TOKEN = "token";
  private static final String BASE_URL = "baseUrl";
  private static final String FIXTURES = "fixtures";
  private static final String LOOKBACK = "lookback";
  private static final String MAX_RETRIES = "maxRetries";
  private static final String MAX_WAIT = "maxWait";
  private static final String REQUEST_TIMEOUT = "requestTimeout";

  /** GitHub's rules: owner up to 39 letters, digits and inner hyphens; repository . _ - too. */
  private static final Pattern REPO =
      Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}");

  private final Sleeper sleeper;

  public GitHubRecordSourceFactory() {
    this(Sleeper.REAL);
  }

  /** For tests: waits go to {@code sleeper} instead of the thread. */
  GitHubRecordSourceFactory(Sleeper sleeper) {
    this.sleeper = sleeper;
  }

  @Override
  public String type() {
    return GitHubRecordSource.TYPE;
  }

  @Override
  public RecordSource create(String name, SettingsNode settings, SourceContext context) {
    List<String> repos = repos(settings);
    Optional<Path> fixtures = settings.optionalPath(FIXTURES, context.baseDirectory());
    boolean hasToken = settings.has(TOKEN);
    Optional<Secret> token = settings.secret(TOKEN, context.baseDirectory());
    Optional<String> baseUrlText = settings.optionalString(BASE_URL);
    Duration lookback = settings.duration(LOOKBACK, DEFAULT_LOOKBACK);
    int maxRetries = settings.integer(MAX_RETRIES, DEFAULT_MAX_RETRIES, 0, 20);
    Duration maxWait = settings.duration(MAX_WAIT, DEFAULT_MAX_WAIT);
    Duration requestTimeout = settings.duration(REQUEST_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    settings.finish();

    if (lookback.isZero()) {
      settings.problem(LOOKBACK, "must be longer than zero, such as 90d");
      lookback = DEFAULT_LOOKBACK;
    }
    if (requestTimeout.isZero()) {
      settings.problem(REQUEST_TIMEOUT, "must be longer than zero, such as 30s");
      requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    }

    GitHubTransport transport;
    if (fixtures.isPresent()) {
      if (hasToken) {
        settings.problem(TOKEN, "cannot be used with fixtures, which are read from files");
      }
      if (baseUrlText.isPresent()) {
        settings.problem(BASE_URL, "cannot be used with fixtures, which are read from files");
      }
      transport = new FixtureTransport(fixtures.get());
    } else {
      if (!hasToken) {
        settings.problem(
            TOKEN,
            "is required: a reference to a GitHub token, env:NAME or file:PATH (or set fixtures"
                + " to read recorded answers from files)");
      }
      URI base = baseUrl(settings, baseUrlText.orElse(DEFAULT_BASE_URL));
      transport =
          new HttpTransport(
              base,
              token.orElse(new Secret("(no token)", "")),
              context.clock(),
              sleeper,
              maxRetries,
              maxWait,
              requestTimeout);
    }
    return new GitHubRecordSource(name, repos, transport, context.clock(), lookback);
  }

  private static List<String> repos(SettingsNode settings) {
    boolean given = settings.has(REPOS);
    List<String> values = settings.stringList(REPOS);
    List<String> repos = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < values.size(); i++) {
      String repo = values.get(i).trim();
      if (!REPO.matcher(repo).matches() || repo.endsWith("/.") || repo.endsWith("/..")) {
        settings.problem(
            REPOS + "[" + i + "]",
            "'" + values.get(i) + "' is not a repository written owner/repo, such as acme/shop");
      } else if (!seen.add(repo.toLowerCase(Locale.ROOT))) {
        settings.problem(REPOS + "[" + i + "]", "'" + repo + "' is listed twice");
      } else {
        repos.add(repo);
      }
    }
    if (!given) {
      settings.problem(REPOS, "is required: the repositories to read, as owner/repo");
    } else if (values.isEmpty()) {
      settings.problem(REPOS, "must list at least one repository, as owner/repo");
    }
    return repos;
  }

  private static URI baseUrl(SettingsNode settings, String text) {
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      settings.problem(BASE_URL, "'" + text + "' is not a URL: " + e.getReason());
      return URI.create(DEFAULT_BASE_URL);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
      settings.problem(
          BASE_URL,
          "'"
              + text
              + "' is not an http(s) URL; write https://api.github.com or, for GitHub Enterprise"
              + " Server, https://HOST/api/v3");
      return URI.create(DEFAULT_BASE_URL);
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      settings.problem(BASE_URL, "'" + text + "' must not have a query, fragment or user name");
      return URI.create(DEFAULT_BASE_URL);
    }
    if (scheme.equals("http") && !isLoopback(uri.getHost())) {
      settings.problem(
          BASE_URL, "'" + text + "' is plain http: the token would travel unencrypted; use https");
      return URI.create(DEFAULT_BASE_URL);
    }
    return uri;
  }

  private static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.equals("127.0.0.1") || h.equals("[::1]") || h.equals("::1");
  }
}
