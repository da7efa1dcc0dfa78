package dev.vouch.app;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.vouch.core.json.Json;
import dev.vouch.core.model.Finding;
import dev.vouch.core.run.RunSummary;
import dev.vouch.core.store.Store;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes a run's reports: {@code findings.json} (every finding with its reasons), {@code
 * findings.csv} (one row per finding, for spreadsheets), {@code summary.html} (one page for people)
 * and {@code run.json} (the run summary). Findings are streamed from the store, so report size does
 * not bound memory.
 */
final class ReportWriter {
  static final List<String> CSV_COLUMNS =
      List.of(
          "eventId",
          "source",
          "system",
          "occurredAt",
          "actor",
          "person",
          "action",
          "verdict",
          "recordId",
          "ruleId",
          "risks",
          "summary");

  /** How many findings needing review the one-page summary lists by name. */
  static final int HTML_FINDINGS_LISTED = 200;

  private final Store store;

  ReportWriter(Store store) {
    this.store = store;
  }

  record Written(Path json, Path csv, Path html, Path run) {}

  Written write(RunSummary summary, Path directory) throws IOException {
    Files.createDirectories(directory);
    Path json = directory.resolve("findings.json");
    Path csv = directory.resolve("findings.csv");
    Path html = directory.resolve("summary.html");
    Path run = directory.resolve("run.json");
    List<Finding> forReview = new ArrayList<>();
    long[] reviewTotal = {0};
    try (JsonGenerator out =
            Json.mapper().getFactory().createGenerator(json.toFile(), JsonEncoding.UTF8);
        BufferedWriter csvFile = Files.newBufferedWriter(csv, StandardCharsets.UTF_8);
        CSVPrinter rows =
            CSVFormat.DEFAULT
                .builder()
                .setHeader(CSV_COLUMNS.toArray(String[]::new))
                .get()
                .print(csvFile)) {
      out.useDefaultPrettyPrinter();
      out.writeStartArray();
      store.forEachFinding(
          summary.runId(),
          finding -> {
            try {
              writeJson(out, finding);
              rows.printRecord(csvRow(finding));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
            if (finding.verdict().needsReview()) {
              reviewTotal[0]++;
              if (forReview.size() < HTML_FINDINGS_LISTED) {
                forReview.add(finding);
              }
            }
          });
      out.writeEndArray();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    Json.mapper().writerWithDefaultPrettyPrinter().writeValue(run.toFile(), summary);
    Files.writeString(
        html, new SummaryPage(summary, forReview, reviewTotal[0]).render(), StandardCharsets.UTF_8);
    return new Written(json, csv, html, run);
  }

  static String eventId(Finding finding) {
    String key = finding.eventKey();
    int colon = key.indexOf(':');
    return colon < 0 ? key : key.substring(colon + 1);
  }

  private static void writeJson(JsonGenerator out, Finding finding) throws IOException {
    out.writeStartObject();
    out.writeStringField("eventId", eventId(finding));
    out.writeStringField("eventKey", finding.eventKey());
    out.writeStringField("source", finding.source());
    out.writeStringField("system", finding.system());
    out.writeStringField("occurredAt", finding.occurredAt().toString());
    out.writeStringField("actor", finding.actor());
    out.writeStringField("person", finding.person());
    out.writeStringField("action", finding.action());
    out.writeStringField("verdict", finding.verdict().name());
    out.writeStringField("recordId", finding.recordId());
    out.writeStringField("ruleId", finding.ruleId());
    out.writeFieldName("risks");
    Json.mapper().writeValue(out, finding.risks());
    out.writeObjectFieldStart("reasons");
    out.writeStringField("summary", finding.summary());
    out.writeFieldName("candidates");
    Json.mapper().writeValue(out, finding.candidates());
    out.writeFieldName("evidence");
    Json.mapper().writeValue(out, finding.evidence());
    out.writeEndObject();
    out.writeEndObject();
  }

  private static List<Object> csvRow(Finding finding) {
    List<Object> row = new ArrayList<>();
    row.add(eventId(finding));
    row.add(finding.source());
    row.add(finding.system() == null ? "" : finding.system());
    row.add(finding.occurredAt().toString());
    row.add(finding.actor());
    row.add(finding.person() == null ? "" : finding.person());
    row.add(finding.action());
    row.add(finding.verdict().name());
    row.add(finding.recordId() == null ? "" : finding.recordId());
    row.add(finding.ruleId() == null ? "" : finding.ruleId());
    row.add(String.join(";", finding.risks()));
    row.add(finding.summary());
    return row;
  }
}
