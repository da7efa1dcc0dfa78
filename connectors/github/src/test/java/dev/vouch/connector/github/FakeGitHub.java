package dev.vouch.connector.github;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A local fake of the part of GitHub's REST API the source uses, on a real HTTP server
 * (MockWebServer): the pull request list sorted by last update with {@code Link} pagination, the
 * single pull request, its reviews and commits (paginated too), weak ETags with 304 answers to
 * {@code If-None-Match}, 401 for a wrong token and 404 for an unknown repository. Tests can queue
 * answers for a path (rate limits, errors) that are served before the normal ones.
 */
final class FakeGitHub extends Dispatcher implements AutoCloseable {
  static final String TOKEN = "ghp_Fake0123456789abcdefFAKEtoken4242";

  private final MockWebServer server = new MockWebServer();
  private final String prefix;
  private final Map<String, List<Shapes.PullRequest>> repos = new LinkedHashMap<>();
  private final Map<String, List<ObjectNode>> reviews = new ConcurrentHashMap<>();
  private final Map<String, List<ObjectNode>> commits = new ConcurrentHashMap<>();
  private final Map<String, Deque<MockResponse>> scripted = new ConcurrentHashMap<>();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private volatile int pageSize = 100;

  /** A fake at the API root {@code prefix}: empty for github.com, {@code /api/v3} for GHES. */
  FakeGitHub(String prefix) {
    this.prefix = prefix;
    server.setDispatcher(this);
    try {
      server.start(InetAddress.getByName("127.0.0.1"), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  FakeGitHub() {
    this("");
  }

  /** The base URL to configure, such as {@code http://127.0.0.1:4711/api/v3}. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getPort() + prefix;
  }

  FakeGitHub pageSize(int size) {
    pageSize = size;
    return this;
  }

  synchronized FakeGitHub repo(String repo) {
    repos.computeIfAbsent(repo, r -> new ArrayList<>());
    return this;
  }

  /** Adds (or replaces) a pull request with its reviews and commits. */
  synchronized FakeGitHub add(
      Shapes.PullRequest pr, List<ObjectNode> prReviews, List<ObjectNode> prCommits) {
    repo(pr.repo);
    repos.get(pr.repo).removeIf(p -> p.number == pr.number);
    repos.get(pr.repo).add(pr);
    reviews.put(pr.key(), new ArrayList<>(prReviews));
    commits.put(pr.key(), new ArrayList<>(prCommits));
    return this;
  }

  FakeGitHub add(Shapes.PullRequest pr) {
    return add(pr, List.of(), List.of(defaultCommit(pr)));
  }

  static ObjectNode defaultCommit(Shapes.PullRequest pr) {
    return Shapes.commit(
        pr.headSha, pr.author, pr.author, pr.author + "@example.com", "Implement " + pr.title);
  }

  /** Answers queued for an API path (without the prefix and query), served before the normal. */
  FakeGitHub script(String apiPath, MockResponse... responses) {
    scripted.computeIfAbsent(apiPath, p -> new ArrayDeque<>()).addAll(List.of(responses));
    return this;
  }

  /** Every request received, in order. */
  List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  void clearRequests() {
    requests.clear();
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    requests.add(request);
    HttpUrl url = request.getRequestUrl();
    String path = url == null ? "" : url.encodedPath();
    if (!path.startsWith(prefix + "/")) {
      return error(404, "Not Found");
    }
    String apiPath = path.substring(prefix.length());
    Deque<MockResponse> queued = scripted.get(apiPath);
    if (queued != null) {
      synchronized (queued) {
        if (!queued.isEmpty()) {
          return queued.poll();
        }
      }
    }
    if (!("Bearer " + TOKEN).equals(request.getHeader("Authorization"))) {
      return error(401, "Bad credentials");
    }
    String[] parts = apiPath.split("/");
    // "", repos, owner, repo, pulls[, n[, reviews|commits]]
    if (parts.length < 5 || !parts[1].equals("repos") || !parts[4].equals("pulls")) {
      return error(404, "Not Found");
    }
    String repo = parts[2] + "/" + parts[3];
    List<Shapes.PullRequest> pulls;
    synchronized (this) {
      if (!repos.containsKey(repo)) {
        return error(404, "Not Found");
      }
      pulls = new ArrayList<>(repos.get(repo));
    }
    if (parts.length == 5) {
      pulls.sort(Comparator.comparing((Shapes.PullRequest p) -> p.updatedAt).reversed());
      List<JsonNode> items = new ArrayList<>();
      pulls.forEach(p -> items.add(p.listItem()));
      return page(request, url, items);
    }
    Shapes.PullRequest pr =
        pulls.stream()
            .filter(p -> String.valueOf(p.number).equals(parts[5]))
            .findFirst()
            .orElse(null);
    if (pr == null) {
      return error(404, "Not Found");
    }
    if (parts.length == 6) {
      return answer(request, Shapes.MAPPER.valueToTree(pr.single()), null);
    }
    if (parts.length == 7 && parts[6].equals("reviews")) {
      return page(request, url, new ArrayList<>(reviews.get(pr.key())));
    }
    if (parts.length == 7 && parts[6].equals("commits")) {
      return page(request, url, new ArrayList<>(commits.get(pr.key())));
    }
    return error(404, "Not Found");
  }

  private MockResponse page(RecordedRequest request, HttpUrl url, List<? extends JsonNode> items) {
    String pageText = url.queryParameter("page");
    int page = pageText == null ? 1 : Integer.parseInt(pageText);
    int size = pageSize;
    int from = Math.min((page - 1) * size, items.size());
    int to = Math.min(from + size, items.size());
    ArrayNode body = Shapes.MAPPER.createArrayNode();
    items.subList(from, to).forEach(body::add);
    int last = Math.max(1, (items.size() + size - 1) / size);
    String link = null;
    if (page < last) {
      link =
          "<"
              + url.newBuilder().setQueryParameter("page", String.valueOf(page + 1)).build()
              + ">; rel=\"next\", <"
              + url.newBuilder().setQueryParameter("page", String.valueOf(last)).build()
              + ">; rel=\"last\"";
    }
    return answer(request, body, link);
  }

  private static MockResponse answer(RecordedRequest request, JsonNode body, String link) {
    String json = write(body);
    String etag = "W/\"" + sha256(json) + "\"";
    if (etag.equals(request.getHeader("If-None-Match"))) {
      // GitHub's 304 has no body; it repeats the ETag.
      return limits(new MockResponse().setResponseCode(304).addHeader("ETag", etag));
    }
    MockResponse response =
        new MockResponse()
            .setResponseCode(200)
            .addHeader("Content-Type", "application/json; charset=utf-8")
            .addHeader("ETag", etag)
            .setBody(json);
    if (link != null) {
      response.addHeader("Link", link);
    }
    return limits(response);
  }

  private static MockResponse limits(MockResponse response) {
    return response
        .addHeader("x-github-api-version-selected", "2022-11-28")
        .addHeader("x-ratelimit-limit", "5000")
        .addHeader("x-ratelimit-remaining", "4999")
        .addHeader("x-ratelimit-reset", "1795000000")
        .addHeader("x-ratelimit-resource", "core");
  }

  static MockResponse error(int status, String message) {
    ObjectNode body = Shapes.MAPPER.createObjectNode();
    body.put("message", message);
    body.put("documentation_url", "https://docs.github.com/rest");
    body.put("status", String.valueOf(status));
    return new MockResponse()
        .setResponseCode(status)
        .addHeader("Content-Type", "application/json; charset=utf-8")
        .addHeader("x-github-request-id", "CAFE:0042:1234:5678:ABCDEF01")
        .setBody(write(body));
  }

  /** A 429 with retry-after, as GitHub sends it for some limits. */
  static MockResponse retryAfter(int status, long seconds) {
    return error(status, "API rate limit exceeded").addHeader("retry-after", seconds);
  }

  /** The primary limit: 403, remaining 0, reset in epoch seconds. */
  static MockResponse primaryLimit(long resetEpochSecond) {
    return error(403, "API rate limit exceeded for user ID 4242.")
        .addHeader("x-ratelimit-limit", "5000")
        .addHeader("x-ratelimit-remaining", "0")
        .addHeader("x-ratelimit-used", "5000")
        .addHeader("x-ratelimit-reset", resetEpochSecond)
        .addHeader("x-ratelimit-resource", "core");
  }

  /** A secondary limit without retry-after. */
  static MockResponse secondaryLimit() {
    return error(
        403,
        "You have exceeded a secondary rate limit. Please wait a few minutes before you try"
            + " again. If you reach out to GitHub Support for help, please include the request ID"
            + " CAFE:0042.");
  }

  static String write(JsonNode node) {
    try {
      return Shapes.MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws IOException {
    server.shutdown();
  }
}
