package dev.vouch.connector.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommitMapperTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "2 | Merge pull request #12 from acme/feature | merge  | 12",
        "3 | Merge branches 'a' and 'b'                | merge  |",
        "2 | Merge branch 'main' into release          | merge  |",
        "2 | Add login (#13)                           | merge  | 13",
        "1 | Add login (#13)                           | squash | 13",
        "1 | Add login (#13) and more                  | direct |",
        "1 | Fix #13 in the parser                     | direct |",
        "1 | Revert \"Add login (#13)\"                 | direct |",
        "1 | Revert \"Add login (#13)\" (#15)           | squash | 15",
        "0 | Initial commit (#1)                       | direct | 1",
        "1 | Merge pull request #4 from x/y            | direct | 4",
      })
  void shouldTellTheKindAndThePullRequest(int parents, String subject, String kind, String pr) {
    assertThat(CommitMapper.kind(parents, subject.strip())).isEqualTo(kind);
    assertThat(CommitMapper.pullRequestNumber(subject.strip())).isEqualTo(pr);
  }

  @Test
  void shouldSkipMergeBotsButNotPeople() {
    Instant at = Instant.parse("2026-10-01T00:00:00Z");
    assertThat(
            CommitMapper.isMergeBot(
                new PersonIdent("GitHub", "noreply@github.com", at, Origin.ZONE)))
        .isTrue();
    assertThat(
            CommitMapper.isMergeBot(
                new PersonIdent("web-flow", "web-flow@example.com", at, Origin.ZONE)))
        .isTrue();
    assertThat(
            CommitMapper.isMergeBot(new PersonIdent("Alice", "alice@example.com", at, Origin.ZONE)))
        .isFalse();
    assertThat(
            CommitMapper.actor(
                    new PersonIdent("Alice", "alice@example.com", at, Origin.ZONE),
                    new PersonIdent("Alice", "alice@example.com", at, Origin.ZONE))
                .aliases())
        .as("the same person is named once")
        .containsExactly("alice@example.com", "Alice");
  }
}
