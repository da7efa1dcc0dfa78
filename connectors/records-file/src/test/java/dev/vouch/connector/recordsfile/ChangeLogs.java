package dev.vouch.connector.recordsfile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vouch.core.model.ChangeRecord;
import dev.vouch.core.spi.ConfigProblem;
import dev.vouch.core.spi.RecordSource;
import dev.vouch.core.spi.SettingsNode;
import dev.vouch.core.spi.SourceContext;
import dev.vouch.core.spi.SourceException;
import dev.vouch.testkit.CollectingRecordSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Builds change-log files and sources for the tests. */
final class ChangeLogs {
  static final String SOURCE = "change-log";
  static final String HEADER =
      "id,title,type,state,systems,window_start,window_end,implementer,approved_by,approved_at";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ChangeLogs() {}

  /** A valid normal, approved record, as column → cell; tests change single cells. */
  static Map<String, String> goodRow(String id) {
    Map<String, String> row = new LinkedHashMap<>();
    row.put("id", id);
    row.put("title", "Rotate payment API keys");
    row.put("type", "normal");
    row.put("state", "approved");
    row.put("systems", "payments-prod;payments-stage");
    row.put("window_start", "2026-11-17T09:00:00Z");
    row.put("window_end", "2026-11-17T10:00:00Z");
    row.put("implementer", "alice");
    row.put("approved_by", "bob;carol");
    row.put("approved_at", "2026-11-16T15:00:00Z");
    return row;
  }

  /** One CSV line of the cells, in the header's order, quoted where RFC 4180 needs it. */
  static String csvLine(List<String> columns, Map<String, String> row) {
    return columns.stream()
        .map(column -> quote(row.getOrDefault(column, "")))
        .collect(Collectors.joining(","));
  }

  static String csvLine(Map<String, String> row) {
    return csvLine(List.of(HEADER.split(",")), row);
  }

  static String quote(String cell) {
    if (cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")) {
      return "\"" + cell.replace("\"", "\"\"") + "\"";
    }
    return cell;
  }

  static Path write(Path dir, String fileName, String content) {
    try {
      Path file = dir.resolve(fileName);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lines joined with \n, ending with one. */
  static String lines(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  static SourceContext context(Path baseDirectory) {
    return new SourceContext(
        Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC), baseDirectory, 2);
  }

  /** Configures a source through the factory, as the runtime does, and returns its problems. */
  static Created create(Path baseDirectory, String name, Map<String, Object> settings) {
    List<ConfigProblem> problems = new ArrayList<>();
    SettingsNode node =
        new SettingsNode(MAPPER.valueToTree(settings), "sources[0]", problems, variable -> null);
    RecordSource source = new FileRecordSourceFactory().create(name, node, context(baseDirectory));
    return new Created(source, problems);
  }

  /** A source over {@code fileName} in {@code dir}, which must configure without problems. */
  static RecordSource source(Path dir, String fileName) {
    Created created = create(dir, SOURCE, Map.of("path", fileName));
    assertThat(created.problems()).isEmpty();
    return created.source();
  }

  static CollectingRecordSink pull(RecordSource source) throws SourceException {
    CollectingRecordSink sink = new CollectingRecordSink();
    source.pull(sink);
    return sink;
  }

  /** Reads a CSV change log made of the header and the given lines. */
  static CollectingRecordSink pullCsv(Path dir, String... lines) throws SourceException {
    write(dir, "changes.csv", lines(lines));
    return pull(source(dir, "changes.csv"));
  }

  /** The record with its location blanked, for comparing records read from different files. */
  static ChangeRecord withoutLocation(ChangeRecord r) {
    return new ChangeRecord(
        r.key(),
        r.source(),
        r.title(),
        r.type(),
        r.state(),
        r.systems(),
        r.window(),
        r.implementers(),
        r.approvals(),
        r.requestedBy(),
        r.risk(),
        r.backoutPlan(),
        r.testEvidence(),
        r.url(),
        r.updatedAt(),
        "");
  }

  record Created(RecordSource source, List<ConfigProblem> problems) {}
}
