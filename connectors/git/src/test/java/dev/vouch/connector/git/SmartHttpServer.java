package dev.vouch.connector.git;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.RefAdvertiser;
import org.eclipse.jgit.transport.UploadPack;

/**
 * A git server speaking the smart HTTP protocol (v0 and v2, as the client asks with {@code
 * Git-Protocol}) for one repository, through JGit's own {@link UploadPack}, behind HTTP Basic
 * authentication: the real wire protocol a hosting service speaks, on 127.0.0.1.
 */
final class SmartHttpServer implements AutoCloseable {
  static final String PATH = "/acme/shop.git";

  private final HttpServer server;
  private final Repository repository;
  private final String user;
  private final String password;
  final List<String> users = new CopyOnWriteArrayList<>();
  final List<String> protocols = new CopyOnWriteArrayList<>();
  final List<String> requests = new CopyOnWriteArrayList<>();

  SmartHttpServer(Repository repository, String user, String password) throws IOException {
    this.repository = repository;
    this.user = user;
    this.password = password;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(PATH + "/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      requests.add(exchange.getRequestMethod() + " " + path);
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      String credentials = decode(authorization);
      if (credentials != null) {
        users.add(credentials.substring(0, Math.max(0, credentials.indexOf(':'))));
      }
      if (!(user + ":" + password).equals(credentials)) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"git\"");
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      String protocol = exchange.getRequestHeaders().getFirst("Git-Protocol");
      protocols.add(String.valueOf(protocol));
      UploadPack upload = new UploadPack(repository);
      upload.setBiDirectionalPipe(false);
      if (protocol != null) {
        upload.setExtraParameters(List.of(protocol.split(":")));
      }
      if (exchange.getRequestMethod().equals("GET")
          && path.equals(PATH + "/info/refs")
          && "service=git-upload-pack".equals(exchange.getRequestURI().getQuery())) {
        exchange
            .getResponseHeaders()
            .set("Content-Type", "application/x-git-upload-pack-advertisement");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
          PacketLineOut packets = new PacketLineOut(out);
          packets.writeString("# service=git-upload-pack\n");
          packets.end();
          upload.sendAdvertisedRefs(new RefAdvertiser.PacketLineOutRefAdvertiser(packets));
        }
      } else if (exchange.getRequestMethod().equals("POST")
          && path.equals(PATH + "/git-upload-pack")) {
        InputStream in = exchange.getRequestBody();
        if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
          in = new GZIPInputStream(in);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/x-git-upload-pack-result");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
          upload.upload(in, out, null);
        }
      } else {
        exchange.sendResponseHeaders(404, -1);
      }
    }
  }

  private static String decode(String authorization) {
    if (authorization == null || !authorization.startsWith("Basic ")) {
      return null;
    }
    return new String(
        Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
