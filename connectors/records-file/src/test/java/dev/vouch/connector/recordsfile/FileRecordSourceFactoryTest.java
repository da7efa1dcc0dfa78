package dev.vouch.connector.recordsfile;

import static dev.vouch.connector.recordsfile.ChangeLogs.HEADER;
import static dev.vouch.connector.recordsfile.ChangeLogs.create;
import static dev.vouch.connector.recordsfile.ChangeLogs.csvLine;
import static dev.vouch.connector.recordsfile.ChangeLogs.goodRow;
import static dev.vouch.connector.recordsfile.ChangeLogs.lines;
import static dev.vouch.connector.recordsfile.ChangeLogs.pull;
import static dev.vouch.connector.recordsfile.ChangeLogs.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.core.spi.ConfigProblem;
import dev.vouch.core.spi.RecordSourceFactory;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileRecordSourceFactoryTest {
  @TempDir Path dir;

  @Test
  void isFoundByTheServiceLoaderAsTypeFile() {
    assertThat(ServiceLoader.load(RecordSourceFactory.class))
        .anySatisfy(
            factory -> {
              assertThat(factory).isInstanceOf(FileRecordSourceFactory.class);
              assertThat(factory.type()).isEqualTo("file");
            });
  }

  @Test
  void createsASourceWithItsNameAndTypeAndAPathRelativeToTheBaseDirectory() {
    ChangeLogs.Created created = create(dir, "change-log", Map.of("path", "logs/../changes.csv"));

    assertThat(created.problems()).isEmpty();
    assertThat(created.source().name()).isEqualTo("change-log");
    assertThat(created.source().type()).isEqualTo("file");
    assertThat(((FileRecordSource) created.source()).path()).isEqualTo(dir.resolve("changes.csv"));
  }

  @Test
  void anAbsolutePathIsUsedAsItIs(@TempDir Path elsewhere) throws Exception {
    write(elsewhere, "changes.csv", lines(HEADER, csvLine(goodRow("CHG-1"))));

    ChangeLogs.Created created =
        create(dir, "change-log", Map.of("path", elsewhere.resolve("changes.csv").toString()));

    assertThat(created.problems()).isEmpty();
    assertThat(pull(created.source()).keys()).containsExactly("CHG-1");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "changes.csv, CSV",
    "changes.yaml, YAML",
    "changes.yml, YAML",
    "changes.json, JSON",
    "CHANGES.CSV, CSV",
    "change.log.Yaml, YAML"
  })
  void theFormatFollowsTheExtension(String fileName, FileFormat expected) {
    ChangeLogs.Created created = create(dir, "log", Map.of("path", fileName));

    assertThat(created.problems()).isEmpty();
    assertThat(created.source().toString()).contains(expected.label() + " ");
  }

  @Test
  void anExplicitFormatOverridesTheExtension() throws Exception {
    write(dir, "changes.txt", lines(HEADER, csvLine(goodRow("CHG-1"))));

    ChangeLogs.Created created = create(dir, "log", Map.of("path", "changes.txt", "format", "CSV"));

    assertThat(created.problems()).isEmpty();
    assertThat(pull(created.source()).keys()).containsExactly("CHG-1");
  }

  @Test
  void anUnknownExtensionWithoutFormatIsAConfigProblem() {
    ChangeLogs.Created created = create(dir, "log", Map.of("path", "changes.txt"));

    assertThat(created.problems())
        .extracting(ConfigProblem::toString)
        .containsExactly(
            "sources[0].format: is needed: the format of 'changes.txt' cannot be told from its"
                + " extension (.csv, .yaml, .yml or .json); set format: csv, yaml or json");
  }

  @Test
  void anUnknownFormatIsAConfigProblem() {
    ChangeLogs.Created created = create(dir, "log", Map.of("path", "changes.csv", "format", "xml"));

    assertThat(created.problems())
        .extracting(ConfigProblem::toString)
        .containsExactly("sources[0].format: must be csv, yaml or json, not 'xml'");
  }

  @Test
  void aMissingPathIsAConfigProblemAndNothingElse() {
    ChangeLogs.Created created = create(dir, "log", Map.of());

    assertThat(created.problems())
        .extracting(ConfigProblem::toString)
        .containsExactly("sources[0].path: is required");
  }

  @Test
  void anUnknownSettingIsAConfigProblem() {
    ChangeLogs.Created created =
        create(dir, "log", Map.of("path", "changes.csv", "paths", "other.csv"));

    assertThat(created.problems())
        .extracting(ConfigProblem::toString)
        .containsExactly(
            "sources[0].paths: unknown setting; did you mean path? (known here: path, format)");
  }
}
