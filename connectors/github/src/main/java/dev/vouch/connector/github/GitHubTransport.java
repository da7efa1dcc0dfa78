package dev.vouch.connector.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.core.spi.SourceException;
import org.jspecify.annotations.Nullable;

/**
 * Where the REST API's JSON answers come from: GitHub over HTTP ({@link HttpTransport}) or a
 * directory of recorded answers ({@link FixtureTransport}). The source and the mapping do not know
 * which.
 */
interface GitHubTransport {

  /**
   * One answer.
   *
   * @param body the parsed JSON body
   * @param next the URL of the next page ({@code Link: <...>; rel="next"}), or null on the last
   */
  record Page(JsonNode body, @Nullable String next) {}

  /**
   * Reads {@code pathOrNext}: a path below the API root with its query, such as {@code
   * /repos/acme/shop/pulls?state=closed}, or a {@link Page#next} URL this transport returned.
   *
   * @throws NotFoundException when GitHub answers 404
   * @throws SourceException when the answer cannot be had (refused token, rate limit beyond the
   *     allowed wait, server errors after the retries, unreadable file)
   */
  Page get(String pathOrNext) throws SourceException;

  /** Where the resource at {@code path} is read from, for a record's location (evidence). */
  String location(String path);

  /** Called at the start of every pull: the wait budget is per pull. */
  void startPull();

  /** How many answers were fetched so far (HTTP exchanges or files read). */
  long requests();

  /** How many of the {@link #requests} were answered 304 Not Modified from the ETag cache. */
  long notModified();

  /**
   * The counters of the given slice of work, for the pull's detail: "12 requests, 3 answered 304".
   */
  String describe(long requests, long notModified);

  /** GitHub answered 404 Not Found. */
  final class NotFoundException extends SourceException {
    private static final long serialVersionUID = 1L;

    NotFoundException(String message) {
      super(message);
    }
  }
}
