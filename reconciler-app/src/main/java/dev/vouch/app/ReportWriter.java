package dev.vouch.app;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import dev.vouch.core.catalog.IdentityMap;
import dev.vouch.core.json.Json;
import dev.vouch.core.model.Finding;
import dev.vouch.core.run.RunSummary;
import dev.vouch.core.store.Store;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes a run's reports: {@code findings.json} (every finding with its reasons), {@code
 * findings.csv} (one row per finding, for spreadsheets), {@code summary.html} (one page for people)
 * and {@code run.json} (the run summary). Findings are streamed from the store, so report size does
 * not bound memory.
 *
 * <p>Written all or nothing: every report goes to a temporary file first and is forced to disk;
 * only when all are written are the previous run's reports removed and the new ones renamed into
 * place, {@code run.json} last. A crash or a full disk therefore never leaves a new findings file
 * beside an old summary: the directory holds the previous set, or part of the new one without its
 * {@code run.json}.
 */
final class ReportWriter {
  static final List<String> CSV_COLUMNS =
      List.of(
          "eventId",
          "source",
          "system",
          "occurredAt",
          "actor",
          "via",
          "person",
          "action",
          "verdict",
          "recordId",
          "ruleId",
          "risks",
          "summary");

  /**
   * How many findings needing review the one-page summary lists by name: the most severe, in {@link
   * ReviewOrder#FOR_REVIEW}.
   */
  static final int HTML_FINDINGS_LISTED = 200;

  private final Store store;
  private final IdentityMap identities;

  /**
   * @param identities the configured people and aliases, with which the summary page says who
   *     approved a change as the matcher judged it
   */
  ReportWriter(Store store, IdentityMap identities) {
    this.store = store;
    this.identities = identities;
  }

  record Written(Path json, Path csv, Path html, Path run) {
    /** The reports in the order they are put in place: run.json, which names the run, last. */
    List<Path> inOrder() {
      return List.of(json, csv, html, run);
    }
  }

  Written write(RunSummary summary, Path directory) throws IOException {
    Files.createDirectories(directory);
    Written target =
        new Written(
            directory.resolve("findings.json"),
            directory.resolve("findings.csv"),
            directory.resolve("summary.html"),
            directory.resolve("run.json"));
    String suffix = ".tmp-run" + summary.runId();
    Written temporary =
        new Written(
            directory.resolve(".findings.json" + suffix),
            directory.resolve(".findings.csv" + suffix),
            directory.resolve(".summary.html" + suffix),
            directory.resolve(".run.json" + suffix));
    try {
      writeAll(summary, temporary);
      for (Path file : temporary.inOrder()) {
        force(file);
      }
      // run.json goes first and comes back last, so a directory with a run.json holds that
      // run's whole set.
      List<Path> old = new ArrayList<>(target.inOrder());
      Collections.reverse(old);
      for (Path file : old) {
        Files.deleteIfExists(file);
      }
      List<Path> from = temporary.inOrder();
      List<Path> to = target.inOrder();
      for (int i = 0; i < from.size(); i++) {
        move(from.get(i), to.get(i));
      }
      force(directory);
    } finally {
      for (Path file : temporary.inOrder()) {
        Files.deleteIfExists(file);
      }
    }
    return target;
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Forces a file (or a directory's entries) to disk; file systems that cannot are left be. */
  private static void force(Path path) throws IOException {
    boolean directory = Files.isDirectory(path);
    try (FileChannel channel =
        FileChannel.open(path, directory ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
      channel.force(true);
    } catch (IOException e) {
      if (!directory) {
        throw e;
      }
      // Some platforms cannot open a directory for syncing; the renames are then as durable as
      // the file system makes them.
    }
  }

  private void writeAll(RunSummary summary, Written files) throws IOException {
    Path json = files.json();
    Path csv = files.csv();
    Path html = files.html();
    Path run = files.run();
    // The most severe findings so far, the least severe of them on top, to be dropped first.
    PriorityQueue<Finding> forReview =
        new PriorityQueue<>(HTML_FINDINGS_LISTED + 1, ReviewOrder.FOR_REVIEW.reversed());
    long[] reviewTotal = {0};
    try (FindingBatches findings = new FindingBatches(store, summary.runId());
        JsonGenerator out =
            Json.mapper().getFactory().createGenerator(json.toFile(), JsonEncoding.UTF8);
        BufferedWriter csvFile = Files.newBufferedWriter(csv, StandardCharsets.UTF_8);
        CSVPrinter rows =
            CSVFormat.DEFAULT
                .builder()
                .setHeader(CSV_COLUMNS.toArray(String[]::new))
                .get()
                .print(csvFile)) {
      out.setPrettyPrinter(new OneFindingPerLine());
      out.writeStartArray();
      for (List<Finding> batch : findings) {
        for (Finding finding : batch) {
          writeJson(out, finding);
          rows.printRecord(csvRow(finding));
          if (finding.verdict().needsReview()) {
            reviewTotal[0]++;
            forReview.add(finding);
            if (forReview.size() > HTML_FINDINGS_LISTED) {
              forReview.poll();
            }
          }
        }
      }
      out.writeEndArray();
    }
    List<ReviewItem> listed = new ArrayList<>();
    for (Finding finding : forReview.stream().sorted(ReviewOrder.FOR_REVIEW).toList()) {
      listed.add(ReviewItem.read(store, finding));
    }
    Files.writeString(
        html,
        new SummaryPage(summary, listed, reviewTotal[0], identities).render(),
        StandardCharsets.UTF_8);
    Json.mapper().writerWithDefaultPrettyPrinter().writeValue(run.toFile(), summary);
  }

  /**
   * findings.json holds one finding per line, each written compactly: a file of a month's findings
   * stays a fraction of the size indentation would give it, and remains easy to read, grep and diff
   * line by line.
   */
  private static final class OneFindingPerLine extends MinimalPrettyPrinter {
    @Override
    public void writeStartArray(JsonGenerator g) throws IOException {
      super.writeStartArray(g);
      if (g.getOutputContext().getParent().inRoot()) {
        g.writeRaw('\n');
      }
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
      super.writeArrayValueSeparator(g);
      if (g.getOutputContext().getParent().inRoot()) {
        g.writeRaw('\n');
      }
    }

    @Override
    public void writeEndArray(JsonGenerator g, int values) throws IOException {
      if (g.getOutputContext().getParent().inRoot()) {
        g.writeRaw('\n');
      }
      super.writeEndArray(g, values);
    }
  }

  /**
   * A run's findings in their stored order, read and decoded on a thread of their own while the
   * caller writes the previous ones, in bounded batches: on two cores the reports take the time of
   * the slower half, not of both.
   */
  private static final class FindingBatches implements Iterable<List<Finding>>, AutoCloseable {
    private static final int BATCH = 512;
    private static final List<Finding> END = List.of();

    private final BlockingQueue<List<Finding>> queue = new ArrayBlockingQueue<>(16);
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final Thread reader;
    private volatile boolean closed;

    FindingBatches(Store store, long runId) {
      reader =
          new Thread(
              () -> {
                List<Finding> batch = new ArrayList<>(BATCH);
                try {
                  store.forEachFinding(
                      runId,
                      finding -> {
                        batch.add(finding);
                        if (batch.size() == BATCH) {
                          put(List.copyOf(batch));
                          batch.clear();
                        }
                      });
                  if (!batch.isEmpty()) {
                    put(List.copyOf(batch));
                  }
                  put(END);
                } catch (Stopped e) {
                  // The writer gave up early and closed: nobody waits for the rest.
                } catch (RuntimeException e) {
                  failure.set(e);
                  try {
                    put(END);
                  } catch (Stopped stopped) {
                    // Closed meanwhile: nobody waits for the end either.
                  }
                }
              },
              "vouch-report-reader");
      reader.setDaemon(true);
      reader.start();
    }

    private void put(List<Finding> batch) {
      try {
        while (!closed && !queue.offer(batch, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
          // the writer is busy; wait, unless it gave up
        }
        if (closed) {
          throw new Stopped();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Stopped();
      }
    }

    /** Unwinds the reader once the writer has closed: not an error, so no stack trace. */
    private static final class Stopped extends RuntimeException {
      private static final long serialVersionUID = 1L;

      Stopped() {
        super("the reports are no longer being written", null, false, false);
      }
    }

    /** Stops the reader when the writer gives up early (a full disk), and waits for it. */
    @Override
    public void close() {
      closed = true;
      queue.clear();
      try {
        reader.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public Iterator<List<Finding>> iterator() {
      return new Iterator<>() {
        private List<Finding> next;

        @Override
        public boolean hasNext() {
          if (next == null) {
            try {
              next = queue.take();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException("interrupted while writing the reports", e);
            }
          }
          if (next == END) {
            RuntimeException failed = failure.get();
            if (failed != null) {
              throw failed;
            }
            return false;
          }
          return true;
        }

        @Override
        public List<Finding> next() {
          if (!hasNext()) {
            throw new java.util.NoSuchElementException();
          }
          List<Finding> batch = next;
          next = null;
          return batch;
        }
      };
    }
  }

  static String eventId(Finding finding) {
    String key = finding.eventKey();
    int colon = key.indexOf(':');
    return colon < 0 ? key : key.substring(colon + 1);
  }

  /**
   * A pretty-printing generator over a writer that it leaves open when closed: for printing
   * findings, with {@link #writeJson}, where the caller owns the stream.
   */
  static JsonGenerator jsonGenerator(Writer target) throws IOException {
    JsonGenerator generator = Json.mapper().getFactory().createGenerator(target);
    generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    generator.useDefaultPrettyPrinter();
    return generator;
  }

  /** Writes one finding as an object of findings.json. */
  static void writeJson(JsonGenerator out, Finding finding) throws IOException {
    out.writeStartObject();
    writeFields(out, finding);
    out.writeEndObject();
  }

  /**
   * Writes the fields of a finding's object, for a caller that adds its own (such as {@code
   * findings list}'s triage) before closing it.
   */
  static void writeFields(JsonGenerator out, Finding finding) throws IOException {
    out.writeStringField("eventId", eventId(finding));
    out.writeStringField("eventKey", finding.eventKey());
    out.writeStringField("source", finding.source());
    out.writeStringField("system", finding.system());
    out.writeStringField("occurredAt", finding.occurredAt().toString());
    out.writeStringField("actor", finding.actor());
    out.writeFieldName("via");
    Json.mapper().writeValue(out, finding.via());
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
  }

  private static List<Object> csvRow(Finding finding) {
    List<Object> row = new ArrayList<>();
    row.add(eventId(finding));
    row.add(finding.source());
    row.add(finding.system() == null ? "" : finding.system());
    row.add(finding.occurredAt().toString());
    row.add(finding.actor());
    row.add(String.join(";", finding.via()));
    row.add(finding.person() == null ? "" : finding.person());
    row.add(finding.action());
    row.add(finding.verdict().name());
    row.add(finding.recordId() == null ? "" : finding.recordId());
    row.add(finding.ruleId() == null ? "" : finding.ruleId());
    row.add(String.join(";", finding.risks()));
    row.add(finding.summary());
    return row.stream().map(cell -> (Object) CsvCells.text(String.valueOf(cell))).toList();
  }
}
