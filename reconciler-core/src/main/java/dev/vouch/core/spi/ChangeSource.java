package dev.vouch.core.spi;

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
   * Reads the observations the request asks for and hands each to the sink, including read-only and
   * failed calls, which the runner counts. A trail read by time (CloudTrail files) delivers the
   * observations whose time falls in the request's window; a stream read by position (an audit log,
   * a git branch) delivers everything after the request's cursor, whatever its time, since the
   * store keeps what it is given and matching selects by window. Bad records go to {@link
   * ObservationSink#reject} and reading goes on.
   *
   * @throws SourceException when the source as a whole cannot be read; never return normally after
   *     reading only part of what was asked for
   */
  PullResult pull(PullRequest request, ObservationSink sink) throws SourceException;
}
