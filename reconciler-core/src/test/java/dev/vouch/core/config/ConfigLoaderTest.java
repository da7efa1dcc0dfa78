package dev.vouch.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.core.model.Coordinates;
import dev.vouch.core.spi.ConfigProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private ConfigLoader.Result load(String yaml) throws IOException {
    Path file = dir.resolve("vouch.yaml");
    Files.writeString(file, yaml);
    return new ConfigLoader(Map.of("TOKEN", "s3cret")::get).load(file);
  }

  @Test
  void readsAFullConfiguration() throws IOException {
    ConfigLoader.Result result =
        load(
            """
            store: {type: sqlite, path: ./data/v.db}
            systems:
              - name: payments-prod
                aws: {accounts: ["111111111111"], regions: [eu-west-1]}
              - name: payments-global
                aws: {accounts: ["111111111111"]}
            identities:
              - person: alice
                aliases: [alice@example.com]
            sources:
              - {type: cloudtrail, name: trail, path: ./logs}
            records:
              - {type: file, name: log, path: ./changes.csv}
            matching: {graceBefore: 15m, graceAfter: 1h, emergencyDocumentationDeadline: 3d}
            """);

    assertThat(result.problems()).isEmpty();
    VouchConfig config = result.config();
    assertThat(config.store()).isEqualTo(new StoreSettings.Sqlite(dir.resolve("data/v.db")));
    assertThat(config.catalog().resolve(new Coordinates("aws", "111111111111", "eu-west-1")))
        .contains("payments-prod");
    assertThat(config.catalog().resolve(new Coordinates("aws", "111111111111", "us-east-1")))
        .contains("payments-global");
    assertThat(config.catalog().resolve(new Coordinates("aws", "222222222222", "us-east-1")))
        .isEmpty();
    assertThat(config.identities().person("ALICE@example.com")).contains("alice");
    assertThat(config.matching().graceBefore()).isEqualTo(Duration.ofMinutes(15));
    assertThat(config.matching().graceAfter()).isEqualTo(Duration.ofHours(1));
    assertThat(config.matching().emergencyDocumentationDeadline()).isEqualTo(Duration.ofDays(3));
    assertThat(config.matching().segregationOfDuties()).isTrue();
    assertThat(config.sources())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.type()).isEqualTo("cloudtrail");
              assertThat(s.name()).isEqualTo("trail");
            });
    assertThat(config.rules().rules())
        .extracting(r -> r.id())
        .contains("builtin.aws.service-principal");
  }

  @Test
  void reportsEveryProblemWithItsPath() throws IOException {
    ConfigLoader.Result result =
        load(
            """
            store: {type: oracle}
            systems:
              - name: a
                aws: {accounts: ["1"]}
              - name: a
                aws: {acounts: ["2"]}
              - name: b
                aws: {accounts: ["1"]}
            identities:
              - person: alice
                aliases: [shared]
              - person: bob
                aliases: [shared]
            sources:
              - {type: cloudtrail}
            records:
              - {type: file, name: log}
            matching: {graceBefore: soon, segregationOfDuties: maybe, colour: blue}
            rules:
              - id: r1
                action: ignore
              - id: builtin.does-not-exist
                enabled: false
            unexpected: 1
            """);

    assertThat(result.ok()).isFalse();
    assertThat(result.problems())
        .extracting(ConfigProblem::toString)
        .contains(
            "store.type: unknown store type 'oracle'; supported: sqlite, postgres",
            "systems[1].name: the system 'a' is defined twice",
            "systems[1].aws.accounts: list at least one",
            "systems[1].aws.acounts: unknown setting; did you mean accounts? (known here:"
                + " accounts, regions)",
            "systems[2].aws.accounts: 1 already belongs to system 'a'",
            "identities[1].aliases: alias 'shared' already belongs to 'alice'",
            "sources[0].name: is required",
            "matching.graceBefore: 'soon' is not a duration; write it like 30m, 72h, 2d or PT1H",
            "matching.segregationOfDuties: must be true or false, not 'maybe'",
            "matching.colour: unknown setting (known here: graceBefore, graceAfter, proximity,"
                + " requireApprovalBeforeChange, segregationOfDuties,"
                + " emergencyDocumentationDeadline, referencePatterns)",
            "rules[0].action: 'ignore' is not a rule action; use exclude, standard-change, include or risk",
            "rules[0].when: a rule needs at least one condition",
            "rules[1].id: no rule 'builtin.does-not-exist' to disable",
            "unexpected: unknown setting (known here: store, systems, identities, sources,"
                + " records, matching, coverage, rules, schedule, server,"
                + " notifications)");
  }

  /** A configuration whose only unusual part is its store. */
  private ConfigLoader.Result loadWithStore(String store) throws IOException {
    return load(
        store
            + "\n"
            + """
            sources:
              - {type: cloudtrail, name: trail, path: ./logs}
            records:
              - {type: file, name: log, path: ./changes.csv}
            """);
  }

  private static List<String> problems(ConfigLoader.Result result) {
    return result.problems().stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void withoutAStoreSettingTheStoreIsASqliteFileNextToTheConfiguration() throws IOException {
    ConfigLoader.Result result = loadWithStore("");

    assertThat(result.problems()).isEmpty();
    assertThat(result.config().store())
        .isEqualTo(new StoreSettings.Sqlite(dir.resolve("vouch-data/vouch.db")));
    assertThat(result.config().store().type()).isEqualTo("sqlite");
  }

  @Test
  void readsAPostgresStoreWithItsPasswordFromTheEnvironment() throws IOException {
    ConfigLoader.Result result =
        loadWithStore(
            "store: {type: postgres, url: 'jdbc:postgresql://db.internal:5432/vouch',"
                + " user: vouch, password: 'env:TOKEN', pool: {maxSize: 4}}");

    assertThat(result.problems()).isEmpty();
    StoreSettings.Postgres store = (StoreSettings.Postgres) result.config().store();
    assertThat(store.type()).isEqualTo("postgres");
    assertThat(store.url()).isEqualTo("jdbc:postgresql://db.internal:5432/vouch");
    assertThat(store.location()).isEqualTo(store.url());
    assertThat(store.user()).isEqualTo("vouch");
    assertThat(store.password().value()).isEqualTo("s3cret");
    assertThat(store.maxPoolSize()).isEqualTo(4);
    // Printed (in a log line or a dump of the settings), it shows where the password comes from.
    assertThat(store.toString()).doesNotContain("s3cret").contains("env:TOKEN (redacted)");
  }

  @Test
  void aPostgresStoreNeedsNoPasswordNorUserAndHasAPoolOfTenByDefault() throws IOException {
    ConfigLoader.Result result =
        loadWithStore("store: {type: postgres, url: 'jdbc:postgresql://127.0.0.1/vouch'}");

    assertThat(result.problems()).isEmpty();
    assertThat(result.config().store())
        .isEqualTo(
            new StoreSettings.Postgres(
                "jdbc:postgresql://127.0.0.1/vouch",
                null,
                null,
                StoreSettings.Postgres.DEFAULT_MAX_POOL_SIZE));
  }

  @Test
  void aPasswordFromAFileIsReadRelativeToTheConfiguration() throws IOException {
    Files.writeString(dir.resolve("db-password"), "from-a-file\n");

    ConfigLoader.Result result =
        loadWithStore(
            "store: {type: postgres, url: 'jdbc:postgresql://127.0.0.1/vouch',"
                + " password: 'file:db-password'}");

    assertThat(result.problems()).isEmpty();
    assertThat(((StoreSettings.Postgres) result.config().store()).password().value())
        .isEqualTo("from-a-file");
  }

  @Test
  void reportsEachStoreSettingThatDoesNotFitItsType() throws IOException {
    assertThat(
            problems(
                loadWithStore(
                    "store: {type: sqlite, path: a.db, url: 'jdbc:postgresql://h/db', user: u,"
                        + " pool: {maxSize: 3}}")))
        .containsExactly(
            "store.url: only for type postgres (a SQLite store is the file in store.path)",
            "store.user: only for type postgres (a SQLite store is the file in store.path)",
            "store.pool: only for type postgres (a SQLite store is the file in store.path)");
    assertThat(problems(loadWithStore("store: {type: postgres, path: a.db}")))
        .containsExactly(
            "store.path: only for type sqlite (a PostgreSQL store is found by store.url)",
            "store.url: is required");
    assertThat(problems(loadWithStore("store: {type: postgres, url: 'jdbc:mysql://h/db'}")))
        .containsExactly(
            "store.url: must be a PostgreSQL JDBC URL, starting with jdbc:postgresql: (such as"
                + " jdbc:postgresql://127.0.0.1:5432/vouch)");
    assertThat(
            problems(
                loadWithStore(
                    "store: {type: postgres, url: 'jdbc:postgresql://h/db', pool: {maxSize: 1,"
                        + " minSize: 1}}")))
        .containsExactly(
            "store.pool.maxSize: must be between 2 and 1000, not 1",
            "store.pool.minSize: unknown setting; did you mean maxSize? (known here: maxSize)");
  }

  @Test
  void aPostgresPasswordIsNeverTakenFromTheFileItself() throws IOException {
    ConfigLoader.Result inUrl =
        loadWithStore(
            "store: {type: postgres, url: 'jdbc:postgresql://h/db?user=v&password=hunter2'}");
    ConfigLoader.Result literal =
        loadWithStore("store: {type: postgres, url: 'jdbc:postgresql://h/db', password: hunter2}");
    ConfigLoader.Result unset =
        loadWithStore(
            "store: {type: postgres, url: 'jdbc:postgresql://h/db', password: 'env:NOT_SET'}");

    assertThat(problems(inUrl))
        .containsExactly(
            "store.url: must not hold the password; give it as store.password: env:NAME or"
                + " file:PATH");
    assertThat(problems(literal))
        .containsExactly(
            "store.password: secrets must be referenced as env:NAME or file:PATH, never written"
                + " in the file");
    assertThat(problems(unset))
        .containsExactly("store.password: environment variable NOT_SET is not set");
    assertThat(problems(inUrl) + " " + problems(literal)).doesNotContain("hunter2");
  }

  @Test
  void refusesADriverSettingThatHidesHowManyRowsAnInsertStored() throws IOException {
    assertThat(
            problems(
                loadWithStore(
                    "store: {type: postgres,"
                        + " url: 'jdbc:postgresql://h/db?ApplicationName=v&reWriteBatchedInserts=true'}")))
        .singleElement()
        .asString()
        .startsWith("store.url: reWriteBatchedInserts=true hides how many rows");
  }

  @Test
  void reportsYamlSyntaxErrorsWithLineAndColumn() throws IOException {
    ConfigLoader.Result result = load("systems:\n  - name: [unclosed\n");

    assertThat(result.config()).isNull();
    assertThat(result.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).matches(".*vouch.yaml:\\d+:\\d+");
              assertThat(p.message()).startsWith("not valid YAML");
            });
  }

  @Test
  void requiresSourcesAndRecords() throws IOException {
    ConfigLoader.Result result = load("systems: []\n");

    assertThat(result.problems())
        .extracting(ConfigProblem::path)
        .containsExactlyInAnyOrder("sources", "records");
  }

  @Test
  void aConfiguredRuleReplacesTheBuiltInRuleWithTheSameIdAndCanDisableOne() throws IOException {
    ConfigLoader.Result result =
        load(
            """
            sources: [{type: cloudtrail, name: t, path: x}]
            records: [{type: file, name: r, path: y}]
            rules:
              - id: builtin.aws.invoked-by.autoscaling
                enabled: false
              - id: builtin.aws.service-principal
                action: exclude
                reason: only the autoscaling service counts as automation here
                when:
                  aws.userIdentity.type: AWSService
                  aws.invokedBy: autoscaling.amazonaws.com
            """);

    assertThat(result.problems()).isEmpty();
    var ids = result.config().rules().rules().stream().map(r -> r.id()).toList();
    assertThat(ids).doesNotContain("builtin.aws.invoked-by.autoscaling");
    assertThat(result.config().rules().rules())
        .filteredOn(r -> r.id().equals("builtin.aws.service-principal"))
        .singleElement()
        .satisfies(r -> assertThat(r.when()).containsKey("aws.invokedBy"));
  }

  @Test
  void identitiesMayNameTheRolesWhoseSessionNamesAreTrusted() throws IOException {
    ConfigLoader.Result result =
        load(
            """
            systems: [{name: p, aws: {accounts: ["111111111111"]}}]
            identities:
              people:
                - person: alice
                  aliases: [alice@example.com]
              trustedSessionRoles: ["arn:aws:iam::*:role/break-glass", deployer]
            sources: [{type: cloudtrail, name: trail, path: ./logs}]
            records: [{type: file, name: log, path: ./changes.csv}]
            """);

    assertThat(result.problems())
        .containsExactly(
            new ConfigProblem(
                "identities.trustedSessionRoles",
                "'deployer' is not a role ARN; write it like"
                    + " arn:aws:iam::111122223333:role/deploy (globs allowed:"
                    + " arn:aws:iam::*:role/deploy)"));
    dev.vouch.core.model.Actor session =
        new dev.vouch.core.model.Actor(
            "arn:aws:sts::111111111111:assumed-role/break-glass/alice@example.com",
            "AssumedRole",
            java.util.List.of(),
            null,
            java.util.List.of("alice@example.com"),
            "arn:aws:iam::111111111111:role/break-glass",
            java.util.List.of());
    assertThat(result.config().identities().resolve(session)).contains("alice");
  }
}
