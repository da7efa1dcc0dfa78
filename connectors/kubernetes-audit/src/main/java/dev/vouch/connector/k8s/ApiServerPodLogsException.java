package dev.vouch.connector.k8s;

import java.io.IOException;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

/**
 * The Kubernetes API could not give {@link ApiServerPodLogs} what it asked for: refused
 * credentials, missing RBAC, an unreachable API server, a pod that went away, a malformed answer.
 * The message names the cluster API URL and, where there is one, the pod. The caller must turn this
 * into a failed source, never into an empty result.
 */
@NullMarked
public final class ApiServerPodLogsException extends IOException {
  private static final long serialVersionUID = 1L;

  /** {@link #httpStatus()} when no HTTP answer was received (connection refused, timeout). */
  public static final int NO_HTTP_STATUS = 0;

  private final String apiUrl;
  private final @Nullable String pod;
  private final int httpStatus;

  ApiServerPodLogsException(
      String message,
      String apiUrl,
      @Nullable String pod,
      int httpStatus,
      @Nullable Throwable cause) {
    super(message, cause);
    this.apiUrl = apiUrl;
    this.pod = pod;
    this.httpStatus = httpStatus;
  }

  /** The base URL of the Kubernetes API that was called. */
  public String apiUrl() {
    return apiUrl;
  }

  /** The pod whose log was being read, or null when the failure was not about one pod. */
  public @Nullable String pod() {
    return pod;
  }

  /** The HTTP status the API answered with, or {@link #NO_HTTP_STATUS} when it did not answer. */
  public int httpStatus() {
    return httpStatus;
  }
}
