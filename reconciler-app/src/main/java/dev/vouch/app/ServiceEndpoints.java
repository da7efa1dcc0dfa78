package dev.vouch.app;

import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP endpoints of {@code vouch serve}, for the platform that runs it:
 *
 * <ul>
 *   <li>{@code GET /healthz}: 200 while the process answers (a liveness probe);
 *   <li>{@code GET /readyz}: 200 when the store answers and the scheduler has started, else 503
 *       with the reason (a readiness probe);
 *   <li>{@code GET /metrics}: the Prometheus text exposition of {@link ServiceMetrics}.
 * </ul>
 *
 * Plain HTTP, on loopback unless configured otherwise: nothing here is secret, but nothing here is
 * for the world either.
 */
final class ServiceEndpoints implements AutoCloseable {
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /** Whether the service can do its work, and if not, why. */
  @FunctionalInterface
  interface Readiness {
    /** Null when ready, else the reason it is not. */
    @Nullable String notReadyBecause();
  }

  private final Server server;

  private ServiceEndpoints(Server server) {
    this.server = server;
  }

  /** Starts listening; fails when the address cannot be bound. */
  static ServiceEndpoints start(
      String bind, int port, Readiness readiness, Supplier<String> metrics) throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(8, 2);
    threads.setName("vouch-http");
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(bind);
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(new Endpoints(readiness, metrics));
    server.setStopTimeout(2_000);
    server.setStopAtShutdown(false);
    server.start();
    return new ServiceEndpoints(server);
  }

  /** The port listened on (the one chosen when 0 was configured). */
  int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      // Stopping is best effort: the process is going away.
    }
  }

  private static final class Endpoints extends Handler.Abstract.NonBlocking {
    private final Readiness readiness;
    private final Supplier<String> metrics;

    Endpoints(Readiness readiness, Supplier<String> metrics) {
      this.readiness = readiness;
      this.metrics = metrics;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String path = Request.getPathInContext(request);
      if (!path.equals("/healthz") && !path.equals("/readyz") && !path.equals("/metrics")) {
        return answer(response, callback, HttpStatus.NOT_FOUND_404, "not found\n", null);
      }
      if (!HttpMethod.GET.is(request.getMethod()) && !HttpMethod.HEAD.is(request.getMethod())) {
        response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
        return answer(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "use GET\n", null);
      }
      switch (path) {
        case "/healthz":
          return answer(response, callback, HttpStatus.OK_200, "ok\n", null);
        case "/readyz":
          String reason;
          try {
            reason = readiness.notReadyBecause();
          } catch (RuntimeException e) {
            reason = "readiness check failed: " + e.getMessage();
          }
          return reason == null
              ? answer(response, callback, HttpStatus.OK_200, "ready\n", null)
              : answer(
                  response,
                  callback,
                  HttpStatus.SERVICE_UNAVAILABLE_503,
                  "not ready: " + reason + "\n",
                  null);
        default:
          return answer(response, callback, HttpStatus.OK_200, metrics.get(), PROMETHEUS_TEXT);
      }
    }

    private static boolean answer(
        Response response,
        Callback callback,
        int status,
        String body,
        @Nullable String contentType) {
      response.setStatus(status);
      response
          .getHeaders()
          .put(
              HttpHeader.CONTENT_TYPE,
              contentType == null ? "text/plain; charset=utf-8" : contentType);
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
      Content.Sink.write(response, true, body, callback);
      return true;
    }
  }
}
