package dev.vouch.connector.recordsfile;

import dev.vouch.core.spi.RecordSink;
import dev.vouch.core.spi.RecordSource;
import dev.vouch.core.spi.SourceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

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
  public List<String> preflight() {
    String problem = unreadable();
    return problem == null ? List.of() : List.of("path: " + problem);
  }

  /** Why the file cannot be read, or null when it can be. */
  private @Nullable String unreadable() {
    if (Files.isDirectory(path)) {
      return path + " is a directory; 'path' must name one change-log file";
    }
    if (!Files.exists(path)) {
      return path
          + ": no such file (relative paths are resolved against the configuration's folder)";
    }
    if (!Files.isReadable(path)) {
      return path + ": permission denied";
    }
    return null;
  }

  @Override
  public String pull(RecordSink sink) throws SourceException {
    String problem = unreadable();
    if (problem != null) {
      throw new SourceException(problem);
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
