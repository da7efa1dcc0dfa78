package dev.vouch.connector.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vouch.core.spi.ConfigProblem;
import dev.vouch.core.spi.RecordSource;
import dev.vouch.core.spi.SettingsNode;
import dev.vouch.core.spi.SourceContext;
import dev.vouch.core.spi.SourceException;
import dev.vouch.testkit.CollectingRecordSink;
import dev.vouch.testkit.MutableClock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Configures sources through the factory, as the runtime does, with a test clock and sleeper. */
final class Sources {
  static final String NAME = "pull-requests";
  static final String NOW = "2026-12-01T00:00:00Z";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  final MutableClock clock = MutableClock.at(NOW);
  final RecordingSleeper sleeper = new RecordingSleeper(clock);
  final Path baseDirectory;

  Sources(Path baseDirectory) {
    this.baseDirectory = baseDirectory;
  }

  record Created(RecordSource source, List<ConfigProblem> problems) {}

  Created create(String name, Map<String, Object> settings) {
    List<ConfigProblem> problems = new ArrayList<>();
    SettingsNode node =
        new SettingsNode(
            MAPPER.valueToTree(settings),
            "records[0]",
            problems,
            variable -> variable.equals("GITHUB_TOKEN") ? FakeGitHub.TOKEN : null);
    RecordSource source =
        new GitHubRecordSourceFactory(sleeper)
            .create(name, node, new SourceContext(clock, baseDirectory, 2));
    return new Created(source, problems);
  }

  /** Settings for the fake: its base URL, the token from env:GITHUB_TOKEN, and the repos. */
  static Map<String, Object> settings(FakeGitHub github, String... repos) {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("repos", List.of(repos));
    settings.put("token", "env:GITHUB_TOKEN");
    settings.put("baseUrl", github.baseUrl());
    return settings;
  }

  /** A source over the fake that must configure without problems. */
  RecordSource source(FakeGitHub github, String... repos) {
    return valid(NAME, settings(github, repos));
  }

  RecordSource valid(String name, Map<String, Object> settings) {
    Created created = create(name, settings);
    assertThat(created.problems()).isEmpty();
    return created.source();
  }

  static CollectingRecordSink pull(RecordSource source) throws SourceException {
    CollectingRecordSink sink = new CollectingRecordSink();
    source.pull(sink);
    return sink;
  }
}
