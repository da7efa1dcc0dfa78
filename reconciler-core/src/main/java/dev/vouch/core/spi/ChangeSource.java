package dev.vouch.core.spi;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A source of actual change: an audit trail that says what really happened.
 *
 * <p>One instance serves one configured source. {@link #pull} is called on the runner's thread; the
 * source may use worker threads of its own and call the sink from them.
 */
public interface ChangeSource {

  /** The configured name of this source. */
  String name();

  /** The connector type, such as {@code cloudtrail}. */
  String type();

  /**
   * The platform of the coordinates this source's events carry ({@code aws}, {@code kubernetes},
   * {@code git}, {@code gcp}): the systems configured on that platform are the ones this source is
   * expected to cover.
   */
  String platform();

  /**
   * How long after an event its record may still be delivered (CloudTrail files can arrive hours
   * late). A windowed source delivers, besides the window, the events of this long before it, so
   * that a late event of an earlier window is stored and matched by the first run that sees it.
   */
  default Duration lateDelivery() {
    return Duration.ZERO;
  }

  /**
   * How long after a moment the source's record of it is normally complete; a window ends no later
   * than now minus this.
   */
  default Duration settle() {
    return Duration.ZERO;
  }

  /**
   * Other names of the scopes this source reads, as a user may write them in a system's coordinates
   * (the repository URL or path a git source was given), each mapped to the scope its events carry
   * ({@code acme/shop}).
   */
  default Map<String, String> scopeNames() {
    return Map.of();
  }

  /**
   * What would make the next pull fail that can be seen without reading (a missing trail directory,
   * an unreadable file), in words naming the setting; empty when nothing can be seen. {@code vouch
   * config check} reports these as problems.
   */
  default List<String> preflight() {
    return List.of();
  }

  /**
   * Reads the observations the request asks for and hands each to the sink, including read-only and
   * failed calls, which the runner counts. A trail read by time (CloudTrail files) delivers the
   * observations whose time falls in the request's window, or in the {@link #lateDelivery} before
   * it; a stream read by position (an audit log, a git branch) delivers everything after the
   * request's cursor, whatever its time, since the store keeps what it is given and matching
   * selects by window. Bad records go to {@link ObservationSink#reject} and reading goes on; a file
   * that cannot be read to its end is reported with {@link InputProblem#restNotRead}.
   *
   * @throws SourceException when the source as a whole cannot be read; never return normally after
   *     reading only part of what was asked for without reporting what was not read
   */
  PullResult pull(PullRequest request, ObservationSink sink) throws SourceException;
}
