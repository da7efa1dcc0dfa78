package dev.vouch.connector.k8s;

import dev.vouch.core.spi.ChangeSource;
import dev.vouch.core.spi.ChangeSourceFactory;
import dev.vouch.core.spi.PushEndpoint.PushSettings;
import dev.vouch.core.spi.SettingsNode;
import dev.vouch.core.spi.SourceContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Creates {@code kubernetes-webhook} sources: the endpoint the API server's audit webhook backend
 * posts to, with a durable spool that pulls read.
 *
 * <p>Settings: {@code cluster} (required), {@code spool} (required; a directory, created when
 * missing), {@code listen} (default {@code 0.0.0.0:8443}), {@code path} (default {@code
 * /audit/<source name>}), {@code token} (a secret reference, {@code env:NAME} or {@code file:PATH};
 * required unless {@code tls.clientCa} authenticates callers), {@code maxBody} (default {@code
 * 10MB}) and {@code tls} ({@code keyStore}, a PKCS#12 file; {@code keyStorePassword}, a secret
 * reference; {@code clientCa}, a PEM file of client certificate authorities). Without {@code
 * tls.keyStore} the endpoint speaks plain HTTP, for tests and local use only.
 */
public final class KubernetesWebhookSourceFactory implements ChangeSourceFactory {
  /** The value of {@code type} that selects this factory. */
  public static final String TYPE = "kubernetes-webhook";

  static final String DEFAULT_LISTEN = "0.0.0.0:8443";
  static final String DEFAULT_PATH_PREFIX = "/audit/";

  /** The API server's own limit on a batch when truncation is on (10 MiB). */
  static final long DEFAULT_MAX_BODY = 10L << 20;

  static final long MAX_MAX_BODY = 1L << 30;

  private static final Pattern LISTEN =
      Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[^\\s:\\[\\]]+):(\\d{1,5})");
  private static final Pattern URL_PATH = Pattern.compile("/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*");

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public ChangeSource create(String name, SettingsNode settings, SourceContext context) {
    Path base = context.baseDirectory();
    String cluster = KubernetesAuditSourceFactory.cluster(settings);
    Path spool = settings.requiredPath("spool", base);
    if (Files.exists(spool) && !Files.isDirectory(spool)) {
      settings.problem("spool", spool + " exists and is not a directory");
    }
    String listen = settings.optionalString("listen").orElse(DEFAULT_LISTEN).strip();
    Matcher address = LISTEN.matcher(listen);
    if (!address.matches() || Integer.parseInt(address.group(2)) > 65535) {
      settings.problem(
          "listen", "must be host:port, such as 0.0.0.0:8443 or [::]:8443, not '" + listen + "'");
    }
    boolean pathGiven = settings.has("path");
    String path = settings.optionalString("path").orElse(DEFAULT_PATH_PREFIX + name).strip();
    if (!URL_PATH.matcher(path).matches()) {
      settings.problem(
          "path",
          pathGiven
              ? "must be a URL path starting with '/', such as /audit/prod, not '" + path + "'"
              : "the default /audit/<source name> is not a valid URL path for source '"
                  + name
                  + "'; set path");
    }
    Optional<SettingsNode.Secret> token = settings.secret("token", base);
    long maxBody = DEFAULT_MAX_BODY;
    Optional<String> maxBodyText = settings.optionalString("maxBody");
    if (maxBodyText.isPresent()) {
      try {
        maxBody = Sizes.parse(maxBodyText.get());
        if (maxBody < 1024 || maxBody > MAX_MAX_BODY) {
          settings.problem("maxBody", "must be between 1KB and 1GB, not " + maxBodyText.get());
          maxBody = DEFAULT_MAX_BODY;
        }
      } catch (IllegalArgumentException | ArithmeticException e) {
        settings.problem("maxBody", e.getMessage());
      }
    }
    Path keyStore = null;
    Optional<SettingsNode.Secret> keyStorePassword = Optional.empty();
    Path clientCa = null;
    Optional<SettingsNode> tls = settings.object("tls");
    if (tls.isPresent()) {
      SettingsNode node = tls.get();
      keyStore = node.optionalPath("keyStore", base).orElse(null);
      keyStorePassword = node.secret("keyStorePassword", base);
      clientCa = node.optionalPath("clientCa", base).orElse(null);
      node.finish();
      if (keyStore == null && (clientCa != null || keyStorePassword.isPresent())) {
        node.problem(
            "keyStore",
            "is required with clientCa or keyStorePassword: TLS needs the server's key");
      }
      if (keyStore != null && keyStorePassword.isEmpty() && !node.has("keyStorePassword")) {
        node.problem("keyStorePassword", "is required with keyStore (env:NAME or file:PATH)");
      }
      readable(node, "keyStore", keyStore);
      readable(node, "clientCa", clientCa);
    }
    if (token.isEmpty() && clientCa == null && !settings.has("token")) {
      settings.problem(
          "token",
          "is required (env:NAME or file:PATH) unless tls.clientCa authenticates callers with"
              + " client certificates");
    }
    settings.finish();
    PushSettings push =
        new PushSettings(listen, token, maxBody, keyStore, keyStorePassword, clientCa);
    return new KubernetesWebhookSource(
        name, cluster, new WebhookSpool(spool, context.clock()), path, push);
  }

  private static void readable(SettingsNode node, String key, @Nullable Path file) {
    if (file != null && !Files.isReadable(file)) {
      node.problem(key, "cannot read " + file);
    }
  }
}
