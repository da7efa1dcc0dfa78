package dev.vouch.connector.recordsfile;

import static dev.vouch.connector.recordsfile.ChangeLogs.HEADER;
import static dev.vouch.connector.recordsfile.ChangeLogs.csvLine;
import static dev.vouch.connector.recordsfile.ChangeLogs.goodRow;
import static dev.vouch.connector.recordsfile.ChangeLogs.lines;
import static dev.vouch.connector.recordsfile.ChangeLogs.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.core.spi.RecordSource;
import dev.vouch.testkit.RecordSourceContract;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The testkit's record-source contract, for each format the file source reads. */
class FileRecordSourceContractTest {

  /** Builds sources through the factory, as the runtime does. */
  abstract static class FileContract extends RecordSourceContract {
    @TempDir Path dir;

    abstract String fileName();

    /** A log with good records and, so that problems are compared too, one bad one. */
    abstract String content();

    @Override
    protected RecordSource readableSource(String name) {
      write(dir, fileName(), content());
      return create(name, fileName());
    }

    @Override
    protected RecordSource unreadableSource(String name) {
      return create(name, "missing/" + fileName());
    }

    private RecordSource create(String name, String path) {
      ChangeLogs.Created created = ChangeLogs.create(dir, name, Map.of("path", path));
      assertThat(created.problems()).isEmpty();
      return created.source();
    }
  }

  @Nested
  class Csv extends FileContract {
    @Override
    String fileName() {
      return "changes.csv";
    }

    @Override
    String content() {
      Map<String, String> bad = goodRow("CHG-3");
      bad.put("window_end", "later");
      return lines(HEADER, csvLine(goodRow("CHG-1")), csvLine(goodRow("CHG-2")), csvLine(bad));
    }
  }

  @Nested
  class Yaml extends FileContract {
    @Override
    String fileName() {
      return "changes.yaml";
    }

    @Override
    String content() {
      return lines(
          "records:",
          "  - {id: CHG-1, title: t, type: emergency, state: implemented, systems: web,",
          "     window_start: 2026-11-17T09:00:00Z, window_end: 2026-11-17T10:00:00Z}",
          "  - {id: CHG-2, title: t, type: emergency, state: implemented, systems: web,",
          "     window_start: 2026-11-17T09:00:00Z, window_end: later}");
    }
  }

  @Nested
  class Json extends FileContract {
    @Override
    String fileName() {
      return "changes.json";
    }

    @Override
    String content() {
      return lines(
          "[{\"id\": \"CHG-1\", \"title\": \"t\", \"type\": \"emergency\", \"state\": \"closed\",",
          "  \"systems\": [\"web\"], \"window_start\": \"2026-11-17T09:00:00Z\",",
          "  \"window_end\": \"2026-11-17T10:00:00Z\"},",
          " {\"id\": \"CHG-1\", \"title\": \"duplicate\", \"type\": \"emergency\",",
          "  \"state\": \"closed\", \"systems\": [\"web\"],",
          "  \"window_start\": \"2026-11-17T09:00:00Z\", \"window_end\": \"2026-11-17T10:00:00Z\"}]");
    }
  }
}
