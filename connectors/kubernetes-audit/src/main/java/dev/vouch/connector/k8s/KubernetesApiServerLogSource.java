package dev.vouch.connector.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.spi.InputProblem;
import dev.vouch.core.spi.ObservationSink;
import dev.vouch.core.spi.PullRequest;
import dev.vouch.core.spi.PullResult;
import dev.vouch.core.spi.SourceException;
import java.io.IOException;
import java.util.Optional;

/**
 * A {@code kubernetes-apiserver-log} source: the audit events a self-managed kube-apiserver prints
 * on its own stdout ({@code --audit-log-path=-}), read from its pods' logs through the Kubernetes
 * API with {@link ApiServerPodLogs}. Like the file source it is a stream: a pull delivers every
 * line not read before, whatever its time.
 *
 * <p>What the reader warns about (lines rotated away by the kubelet, restarts whose logs are gone,
 * a container that cannot be read now) is a stretch of log not seen, so each warning is reported
 * with {@link InputProblem#restNotRead}: the source's coverage becomes PARTIAL and the report lists
 * the warning. A line skipped for its length is one record lost, reading going on after it.
 */
final class KubernetesApiServerLogSource implements KubernetesChangeSource {
  private final String name;
  private final String cluster;
  private final ApiServerPodLogs.Settings settings;

  KubernetesApiServerLogSource(String name, String cluster, ApiServerPodLogs.Settings settings) {
    this.name = name;
    this.cluster = cluster;
    this.settings = settings;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return KubernetesApiServerLogSourceFactory.TYPE;
  }

  @Override
  public PullResult pull(PullRequest request, ObservationSink sink) throws SourceException {
    RecentEvents delivered = new RecentEvents();
    long[] counts = new long[3]; // delivered, other stages, repeats
    ApiServerPodLogs.Result result;
    try {
      ApiServerPodLogs logs = ApiServerPodLogs.create(settings);
      result =
          logs.read(
              request.cursor(),
              (json, location) -> deliver(json, location, sink, delivered, counts));
    } catch (IOException e) {
      throw new SourceException(
          "cannot read the API server's log for cluster " + cluster + ": " + e.getMessage(), e);
    }
    String location = "cluster " + cluster + " API server log";
    for (String warning : result.warnings()) {
      sink.reject(
          result.skippedLines().contains(warning)
              ? new InputProblem(location, warning)
              : InputProblem.restNotRead(location, warning));
    }
    return new PullResult(
        result.cursor(),
        result.podsRead(),
        result.detail()
            + "; "
            + counts[0]
            + " delivered, "
            + counts[1]
            + " at other stages skipped, "
            + counts[2]
            + " repeated events skipped");
  }

  private void deliver(
      String json, String location, ObservationSink sink, RecentEvents delivered, long[] counts) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      sink.reject(new InputProblem(location, "malformed JSON: " + Json.message(e)));
      return;
    }
    Optional<ChangeEvent> event;
    try {
      event = AuditEventMapper.map(node, name, cluster);
    } catch (IllegalArgumentException e) {
      sink.reject(
          new InputProblem(location, e.getMessage())
              .withFields(AuditEventMapper.readableFields(node)));
      return;
    }
    if (event.isEmpty()) {
      counts[1]++;
    } else if (delivered.isRepeat(event.get())) {
      counts[2]++;
    } else {
      sink.accept(event.get());
      counts[0]++;
    }
  }

  @Override
  public String toString() {
    return "KubernetesApiServerLogSource[" + name + ", cluster " + cluster + ", " + settings + "]";
  }
}
