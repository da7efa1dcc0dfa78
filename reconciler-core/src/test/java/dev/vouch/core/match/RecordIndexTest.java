package dev.vouch.core.match;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.core.model.ChangeRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RecordIndexTest {

  @Test
  void findsExactlyTheRecordsAScanWouldFind() {
    Random random = new Random(7);
    MatchPolicy policy = MatchPolicy.defaults();
    Instant base = Instant.parse("2026-10-01T00:00:00Z");
    List<ChangeRecord> records = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      Instant start = base.plus(Duration.ofMinutes(random.nextInt(60 * 24 * 30)));
      Instant end = start.plus(Duration.ofMinutes(random.nextInt(60 * 24 * 3)));
      String system = random.nextBoolean() ? "payments-prod" : "data-prod";
      records.add(
          Fixtures.record(String.format("CHG%07d", i))
              .systems(system)
              .window(start.toString(), end.toString())
              .build());
    }
    RecordIndex index = new RecordIndex(records, policy);

    for (int probe = 0; probe < 2_000; probe++) {
      Instant at = base.plus(Duration.ofMinutes(random.nextInt(60 * 24 * 35)));
      for (String system : List.of("payments-prod", "data-prod", "sandbox")) {
        Set<String> expected =
            records.stream()
                .filter(r -> r.systems().contains(system))
                .filter(
                    r ->
                        r.window()
                            .widen(policy.proximity(), policy.proximity())
                            .containsInclusive(at))
                .map(ChangeRecord::key)
                .collect(Collectors.toSet());
        Set<String> found =
            index.near(system, at).stream().map(ChangeRecord::key).collect(Collectors.toSet());
        assertThat(found).as("records near %s on %s", at, system).isEqualTo(expected);
      }
    }
  }

  @Test
  void findsRecordsByKeyAcrossSystems() {
    ChangeRecord record = Fixtures.record("CHG0000042").systems("a", "b").build();
    RecordIndex index = new RecordIndex(List.of(record), MatchPolicy.defaults());

    assertThat(index.byKey("CHG0000042")).containsExactly(record);
    assertThat(index.byKey("CHG0000043")).isEmpty();
    assertThat(index.near("a", record.window().start())).containsExactly(record);
    assertThat(index.near("b", record.window().end())).containsExactly(record);
  }
}
