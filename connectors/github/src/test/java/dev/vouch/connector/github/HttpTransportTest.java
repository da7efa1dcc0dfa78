package dev.vouch.connector.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpTransportTest {

  @Test
  void theNextLinkIsFoundAmongOtherRelations() {
    assertThat(
            HttpTransport.nextLink(
                List.of(
                    "<https://api.github.com/repositories/1/pulls?page=1>; rel=\"prev\","
                        + " <https://api.github.com/repositories/1/pulls?page=3>; rel=\"next\","
                        + " <https://api.github.com/repositories/1/pulls?page=5>; rel=\"last\"")))
        .isEqualTo("https://api.github.com/repositories/1/pulls?page=3");
  }

  @Test
  void relationsMayBeUnquotedSeveralOrSpreadOverHeaderValues() {
    assertThat(HttpTransport.nextLink(List.of("<https://h/a?page=2>; rel=next")))
        .isEqualTo("https://h/a?page=2");
    assertThat(HttpTransport.nextLink(List.of("<https://h/a?page=9>; rel=\"last next\"")))
        .isEqualTo("https://h/a?page=9");
    assertThat(
            HttpTransport.nextLink(
                List.of(
                    "<https://h/a?page=1>; rel=\"first\"", "<https://h/a?page=2>; rel=\"next\"")))
        .isEqualTo("https://h/a?page=2");
  }

  @Test
  void theLastPageHasNoNextLink() {
    assertThat(
            HttpTransport.nextLink(
                List.of("<https://h/a?page=1>; rel=\"first\", <https://h/a?page=1>; rel=\"prev\"")))
        .isNull();
    assertThat(HttpTransport.nextLink(List.of())).isNull();
  }

  @Test
  void backOffDoublesUpToItsCap() {
    Duration first = Duration.ofMinutes(1);
    Duration cap = Duration.ofMinutes(10);
    assertThat(
            List.of(
                HttpTransport.backoff(first, 0, cap),
                HttpTransport.backoff(first, 1, cap),
                HttpTransport.backoff(first, 2, cap),
                HttpTransport.backoff(first, 3, cap),
                HttpTransport.backoff(first, 4, cap),
                HttpTransport.backoff(first, 60, cap)))
        .containsExactly(
            Duration.ofMinutes(1),
            Duration.ofMinutes(2),
            Duration.ofMinutes(4),
            Duration.ofMinutes(8),
            cap,
            cap);
  }

  @Test
  void gitHubNoReplyAddressesStandForTheirLogin() {
    assertThat(PullRequestMapper.person("12345+erin@users.noreply.github.com")).isEqualTo("erin");
    assertThat(PullRequestMapper.person("erin@users.noreply.github.com")).isEqualTo("erin");
    assertThat(PullRequestMapper.person("49699333+dependabot[bot]@users.noreply.github.com"))
        .isEqualTo("dependabot[bot]");
    assertThat(PullRequestMapper.person("erin@example.com")).isEqualTo("erin@example.com");
  }
}
