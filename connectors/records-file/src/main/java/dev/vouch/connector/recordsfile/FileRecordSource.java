package dev.vouch.connector.recordsfile;

import dev.vouch.core.spi.RecordSink;
import dev.vouch.core.spi.RecordSource;
import dev.vouch.core.spi.SourceException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads change records from one change-log file, in full, on every pull. Each valid row becomes a
 * {@link dev.vouch.core.model.ChangeRecord}; each bad row is reported with its file, line and
 * column and skipped. A file that cannot be read at all (missing, not a file, a header without the
 * required columns, broken CSV quoting or YAML/JSON syntax) fails the pull with a {@link
 * SourceException}.
 */
public final class FileRecordSource implements RecordSource {
  static final String TYPE = "file";

  private final String name;
  private final Path path;
  private final FileFormat format;

  FileRecordSource(String name, Path path, FileFormat format) {
    this.name = name;
    this.path = path;
    this.format = format;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return TYPE;
  }

  /** The file this source reads. */
  public Path path() {
    return path;
  }

  @Override
  public String pull(RecordSink sink) throws SourceException {
    if (Files.isDirectory(path)) {
      throw new SourceException(path + ": is a directory; 'path' must name one change-log file");
    }
    if (!Files.exists(path)) {
      throw new SourceException(path + ": no such file");
    }
    Path fileName = path.getFileName();
    RecordAssembler assembler =
        new RecordAssembler(name, fileName == null ? path.toString() : fileName.toString(), sink);
    return switch (format) {
      case CSV -> CsvRecordReader.read(path, assembler);
      case YAML, JSON -> TreeRecordReader.read(path, format, assembler);
    };
  }

  @Override
  public String toString() {
    return "FileRecordSource[" + name + ", " + format.label() + " " + path + "]";
  }
}
