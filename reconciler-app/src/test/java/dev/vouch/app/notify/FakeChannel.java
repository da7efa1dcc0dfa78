package dev.vouch.app.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A chat webhook on 127.0.0.1, speaking plain HTTP/1.1 through the JDK's server: it records every
 * request as it arrived and answers from a script, or by a function that looks at the request (to
 * verify a signature the way a receiver would).
 */
public final class FakeChannel implements AutoCloseable {
  /** A request as the server received it. */
  public record Request(
      String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public JsonNode json() {
      try {
        return new ObjectMapper().readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** An answer: status, headers, body. */
  public record Answer(int status, Map<String, String> headers, String body) {
    public static Answer of(int status, String body) {
      return new Answer(status, Map.of(), body);
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Deque<Answer> script = new ArrayDeque<>();
  private volatile Function<Request, Answer> responder = r -> Answer.of(200, "ok");

  private FakeChannel(HttpServer server) {
    this.server = server;
  }

  public static FakeChannel start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    FakeChannel channel = new FakeChannel(server);
    server.createContext("/", channel::handle);
    server.start();
    return channel;
  }

  /** Answers these first, in order, then as {@link #respond} says. */
  public synchronized FakeChannel script(Answer... answers) {
    script.addAll(List.of(answers));
    return this;
  }

  /** How to answer once the script is used up (default: 200 "ok", as Slack does). */
  public FakeChannel respond(Function<Request, Answer> responder) {
    this.responder = responder;
    return this;
  }

  public URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    Request request =
        new Request(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            exchange.getRequestURI().getRawQuery(),
            Map.copyOf(exchange.getRequestHeaders()),
            body);
    requests.add(request);
    Answer answer;
    synchronized (this) {
      answer = script.isEmpty() ? null : script.poll();
    }
    if (answer == null) {
      answer = responder.apply(request);
    }
    answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
    try (OutputStream stream = exchange.getResponseBody()) {
      stream.write(out);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
