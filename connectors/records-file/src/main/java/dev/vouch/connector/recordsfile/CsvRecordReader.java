package dev.vouch.connector.recordsfile;

import dev.vouch.core.spi.InputProblem;
import dev.vouch.core.spi.SourceException;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a CSV change log: RFC 4180 (quoted cells may hold commas, quotes and line breaks), UTF-8
 * with or without a byte-order mark, a header row naming the columns in any order.
 *
 * <p>Line numbers are physical lines: a row's line is the one where the row starts, even after
 * quoted cells that span several lines.
 */
final class CsvRecordReader {
  private static final char BYTE_ORDER_MARK = '\uFEFF';

  /* Empty lines are kept so that the parser's line count stays in step; they are skipped here. */
  private static final CSVFormat FORMAT =
      CSVFormat.RFC4180.builder().setIgnoreEmptyLines(false).get();

  private CsvRecordReader() {}

  static String read(Path file, RecordAssembler assembler) throws SourceException {
    int line = 1;
    try (Reader reader = open(file);
        CSVParser parser = CSVParser.parse(reader, FORMAT)) {
      Iterator<CSVRecord> rows = parser.iterator();
      Header header = null;
      while (true) {
        line = Math.toIntExact(parser.getCurrentLineNumber() + 1);
        if (!rows.hasNext()) {
          break;
        }
        CSVRecord row = rows.next();
        if (isBlank(row)) {
          continue;
        }
        if (header == null) {
          header = Header.read(file, row, line, assembler);
          continue;
        }
        readRow(row, line, header, assembler);
      }
      if (header == null) {
        throw new SourceException(
            file
                + ": the file is empty; a change log starts with a header row naming the columns "
                + String.join(",", Fields.REQUIRED));
      }
      return assembler.detail("row", "unknown columns");
    } catch (UncheckedIOException e) {
      throw unreadable(file, line, e.getCause());
    } catch (IOException e) {
      throw unreadable(file, line, e);
    }
  }

  private static SourceException unreadable(Path file, int line, IOException e) {
    if (e instanceof CharacterCodingException) {
      // The decoder reads ahead, so the parser's line is not where the bad bytes are: look again.
      String where = firstLineNotUtf8(file).map(bad -> " (line " + bad + ")").orElse("");
      return new SourceException(
          file + ": is not valid UTF-8" + where + "; save the file as UTF-8", e);
    }
    if (e instanceof NoSuchFileException || e instanceof AccessDeniedException) {
      return new SourceException(file + ": cannot read: " + e.getClass().getSimpleName(), e);
    }
    return new SourceException(
        file
            + ": not valid CSV in the row that starts on line "
            + line
            + " (check its quotes): "
            + describe(e),
        e);
  }

  private static void readRow(CSVRecord row, int line, Header header, RecordAssembler assembler) {
    if (row.size() != header.width) {
      // Cells have shifted (an unquoted comma, a lost quote): checking them would only mislead.
      int column = Math.min(row.size(), header.width) + 1;
      String message =
          "the row has "
              + row.size()
              + " cells but the header has "
              + header.width
              + " columns"
              + (row.size() > header.width
                  ? "; quote any cell that contains a comma"
                  : "; every row needs a cell for every column, even an empty one");
      assembler.rejectRow(
          new InputProblem(assembler.location(line, header.label(column)), message));
      return;
    }
    Map<String, Cell> cells = new LinkedHashMap<>();
    header.columns.forEach(
        (field, index) -> cells.put(field, Cell.text(header.label(index + 1), row.get(index))));
    assembler.row(line, cells, field -> field, List.of());
  }

  /** A row with no cells, or only empty ones (spreadsheets export these as {@code ,,,,}). */
  private static boolean isBlank(CSVRecord row) {
    for (String cell : row) {
      if (!cell.isBlank()) {
        return false;
      }
    }
    return true;
  }

  private static Reader open(Path file) throws IOException {
    BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    reader.mark(1);
    if (reader.read() != BYTE_ORDER_MARK) {
      reader.reset();
    }
    return reader;
  }

  /** The first line of the file that is not valid UTF-8, read line by line as bytes. */
  static Optional<Integer> firstLineNotUtf8(Path file) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      ByteArrayOutputStream current = new ByteArrayOutputStream();
      int line = 1;
      int b;
      while (true) {
        b = in.read();
        if (b == '\n' || b < 0) {
          try {
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(current.toByteArray()));
          } catch (CharacterCodingException e) {
            return Optional.of(line);
          }
          if (b < 0) {
            return Optional.empty();
          }
          current.reset();
          line++;
        } else {
          current.write(b);
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  /** The header row: which known field is in which column. */
  private static final class Header {
    private final List<String> names;
    private final Map<String, Integer> columns;
    private final int width;

    private Header(List<String> names, Map<String, Integer> columns) {
      this.names = names;
      this.columns = columns;
      this.width = names.size();
    }

    /** {@code 7 (window_end)}: the 1-based column number and, where there is one, its name. */
    String label(int column) {
      if (column > names.size() || names.get(column - 1).isEmpty()) {
        return String.valueOf(column);
      }
      return column + " (" + names.get(column - 1) + ")";
    }

    static Header read(Path file, CSVRecord row, int line, RecordAssembler assembler)
        throws SourceException {
      List<String> names = new ArrayList<>();
      Map<String, Integer> columns = new LinkedHashMap<>();
      List<String> unknown = new ArrayList<>();
      for (int i = 0; i < row.size(); i++) {
        String name = row.get(i).strip();
        names.add(name);
        if (!Fields.isKnown(name)) {
          unknown.add(name);
          continue;
        }
        Integer earlier = columns.putIfAbsent(name, i);
        if (earlier != null) {
          throw new SourceException(
              file
                  + ": the header (line "
                  + line
                  + ") has column '"
                  + name
                  + "' twice, as columns "
                  + (earlier + 1)
                  + " and "
                  + (i + 1)
                  + "; which one holds the value cannot be told");
        }
      }
      List<String> missing =
          Fields.REQUIRED.stream().filter(field -> !columns.containsKey(field)).toList();
      if (!missing.isEmpty()) {
        StringBuilder message =
            new StringBuilder(file.toString())
                .append(": missing required column")
                .append(missing.size() == 1 ? " " : "s ")
                .append(String.join(", ", missing))
                .append("; the header (line ")
                .append(line)
                .append(") has ")
                .append(String.join(", ", names));
        for (String name : unknown) {
          Fields.suggestion(name)
              .filter(missing::contains)
              .ifPresent(
                  field ->
                      message
                          .append("; is '")
                          .append(name)
                          .append("' meant to be '")
                          .append(field)
                          .append("'?"));
        }
        throw new SourceException(message.toString());
      }
      Header header = new Header(names, columns);
      for (int i = 0; i < names.size(); i++) {
        String name = names.get(i);
        if (Fields.isKnown(name)) {
          continue;
        }
        String location = assembler.location(line, header.label(i + 1));
        if (name.isEmpty()) {
          assembler.ignore(
              "column " + (i + 1),
              new InputProblem(location, "the column has no name; its cells are ignored"));
        } else {
          assembler.ignore(
              name,
              new InputProblem(
                  location,
                  "unknown column '" + name + "' is ignored; " + Fields.unknownHint(name)));
        }
      }
      return header;
    }
  }
}
