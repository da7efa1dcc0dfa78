package dev.vouch.connector.cloudtrail;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.core.spi.ChangeSource;
import dev.vouch.core.spi.ChangeSourceFactory;
import dev.vouch.core.spi.ConfigProblem;
import dev.vouch.core.spi.SettingsNode;
import dev.vouch.core.spi.SourceContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class CloudTrailSourceFactoryTest {
  private static final Path BASE = Path.of("/srv/vouch/config");

  private final List<ConfigProblem> problems = new ArrayList<>();

  private CloudTrailFileSource create(String json, int contextParallelism) throws Exception {
    JsonNode node = TestSupport.JSON.readTree(json);
    SettingsNode settings = new SettingsNode(node, "sources[0]", problems, name -> null);
    SourceContext context =
        new SourceContext(
            Clock.fixed(Instant.parse("2024-03-15T00:00:00Z"), ZoneOffset.UTC),
            BASE,
            contextParallelism);
    ChangeSource source = new CloudTrailSourceFactory().create("prod-trail", settings, context);
    return (CloudTrailFileSource) source;
  }

  @Test
  void shouldBeFoundByServiceLoaderUnderTypeCloudtrail() {
    List<ChangeSourceFactory> factories =
        ServiceLoader.load(ChangeSourceFactory.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(f -> f.type().equals("cloudtrail"))
            .toList();

    assertThat(factories).hasSize(1);
    assertThat(factories.get(0)).isInstanceOf(CloudTrailSourceFactory.class);
  }

  @Test
  void shouldReadEverySettingAndResolveARelativePathAgainstTheBaseDirectory() throws Exception {
    CloudTrailFileSource source =
        create(
            "{\"path\": \"../logs/trail\", \"lateDelivery\": \"36h\", \"parallelism\": 3,"
                + " \"settle\": \"2h\"}",
            8);

    assertThat(problems).isEmpty();
    assertThat(source.name()).isEqualTo("prod-trail");
    assertThat(source.type()).isEqualTo("cloudtrail");
    assertThat(source.settings().path()).isEqualTo(Path.of("/srv/vouch/logs/trail"));
    assertThat(source.settings().lateDelivery()).isEqualTo(Duration.ofHours(36));
    assertThat(source.settings().parallelism()).isEqualTo(3);
    assertThat(source.settings().settle()).isEqualTo(Duration.ofHours(2));
    // The runner reads both through the ChangeSource interface.
    assertThat(source.lateDelivery()).isEqualTo(Duration.ofHours(36));
    assertThat(source.settle()).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void shouldDefaultToADayOfLateDeliveryAnHourToSettleAndTheRuntimeParallelism() throws Exception {
    CloudTrailFileSource source = create("{\"path\": \"/data/AWSLogs\"}", 5);

    assertThat(problems).isEmpty();
    assertThat(source.settings().path()).isEqualTo(Path.of("/data/AWSLogs"));
    assertThat(source.lateDelivery()).isEqualTo(Duration.ofDays(1));
    assertThat(source.settle()).isEqualTo(Duration.ofHours(1));
    assertThat(source.settings().parallelism()).isEqualTo(5);
  }

  @Test
  void shouldPlaceItsEventsOnTheAwsPlatform() throws Exception {
    assertThat(create("{\"path\": \"a\"}", 4).platform()).isEqualTo("aws");
  }

  @Test
  void shouldKeepTheDefaultParallelismWithinOneToSixtyFour() throws Exception {
    assertThat(create("{\"path\": \"a\"}", 200).settings().parallelism()).isEqualTo(64);
    assertThat(create("{\"path\": \"a\"}", 0).settings().parallelism()).isEqualTo(1);
    assertThat(problems).isEmpty();
  }

  @Test
  void shouldReportEveryProblemWithItsPath() throws Exception {
    create("{\"lateDelivery\": \"soon\", \"parallelism\": 65, \"lateDeliveryy\": \"3d\"}", 4);

    assertThat(problems)
        .extracting(ConfigProblem::toString)
        .containsExactlyInAnyOrder(
            "sources[0].path: is required",
            "sources[0].lateDelivery: 'soon' is not a duration; write it like 30m, 72h, 2d or PT1H",
            "sources[0].parallelism: must be between 1 and 64, not 65",
            "sources[0].lateDeliveryy: unknown setting; did you mean lateDelivery? (known here:"
                + " path, lateDelivery, parallelism, settle)");
  }

  @Test
  void shouldRejectANegativeLateDelivery() throws Exception {
    create("{\"path\": \"a\", \"lateDelivery\": \"-PT1H\"}", 4);

    assertThat(problems)
        .extracting(ConfigProblem::toString)
        .containsExactly("sources[0].lateDelivery: must not be negative");
  }

  @Test
  void shouldRejectANegativeSettle() throws Exception {
    create("{\"path\": \"a\", \"settle\": \"-PT1H\"}", 4);

    assertThat(problems)
        .extracting(ConfigProblem::toString)
        .containsExactly("sources[0].settle: must not be negative");
  }
}
