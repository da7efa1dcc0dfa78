package dev.vouch.connector.recordsfile;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vouch.core.spi.InputProblem;
import dev.vouch.core.spi.SourceException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads a YAML or JSON change log: a list of records, or a mapping with the list under {@code
 * records:}. The file is streamed record by record, never loaded whole, and each record's line is
 * the line where its mapping starts (for YAML, the line of its first field).
 */
final class TreeRecordReader {
  private static final String RECORDS = "records";
  private static final String EXPECTED =
      "expected a list of records, or a mapping with the list under 'records:'";

  private static final Pattern SOURCE_DESCRIPTION =
      Pattern.compile("\\[Source: .*?line: (\\d+), column: (\\d+)\\]");

  private static final JsonFactory JSON = new JsonFactory();
  private static final JsonFactory YAML = yamlFactory();

  private final Path file;
  private final FileFormat format;
  private final RecordAssembler assembler;

  /** Unknown field names already reported; each is reported once, where it first appears. */
  private final Set<String> unknownReported = new HashSet<>();

  private TreeRecordReader(Path file, FileFormat format, RecordAssembler assembler) {
    this.file = file;
    this.format = format;
    this.assembler = assembler;
  }

  static String read(Path file, FileFormat format, RecordAssembler assembler)
      throws SourceException {
    new TreeRecordReader(file, format, assembler).read();
    return assembler.detail("record", "unknown fields");
  }

  private void read() throws SourceException {
    JsonFactory factory = format == FileFormat.YAML ? YAML : JSON;
    try (InputStream in = Files.newInputStream(file);
        JsonParser parser = factory.createParser(in)) {
      JsonToken first = parser.nextToken();
      if (first == JsonToken.START_ARRAY) {
        readList(parser);
      } else if (first == JsonToken.START_OBJECT) {
        readTopMapping(parser);
      } else if (first == null) {
        throw new SourceException(file + ": the file is empty; " + EXPECTED);
      } else {
        throw new SourceException(
            file + ": " + EXPECTED + ", not " + describe(first) + " (line " + line(parser) + ")");
      }
      if (parser.nextToken() != null) {
        throw new SourceException(
            file
                + ": there is more after the records, at line "
                + line(parser)
                + (format == FileFormat.YAML
                    ? "; put every record in one list in one YAML document"
                    : "; a JSON file holds one list of records"));
      }
    } catch (JsonProcessingException e) {
      JsonLocation where = e.getLocation();
      throw new SourceException(
          file
              + ": not valid "
              + format.name()
              + (where == null
                  ? ""
                  : " at line " + where.getLineNr() + ", column " + where.getColumnNr())
              + ": "
              + tidy(e.getOriginalMessage()),
          e);
    } catch (IOException e) {
      throw new SourceException(file + ": cannot read: " + e, e);
    }
  }

  private void readTopMapping(JsonParser parser) throws IOException, SourceException {
    int recordsLine = 0;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      int keyLine = line(parser);
      JsonToken value = parser.nextToken();
      if (!RECORDS.equals(key)) {
        assembler.ignore(
            key,
            new InputProblem(
                assembler.location(keyLine, key),
                "unknown top-level key '"
                    + key
                    + "' is ignored; records go in the list under 'records:'"));
        parser.skipChildren();
        continue;
      }
      if (recordsLine != 0) {
        throw new SourceException(
            file
                + ": 'records:' appears twice, at lines "
                + recordsLine
                + " and "
                + keyLine
                + "; put every record in one list");
      }
      recordsLine = keyLine;
      if (value == JsonToken.START_ARRAY) {
        readList(parser);
      } else if (value != JsonToken.VALUE_NULL && !isEmptyText(parser, value)) {
        throw new SourceException(
            file + ": 'records:' (line " + keyLine + ") must hold a list, not " + describe(value));
      }
    }
    if (recordsLine == 0) {
      throw new SourceException(file + ": there is no 'records:' key; " + EXPECTED);
    }
  }

  private void readList(JsonParser parser) throws IOException {
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (token == null) {
        throw new IOException("the list of records is not closed");
      }
      int line = line(parser);
      if (token == JsonToken.START_OBJECT) {
        readRecord(parser, line);
      } else {
        parser.skipChildren();
        assembler.rejectRow(
            new InputProblem(
                assembler.location(line),
                "expected a record (a mapping of fields), not " + describe(token)));
      }
    }
  }

  private void readRecord(JsonParser parser, int line) throws IOException {
    Map<String, Cell> cells = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    List<InputProblem> problems = new ArrayList<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      Cell cell = readCell(parser, field, parser.nextToken());
      if (!seen.add(field)) {
        problems.add(
            new InputProblem(
                assembler.location(line, field),
                "the field appears twice in this record; which value holds cannot be told"));
        continue;
      }
      if (!Fields.isKnown(field)) {
        if (unknownReported.add(field)) {
          assembler.ignore(
              field,
              new InputProblem(
                  assembler.location(line, field),
                  "unknown field '"
                      + field
                      + "' is ignored (reported once, where it first appears); "
                      + Fields.unknownHint(field)));
        }
        continue;
      }
      if (cell != null) {
        cells.put(field, cell);
      }
    }
    assembler.row(line, cells, field -> field, problems);
  }

  /** Reads one field's value, children included; null for an explicit null. */
  private static @Nullable Cell readCell(JsonParser parser, String field, JsonToken token)
      throws IOException {
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (token.isScalarValue() && token != JsonToken.VALUE_EMBEDDED_OBJECT) {
      // The text as written: an id of 0012 stays 0012 rather than becoming the number 12.
      return Cell.text(field, parser.getText());
    }
    if (token == JsonToken.START_ARRAY) {
      List<String> items = new ArrayList<>();
      boolean nested = false;
      JsonToken item;
      while ((item = parser.nextToken()) != JsonToken.END_ARRAY) {
        if (item == null) {
          throw new IOException("a list is not closed");
        }
        if (item.isStructStart()) {
          nested = true;
          parser.skipChildren();
        } else if (item != JsonToken.VALUE_NULL && item != JsonToken.VALUE_EMBEDDED_OBJECT) {
          items.add(parser.getText());
        }
      }
      return nested ? Cell.unusable(field, "a list of lists or mappings") : Cell.list(field, items);
    }
    parser.skipChildren();
    return Cell.unusable(field, describe(token));
  }

  /**
   * The parser's message on one line: SnakeYAML's context lines (an excerpt and a caret) and
   * Jackson's source descriptions are dropped, since the location is already given.
   */
  static String tidy(@Nullable String message) {
    if (message == null || message.isBlank()) {
      return "syntax error";
    }
    String oneLine =
        message
            .lines()
            .filter(text -> !text.isBlank() && !Character.isWhitespace(text.charAt(0)))
            .map(String::strip)
            .collect(Collectors.joining("; "));
    return SOURCE_DESCRIPTION.matcher(oneLine).replaceAll("line $1, column $2");
  }

  /** YAML reports a key with nothing after it ({@code records:}) as empty text, not null. */
  private static boolean isEmptyText(JsonParser parser, JsonToken token) throws IOException {
    return token == JsonToken.VALUE_STRING && parser.getText().isBlank();
  }

  private static int line(JsonParser parser) {
    return parser.currentTokenLocation().getLineNr();
  }

  private static String describe(JsonToken token) {
    return switch (token) {
      case START_OBJECT -> "a mapping";
      case START_ARRAY -> "a list";
      case VALUE_NULL -> "nothing (null)";
      case VALUE_EMBEDDED_OBJECT -> "binary data";
      default -> "a single value";
    };
  }

  private static JsonFactory yamlFactory() {
    LoaderOptions options = new LoaderOptions();
    // SnakeYAML refuses documents over 3 MB by default; a change log of some years is larger.
    options.setCodePointLimit(Integer.MAX_VALUE);
    return YAMLFactory.builder().loaderOptions(options).build();
  }
}
