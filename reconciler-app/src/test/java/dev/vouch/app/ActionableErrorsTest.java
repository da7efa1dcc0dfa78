package dev.vouch.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.core.model.Coordinates;
import dev.vouch.testkit.MutableClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every error says what is wrong, where, and what to do; no Java exception text reaches the user;
 * the documented exit codes hold.
 */
class ActionableErrorsTest {
  private static final String CHANGE_LOG_HEADER =
      "id,title,type,state,systems,window_start,window_end,implementer,approved_by,approved_at\n";

  @TempDir Path dir;

  record Result(int code, String out, String err) {
    String all() {
      return out + err;
    }
  }

  private Result vouch(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = VouchCli.commandLine(MutableClock.at("2026-11-19T02:00:00Z"));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new Result(cli.execute(args), out.toString(), err.toString());
  }

  private Path config(String yaml) throws Exception {
    Files.createDirectories(dir.resolve("trail"));
    Files.writeString(dir.resolve("changes.csv"), CHANGE_LOG_HEADER);
    Path file = dir.resolve("vouch.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private static void assertNoJavaText(Result result) {
    assertThat(result.all())
        .doesNotContain("Exception")
        .doesNotContain("java.")
        .doesNotContain("\tat ");
  }

  @Test
  void aMissingConfigurationFileIsExit78SayingWhatToCheck() {
    Result result = vouch("run", "--config", dir.resolve("nope.yaml").toString());

    assertThat(result.code()).isEqualTo(ExitCodes.CONFIG);
    assertThat(result.err()).contains("nope.yaml: no such file; check the path given to --config");
    assertNoJavaText(result);
  }

  @Test
  void aTimeThatIsNotOneIsExit64ShowingTheFormsAccepted() throws Exception {
    Path file = config(minimal(""));

    Result result = vouch("run", "--config", file.toString(), "--from", "yesterday");

    assertThat(result.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err())
        .contains("'yesterday' is not a time")
        .contains("2026-11-17 (midnight UTC)");
    assertNoJavaText(result);
  }

  @Test
  void aDateMeansMidnightUtc() throws Exception {
    Path file = config(minimal(""));

    Result result =
        vouch(
            "run",
            "--config",
            file.toString(),
            "--from",
            "2026-11-17",
            "--to",
            "2026-11-18",
            "--out",
            dir.resolve("out").toString(),
            "--quiet");

    assertThat(result.out()).contains("2026-11-17T00:00:00Z to 2026-11-18T00:00:00Z");
  }

  @Test
  void aStoreThatIsNotADatabaseIsExit74SayingWhichSettingToCheck() throws Exception {
    Path file = config(minimal("").replace("path: ./data/vouch.db", "path: ./not-a-db"));
    Files.writeString(dir.resolve("not-a-db"), "these are not the bytes of a database");

    Result result =
        vouch("run", "--config", file.toString(), "--from", "2026-11-17", "--to", "2026-11-18");

    assertThat(result.code()).isEqualTo(ExitCodes.STORE_ERROR);
    assertThat(result.err())
        .contains("not-a-db")
        .contains("not a database")
        .contains("Check store.path in the configuration");
    assertThat(result.err().lines().filter(l -> !l.isBlank()).count()).isEqualTo(1);
    assertNoJavaText(result);
  }

  @Test
  void configCheckNamesEntriesSuggestsKeysAndChecksRuleFields() throws Exception {
    Path file =
        config(
            """
            store: {path: ./data/vouch.db}
            systems:
              - name: payments-prod
                aws: {acounts: ["111122223333"]}
              - name: data-prod
                aws: {accounts: ["44445555666"]}
            identitys: []
            sources:
              - {type: cloudtrail, name: org-trail, path: ./trail}
            records:
              - {type: file, name: change-log, path: ./changes.csv}
            rules:
              - id: ops.keep-role-deletes
                action: exclude
                reason: IAM housekeeping by the platform team
                when: {aws.eventSource: iam.amazonaws.com}
                unless: {aws.eventNmae: DeleteRole}
            """);

    Result result = vouch("config", "check", "--config", file.toString());

    assertThat(result.code()).isEqualTo(ExitCodes.CONFIG);
    assertThat(result.err())
        .contains("systems[0] (payments-prod).aws.acounts: unknown setting; did you mean accounts?")
        .contains("identitys: unknown setting; did you mean identities?")
        .contains(
            "rules[0] (ops.keep-role-deletes).unless.aws.eventNmae: no event has a field"
                + " 'aws.eventNmae', so this condition never stops the rule; did you mean"
                + " aws.eventName?")
        .contains(
            "warning: systems[1] (data-prod).aws.accounts: '44445555666' is not a 12-digit AWS"
                + " account id");
    assertNoJavaText(result);
  }

  @Test
  void configCheckReportsMissingInputsResolvedAgainstTheConfigurationsFolder() throws Exception {
    Path sub = Files.createDirectories(dir.resolve("conf"));
    Path file = sub.resolve("vouch.yaml");
    Files.writeString(
        file,
        """
        systems: [{name: p, aws: {accounts: ["111122223333"]}}]
        sources: [{type: cloudtrail, name: org-trail, path: ./trail}]
        records: [{type: file, name: change-log, path: ../changes.csv}]
        """);
    Files.writeString(dir.resolve("changes.csv"), CHANGE_LOG_HEADER);

    Result result = vouch("config", "check", "--config", file.toString());

    assertThat(result.code()).isEqualTo(ExitCodes.CONFIG);
    assertThat(result.err())
        .contains("sources[0] (org-trail).path: " + sub.resolve("trail") + " does not exist")
        .doesNotContain("records[0]");
    Files.createDirectories(sub.resolve("trail"));
    assertThat(vouch("config", "check", "--config", file.toString()).code())
        .isEqualTo(ExitCodes.OK);
  }

  @Test
  void aSystemMayNameARepositoryByTheUrlOrPathItsSourceWasGiven() throws Exception {
    Path file =
        config(
            """
            systems:
              - name: shop-code
                git: {repos: [./repos/shop.git]}
              - name: tools
                git: {repos: ["https://github.example.com/acme/tools.git"]}
            sources:
              - {type: git, name: shop, repo: ./repos/shop.git, repoName: acme/shop}
              - {type: git, name: tools, repo: "https://github.example.com/acme/tools.git"}
            records: [{type: file, name: change-log, path: ./changes.csv}]
            """);

    Workspace workspace = Workspace.load(file, MutableClock.at("2026-11-19T02:00:00Z"));

    assertThat(workspace.config().catalog().resolve(new Coordinates("git", "acme/shop", "main")))
        .contains("shop-code");
    assertThat(workspace.config().catalog().resolve(new Coordinates("git", "acme/tools", "main")))
        .contains("tools");
  }

  private static String minimal(String extra) {
    return """
        store: {path: ./data/vouch.db}
        systems: [{name: p, aws: {accounts: ["111122223333"]}}]
        sources: [{type: cloudtrail, name: org-trail, path: ./trail}]
        records: [{type: file, name: change-log, path: ./changes.csv}]
        """
        + extra;
  }
}
