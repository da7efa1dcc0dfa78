package dev.vouch.connector.k8s;

import dev.vouch.core.spi.ChangeSource;
import dev.vouch.core.spi.ChangeSourceFactory;
import dev.vouch.core.spi.PushEndpoint.PushSettings;
import dev.vouch.core.spi.SettingsNode;
import dev.vouch.core.spi.SourceContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
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
 * tls.keyStore} the endpoint speaks plain HTTP, which is allowed only on a loopback address unless
 * {@code allowPlainHttp: true} says otherwise: the bearer token and the audit events would cross
 * the network in clear text.
 */
public final class KubernetesWebhookSourceFactory implements ChangeSourceFactory {
  /** The value of {@code type} that selects this factory. */
  public static final String TYPE = "kubernetes-webhook";

  static final String DEFAULT_LISTEN = "0.0.0.0:8443";

  /** The setting that lets the endpoint speak plain HTTP on a non-loopback address. */
  static final String ALLOW_PLAIN_HTTP = "allowPlainHttp";

  static final String DEFAULT_PATH_PREFIX = "/audit/";

  /** The API server's own limit on a batch when truncation is on (10 MiB). */
  static final long DEFAULT_MAX_BODY = 10L << 20;

  static final long MAX_MAX_BODY = 1L << 30;

  private static final Pattern LISTEN =
      Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[^\\s:\\[\\]]+):(\\d{1,5})");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern URL_PATH = Pattern.compile("/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*");

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Set<String> attributes() {
    return AuditEventMapper.ATTRIBUTES;
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
    String listenHost = null;
    if (!address.matches() || Integer.parseInt(address.group(2)) > 65535) {
      settings.problem(
          "listen", "must be host:port, such as 0.0.0.0:8443 or [::]:8443, not '" + listen + "'");
    } else {
      listenHost = address.group(1);
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
    boolean allowPlainHttp = settings.bool(ALLOW_PLAIN_HTTP, false);
    Path keyStore = null;
    Optional<SettingsNode.Secret> keyStorePassword = Optional.empty();
    Path clientCa = null;
    boolean keyStoreMissing = false;
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
        keyStoreMissing = true;
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
    // Refused unless asked for: the bearer token and the audit events (request bodies, user names)
    // would cross the network in clear text, readable and replayable by anyone on the path.
    if (keyStore == null
        && !keyStoreMissing
        && !allowPlainHttp
        && listenHost != null
        && !loopback(listenHost)) {
      settings.problem(
          "listen",
          "plain HTTP on "
              + listen
              + ", which is not a loopback address, would send the bearer token and the audit"
              + " events across the network in clear text; set tls.keyStore to serve HTTPS,"
              + " listen on 127.0.0.1 or [::1] (behind a proxy on the same host that terminates"
              + " TLS), or set "
              + ALLOW_PLAIN_HTTP
              + ": true if the network path is protected otherwise (a service mesh, a VPN)");
    }
    if (allowPlainHttp && keyStore != null) {
      settings.problem(
          ALLOW_PLAIN_HTTP,
          "contradicts tls.keyStore, which makes the endpoint HTTPS only; remove one of them");
    }
    settings.finish();
    PushSettings push =
        new PushSettings(listen, token, maxBody, keyStore, keyStorePassword, clientCa);
    return new KubernetesWebhookSource(
        name, cluster, new WebhookSpool(spool, context.clock()), path, push);
  }

  /**
   * Whether a listen host is a loopback address: {@code localhost}, 127.0.0.0/8 or ::1. Host names
   * other than {@code localhost} are not resolved (the name could resolve differently later), so
   * they count as network addresses.
   */
  static boolean loopback(String host) {
    String bare =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (bare.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!IPV4.matcher(bare).matches() && !bare.contains(":")) {
      return false;
    }
    try {
      // An address literal: parsed, never looked up.
      return InetAddress.getByName(bare).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static void readable(SettingsNode node, String key, @Nullable Path file) {
    if (file != null && !Files.isReadable(file)) {
      node.problem(key, "cannot read " + file);
    }
  }
}
