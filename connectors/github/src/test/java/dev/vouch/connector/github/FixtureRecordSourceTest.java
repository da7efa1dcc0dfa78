package dev.vouch.connector.github;

import static dev.vouch.connector.github.Sources.pull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vouch.core.model.Approval;
import dev.vouch.core.model.ChangeRecord;
import dev.vouch.core.model.ChangeType;
import dev.vouch.core.model.RecordState;
import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.spi.RecordSource;
import dev.vouch.core.spi.SourceException;
import dev.vouch.testkit.CollectingRecordSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file-backed variant ({@code fixtures:}), over the recorded answers in test resources. */
class FixtureRecordSourceTest {
  static final String REPO = "Codertocat/Hello-World";

  @TempDir Path dir;

  static Path fixtures() {
    try {
      return Path.of(FixtureRecordSourceTest.class.getResource("/fixtures/github").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, Object> settings(Path fixtures) {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("repos", List.of(REPO));
    settings.put("fixtures", fixtures.toString());
    settings.put("lookback", "3650d"); // the octokit samples are from 2019
    return settings;
  }

  private RecordSource source(Path fixtures) {
    return new Sources(dir).valid(Sources.NAME, settings(fixtures));
  }

  @Test
  void theRecordedAnswersBecomeRecordsThroughTheSameMapping() throws Exception {
    CollectingRecordSink sink = new CollectingRecordSink();

    String detail = source(fixtures()).pull(sink);

    assertThat(sink.records())
        .containsExactly(
            new ChangeRecord(
                "Codertocat/Hello-World#2",
                Sources.NAME,
                "Update the README with new information.",
                ChangeType.NORMAL,
                RecordState.IMPLEMENTED,
                Set.of("git:Codertocat/Hello-World"),
                new TimeWindow(
                    Instant.parse("2019-05-15T15:20:33Z"), Instant.parse("2019-05-15T15:21:18Z")),
                List.of("Codertocat", "mona@example.com"),
                List.of(new Approval("octocat", true, Instant.parse("2019-05-15T15:21:00Z"))),
                "Codertocat",
                null,
                null,
                null,
                "https://github.com/Codertocat/Hello-World/pull/2",
                Instant.parse("2019-05-15T15:21:18Z"),
                "github/repos/Codertocat/Hello-World/pulls/2.json",
                true));
    assertThat(sink.problems()).isEmpty();
    assertThat(detail)
        .isEqualTo(
            "Codertocat/Hello-World: 1 merged pull request (0 stale approvals ignored, 4 files"
                + " read)");
  }

  @Test
  void theSameAnswersOverHttpGiveTheSameRecords() throws Exception {
    Path root = fixtures();
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
              Path file =
                  root.resolve(request.getRequestUrl().encodedPath().substring(1) + ".json");
              try {
                return new MockResponse().setBody(Files.readString(file));
              } catch (IOException e) {
                return new MockResponse()
                    .setResponseCode(404)
                    .setBody("{\"message\":\"Not Found\"}");
              }
            }
          });
      server.start(InetAddress.getByName("127.0.0.1"), 0);
      Map<String, Object> settings = new LinkedHashMap<>();
      settings.put("repos", List.of(REPO));
      settings.put("token", "env:GITHUB_TOKEN");
      settings.put("baseUrl", "http://127.0.0.1:" + server.getPort());
      settings.put("lookback", "3650d");

      List<ChangeRecord> overHttp = pull(new Sources(dir).valid(Sources.NAME, settings)).records();
      List<ChangeRecord> fromFiles = pull(source(root)).records();

      assertThat(overHttp)
          .usingRecursiveFieldByFieldElementComparatorIgnoringFields("location")
          .containsExactlyElementsOf(fromFiles);
      assertThat(overHttp.get(0).location())
          .isEqualTo("http://127.0.0.1:" + server.getPort() + "/repos/" + REPO + "/pulls/2");
    }
  }

  @Test
  void aMissingAnswerFailsThePullNamingTheFile() throws Exception {
    Path copy = dir.resolve("recorded");
    copyTree(fixtures(), copy);
    Files.delete(copy.resolve("repos/Codertocat/Hello-World/pulls/2/reviews.json"));
    CollectingRecordSink sink = new CollectingRecordSink();

    SourceException e = catchThrowableOfType(SourceException.class, () -> source(copy).pull(sink));

    assertThat(e)
        .hasMessageStartingWith(
            copy.resolve("repos/Codertocat/Hello-World/pulls/2/reviews.json") + ": no such file;")
        .hasMessageContaining("GET /repos/Codertocat/Hello-World/pulls/2/reviews there");
    assertThat(sink.records()).isEmpty();
  }

  @Test
  void aMissingDirectoryFailsThePull() {
    SourceException e =
        catchThrowableOfType(SourceException.class, () -> pull(source(dir.resolve("nowhere"))));

    assertThat(e).hasMessage(dir.resolve("nowhere") + ": fixtures directory not found");
  }

  @Test
  void aFileThatIsNotJsonFailsThePull() throws Exception {
    Path copy = dir.resolve("recorded");
    copyTree(fixtures(), copy);
    Files.writeString(copy.resolve("repos/Codertocat/Hello-World/pulls/2.json"), "{\"number\": ");

    SourceException e = catchThrowableOfType(SourceException.class, () -> pull(source(copy)));

    assertThat(e)
        .hasMessageStartingWith(
            copy.resolve("repos/Codertocat/Hello-World/pulls/2.json") + ": cannot read or parse:");
  }

  static void copyTree(Path from, Path to) {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
