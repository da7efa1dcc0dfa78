package dev.vouch.connector.cloudtrail;

import static dev.vouch.connector.cloudtrail.TestSupport.JSON;
import static dev.vouch.connector.cloudtrail.TestSupport.corpus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vouch.core.json.JsonNodes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Holds the way Vouch decides a record without {@code readOnly} (exceptions, AWS's access-level
 * table, the name) against every record of the corpus that does state {@code readOnly}: the two
 * agree, or the disagreement is listed, with its reason, in {@code access-level-disagreements.tsv}.
 */
class AccessLevelCorpusTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** What the check found: how many records, decided how, and the disagreements by key. */
  private record Result(
      int stated, int byException, int byTable, int byName, Map<String, Integer> disagreements) {}

  @Test
  void shouldAgreeWithEveryCopiedRecordThatStatesReadOnlyOrListWhyNot() {
    Result result = check(records(corpus("")));

    // The records with readOnly among the samples copied into this repository: Stratus Red Team
    // 310, Panther 280, Cloud Custodian 8 bare and 6 in EventBridge envelopes, Trailscraper 1.
    assertThat(result.stated()).isEqualTo(605);
    assertThat(result.byException()).isEqualTo(18);
    assertThat(result.byTable()).isEqualTo(542);
    assertThat(result.byName()).isEqualTo(45);
    assertThat(result.disagreements()).containsOnlyKeys(listedDisagreements().keySet());
  }

  @Test
  void shouldAgreeWithEveryRecordOfTheSharedCorpusThatStatesReadOnlyOrListWhyNot() {
    // The AWS documentation samples are not copied here (CC-BY-SA-4.0 / MIT-0); the shared corpus
    // holds them and every copied sample (set -Dvouch.corpus to move it).
    Path shared = Path.of(System.getProperty("vouch.corpus", "/work/shared/corpus"));
    assumeTrue(Files.isDirectory(shared), "shared corpus not present at " + shared);
    List<JsonNode> records = new ArrayList<>(records(shared.resolve("cloudtrail")));
    records.addAll(records(shared.resolve("eventbridge")));

    Result result = check(records);

    assertThat(result.stated()).isGreaterThanOrEqualTo(700);
    assertThat(result.disagreements()).containsOnlyKeys(listedDisagreements().keySet());
  }

  @Test
  void shouldGiveAReasonForEveryListedDisagreement() {
    assertThat(listedDisagreements())
        .isNotEmpty()
        .allSatisfy((key, why) -> assertThat(why).hasSizeGreaterThan(40));
  }

  private static Result check(List<JsonNode> records) {
    int stated = 0;
    int byException = 0;
    int byTable = 0;
    int byName = 0;
    Map<String, Integer> disagreements = new TreeMap<>();
    for (JsonNode record : records) {
      Boolean readOnly = statedReadOnly(record.get("readOnly"));
      String eventSource = JsonNodes.text(record, "eventSource");
      String eventName = JsonNodes.text(record, "eventName");
      if (readOnly == null || eventSource == null || eventName == null) {
        continue;
      }
      stated++;
      Classification.ReadOnly decided = Classification.decide(eventSource, eventName);
      if (decided.basis().startsWith("exception:")) {
        byException++;
      } else if (decided.basis().startsWith("table:")) {
        byTable++;
      } else {
        byName++;
      }
      if (decided.readOnly() != readOnly) {
        disagreements.merge(
            eventSource + "\t" + eventName + "\t" + readOnly + " (decided " + decided.basis() + ")",
            1,
            Integer::sum);
      }
    }
    return new Result(stated, byException, byTable, byName, stripDecided(disagreements));
  }

  /**
   * Keys as the disagreements file writes them; the basis stays in the key until here, so that an
   * unlisted disagreement shows in the failure how it was decided.
   */
  private static Map<String, Integer> stripDecided(Map<String, Integer> disagreements) {
    Map<String, Integer> keys = new TreeMap<>();
    List<String> unlisted = new ArrayList<>();
    Map<String, String> listed = listedDisagreements();
    disagreements.forEach(
        (key, count) -> {
          String bare = key.substring(0, key.indexOf(" (decided "));
          if (!listed.containsKey(bare)) {
            unlisted.add(key + " x" + count);
          }
          keys.merge(bare, count, Integer::sum);
        });
    assertThat(unlisted).as("disagreements not listed in access-level-disagreements.tsv").isEmpty();
    return keys;
  }

  private static @Nullable Boolean statedReadOnly(@Nullable JsonNode value) {
    if (value == null) {
      return null;
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isTextual()) {
      String text = value.textValue().trim();
      if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
        return Boolean.parseBoolean(text.toLowerCase(Locale.ROOT));
      }
    }
    return null;
  }

  /** {@code eventSource TAB eventName TAB readOnly} to the reason given for it. */
  private static Map<String, String> listedDisagreements() {
    try {
      Path file =
          Path.of(
              AccessLevelCorpusTest.class.getResource("/access-level-disagreements.tsv").toURI());
      Map<String, String> listed = new TreeMap<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        String[] fields = line.split("\t", -1);
        assertThat(fields).as("line '%s' of %s: expected 4 fields", line, file).hasSize(4);
        assertThat(listed.put(fields[0] + "\t" + fields[1] + "\t" + fields[2], fields[3]))
            .as("listed twice: %s", line)
            .isNull();
      }
      return listed;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every CloudTrail record in the files under a folder, whatever their packaging. */
  private static List<JsonNode> records(Path folder) {
    List<JsonNode> records = new ArrayList<>();
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(".jsonl") || name.endsWith(".jsonl.gz")) {
          for (String line : text(file).split("\n")) {
            if (!line.isBlank()) {
              unwrap(JSON.readTree(line), records);
            }
          }
        } else if (name.endsWith(".json") || name.endsWith(".json.gz")) {
          unwrap(JSON.readTree(text(file)), records);
        } else if (name.endsWith(".yml")) {
          unwrap(YAML.readTree(text(file)).path("Logs"), records);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return records;
  }

  private static String text(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length > 1 && bytes[0] == (byte) 0x1f && bytes[1] == (byte) 0x8b) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
        bytes = in.readAllBytes();
      }
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * The records in a tree: a {@code Records} file, a bare array, an EventBridge envelope of a
   * CloudTrail event, a LookupEvents response, or one record.
   */
  private static void unwrap(JsonNode node, List<JsonNode> records) throws IOException {
    if (node.isArray()) {
      for (JsonNode item : node) {
        unwrap(item, records);
      }
    } else if (node.isObject()) {
      if (node.has("Records")) {
        unwrap(node.get("Records"), records);
      } else if (node.path("detail-type").asText().endsWith("via CloudTrail")) {
        unwrap(node.path("detail"), records);
      } else if (node.has("Events")) {
        for (JsonNode event : node.get("Events")) {
          unwrap(JSON.readTree(event.path("CloudTrailEvent").asText("{}")), records);
        }
      } else if (node.has("eventSource") || node.has("eventName")) {
        records.add(node);
      }
    }
  }
}
