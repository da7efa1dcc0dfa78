package dev.vouch.connector.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vouch.core.spi.SourceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Recorded REST answers in a directory, one JSON file per resource, named after the API path
 * without its query: {@code /repos/acme/shop/pulls?state=closed} is {@code
 * repos/acme/shop/pulls.json}, {@code /repos/acme/shop/pulls/42/reviews} is {@code
 * repos/acme/shop/pulls/42/reviews.json}. Each file holds the whole answer (no pages). For demos
 * and tests that must not touch the network; the records are made by the same code as over HTTP.
 */
final class FixtureTransport implements GitHubTransport {
  private final Path root;
  private final ObjectMapper mapper = new ObjectMapper();
  private long reads;

  FixtureTransport(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  Path root() {
    return root;
  }

  @Override
  public void startPull() {
    // Nothing to reset: files are not rate limited.
  }

  @Override
  public synchronized long requests() {
    return reads;
  }

  @Override
  public long notModified() {
    return 0;
  }

  @Override
  public String describe(long requests, long notModified) {
    return requests + (requests == 1 ? " file read" : " files read");
  }

  @Override
  public String location(String path) {
    Path name = root.getFileName();
    return (name == null ? "" : name + "/") + relative(path) + ".json";
  }

  @Override
  public synchronized Page get(String pathOrNext) throws SourceException {
    if (!Files.isDirectory(root)) {
      throw new SourceException(root + ": fixtures directory not found");
    }
    String relative = relative(pathOrNext);
    Path file = root.resolve(relative + ".json").normalize();
    if (!file.startsWith(root)) {
      throw new SourceException(pathOrNext + ": outside the fixtures directory " + root);
    }
    reads++;
    try {
      JsonNode body = mapper.readTree(Files.readAllBytes(file));
      if (body == null || body.isMissingNode()) {
        throw new SourceException(file + ": empty file; expected the JSON answer of " + relative);
      }
      return new Page(body, null);
    } catch (NoSuchFileException e) {
      throw new SourceException(
          file
              + ": no such file; the fixtures need the answer of GET /"
              + relative
              + " there (repos/{owner}/{repo}/pulls.json, pulls/{n}.json, pulls/{n}/reviews.json,"
              + " pulls/{n}/commits.json)");
    } catch (IOException e) {
      throw new SourceException(file + ": cannot read or parse: " + e.getMessage());
    }
  }

  private static String relative(String path) {
    int query = path.indexOf('?');
    String withoutQuery = query < 0 ? path : path.substring(0, query);
    while (withoutQuery.startsWith("/")) {
      withoutQuery = withoutQuery.substring(1);
    }
    return withoutQuery;
  }

  @Override
  public String toString() {
    return "GitHub fixtures " + root;
  }
}
