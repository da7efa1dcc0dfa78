package dev.vouch.core.spi;

import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A change source that can also be pushed to over HTTP, such as the Kubernetes API server's audit
 * webhook backend. The runtime ({@code vouch receive}) hosts the HTTP server: it listens, checks
 * TLS, the bearer token and the body size, and hands each request body to {@link #accept}. The
 * source validates the body and stores it durably before returning, so that a crash after the HTTP
 * answer loses nothing; {@link ChangeSource#pull} later reads what was stored.
 */
public interface PushEndpoint {

  /** The URL path this endpoint answers on, such as {@code /audit/prod-eu}; starts with '/'. */
  String path();

  /** How the runtime must serve this endpoint. */
  PushSettings pushSettings();

  /**
   * Validates one pushed body and, if it is acceptable, appends it durably (written and forced to
   * disk) before returning. Called from the server's threads, possibly concurrently.
   *
   * @return what to answer: accepted with the number of items, or rejected with a client error
   * @throws SourceException when the body was valid but could not be stored (answered with 5xx, so
   *     the sender retries)
   */
  PushResult accept(byte[] body) throws SourceException;

  /**
   * How an endpoint is served.
   *
   * @param listen host and port to listen on, such as {@code 0.0.0.0:8443}
   * @param bearerToken the token callers must send as {@code Authorization: Bearer ...}; empty only
   *     when mutual TLS authenticates callers instead
   * @param maxBodyBytes larger bodies are refused with 413 before they are read
   * @param keyStore PKCS#12 key store holding the server's certificate and key, or null for plain
   *     HTTP (tests and local use only)
   * @param keyStorePassword the key store's password
   * @param clientCa PEM file of the certificate authorities whose client certificates are accepted;
   *     when set, callers must present one (mutual TLS)
   */
  record PushSettings(
      String listen,
      Optional<SettingsNode.Secret> bearerToken,
      long maxBodyBytes,
      @Nullable Path keyStore,
      Optional<SettingsNode.Secret> keyStorePassword,
      @Nullable Path clientCa) {}

  /**
   * The answer to one push.
   *
   * @param status the HTTP status: 200 when stored, 4xx when the body was refused
   * @param items how many items were stored
   * @param message a short explanation for the caller, naming what was wrong
   */
  record PushResult(int status, long items, String message) {
    public static PushResult stored(long items) {
      return new PushResult(200, items, "stored " + items + " item(s)");
    }

    public static PushResult refused(int status, String message) {
      return new PushResult(status, 0, message);
    }
  }
}
