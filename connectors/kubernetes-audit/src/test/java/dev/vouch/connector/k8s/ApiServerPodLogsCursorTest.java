package dev.vouch.connector.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.connector.k8s.ApiServerPodLogsCursor.Position;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiServerPodLogsCursorTest {

  @Test
  void formatsPodsSortedWithTheDocumentedFields() {
    Map<String, Position> pods = new LinkedHashMap<>();
    pods.put("kube-apiserver-node2/uid-2", Position.start(3));
    pods.put(
        "kube-apiserver-node1/uid-1",
        new Position(Instant.parse("2026-11-20T10:00:02.750000001Z"), 2, 1));

    assertThat(ApiServerPodLogsCursor.format(pods))
        .isEqualTo(
            "{\"pods\":{\"kube-apiserver-node1/uid-1\":{\"lastTimestamp\":"
                + "\"2026-11-20T10:00:02.750000001Z\",\"linesAtLastTimestamp\":2,\"restartCount\":1},"
                + "\"kube-apiserver-node2/uid-2\":{\"linesAtLastTimestamp\":0,\"restartCount\":3}}}");
  }

  @Test
  void parsesWhatItFormats() throws IOException {
    Map<String, Position> pods =
        Map.of(
            "a/1",
            new Position(Instant.parse("2026-11-20T10:00:02Z"), 1, 0),
            "b/2",
            Position.start(0));

    assertThat(ApiServerPodLogsCursor.parse(ApiServerPodLogsCursor.format(pods)))
        .containsExactlyInAnyOrderEntriesOf(pods);
  }

  @Test
  void noCursorMeansNoPods() throws IOException {
    assertThat(ApiServerPodLogsCursor.parse(null)).isEmpty();
    assertThat(ApiServerPodLogsCursor.parse("  ")).isEmpty();
    assertThat(ApiServerPodLogsCursor.parse("{\"pods\":{}}")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not json",
        "[]",
        "{}",
        "{\"pods\":[]}",
        "{\"pods\":{\"a/1\":3}}",
        "{\"pods\":{\"a/1\":{\"lastTimestamp\":\"yesterday\"}}}",
        "{\"pods\":{\"a/1\":{\"lastTimestamp\":5}}}",
        "{\"pods\":{\"a/1\":{\"restartCount\":-1}}}",
        "{\"pods\":{\"a/1\":{\"linesAtLastTimestamp\":\"2\"}}}",
        "{\"pods\":{\"a/1\":{\"linesAtLastTimestamp\":2}}}"
      })
  void refusesWhatIsNotACursor(String text) {
    assertThatThrownBy(() -> ApiServerPodLogsCursor.parse(text))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("Invalid kube-apiserver pod log cursor (");
  }
}
