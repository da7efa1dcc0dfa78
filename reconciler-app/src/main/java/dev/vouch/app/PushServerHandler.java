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
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers pushes on one listen address. A request goes through, in order: exact path (404), method
 * POST (405), bearer token when the endpoint has one (401), content encoding (415), declared length
 * (413 before reading), the body read with a running limit (413 as soon as it is exceeded), then
 * {@link PushEndpoint#accept}: its result is the answer; a {@link SourceException} is a 503 so the
 * sender retries; anything else a 500. Every answer is a small JSON object {@code
 * {"status":..,"items":..,"message":".."}}, and every request is logged as one line, without the
 * token or the body.
 */
final class PushServerHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(PushServer.class);
  private static final String BEARER = "Bearer ";
  private static final int READ_BUFFER = 16 * 1024;
  private static final int MAX_LOGGED_PATH = 200;

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

  private final Map<String, Route> routes;

  PushServerHandler(Map<String, Route> routes) {
    // Blocking: the body is read with a blocking stream and accept() forces data to disk.
    super(InvocationType.BLOCKING);
    this.routes = Map.copyOf(routes);
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
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    Content.Sink.write(response, true, json(answer), callback);
    return true;
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
    byte[] body;
    long[] read = new long[1];
    try {
      body = readBody(request, route.maxBody(), declared, read);
    } catch (IOException e) {
      return new Answer(
          400, 0, "could not read the request body", read[0], "read failed: " + e.getMessage());
    }
    if (body == null) {
      return new Answer(
          413,
          0,
          "the body exceeds the limit of " + route.maxBody() + " bytes",
          read[0],
          "refused while reading");
    }
    return accept(route, body, path);
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
   * Reads the whole body, or returns null as soon as it grows past {@code max}; {@code read[0]}
   * holds the bytes read so far. Unread content is left to Jetty, which drains what has already
   * arrived or else closes the connection.
   */
  private static byte @Nullable [] readBody(Request request, long max, long declared, long[] read)
      throws IOException {
    int limit = (int) Math.min(max, Integer.MAX_VALUE - 16L);
    InputStream in = Content.Source.asInputStream(request);
    ByteArrayOutputStream body =
        new ByteArrayOutputStream((int) Math.min(declared > 0 ? declared : READ_BUFFER, limit));
    byte[] buffer = new byte[READ_BUFFER];
    int n;
    while ((n = in.read(buffer)) != -1) {
      read[0] += n;
      if (read[0] > limit) {
        return null;
      }
      body.write(buffer, 0, n);
    }
    return body.toByteArray();
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

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
