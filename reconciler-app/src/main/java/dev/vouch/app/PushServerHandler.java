package dev.vouch.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.core.json.Json;
import dev.vouch.core.spi.PushEndpoint;
import dev.vouch.core.spi.PushEndpoint.PushResult;
import dev.vouch.core.spi.SourceException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers pushes on one listen address. A request goes through, in order: exact path (404), method
 * POST (405), bearer token when the endpoint has one (401), the per-client limit of requests in
 * flight (429), content encoding (415), declared length (413 before reading), the body read with a
 * running limit (413 as soon as it is exceeded) and a deadline (408 when it has not arrived whole
 * in time), then {@link PushEndpoint#accept}: its result is the answer; a {@link SourceException}
 * is a 503 so the sender retries; anything else a 500. Every answer is a small JSON object {@code
 * {"status":..,"items":..,"message":".."}}, and every request is logged as one line, without the
 * token or the body. Answers that ask for a retry (408, 429, 503) carry {@code Retry-After}: the
 * API server's webhook backend retries a 429, but any other status only with that header.
 */
final class PushServerHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(PushServer.class);
  private static final String BEARER = "Bearer ";
  private static final int READ_BUFFER = 16 * 1024;
  private static final int MAX_LOGGED_PATH = 200;

  /** The seconds a sender is asked to wait before it retries. */
  static final String RETRY_AFTER_SECONDS = "1";

  /** One endpoint as served: the digest of its token (null when mutual TLS authenticates). */
  record Route(PushEndpoint endpoint, String name, byte @Nullable [] tokenDigest, long maxBody) {
    static Route of(PushEndpoint endpoint, String name) {
      byte[] digest =
          endpoint.pushSettings().bearerToken().map(token -> sha256(token.value())).orElse(null);
      return new Route(endpoint, name, digest, endpoint.pushSettings().maxBodyBytes());
    }
  }

  /** What to answer and log. {@code reason} is logged only, and never holds request content. */
  private record Answer(
      int status, long items, String message, long bytes, @Nullable String reason) {}

  /** How reading a body ended. */
  private enum BodyOutcome {
    COMPLETE,
    TOO_LARGE,
    TIMED_OUT
  }

  /** A body read: the bytes when complete, and how many bytes arrived in any case. */
  private record Body(BodyOutcome outcome, byte @Nullable [] bytes, long read) {}

  private final Map<String, Route> routes;
  private final PushServer.Limits limits;
  private final ClientLimit clients;

  /**
   * @param clients the count of requests in flight per client, shared by every listener of a server
   *     so that a client cannot get around the limit by using another port
   */
  PushServerHandler(Map<String, Route> routes, PushServer.Limits limits, ClientLimit clients) {
    // Blocking: the body is read with a blocking stream and accept() forces data to disk.
    super(InvocationType.BLOCKING);
    this.routes = Map.copyOf(routes);
    this.limits = limits;
    this.clients = clients;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    Answer answer;
    try {
      answer = answer(request, response, path);
    } catch (RuntimeException e) {
      LOG.error("push to {} failed unexpectedly", loggable(path), e);
      answer = new Answer(500, 0, "internal error; see the receiver's log", 0, e.toString());
    }
    respond(request, response, callback, path, answer);
    return true;
  }

  /** Answers given without reading the request's body to its end. */
  private static final java.util.Set<Integer> ANSWERED_BEFORE_THE_BODY =
      java.util.Set.of(
          HttpStatus.UNAUTHORIZED_401,
          HttpStatus.NOT_FOUND_404,
          HttpStatus.METHOD_NOT_ALLOWED_405,
          HttpStatus.REQUEST_TIMEOUT_408,
          HttpStatus.PAYLOAD_TOO_LARGE_413,
          HttpStatus.UNSUPPORTED_MEDIA_TYPE_415,
          HttpStatus.TOO_MANY_REQUESTS_429);

  /** Logs a request's line and writes its answer. */
  private static void respond(
      Request request, Response response, Callback callback, String path, Answer answer) {
    LOG.info(
        "push {} {} -> {} items={} bytes={} from={}{}",
        request.getMethod(),
        loggable(path),
        answer.status(),
        answer.items(),
        answer.bytes(),
        Request.getRemoteAddr(request),
        answer.reason() == null ? "" : " (" + answer.reason() + ")");
    response.setStatus(answer.status());
    if (answer.status() == HttpStatus.REQUEST_TIMEOUT_408
        || answer.status() == HttpStatus.TOO_MANY_REQUESTS_429
        || answer.status() == HttpStatus.SERVICE_UNAVAILABLE_503) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, RETRY_AFTER_SECONDS);
    }
    if (ANSWERED_BEFORE_THE_BODY.contains(answer.status())) {
      // The body was not read (or not to its end): the rest of it may still come, so the
      // connection cannot carry another request. Saying so keeps a client from sending its next
      // request on a connection the server is about to close.
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    Content.Sink.write(response, true, json(answer), callback);
  }

  private Answer answer(Request request, Response response, String path) {
    Route route = routes.get(path);
    if (route == null) {
      return new Answer(404, 0, "no push endpoint at this path", 0, null);
    }
    if (!HttpMethod.POST.is(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, "POST");
      return new Answer(405, 0, "only POST is allowed", 0, null);
    }
    if (route.tokenDigest() != null) {
      String problem = checkToken(request, route.tokenDigest());
      if (problem != null) {
        response
            .getHeaders()
            .put(
                HttpHeader.WWW_AUTHENTICATE,
                problem.startsWith("missing")
                    ? "Bearer realm=\"vouch\""
                    : "Bearer realm=\"vouch\", error=\"invalid_token\"");
        return new Answer(401, 0, "unauthorized: " + problem, 0, problem);
      }
    }
    String client = Request.getRemoteAddr(request);
    if (!clients.tryAcquire(client, limits.maxConcurrentPerClient())) {
      return new Answer(
          429,
          0,
          "too many requests in flight from "
              + client
              + " (at most "
              + limits.maxConcurrentPerClient()
              + " at a time); retry when one has been answered",
          0,
          "per-client limit");
    }
    try {
      return read(request, route, path);
    } finally {
      clients.release(client);
    }
  }

  /** The rest of a request that holds one of its client's slots: checks, body, accept. */
  private Answer read(Request request, Route route, String path) {
    String encoding = request.getHeaders().get(HttpHeader.CONTENT_ENCODING);
    if (encoding != null && !encoding.isBlank() && !"identity".equalsIgnoreCase(encoding.trim())) {
      return new Answer(
          415, 0, "Content-Encoding is not supported; send the body uncompressed", 0, null);
    }
    long declared = request.getLength();
    if (declared > route.maxBody()) {
      return new Answer(
          413,
          0,
          "the body of " + declared + " bytes exceeds the limit of " + route.maxBody() + " bytes",
          0,
          "declared length " + declared);
    }
    long[] read = new long[1];
    Body body;
    try {
      body = readBody(request, route.maxBody(), declared, limits.bodyReadTimeout(), read);
    } catch (IOException e) {
      return new Answer(
          400, 0, "could not read the request body", read[0], "read failed: " + e.getMessage());
    }
    return switch (body.outcome()) {
      case COMPLETE -> accept(route, Objects.requireNonNull(body.bytes()), path);
      case TOO_LARGE ->
          new Answer(
              413,
              0,
              "the body exceeds the limit of " + route.maxBody() + " bytes",
              body.read(),
              "refused while reading");
      case TIMED_OUT ->
          new Answer(
              408,
              0,
              "the body did not arrive whole within "
                  + limits.bodyReadTimeout().toMillis()
                  + " ms (received "
                  + body.read()
                  + " bytes); nothing was stored",
              body.read(),
              "body read timeout");
    };
  }

  private static Answer accept(Route route, byte[] body, String path) {
    try {
      PushResult result = route.endpoint().accept(body);
      if (result == null || result.status() < 200 || result.status() > 599) {
        LOG.error(
            "push to {}: {} answered an invalid result {}", loggable(path), route.name(), result);
        return new Answer(500, 0, "internal error; see the receiver's log", body.length, null);
      }
      return new Answer(
          result.status(),
          result.items(),
          result.message() == null ? "" : result.message(),
          body.length,
          null);
    } catch (SourceException e) {
      LOG.warn(
          "push to {}: {} could not store the body: {}", loggable(path), route.name(), chain(e));
      String message = e.getMessage() == null ? "could not store the body" : e.getMessage();
      return new Answer(503, 0, message, body.length, "not stored");
    } catch (RuntimeException e) {
      LOG.error("push to {}: {} failed unexpectedly", loggable(path), route.name(), e);
      return new Answer(500, 0, "internal error; see the receiver's log", body.length, null);
    }
  }

  /** Null when the token is right, otherwise what is wrong (never the token itself). */
  private static @Nullable String checkToken(Request request, byte[] expectedDigest) {
    List<String> values = request.getHeaders().getValuesList(HttpHeader.AUTHORIZATION);
    if (values.isEmpty()) {
      return "missing bearer token";
    }
    if (values.size() > 1) {
      return "more than one Authorization header";
    }
    String value = values.get(0).trim();
    if (!value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return "not a bearer token";
    }
    // Comparing fixed-length digests in constant time reveals neither content nor length.
    byte[] given = sha256(value.substring(BEARER.length()).trim());
    return MessageDigest.isEqual(given, expectedDigest) ? null : "wrong bearer token";
  }

  /**
   * Reads the whole body within {@code timeout} from now. Stops as soon as the body grows past
   * {@code max} ({@link BodyOutcome#TOO_LARGE}), or when the time is up ({@link
   * BodyOutcome#TIMED_OUT}), whether the sender stalled or trickles: before each read, the
   * connection's idle timeout is set to the time left, so a blocked read ends at the deadline, and
   * the deadline is checked after each read, so a byte now and then does not extend it. Unread
   * content is left to Jetty, which drains what has already arrived or else closes the connection.
   * {@code read[0]} holds the bytes read so far, also when an {@link IOException} is thrown.
   */
  private static Body readBody(
      Request request, long max, long declared, Duration timeout, long[] read) throws IOException {
    int limit = (int) Math.min(max, Integer.MAX_VALUE - 16L);
    EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
    long idleTimeout = endPoint.getIdleTimeout();
    long deadline = System.nanoTime() + timeout.toNanos();
    InputStream in = Content.Source.asInputStream(request);
    ByteArrayOutputStream body =
        new ByteArrayOutputStream((int) Math.min(declared > 0 ? declared : READ_BUFFER, limit));
    byte[] buffer = new byte[READ_BUFFER];
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return new Body(BodyOutcome.TIMED_OUT, null, read[0]);
        }
        endPoint.setIdleTimeout(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        int n;
        try {
          n = in.read(buffer);
        } catch (IOException e) {
          if (isTimeout(e)) {
            return new Body(BodyOutcome.TIMED_OUT, null, read[0]);
          }
          throw e;
        }
        if (n == -1) {
          return new Body(BodyOutcome.COMPLETE, body.toByteArray(), read[0]);
        }
        read[0] += n;
        if (read[0] > limit) {
          return new Body(BodyOutcome.TOO_LARGE, null, read[0]);
        }
        body.write(buffer, 0, n);
      }
    } finally {
      endPoint.setIdleTimeout(idleTimeout);
    }
  }

  /** Whether a read failed because the connection's idle timeout expired. */
  private static boolean isTimeout(IOException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }

  private static String json(Answer answer) {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("status", answer.status());
    node.put("items", answer.items());
    node.put("message", answer.message());
    try {
      return Json.mapper().writeValueAsString(node) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON answer", e);
    }
  }

  /** An exception and its causes on one line, without stack traces. */
  private static String chain(Throwable e) {
    StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      text.append("; caused by ").append(cause);
    }
    return text.toString();
  }

  /** The path as logged: bounded and without control characters (log injection). */
  private static String loggable(String path) {
    String bounded =
        path.length() > MAX_LOGGED_PATH ? path.substring(0, MAX_LOGGED_PATH) + "..." : path;
    StringBuilder out = new StringBuilder(bounded.length());
    for (int i = 0; i < bounded.length(); i++) {
      char c = bounded.charAt(i);
      out.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return out.toString();
  }

  /**
   * Lets requests in flight finish when the server stops, and refuses new ones (arriving on
   * connections already open) with a 503 the sender retries: Jetty's own refusal has no {@code
   * Retry-After}, without which the API server's webhook backend drops the batch.
   */
  static final class StoppingGracefully extends GracefulHandler {
    StoppingGracefully(PushServerHandler handler) {
      super(handler);
    }

    @Override
    protected void handleShutdownRejection(Request request, Response response, Callback callback) {
      respond(
          request,
          response,
          callback,
          Request.getPathInContext(request),
          new Answer(503, 0, "the receiver is stopping; retry later", 0, "stopping"));
    }
  }

  /**
   * The requests in flight per client address. Entries exist only while a client has requests in
   * flight, so the map does not grow with the number of clients ever seen.
   */
  static final class ClientLimit {
    private final ConcurrentMap<String, Integer> inFlight = new ConcurrentHashMap<>();

    /** Takes a slot for the client unless it already has {@code max}; true when taken. */
    boolean tryAcquire(String client, int max) {
      boolean[] taken = {false};
      inFlight.compute(
          client,
          (key, count) -> {
            int current = count == null ? 0 : count;
            if (current >= max) {
              return count;
            }
            taken[0] = true;
            return current + 1;
          });
      return taken[0];
    }

    /** Gives back a slot taken by {@link #tryAcquire}. */
    void release(String client) {
      inFlight.computeIfPresent(client, (key, count) -> count <= 1 ? null : count - 1);
    }
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
