package dev.vouch.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** Writes the change log, {@code changes.csv}, in the same layout for both benchmarks. */
final class ChangeLogCsv {

  static final String FILE = "changes.csv";

  static final String HEADER =
      "id,title,type,state,systems,window_start,window_end,implementer,approved_by,approved_at,"
          + "requested_by,risk,backout_plan,test_evidence,url,updated_at";

  static void write(Path file, List<ChangeRecordRow> rows) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(HEADER);
      w.write('\n');
      for (ChangeRecordRow r : rows) {
        List<String> fields =
            List.of(
                r.id(),
                r.title(),
                r.type(),
                r.state(),
                String.join(";", r.systems()),
                iso(r.start()),
                iso(r.end()),
                String.join(";", r.implementers()),
                String.join(";", r.approvers()),
                r.approvedAt() == null ? "" : iso(r.approvedAt()),
                r.requestedBy(),
                r.risk(),
                r.backoutPlan(),
                r.testEvidence(),
                "https://changes.example.com/change/" + r.id(),
                iso(r.updatedAt()));
        for (int i = 0; i < fields.size(); i++) {
          if (i > 0) {
            w.write(',');
          }
          w.write(csv(fields.get(i)));
        }
        w.write('\n');
      }
    }
  }

  /** One RFC 4180 field: quoted when it holds a comma, a quote or a line break. */
  static String csv(String value) {
    if (value.indexOf(',') < 0
        && value.indexOf('"') < 0
        && value.indexOf('\n') < 0
        && value.indexOf('\r') < 0) {
      return value;
    }
    return '"' + value.replace("\"", "\"\"") + '"';
  }

  private static String iso(long epochSecond) {
    return Instant.ofEpochSecond(epochSecond).toString();
  }

  private ChangeLogCsv() {}
}
