package dev.vouch.app;

import dev.vouch.core.spi.ChangeSource;
import dev.vouch.core.spi.PushEndpoint;
import dev.vouch.core.spi.PushEndpoint.PushSettings;
import dev.vouch.core.spi.SettingsNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@link PushEndpoint}s over HTTP(S): one Jetty server per listen address, each routing
 * POSTs by exact path to its endpoints (see {@link PushServerHandler} for what a request goes
 * through). HTTPS when the endpoints of an address name a key store, with mutual TLS when they also
 * name a client CA; plain HTTP otherwise (tests and local use).
 *
 * <p>Slow or abusive clients cannot starve the others ({@link Limits}): a body must arrive whole
 * within a deadline, and one client address may have only so many requests in flight.
 *
 * <p>{@link #close()} stops gracefully: new requests are refused with 503 and {@code Retry-After}
 * (the sender retries), requests in flight finish, for at most the stop timeout.
 */
public final class PushServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PushServer.class);

  /** How long {@link #close()} waits for requests in flight by default. */
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);

  private static final int MAX_THREADS = 64;
  private static final int MIN_THREADS = 4;

  /**
   * Limits that apply to every endpoint of the server.
   *
   * @param bodyReadTimeout how long a request's body may take to arrive whole, from when the
   *     handler starts reading it; a sender that stalls or trickles is answered 408 (with {@code
   *     Retry-After}, connection closed) and nothing of its body is stored. The headers before it
   *     are bounded by Jetty's idle timeout (30 s between bytes) and header size limit, and are
   *     read without holding a thread.
   * @param maxConcurrentPerClient how many requests one remote IP address may have in flight at
   *     once; more are answered 429 with {@code Retry-After}, so that one slow client cannot hold
   *     every thread. Behind a proxy, every request comes from the proxy's address.
   */
  public record Limits(Duration bodyReadTimeout, int maxConcurrentPerClient) {
    /**
     * 30 s is the API server's own timeout for a whole webhook request, so a body that takes longer
     * is one it has given up on anyway; 4 requests at a time from one API server leave room for a
     * burst of batches while the spool forces earlier ones to disk, and hold at most 4 of the 64
     * threads.
     */
    public static final Limits DEFAULT = new Limits(Duration.ofSeconds(30), 4);

    public Limits {
      Objects.requireNonNull(bodyReadTimeout, "bodyReadTimeout");
      if (bodyReadTimeout.isNegative() || bodyReadTimeout.isZero()) {
        throw new IllegalArgumentException(
            "bodyReadTimeout must be positive, not " + bodyReadTimeout);
      }
      if (maxConcurrentPerClient < 1) {
        throw new IllegalArgumentException(
            "maxConcurrentPerClient must be at least 1, not " + maxConcurrentPerClient);
      }
    }
  }

  /**
   * Where one endpoint is served.
   *
   * @param listen the configured listen address, as in {@link PushSettings#listen()}
   * @param url the URL to give senders: the configured host, the bound port and the path
   */
  public record Binding(PushEndpoint endpoint, String listen, URI url) {}

  /** The server could not start; the message names the endpoints and settings concerned. */
  public static final class StartException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean configurationProblem;

    StartException(String message, boolean configurationProblem, @Nullable Throwable cause) {
      super(message, cause);
      this.configurationProblem = configurationProblem;
    }

    /**
     * True when the settings are wrong (conflicting listeners, unreadable key store or CA); false
     * when the environment refused (the address is in use or may not be bound).
     */
    public boolean configurationProblem() {
      return configurationProblem;
    }
  }

  private final List<Server> servers;
  private final List<Binding> bindings;
  private final Map<String, Integer> ports;
  private final AtomicBoolean closed = new AtomicBoolean();

  private PushServer(List<Server> servers, List<Binding> bindings, Map<String, Integer> ports) {
    this.servers = List.copyOf(servers);
    this.bindings = List.copyOf(bindings);
    this.ports = Collections.unmodifiableMap(ports);
  }

  /** Starts serving the endpoints, with the default limits and stop timeout. */
  public static PushServer start(List<? extends PushEndpoint> endpoints) throws StartException {
    return start(endpoints, Limits.DEFAULT, DEFAULT_STOP_TIMEOUT);
  }

  /**
   * Checks the endpoints' settings, then binds and starts one server per listen address. Either
   * every listener starts or none is left running.
   */
  public static PushServer start(
      List<? extends PushEndpoint> endpoints, Limits limits, Duration stopTimeout)
      throws StartException {
    if (endpoints.isEmpty()) {
      throw new StartException("no endpoint to serve", true, null);
    }
    Map<Address, List<PushEndpoint>> byAddress = new LinkedHashMap<>();
    for (PushEndpoint endpoint : endpoints) {
      Address address = Address.parse(endpoint);
      byAddress.computeIfAbsent(address, a -> new ArrayList<>()).add(endpoint);
    }
    // Check everything before binding anything, so that a configuration error is reported whole
    // and leaves no port open.
    Map<Address, Listener> listeners = new LinkedHashMap<>();
    for (Map.Entry<Address, List<PushEndpoint>> group : byAddress.entrySet()) {
      listeners.put(group.getKey(), Listener.check(group.getKey(), group.getValue()));
    }
    List<Server> started = new ArrayList<>();
    List<Binding> bindings = new ArrayList<>();
    Map<String, Integer> ports = new LinkedHashMap<>();
    PushServerHandler.ClientLimit clients = new PushServerHandler.ClientLimit();
    try {
      for (Map.Entry<Address, Listener> entry : listeners.entrySet()) {
        Address address = entry.getKey();
        Listener listener = entry.getValue();
        Server server = listener.newServer(address, limits, clients, stopTimeout);
        int port = startServer(server, address, listener);
        started.add(server);
        for (PushEndpoint endpoint : listener.endpoints()) {
          ports.put(endpoint.pushSettings().listen(), port);
          bindings.add(
              new Binding(
                  endpoint,
                  endpoint.pushSettings().listen(),
                  address.url(listener.tls() != null, port, endpoint.path())));
        }
        LOG.info(
            "push listener on {} ({}), port {}: {}",
            address,
            listener.tls() == null ? "http" : listener.tls().clientCa() == null ? "https" : "mtls",
            port,
            listener.endpoints().stream().map(PushServer::describe).toList());
      }
    } catch (StartException e) {
      stopAll(started);
      throw e;
    }
    return new PushServer(started, bindings, ports);
  }

  private static int startServer(Server server, Address address, Listener listener)
      throws StartException {
    try {
      server.start();
      return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    } catch (Exception e) {
      stopQuietly(server);
      String endpoints =
          String.join(", ", listener.endpoints().stream().map(PushServer::describe).toList());
      Throwable cause = e;
      while (cause.getCause() != null && !(cause instanceof BindException)) {
        cause = cause.getCause();
      }
      if (cause instanceof BindException || e instanceof IOException) {
        throw new StartException(
            "cannot listen on " + address + " for " + endpoints + ": " + cause.getMessage(),
            false,
            e);
      }
      throw new StartException(
          "cannot start the listener on " + address + " for " + endpoints + ": " + e, true, e);
    }
  }

  /** One binding per endpoint, in the order the endpoints were given. */
  public List<Binding> bindings() {
    return bindings;
  }

  /**
   * The port actually bound for a configured listen address (differs from the configured one only
   * when that was 0).
   */
  public int port(String listen) {
    Integer port = ports.get(listen);
    if (port == null) {
      throw new IllegalArgumentException("no endpoint listens on " + listen);
    }
    return port;
  }

  /**
   * Stops gracefully: refuses new requests, lets requests in flight finish (up to the stop
   * timeout), then closes every listener. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    stopAll(servers);
  }

  private static void stopAll(List<Server> servers) {
    // In parallel, so that one listener's slow requests do not keep the others accepting.
    List<Thread> stoppers = new ArrayList<>();
    for (Server server : servers) {
      Thread stopper = new Thread(() -> stopQuietly(server), "vouch-push-stop");
      stopper.start();
      stoppers.add(stopper);
    }
    boolean interrupted = false;
    for (Thread stopper : stoppers) {
      while (true) {
        try {
          stopper.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("push listener did not stop cleanly: {}", e.toString());
    }
  }

  /** How an endpoint is named in messages: its source's name when it is one, and its path. */
  static String describe(PushEndpoint endpoint) {
    if (endpoint instanceof ChangeSource source) {
      return "source '" + source.name() + "' (" + endpoint.path() + ")";
    }
    return "endpoint " + endpoint.path();
  }

  /** A parsed listen address: host (empty for every interface) and port. */
  record Address(String host, int port) {
    static Address parse(PushEndpoint endpoint) throws StartException {
      String listen = endpoint.pushSettings().listen();
      int colon = listen == null ? -1 : listen.lastIndexOf(':');
      if (colon < 0) {
        throw new StartException(
            describe(endpoint) + ": listen '" + listen + "' must be host:port, e.g. 0.0.0.0:8443",
            true,
            null);
      }
      String host = listen.substring(0, colon).trim();
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      int port;
      try {
        port = Integer.parseInt(listen.substring(colon + 1).trim());
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 0 || port > 65535) {
        throw new StartException(
            describe(endpoint)
                + ": listen '"
                + listen
                + "' must end with a port number between 0 and 65535",
            true,
            null);
      }
      return new Address(host, port);
    }

    URI url(boolean https, int boundPort, String path) {
      String shownHost = host.isEmpty() ? "0.0.0.0" : host.contains(":") ? "[" + host + "]" : host;
      return URI.create((https ? "https" : "http") + "://" + shownHost + ":" + boundPort + path);
    }

    @Override
    public String toString() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  /** The TLS material of one listener, already loaded and checked. */
  record Tls(KeyStore keyStore, String keyStorePassword, @Nullable KeyStore clientCa) {}

  /** The checked endpoints of one listen address and their shared TLS settings. */
  record Listener(
      List<PushEndpoint> endpoints,
      Map<String, PushServerHandler.Route> routes,
      @Nullable Tls tls) {

    static Listener check(Address address, List<PushEndpoint> endpoints) throws StartException {
      PushEndpoint first = endpoints.get(0);
      Map<String, PushServerHandler.Route> routes = new LinkedHashMap<>();
      Map<String, PushEndpoint> byPath = new LinkedHashMap<>();
      for (PushEndpoint endpoint : endpoints) {
        PushSettings settings = endpoint.pushSettings();
        String path = endpoint.path();
        if (path == null || !path.startsWith("/")) {
          throw new StartException(
              describe(endpoint) + ": the path must start with '/', not '" + path + "'",
              true,
              null);
        }
        PushEndpoint samePath = byPath.putIfAbsent(path, endpoint);
        if (samePath != null) {
          throw new StartException(
              describe(samePath)
                  + " and "
                  + describe(endpoint)
                  + " both answer on "
                  + address
                  + path
                  + "; give them different paths or listen addresses",
              true,
              null);
        }
        if (!sameTls(first.pushSettings(), settings)) {
          throw new StartException(
              describe(first)
                  + " and "
                  + describe(endpoint)
                  + " both listen on "
                  + address
                  + " but with different TLS settings (key store, its password or client CA);"
                  + " one listen address has one TLS configuration: make them equal or use"
                  + " different listen addresses",
              true,
              null);
        }
        if (settings.maxBodyBytes() <= 0) {
          throw new StartException(
              describe(endpoint) + ": the body size limit must be positive", true, null);
        }
        if (settings.bearerToken().isEmpty() && settings.clientCa() == null) {
          throw new StartException(
              describe(endpoint)
                  + " has neither a bearer token nor a client CA: anyone could push to it",
              true,
              null);
        }
        if (settings.bearerToken().map(t -> t.value().isEmpty()).orElse(false)) {
          throw new StartException(describe(endpoint) + ": the bearer token is empty", true, null);
        }
        if (settings.clientCa() != null && settings.keyStore() == null) {
          throw new StartException(
              describe(endpoint)
                  + ": a client CA (mutual TLS) needs HTTPS; set the key store as well",
              true,
              null);
        }
        routes.put(path, PushServerHandler.Route.of(endpoint, describe(endpoint)));
      }
      PushSettings settings = first.pushSettings();
      Tls tls = null;
      if (settings.keyStore() != null) {
        String password = settings.keyStorePassword().map(SettingsNode.Secret::value).orElse("");
        KeyStore keyStore = loadKeyStore(settings.keyStore(), password, first);
        KeyStore clientCa =
            settings.clientCa() == null ? null : loadCertificates(settings.clientCa(), first);
        tls = new Tls(keyStore, password, clientCa);
      }
      return new Listener(List.copyOf(endpoints), routes, tls);
    }

    private static boolean sameTls(PushSettings a, PushSettings b) {
      return Objects.equals(a.keyStore(), b.keyStore())
          && Objects.equals(
              a.keyStorePassword().map(SettingsNode.Secret::value),
              b.keyStorePassword().map(SettingsNode.Secret::value))
          && Objects.equals(a.clientCa(), b.clientCa());
    }

    Server newServer(
        Address address,
        Limits limits,
        PushServerHandler.ClientLimit clients,
        Duration stopTimeout) {
      QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
      threads.setName("vouch-push-" + address.port());
      Server server = new Server(threads);
      HttpConfiguration http = new HttpConfiguration();
      http.setSendServerVersion(false);
      http.setSendXPoweredBy(false);
      ServerConnector connector;
      if (tls == null) {
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
      } else {
        http.setSecureScheme("https");
        http.addCustomizer(new SecureRequestCustomizer());
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(tls.keyStore());
        ssl.setKeyStorePassword(tls.keyStorePassword());
        if (tls.clientCa() != null) {
          ssl.setTrustStore(tls.clientCa());
          ssl.setNeedClientAuth(true);
        }
        connector =
            new ServerConnector(
                server,
                new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
                new HttpConnectionFactory(http));
      }
      connector.setHost(address.host().isEmpty() ? null : address.host());
      connector.setPort(address.port());
      // While stopping, idle keep-alive connections are closed after this long (Jetty's default
      // is 1 s); requests being handled are not cut by it.
      connector.setShutdownIdleTimeout(Math.max(50, Math.min(1000, stopTimeout.toMillis() / 10)));
      server.addConnector(connector);
      server.setHandler(
          new PushServerHandler.StoppingGracefully(new PushServerHandler(routes, limits, clients)));
      server.setStopTimeout(Math.max(1, stopTimeout.toMillis()));
      server.setStopAtShutdown(false);
      return server;
    }
  }

  private static KeyStore loadKeyStore(Path file, String password, PushEndpoint endpoint)
      throws StartException {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(in, password.toCharArray());
      boolean hasKey = false;
      for (Enumeration<String> aliases = keyStore.aliases(); aliases.hasMoreElements(); ) {
        hasKey |= keyStore.isKeyEntry(aliases.nextElement());
      }
      if (!hasKey) {
        throw new StartException(
            describe(endpoint) + ": key store " + file + " holds no private key and certificate",
            true,
            null);
      }
      return keyStore;
    } catch (IOException | GeneralSecurityException e) {
      throw new StartException(
          describe(endpoint)
              + ": cannot read the PKCS#12 key store "
              + file
              + " (wrong password, or not a PKCS#12 file?): "
              + e.getMessage(),
          true,
          e);
    }
  }

  private static KeyStore loadCertificates(Path file, PushEndpoint endpoint) throws StartException {
    try (InputStream in = Files.newInputStream(file)) {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new StartException(
            describe(endpoint) + ": client CA file " + file + " holds no PEM certificate",
            true,
            null);
      }
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        trust.setCertificateEntry("client-ca-" + i++, certificate);
      }
      return trust;
    } catch (IOException | GeneralSecurityException e) {
      throw new StartException(
          describe(endpoint)
              + ": cannot read the client CA certificates (PEM) from "
              + file
              + ": "
              + e.getMessage(),
          true,
          e);
    }
  }
}
