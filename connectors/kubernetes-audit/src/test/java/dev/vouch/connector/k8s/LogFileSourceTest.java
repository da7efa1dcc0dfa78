package dev.vouch.connector.k8s;

import static dev.vouch.connector.k8s.TestSupport.append;
import static dev.vouch.connector.k8s.TestSupport.event;
import static dev.vouch.connector.k8s.TestSupport.eventList;
import static dev.vouch.connector.k8s.TestSupport.fileSource;
import static dev.vouch.connector.k8s.TestSupport.gzip;
import static dev.vouch.connector.k8s.TestSupport.line;
import static dev.vouch.connector.k8s.TestSupport.lines;
import static dev.vouch.connector.k8s.TestSupport.nativeId;
import static dev.vouch.connector.k8s.TestSupport.nativeIds;
import static dev.vouch.connector.k8s.TestSupport.pull;
import static dev.vouch.connector.k8s.TestSupport.write;
import static dev.vouch.connector.k8s.TestSupport.writeGzip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.connector.k8s.TestSupport.Pulled;
import dev.vouch.core.spi.InputProblem;
import dev.vouch.core.spi.InputProblem.Extent;
import dev.vouch.core.spi.SourceException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code kubernetes-audit} source over log files: rotation, cursor, partial lines, paths. */
class LogFileSourceTest {
  @TempDir Path dir;

  private Path live() {
    return dir.resolve("audit.log");
  }

  /** Renames the live file as kube-apiserver's rotation does, and starts a new one. */
  private Path rotate(String stamp, String newContent) throws Exception {
    Path rotated = dir.resolve("audit-" + stamp + ".log");
    Files.move(live(), rotated);
    write(live(), newContent);
    return rotated;
  }

  private static List<String> cursorIdentities(Pulled pulled) throws Exception {
    JsonNode files = Json.MAPPER.readTree(pulled.cursor()).get("files");
    Iterator<String> names = files.fieldNames();
    List<String> identities = new java.util.ArrayList<>();
    names.forEachRemaining(identities::add);
    return identities;
  }

  @Nested
  class Rotation {
    @Test
    void shouldReadARotatedFileToItsEndAndTheNewFileFromItsStart() throws Exception {
      write(live(), lines(event("e1"), event("e2")));
      var source = fileSource(live());
      Pulled first = pull(source, null);
      append(live(), line(event("e3"))); // written before rotation, not yet pulled
      rotate("2026-10-01T12-00-00.000", line(event("e4")));
      append(live(), line(event("e5")));

      Pulled second = pull(source, first.cursor());
      Pulled third = pull(source, second.cursor());

      assertThat(first.ids()).containsExactlyElementsOf(nativeIds("e1", "e2"));
      assertThat(second.ids()).containsExactlyElementsOf(nativeIds("e3", "e4", "e5"));
      assertThat(second.sink().rejections()).isEmpty();
      assertThat(third.ids()).isEmpty();
      assertThat(cursorIdentities(second)).hasSize(2);
    }

    @Test
    void shouldFindARotatedFileAgainOnceCompressed() throws Exception {
      write(live(), lines(event("e1"), event("e2")));
      var source = fileSource(dir.toString(), dir);
      Pulled first = pull(source, null);
      append(live(), line(event("e3")));
      Path rotated = rotate("2026-10-01T12-00-00.000", line(event("e4")));
      gzip(rotated);

      Pulled second = pull(source, first.cursor());
      Pulled third = pull(source, second.cursor());

      assertThat(second.ids()).containsExactlyElementsOf(nativeIds("e3", "e4"));
      assertThat(second.result().detail()).startsWith("2 files (1 gzip), 2 new lines;");
      assertThat(third.ids()).isEmpty();
      assertThat(third.result().detail())
          .startsWith("2 files (1 gzip, 2 already read to the end), 0 new lines;");
    }

    @Test
    void shouldNotReadAFileTwiceWhenItIsRenamedAndCompressedBetweenPulls() throws Exception {
      write(live(), lines(event("e1"), event("e2")));
      var source = fileSource(live());
      Pulled first = pull(source, null);
      Path rotated = rotate("2026-10-01T12-00-00.000", "");
      Path compressed = gzip(rotated);
      Pulled second = pull(source, first.cursor());
      // Even decompressing it, the reader would start at the recorded offset.
      Pulled afresh = pull(source, null);

      assertThat(compressed.getFileName().toString())
          .isEqualTo("audit-2026-10-01T12-00-00.000.log.gz");
      assertThat(second.ids()).isEmpty();
      assertThat(second.result().detail())
          .startsWith(
              "2 files (1 gzip, 1 already read to the end, 1 without a complete first line yet)");
      assertThat(afresh.ids()).containsExactlyElementsOf(nativeIds("e1", "e2"));
    }

    @Test
    void shouldReadRotatedFilesOldestFirstAndTheLiveFileLast() throws Exception {
      write(dir.resolve("audit-2026-10-02T00-00-00.000.log"), line(event("day2")));
      writeGzip(dir.resolve("audit-2026-10-01T00-00-00.000.log.gz"), line(event("day1")));
      write(live(), line(event("today")));
      write(dir.resolve("audit.log.1"), line(event("numbered")));

      Pulled pulled = pull(fileSource(live()), null);

      assertThat(pulled.ids())
          .containsExactlyElementsOf(nativeIds("day1", "day2", "numbered", "today"));
      assertThat(pulled.sink().unitsDone())
          .containsExactly(
              dir.resolve("audit-2026-10-01T00-00-00.000.log.gz").toString(),
              dir.resolve("audit-2026-10-02T00-00-00.000.log").toString(),
              dir.resolve("audit.log.1").toString(),
              live().toString());
    }

    @Test
    void shouldSkipTheGzipCopyWhileRotationIsStillCompressing() throws Exception {
      Path rotated = dir.resolve("audit-2026-10-01T00-00-00.000.log");
      write(rotated, lines(event("e1"), event("e2")));
      // Half-written compressed copy next to the original.
      byte[] full;
      Path gz = writeGzip(dir.resolve("rest.gz"), lines(event("e1"), event("e2")));
      full = Files.readAllBytes(gz);
      Files.delete(gz);
      Files.write(dir.resolve(rotated.getFileName() + ".gz"), java.util.Arrays.copyOf(full, 20));
      write(live(), line(event("e3")));

      Pulled pulled = pull(fileSource(live()), null);

      assertThat(pulled.ids()).containsExactlyElementsOf(nativeIds("e1", "e2", "e3"));
      assertThat(pulled.sink().rejections()).isEmpty();
      assertThat(pulled.result().detail()).contains("1 gzip copy being written skipped");
    }

    @Test
    void shouldKeepTheOffsetsOfAFileRenamedWhileThePullListedIt() throws Exception {
      write(live(), lines(event("e1"), event("e2")));
      Pulled first = pull(fileSource(live()), null);
      append(live(), line(event("e3")));
      Path rotated = rotate("2026-10-01T12-00-00.000", line(event("e4")));
      var stats = new PullStats();
      var sink = new dev.vouch.testkit.CollectingObservationSink();

      // The listing still names audit.log's old content under its old name: it is gone.
      var result =
          new AuditLogReader(TestSupport.SOURCE, TestSupport.CLUSTER, "log")
              .read(List.of(dir.resolve("gone.log"), live()), first.cursor(), sink, stats);
      Pulled next = pull(fileSource(live()), result.cursor());

      assertThat(sink.nativeIds()).containsExactlyElementsOf(nativeIds("e4"));
      assertThat(result.detail()).contains("1 file gone while reading");
      assertThat(Json.MAPPER.readTree(result.cursor()).get("files")).hasSize(2);
      assertThat(next.ids()).containsExactlyElementsOf(nativeIds("e3"));
      assertThat(rotated).exists();
    }

    @Test
    void shouldForgetFilesThatAreGone() throws Exception {
      Path old = dir.resolve("audit-2026-09-30T00-00-00.000.log");
      write(old, line(event("old")));
      write(live(), line(event("e1")));
      var source = fileSource(live());
      Pulled first = pull(source, null);
      Files.delete(old);

      Pulled second = pull(source, first.cursor());

      assertThat(cursorIdentities(first)).hasSize(2);
      assertThat(cursorIdentities(second)).hasSize(1);
      assertThat(second.ids()).isEmpty();
    }
  }

  @Nested
  class Lines {
    @Test
    void shouldLeaveAPartialLastLineForTheNextPull() throws Exception {
      String second = event("e2").toString();
      write(live(), line(event("e1")) + second.substring(0, 100));
      var source = fileSource(live());

      Pulled first = pull(source, null);
      append(live(), second.substring(100) + "\n");
      Pulled next = pull(source, first.cursor());

      assertThat(first.ids()).containsExactlyElementsOf(nativeIds("e1"));
      assertThat(first.sink().rejections()).isEmpty();
      assertThat(first.result().detail()).endsWith("; 1 partial last line left for the next pull");
      assertThat(next.ids()).containsExactlyElementsOf(nativeIds("e2"));
      assertThat(next.sink().rejections()).isEmpty();
    }

    @Test
    void shouldTakeACompleteLastLineWithoutLineEnd() throws Exception {
      write(live(), line(event("e1")) + event("e2"));
      var source = fileSource(live());

      Pulled first = pull(source, null);
      append(live(), "\n" + line(event("e3")));
      Pulled next = pull(source, first.cursor());

      assertThat(first.ids()).containsExactlyElementsOf(nativeIds("e1", "e2"));
      assertThat(next.ids()).containsExactlyElementsOf(nativeIds("e3"));
      assertThat(next.sink().rejections()).isEmpty();
    }

    @Test
    void shouldRejectABadLineWithItsNumberAndGoOn() throws Exception {
      write(live(), lines(event("e1"), event("e2")));
      var source = fileSource(live());
      Pulled first = pull(source, null);
      append(
          live(),
          "{\"kind\":\"Event\",\"auditID\":\n\n"
              + "I1001 12:00:00 klog line\n"
              + line(event("e3")));

      Pulled next = pull(source, first.cursor());

      assertThat(next.ids()).containsExactlyElementsOf(nativeIds("e3"));
      // Each bad line is one lost record, with nothing readable in it; the lines after it are read.
      assertThat(next.sink().rejections())
          .extracting(InputProblem::location, InputProblem::extent, InputProblem::fields)
          .containsExactly(
              tuple(live() + ":3:27", Extent.RECORD, Map.of()),
              tuple(live() + ":5:1", Extent.RECORD, Map.of()));
      assertThat(next.sink().rejections().get(0).message())
          .startsWith("malformed JSON line: Unexpected end-of-input");
      assertThat(next.sink().rejections().get(1).message())
          .startsWith("malformed JSON line: Unrecognized token 'I1001'");
      assertThat(next.result().detail()).contains("4 new lines;", "2 rejected");
    }

    @Test
    void shouldDeliverTheItemsOfAnEventListLine() throws Exception {
      write(
          live(),
          eventList(event("e1"), TestSupport.atStage(event("e1"), "ResponseStarted"), event("e2"))
              + "\n");

      Pulled pulled = pull(fileSource(live()), null);

      assertThat(pulled.ids()).containsExactlyElementsOf(nativeIds("e1", "e2"));
      assertThat(pulled.result().detail()).contains("1 at other stages skipped");
    }

    @Test
    void shouldRejectAnItemOfAnEventListWithItsPosition() throws Exception {
      write(live(), eventList(event("e1"), TestSupport.json("{\"kind\":\"Pod\"}")) + "\n");

      Pulled pulled = pull(fileSource(live()), null);

      assertThat(pulled.ids()).containsExactlyElementsOf(nativeIds("e1"));
      assertThat(pulled.sink().rejections())
          .containsExactly(
              new InputProblem(
                  live() + ":1 (item 2 of 2)",
                  "not a Kubernetes audit Event: kind 'Pod' (expected kind Event, apiVersion"
                      + " audit.k8s.io/v1)",
                  Extent.RECORD,
                  Map.of()));
    }

    @Test
    void shouldSkipAnExactRepeatOfAnEventInTheNextRotatedFile() throws Exception {
      write(dir.resolve("audit-2026-10-01T00-00-00.000.log"), lines(event("e1"), event("e2")));
      write(live(), lines(event("e2"), event("e3")));

      Pulled pulled = pull(fileSource(live()), null);

      assertThat(pulled.ids()).containsExactlyElementsOf(nativeIds("e1", "e2", "e3"));
      assertThat(pulled.result().detail()).contains("1 repeated event skipped");
    }

    @Test
    void shouldDeliverEventsWhateverTheirTime() throws Exception {
      write(
          live(),
          lines(
              event("long-ago", "2019-01-01T00:00:00Z"), event("future", "2099-01-01T00:00:00Z")));

      assertThat(pull(fileSource(live()), null).ids())
          .containsExactly(
              nativeId(event("long-ago", "2019-01-01T00:00:00Z")),
              nativeId(event("future", "2099-01-01T00:00:00Z")));
    }

    @Test
    void shouldRecogniseGzipByItsContent() throws Exception {
      writeGzip(live(), lines(event("e1")));

      Pulled pulled = pull(fileSource(live()), null);

      assertThat(pulled.ids()).containsExactlyElementsOf(nativeIds("e1"));
      assertThat(pulled.result().detail()).startsWith("1 file (1 gzip)");
    }

    @Test
    void shouldReportTheRestOfATruncatedRotatedGzipAsUnreadAndKeepWhatCameBefore()
        throws Exception {
      StringBuilder many = new StringBuilder();
      for (int i = 0; i < 2000; i++) {
        many.append(line(event("e" + i)));
      }
      Path gz = writeGzip(dir.resolve("audit-2026-10-01T00-00-00.000.log.gz"), many.toString());
      byte[] bytes = Files.readAllBytes(gz);
      Files.write(gz, java.util.Arrays.copyOf(bytes, bytes.length / 2));
      write(live(), line(event("live")));

      Pulled pulled = pull(fileSource(live()), null);

      // Every line before the cut is delivered, in order, then the live file: the cut loses only
      // the rest of its own file.
      int beforeCut = pulled.ids().size() - 1;
      assertThat(beforeCut).isBetween(1, 1999);
      List<String> expected = new java.util.ArrayList<>();
      for (int i = 0; i < beforeCut; i++) {
        expected.add(nativeId(event("e" + i)));
      }
      expected.add(nativeId(event("live")));
      assertThat(pulled.ids()).containsExactlyElementsOf(expected);
      assertThat(pulled.sink().rejections())
          .singleElement()
          .satisfies(
              problem -> {
                assertThat(problem.location()).isEqualTo(gz + ":" + (beforeCut + 1));
                assertThat(problem.message())
                    .startsWith(
                        "corrupt or truncated gzip data: Unexpected end of ZLIB input stream")
                    .endsWith("; the rest of the file was not read (what came before was)");
                assertThat(problem.extent()).isEqualTo(Extent.REST_OF_UNIT);
                assertThat(problem.cutShort()).isTrue();
                assertThat(problem.fields()).isEmpty();
              });
      assertThat(pulled.result().detail()).contains("1 file not read to the end");
    }

    @Test
    void shouldRejectOnlyTheMalformedLineOfAJsonLinesLogAndReadTheLinesAfterIt() throws Exception {
      // A line cut short (the writer died mid-line), then the lines written after a restart.
      String cut = event("e2").toString().substring(0, 120);
      write(live(), line(event("e1")) + cut + "\n" + lines(event("e3"), event("e4")));

      Pulled pulled = pull(fileSource(live()), null);

      assertThat(pulled.ids()).containsExactlyElementsOf(nativeIds("e1", "e3", "e4"));
      assertThat(pulled.sink().rejections())
          .singleElement()
          .satisfies(
              problem -> {
                assertThat(problem.location()).isEqualTo(live() + ":2:121");
                assertThat(problem.message())
                    .startsWith("malformed JSON line: Unexpected end-of-input");
                assertThat(problem.extent()).isEqualTo(Extent.RECORD);
                assertThat(problem.cutShort()).isFalse();
                assertThat(problem.fields()).isEmpty();
              });
      assertThat(pulled.result().detail()).doesNotContain("not read to the end");
    }

    @Test
    void shouldReportTheRestOfAPrettyPrintedFileAsUnreadAfterASyntaxError() throws Exception {
      String first = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(event("e1"));
      String broken =
          Json.MAPPER
              .writerWithDefaultPrettyPrinter()
              .writeValueAsString(event("e2"))
              .replace("\"verb\" : \"create\",", "\"verb\" : \"create\"");
      String third = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(event("e3"));
      write(dir.resolve("export.json"), first + "\n" + broken + "\n" + third);
      var source = fileSource(dir.resolve("export.json"));
      // The field after the verb, on the line after it.
      long errorLine =
          first.lines().count()
              + broken.lines().takeWhile(l -> !l.contains("\"verb\"")).count()
              + 2;

      Pulled pulled = pull(source, null);
      Pulled next = pull(source, pulled.cursor());

      // In a document, a syntax error leaves no way to find where the next value starts: e3 is
      // unseen, and the rejection says so.
      assertThat(pulled.ids()).containsExactlyElementsOf(nativeIds("e1"));
      assertThat(pulled.sink().rejections())
          .singleElement()
          .satisfies(
              problem -> {
                assertThat(problem.location())
                    .isEqualTo(dir.resolve("export.json") + ":" + errorLine + ":3");
                assertThat(problem.message())
                    .startsWith("malformed JSON: Unexpected character ('\"' (code 34))")
                    .endsWith("; the rest of the file was not read");
                assertThat(problem.extent()).isEqualTo(Extent.REST_OF_UNIT);
                assertThat(problem.cutShort()).isTrue();
              });
      assertThat(pulled.result().detail()).contains("1 file not read to the end");
      // Reported once: the next pull resumes after the unreadable rest.
      assertThat(next.ids()).isEmpty();
      assertThat(next.sink().rejections()).isEmpty();
    }

    @Test
    void shouldRejectAnUnusableEventWithWhatCanStillBeReadOfIt() throws Exception {
      ObjectNode noVerb = event("e1");
      noVerb.remove("verb");
      ObjectNode noAuditId = event("e2");
      noAuditId.remove("auditID");
      write(live(), lines(noVerb, noAuditId, event("e3")));

      Pulled pulled = pull(fileSource(live()), null);

      assertThat(pulled.ids()).containsExactlyElementsOf(nativeIds("e3"));
      assertThat(pulled.sink().rejections())
          .containsExactly(
              new InputProblem(
                  live() + ":1",
                  "audit Event (auditID e1): no verb",
                  Extent.RECORD,
                  Map.of(
                      InputProblem.ACTOR, "alice@example.com",
                      InputProblem.TIME, "2026-10-01T12:00:00.123456Z",
                      InputProblem.EVENT_ID, "e1")),
              new InputProblem(
                  live() + ":2",
                  "audit Event create core/v1/configmaps payments/settings: no auditID",
                  Extent.RECORD,
                  Map.of(
                      InputProblem.EVENT_NAME, "create configmaps/settings",
                      InputProblem.ACTOR, "alice@example.com",
                      InputProblem.TIME, "2026-10-01T12:00:00.123456Z")));
    }

    @Test
    void shouldReadPrettyPrintedDocumentsOneAfterAnother() throws Exception {
      String pretty =
          Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(event("e1"))
              + "\n"
              + Json.MAPPER
                  .writerWithDefaultPrettyPrinter()
                  .writeValueAsString(Json.MAPPER.readTree(eventList(event("e2"), event("e3"))));
      write(dir.resolve("export.json"), pretty);

      Pulled pulled = pull(fileSource(dir.resolve("export.json")), null);

      assertThat(pulled.ids()).containsExactlyElementsOf(nativeIds("e1", "e2", "e3"));
      assertThat(pulled.cursor())
          .endsWith(":" + pretty.getBytes(StandardCharsets.UTF_8).length + "}}");
    }
  }

  @Nested
  class Paths {
    @Test
    void shouldReadAGlobRelativeToTheBaseDirectory() throws Exception {
      write(dir.resolve("logs/audit.log"), line(event("live")));
      write(dir.resolve("logs/audit-2026-10-01T00-00-00.000.log"), line(event("rotated")));
      writeGzip(dir.resolve("logs/audit-2026-09-30T00-00-00.000.log.gz"), line(event("older")));
      write(dir.resolve("logs/kube-apiserver.log"), "I1001 12:00:00.000000 klog line\n");
      write(dir.resolve("logs/other/audit.log"), line(event("deeper")));

      Pulled pulled = pull(fileSource("logs/audit*.log*", dir), null);

      assertThat(pulled.ids()).containsExactlyElementsOf(nativeIds("older", "rotated", "live"));
      assertThat(pulled.sink().rejections()).isEmpty();
    }

    @Test
    void shouldReadAGlobAcrossDirectories() throws Exception {
      write(dir.resolve("a/audit.log"), line(event("a")));
      write(dir.resolve("b/c/audit.log"), line(event("c")));

      assertThat(pull(fileSource("**/audit.log", dir), null).ids())
          .containsExactlyInAnyOrderElementsOf(nativeIds("a", "c"));
    }

    @Test
    void shouldReadLogNamesInADirectoryAndIgnoreTheRest() throws Exception {
      write(dir.resolve("audit.log"), line(event("log")));
      write(dir.resolve("export.jsonl"), line(event("jsonl")));
      writeGzip(dir.resolve("old.json.gz"), line(event("json-gz")));
      write(dir.resolve("README.txt"), "not a log\n");
      write(dir.resolve(".hidden.log"), line(event("hidden")));

      Pulled pulled = pull(fileSource(dir.toString(), dir), null);

      assertThat(pulled.ids())
          .containsExactlyInAnyOrderElementsOf(nativeIds("log", "jsonl", "json-gz"));
      assertThat(pulled.result().detail()).startsWith("3 files (1 gzip, 2 other files ignored)");
    }

    @Test
    void shouldFailWhenThePathDoesNotExist() {
      Path missing = dir.resolve("nowhere/audit.log");

      assertThatThrownBy(() -> pull(fileSource(missing), null))
          .isInstanceOf(SourceException.class)
          .hasMessage("Kubernetes audit log " + missing + " does not exist");
      assertThatThrownBy(() -> pull(fileSource("nowhere/audit*.log", dir), null))
          .isInstanceOf(SourceException.class)
          .hasMessage("Kubernetes audit log " + dir.resolve("nowhere") + " does not exist");
    }

    @Test
    void shouldFailWhenNothingIsThere() throws Exception {
      write(dir.resolve("notes.txt"), "x");

      assertThatThrownBy(() -> pull(fileSource(dir.toString(), dir), null))
          .isInstanceOf(SourceException.class)
          .hasMessageStartingWith("no Kubernetes audit log file at " + dir)
          .hasMessageContaining("1 other files ignored");
      assertThatThrownBy(() -> pull(fileSource("audit*.log", dir), null))
          .isInstanceOf(SourceException.class)
          .hasMessageStartingWith("no Kubernetes audit log file at " + dir + "/audit*.log");
    }

    @Test
    void shouldFailWhenAFileCannotBeRead() throws Exception {
      write(live(), line(event("e1")));
      Path locked = write(dir.resolve("audit-2026-10-01T00-00-00.000.log"), line(event("e0")));
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
      assumeTrue(!Files.isReadable(locked), "running as a user who can read anything (root)");

      assertThatThrownBy(() -> pull(fileSource(live()), null))
          .isInstanceOf(SourceException.class)
          .hasMessage("cannot read Kubernetes audit log " + locked + ": permission denied");
    }

    @Test
    void shouldFailOnACursorThatIsNotOurs() throws Exception {
      write(live(), line(event("e1")));

      assertThatThrownBy(
              () -> pull(fileSource(live()), "{\"coveredThrough\":\"2026-10-01T00:00:00Z\"}"))
          .isInstanceOf(SourceException.class)
          .hasMessage(
              "cannot resume source audit: the cursor has no \"files\" object (expected"
                  + " {\"files\": {\"<sha-256>\": <offset>}}); reset the source's cursor to read"
                  + " its logs from the start");
    }

    @Test
    void shouldIdentifyAFileByItsFirstLine() throws Exception {
      String first = event("e1").toString();
      write(live(), first + "\n" + line(event("e2")));

      Pulled pulled = pull(fileSource(live()), null);

      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      String identity =
          java.util.HexFormat.of().formatHex(sha.digest(first.getBytes(StandardCharsets.UTF_8)));
      assertThat(pulled.cursor())
          .isEqualTo("{\"files\":{\"" + identity + "\":" + Files.size(live()) + "}}");
    }
  }
}
