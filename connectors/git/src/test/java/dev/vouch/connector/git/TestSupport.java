package dev.vouch.connector.git;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vouch.core.model.ChangeEvent;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.spi.ConfigProblem;
import dev.vouch.core.spi.PullRequest;
import dev.vouch.core.spi.PullResult;
import dev.vouch.core.spi.SettingsNode;
import dev.vouch.core.spi.SourceContext;
import dev.vouch.core.spi.SourceException;
import dev.vouch.testkit.CollectingObservationSink;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Builds sources through the factory, as the runtime does, and pulls them. */
final class TestSupport {
  static final String SOURCE = "shop-git";
  static final ObjectMapper MAPPER = new ObjectMapper();

  private TestSupport() {}

  static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static TimeWindow window(String start, String end) {
    return new TimeWindow(Instant.parse(start), Instant.parse(end));
  }

  /** A source made by the factory from JSON settings; fails the test on any problem. */
  static GitSource source(Path base, Clock clock, String settings) {
    List<ConfigProblem> problems = new ArrayList<>();
    SettingsNode node =
        new SettingsNode(json(settings), "sources[0]", problems, Map.of("TOKEN", "s3cr3t")::get);
    GitSource source =
        (GitSource) new GitSourceFactory().create(SOURCE, node, new SourceContext(clock, base, 2));
    if (!problems.isEmpty()) {
      throw new AssertionError("configuration problems: " + problems);
    }
    return source;
  }

  /** Settings JSON for an origin read through its local path, with a mirror under {@code dir}. */
  static String settings(Origin origin, Path mirror, String extra) {
    return "{\"repo\":"
        + MAPPER.valueToTree(origin.dir().toString())
        + ",\"mirror\":"
        + MAPPER.valueToTree(mirror.toString())
        + ",\"repoName\":\"acme/shop\""
        + (extra.isEmpty() ? "" : "," + extra)
        + "}";
  }

  static Pulled pull(GitSource source, TimeWindow window, @Nullable String cursor)
      throws SourceException {
    CollectingObservationSink sink = new CollectingObservationSink();
    PullResult result = source.pull(new PullRequest(window, cursor), sink);
    return new Pulled(result, sink, source.lastStats());
  }

  /** One pull: its result, what it delivered and its counters. */
  record Pulled(PullResult result, CollectingObservationSink sink, @Nullable PullStats stats) {
    List<String> ids() {
      return sink.nativeIds();
    }

    @Nullable String cursor() {
      return result.cursor();
    }

    ChangeEvent event(String nativeId) {
      return sink.onlyEvent(nativeId);
    }

    List<ChangeEvent> rewrites() {
      return sink.events().stream()
          .filter(
              e -> "true".equals(e.attributes().get(HistoryRewrite.HISTORY_REWRITTEN_ATTRIBUTE)))
          .toList();
    }
  }
}
