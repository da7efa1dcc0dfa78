package dev.vouch.connector.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vouch.core.spi.Durations;
import dev.vouch.core.spi.SettingsNode.Secret;
import dev.vouch.core.spi.SourceException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * GitHub's REST API over the JDK's {@link HttpClient}: the pinned API version, bearer token,
 * conditional requests from an in-memory ETag cache, and the rate-limit rules of GitHub's
 * documentation (retry-after, then x-ratelimit-reset when x-ratelimit-remaining is 0, else
 * exponential back-off for secondary limits). Every wait goes through the {@link Sleeper} and is
 * measured against the source's clock, and the waits of one pull are bounded by {@code maxWait}.
 *
 * <p>Error messages name the method, URL, status and GitHub's own message; they never contain the
 * token or any request header.
 */
final class HttpTransport implements GitHubTransport {
  static final String API_VERSION = "2022-11-28";
  static final String MEDIA_TYPE = "application/vnd.github+json";
  static final String USER_AGENT = "vouch-connector-github";

  /** GitHub: "wait at least one minute" after a secondary limit without retry-after. */
  static final Duration SECONDARY_FIRST_WAIT = Duration.ofMinutes(1);

  /** First wait after a server error or a broken connection; doubled each time. */
  static final Duration TRANSIENT_FIRST_WAIT = Duration.ofSeconds(1);

  private static final Duration TRANSIENT_MAX_WAIT = Duration.ofMinutes(1);
  private static final int MAX_MESSAGE_LENGTH = 300;
  private static final Pattern LINK =
      Pattern.compile("<([^>]*)>\\s*((?:;\\s*[A-Za-z-]+\\s*=\\s*(?:\"[^\"]*\"|[^;,]*)\\s*)*)");
  private static final Pattern REL = Pattern.compile("rel\\s*=\\s*(?:\"([^\"]*)\"|([^;,\\s]*))");

  private final URI base;
  private final String baseText;
  private final Secret token;
  private final Clock clock;
  private final Sleeper sleeper;
  private final int maxRetries;
  private final Duration maxWait;
  private final Duration requestTimeout;
  private final ObjectMapper mapper = new ObjectMapper();
  private final Map<String, Cached> cache = new HashMap<>();
  private @Nullable HttpClient client;
  private long requests;
  private long notModified;
  private Duration waited = Duration.ZERO;

  /** A remembered answer: sent back as If-None-Match, reused when GitHub answers 304. */
  private record Cached(String etag, byte[] body, @Nullable String next) {}

  HttpTransport(
      URI base,
      Secret token,
      Clock clock,
      Sleeper sleeper,
      int maxRetries,
      Duration maxWait,
      Duration requestTimeout) {
    String text = base.toString();
    while (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    this.baseText = text;
    this.base = URI.create(text);
    this.token = token;
    this.clock = clock;
    this.sleeper = sleeper;
    this.maxRetries = maxRetries;
    this.maxWait = maxWait;
    this.requestTimeout = requestTimeout;
  }

  URI base() {
    return base;
  }

  @Override
  public synchronized void startPull() {
    waited = Duration.ZERO;
  }

  @Override
  public synchronized long requests() {
    return requests;
  }

  @Override
  public synchronized long notModified() {
    return notModified;
  }

  @Override
  public String describe(long requests, long notModified) {
    return requests
        + (requests == 1 ? " request, " : " requests, ")
        + notModified
        + " answered 304";
  }

  @Override
  public String location(String path) {
    return baseText + stripQuery(path);
  }

  @Override
  public synchronized Page get(String pathOrNext) throws SourceException {
    URI uri = resolve(pathOrNext);
    String key = uri.toString();
    int retries = 0;
    int secondaryHits = 0;
    while (true) {
      Cached cached = cache.get(key);
      HttpResponse<byte[]> response;
      try {
        requests++;
        response = client().send(request(uri, cached), HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        retries = transientFailure(uri, retries, "failed: " + describe(e));
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SourceException("GET " + uri + ": interrupted");
      }
      int status = response.statusCode();
      if (status == 200) {
        return fresh(uri, key, response);
      }
      if (status == 304 && cached != null) {
        notModified++;
        return new Page(parse(uri, cached.body()), cached.next());
      }
      if (status == 401) {
        throw new SourceException(
            "GitHub refused the token ("
                + token.reference()
                + "): GET "
                + uri
                + " answered 401"
                + message(response)
                + "; check that the token is valid, not expired and not revoked");
      }
      if (status == 403 || status == 429) {
        Optional<Wait> wait = rateLimitWait(response, secondaryHits);
        if (wait.isPresent()) {
          if (wait.get().backoff()) {
            secondaryHits++;
          }
          retries = rateLimited(uri, response, wait.get().duration(), retries);
          continue;
        }
        throw new SourceException(
            "GET "
                + uri
                + " answered 403 Forbidden"
                + message(response)
                + "; the token ("
                + token.reference()
                + ") may lack a permission (read access to pull requests, contents and"
                + " metadata), or the organisation may require SSO authorisation of the token");
      }
      if (status == 404) {
        throw new NotFoundException("GET " + uri + " answered 404 Not Found" + message(response));
      }
      if (status >= 500) {
        retries = transientFailure(uri, retries, "answered " + status + message(response));
        continue;
      }
      if (status >= 300 && status < 400 && status != 304) {
        throw new SourceException(
            "GET "
                + uri
                + " answered "
                + status
                + response.headers().firstValue("location").map(l -> ", moved to " + l).orElse("")
                + "; a renamed repository must be configured under its new name in repos");
      }
      throw new SourceException("GET " + uri + " answered " + status + message(response));
    }
  }

  private HttpClient client() {
    if (client == null) {
      client =
          HttpClient.newBuilder()
              .connectTimeout(requestTimeout)
              // Redirects are not followed: the token must not travel to another address.
              .followRedirects(HttpClient.Redirect.NEVER)
              .build();
    }
    return client;
  }

  private HttpRequest request(URI uri, @Nullable Cached cached) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .GET()
            .timeout(requestTimeout)
            .header("Accept", MEDIA_TYPE)
            .header("X-GitHub-Api-Version", API_VERSION)
            .header("Authorization", "Bearer " + token.value())
            .header("User-Agent", USER_AGENT);
    if ("http".equals(uri.getScheme())) {
      builder.version(HttpClient.Version.HTTP_1_1);
    }
    if (cached != null) {
      builder.header("If-None-Match", cached.etag());
    }
    return builder.build();
  }

  private Page fresh(URI uri, String key, HttpResponse<byte[]> response) throws SourceException {
    byte[] body = response.body();
    JsonNode json = parse(uri, body);
    String next = nextLink(response.headers().allValues("link"));
    if (next != null) {
      resolve(next); // refuse a next link that leaves the API root before it is ever followed
    }
    Optional<String> etag = response.headers().firstValue("etag");
    if (etag.isPresent() && !etag.get().isBlank()) {
      cache.put(key, new Cached(etag.get(), body, next));
    } else {
      cache.remove(key);
    }
    return new Page(json, next);
  }

  private JsonNode parse(URI uri, byte[] body) throws SourceException {
    try {
      return mapper.readTree(body);
    } catch (IOException e) {
      throw new SourceException("GET " + uri + ": the answer is not JSON: " + e.getMessage());
    }
  }

  /** A wait before a retry; {@code backoff} when it came from the exponential back-off. */
  private record Wait(Duration duration, boolean backoff) {}

  /**
   * How long to wait before retrying a 403 or 429, following GitHub's rules; empty when the answer
   * is not about a rate limit (a 403 for a missing permission).
   */
  private Optional<Wait> rateLimitWait(HttpResponse<byte[]> response, int secondaryHits) {
    Optional<Duration> retryAfter = retryAfter(response);
    if (retryAfter.isPresent()) {
      return Optional.of(new Wait(retryAfter.get(), false));
    }
    if (response.headers().firstValue("x-ratelimit-remaining").map("0"::equals).orElse(false)) {
      Optional<String> reset = response.headers().firstValue("x-ratelimit-reset");
      if (reset.isPresent()) {
        try {
          Instant at = Instant.ofEpochSecond(Long.parseLong(reset.get().trim()));
          return Optional.of(
              new Wait(atLeastOneSecond(Duration.between(clock.instant(), at)), false));
        } catch (NumberFormatException e) {
          // fall through to the back-off
        }
      }
      return Optional.of(new Wait(backoff(SECONDARY_FIRST_WAIT, secondaryHits, maxWait), true));
    }
    if (response.statusCode() == 429 || isSecondary(response)) {
      return Optional.of(new Wait(backoff(SECONDARY_FIRST_WAIT, secondaryHits, maxWait), true));
    }
    return Optional.empty();
  }

  private Optional<Duration> retryAfter(HttpResponse<byte[]> response) {
    Optional<String> header = response.headers().firstValue("retry-after");
    if (header.isEmpty()) {
      return Optional.empty();
    }
    String value = header.get().trim();
    try {
      return Optional.of(atLeastOneSecond(Duration.ofSeconds(Long.parseLong(value))));
    } catch (NumberFormatException e) {
      try {
        Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return Optional.of(atLeastOneSecond(Duration.between(clock.instant(), at)));
      } catch (DateTimeParseException notADate) {
        return Optional.empty();
      }
    }
  }

  private boolean isSecondary(HttpResponse<byte[]> response) {
    return githubMessage(response)
        .map(m -> m.toLowerCase(Locale.ROOT).contains("secondary rate limit"))
        .orElse(false);
  }

  private int rateLimited(URI uri, HttpResponse<byte[]> response, Duration wait, int retries)
      throws SourceException {
    String what =
        "GitHub rate limit hit: GET "
            + uri
            + " answered "
            + response.statusCode()
            + message(response)
            + limitHeaders(response);
    if (retries >= maxRetries) {
      throw new SourceException(what + "; still limited after " + retries + " retries");
    }
    await(
        wait,
        what
            + "; waiting "
            + format(wait)
            + " more would exceed maxWait "
            + format(maxWait)
            + " for this pull (waited "
            + format(waited)
            + " so far); run again later, raise maxWait, or use a token with a higher limit");
    return retries + 1;
  }

  private int transientFailure(URI uri, int retries, String what) throws SourceException {
    String failure = "GET " + uri + " " + what;
    if (retries >= maxRetries) {
      throw new SourceException(failure + " (gave up after " + (retries + 1) + " attempts)");
    }
    Duration wait = backoff(TRANSIENT_FIRST_WAIT, retries, TRANSIENT_MAX_WAIT);
    await(wait, failure + "; retrying would exceed maxWait " + format(maxWait) + " for this pull");
    return retries + 1;
  }

  private void await(Duration wait, String failure) throws SourceException {
    if (waited.plus(wait).compareTo(maxWait) > 0) {
      throw new SourceException(failure);
    }
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SourceException("interrupted while waiting: " + failure);
    }
    waited = waited.plus(wait);
  }

  private static String format(Duration duration) {
    return duration.isZero() ? "0s" : Durations.format(duration);
  }

  /** {@code first · 2^attempt}, capped. */
  static Duration backoff(Duration first, int attempt, Duration cap) {
    Duration wait = first.multipliedBy(1L << Math.min(attempt, 20));
    return wait.compareTo(cap) > 0 ? cap : wait;
  }

  private static Duration atLeastOneSecond(Duration duration) {
    return duration.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : duration;
  }

  private String limitHeaders(HttpResponse<byte[]> response) {
    StringBuilder text = new StringBuilder();
    response
        .headers()
        .firstValue("retry-after")
        .ifPresent(v -> text.append(", retry-after ").append(v).append('s'));
    response
        .headers()
        .firstValue("x-ratelimit-remaining")
        .ifPresent(v -> text.append(", x-ratelimit-remaining ").append(v));
    response
        .headers()
        .firstValue("x-ratelimit-reset")
        .ifPresent(
            v -> {
              try {
                text.append(", resets at ").append(Instant.ofEpochSecond(Long.parseLong(v)));
              } catch (NumberFormatException e) {
                text.append(", x-ratelimit-reset ").append(v);
              }
            });
    response
        .headers()
        .firstValue("x-ratelimit-resource")
        .ifPresent(v -> text.append(", resource ").append(v));
    return text.length() == 0 ? "" : " (" + text.substring(2) + ")";
  }

  /** GitHub's {@code message} (and the request id, for GitHub support), as ": ..." or empty. */
  private String message(HttpResponse<byte[]> response) {
    StringBuilder text = new StringBuilder();
    githubMessage(response).ifPresent(m -> text.append(": ").append(m));
    response
        .headers()
        .firstValue("x-github-request-id")
        .ifPresent(id -> text.append(" [x-github-request-id ").append(id).append(']'));
    return text.toString();
  }

  private Optional<String> githubMessage(HttpResponse<byte[]> response) {
    byte[] body = response.body();
    if (body == null || body.length == 0) {
      return Optional.empty();
    }
    try {
      JsonNode json = mapper.readTree(body);
      JsonNode message = json == null ? null : json.get("message");
      if (message == null || !message.isTextual() || message.asText().isBlank()) {
        return Optional.empty();
      }
      String text = message.asText().strip();
      return Optional.of(
          text.length() > MAX_MESSAGE_LENGTH ? text.substring(0, MAX_MESSAGE_LENGTH) + "…" : text);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** A path below the API root, or a next-page URL that must stay below it. */
  private URI resolve(String pathOrNext) throws SourceException {
    if (pathOrNext.startsWith("/")) {
      return URI.create(baseText + pathOrNext);
    }
    URI uri;
    try {
      uri = URI.create(pathOrNext);
    } catch (IllegalArgumentException e) {
      throw new SourceException("GitHub gave a malformed next-page link: " + pathOrNext);
    }
    String basePath = base.getRawPath() == null ? "" : base.getRawPath();
    boolean inside =
        base.getScheme().equalsIgnoreCase(String.valueOf(uri.getScheme()))
            && base.getHost() != null
            && base.getHost().equalsIgnoreCase(String.valueOf(uri.getHost()))
            && port(base) == port(uri)
            && uri.getRawPath() != null
            && uri.getRawPath().startsWith(basePath + "/");
    if (!inside) {
      throw new SourceException(
          "GitHub gave a next-page link outside "
              + baseText
              + " ("
              + pathOrNext
              + "); not following it, so that the token is not sent elsewhere");
    }
    return uri;
  }

  private static int port(URI uri) {
    if (uri.getPort() != -1) {
      return uri.getPort();
    }
    return "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
  }

  /** The {@code rel="next"} target of RFC 8288 {@code Link} header values, or null. */
  static @Nullable String nextLink(List<String> headerValues) {
    for (String value : headerValues) {
      Matcher link = LINK.matcher(value);
      while (link.find()) {
        Matcher rel = REL.matcher(link.group(2));
        while (rel.find()) {
          String rels = rel.group(1) != null ? rel.group(1) : rel.group(2);
          for (String one : rels.trim().split("\\s+")) {
            if (one.equalsIgnoreCase("next")) {
              return link.group(1).trim();
            }
          }
        }
      }
    }
    return null;
  }

  private static String stripQuery(String path) {
    int query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
  }

  @Override
  public String toString() {
    return "GitHub REST " + baseText;
  }
}
