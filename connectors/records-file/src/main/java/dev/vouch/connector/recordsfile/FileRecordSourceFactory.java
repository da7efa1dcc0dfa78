package dev.vouch.connector.recordsfile;

import dev.vouch.core.spi.RecordSource;
import dev.vouch.core.spi.RecordSourceFactory;
import dev.vouch.core.spi.SettingsNode;
import dev.vouch.core.spi.SourceContext;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Creates {@code type: file} record sources.
 *
 * <pre>{@code
 * - name: change-log
 *   type: file
 *   path: changes/changes.csv   # one file, relative to the configuration's directory
 *   format: csv                 # optional: csv, yaml or json; else taken from the extension
 * }</pre>
 */
public final class FileRecordSourceFactory implements RecordSourceFactory {
  private static final String PATH = "path";
  private static final String FORMAT = "format";

  @Override
  public String type() {
    return FileRecordSource.TYPE;
  }

  @Override
  public RecordSource create(String name, SettingsNode settings, SourceContext context) {
    String pathText = settings.requiredString(PATH);
    Optional<String> formatText = settings.optionalString(FORMAT);
    settings.finish();

    Path path = context.baseDirectory().resolve(pathText).normalize();
    FileFormat format = FileFormat.CSV;
    if (formatText.isPresent()) {
      Optional<FileFormat> named = FileFormat.named(formatText.get());
      if (named.isPresent()) {
        format = named.get();
      } else {
        settings.problem(FORMAT, "must be csv, yaml or json, not '" + formatText.get() + "'");
      }
    } else if (!pathText.isBlank()) {
      Optional<FileFormat> implied = FileFormat.ofExtension(path);
      if (implied.isPresent()) {
        format = implied.get();
      } else {
        settings.problem(
            FORMAT,
            "is needed: the format of '"
                + pathText
                + "' cannot be told from its extension (.csv, .yaml, .yml or .json); set"
                + " format: csv, yaml or json");
      }
    }
    return new FileRecordSource(name, path, format);
  }
}
