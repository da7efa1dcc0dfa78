package dev.vouch.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.testkit.MutableClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A commit author is whatever the committer typed. findings.csv must show a formula there as text
 * in a spreadsheet, not run it in an auditor's.
 */
class CsvFormulaTest {
  private static final String FORMULA = "=HYPERLINK(\"http://evil.example/\",\"open\")";

  @TempDir Path dir;

  /**
   * A git repository whose one commit (2026-11-17T10:00Z, on main, no change record) has the author
   * {@code author}, and a configuration that reads it; returns the configuration file.
   */
  static Path installationWithACommitBy(Path dir, String author) throws Exception {
    Instant at = Instant.parse("2026-11-17T10:00:00Z");
    try (Git git =
        Git.init().setDirectory(dir.resolve("repo").toFile()).setInitialBranch("main").call()) {
      Files.writeString(dir.resolve("repo/README"), "hello\n");
      git.add().addFilepattern("README").call();
      PersonIdent mallory = new PersonIdent(author, "+cmd@example.com", at, ZoneOffset.UTC);
      git.commit().setMessage("-2+3 direct push").setAuthor(mallory).setCommitter(mallory).call();
    }
    Files.writeString(
        dir.resolve("changes.csv"),
        "id,title,type,state,systems,window_start,window_end,implementer,approved_by,approved_at\n");
    Files.writeString(
        dir.resolve("vouch.yaml"),
        """
        store: {path: ./vouch.db}
        systems:
          - name: code
            git: {repos: [acme/tools]}
        sources:
          - type: git
            name: tools-repo
            repo: ./repo
            repoName: acme/tools
            branches: [main]
            mirror: ./mirror.git
            lookback: 30d
        records:
          - {type: file, name: change-log, path: ./changes.csv}
        """);
    return dir.resolve("vouch.yaml");
  }

  @Test
  void aGitAuthorNamedLikeAFormulaIsWrittenAsText() throws Exception {
    installationWithACommitBy(dir, FORMULA);
    CommandLine cli = VouchCli.commandLine(MutableClock.at("2026-11-19T02:00:00Z"));
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(out, true));

    int code =
        cli.execute(
            "run",
            "--config",
            dir.resolve("vouch.yaml").toString(),
            "--from",
            "2026-11-17",
            "--to",
            "2026-11-18",
            "--out",
            dir.resolve("out").toString(),
            "--quiet");

    assertThat(code).as(out.toString()).isEqualTo(ExitCodes.FINDINGS);
    String csv = Files.readString(dir.resolve("out/findings.csv"), StandardCharsets.UTF_8);
    List<CSVRecord> rows;
    try (CSVParser parser =
        CSVFormat.DEFAULT
            .builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .get()
            .parse(new java.io.StringReader(csv))) {
      rows = parser.getRecords();
    }
    assertThat(rows).hasSize(1);
    CSVRecord row = rows.get(0);
    assertThat(row.get("verdict")).isEqualTo("UNAUTHORIZED");
    // Every cell a spreadsheet would evaluate starts with an apostrophe; nothing else changed.
    assertThat(row.get("actor")).startsWith("'").contains("HYPERLINK");
    for (String cell : row.values()) {
      assertThat(cell)
          .as("cell %s", cell)
          .doesNotStartWith("=")
          .doesNotStartWith("+")
          .doesNotStartWith("-")
          .doesNotStartWith("@");
    }
    assertThat(row.get("system")).isEqualTo("code");
  }
}
