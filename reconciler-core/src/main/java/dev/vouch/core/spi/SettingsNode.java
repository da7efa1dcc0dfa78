package dev.vouch.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A part of the configuration with its path, read through typed getters that report problems
 * instead of throwing, so that every problem of a file is found in one pass.
 *
 * <p>Getters return a usable default after reporting a problem; callers check {@link #hasProblems}
 * (or the runtime does) before using what they built. {@link #finish()} reports keys that no getter
 * asked for, which catches misspelled settings.
 */
public final class SettingsNode {
  private final JsonNode node;
  private final String path;
  private final List<ConfigProblem> problems;
  private final Function<String, @Nullable String> environment;
  private final Set<String> consumed = new LinkedHashSet<>();

  public SettingsNode(
      JsonNode node,
      String path,
      List<ConfigProblem> problems,
      Function<String, @Nullable String> environment) {
    this.node = node;
    this.path = path;
    this.problems = problems;
    this.environment = environment;
  }

  public String path() {
    return path;
  }

  public JsonNode raw() {
    return node;
  }

  public String childPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  public void problem(String key, String message) {
    problems.add(new ConfigProblem(key.isEmpty() ? path : childPath(key), message));
  }

  public boolean hasProblems() {
    return !problems.isEmpty();
  }

  public boolean has(String key) {
    JsonNode value = node.get(key);
    return value != null && !value.isNull();
  }

  private JsonNode take(String key) {
    consumed.add(key);
    JsonNode value = node.get(key);
    return value == null ? MissingNode.getInstance() : value;
  }

  public String requiredString(String key) {
    JsonNode value = take(key);
    if (value.isMissingNode() || value.isNull()) {
      problem(key, "is required");
      return "";
    }
    if (!value.isValueNode() || value.asText().isBlank()) {
      problem(key, "must be a non-empty text value");
      return "";
    }
    return value.asText();
  }

  public Optional<String> optionalString(String key) {
    JsonNode value = take(key);
    if (value.isMissingNode() || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isValueNode()) {
      problem(key, "must be a text value");
      return Optional.empty();
    }
    return Optional.of(value.asText());
  }

  public boolean bool(String key, boolean defaultValue) {
    JsonNode value = take(key);
    if (value.isMissingNode() || value.isNull()) {
      return defaultValue;
    }
    if (!value.isBoolean()) {
      problem(key, "must be true or false, not '" + value.asText() + "'");
      return defaultValue;
    }
    return value.booleanValue();
  }

  public int integer(String key, int defaultValue, int min, int max) {
    JsonNode value = take(key);
    if (value.isMissingNode() || value.isNull()) {
      return defaultValue;
    }
    if (!value.canConvertToInt() || !value.isIntegralNumber()) {
      problem(key, "must be a whole number");
      return defaultValue;
    }
    int parsed = value.intValue();
    if (parsed < min || parsed > max) {
      problem(key, "must be between " + min + " and " + max + ", not " + parsed);
      return defaultValue;
    }
    return parsed;
  }

  /**
   * A duration such as {@code 30m}, {@code 72h}, {@code 2d}, {@code 45s} or ISO-8601 {@code PT1H}.
   */
  public Duration duration(String key, Duration defaultValue) {
    JsonNode value = take(key);
    if (value.isMissingNode() || value.isNull()) {
      return defaultValue;
    }
    try {
      Duration parsed = Durations.parse(value.asText());
      if (parsed.isNegative()) {
        problem(key, "must not be negative");
        return defaultValue;
      }
      return parsed;
    } catch (IllegalArgumentException e) {
      problem(key, e.getMessage());
      return defaultValue;
    }
  }

  /** A list of text values; a single text value is accepted as a list of one. */
  public List<String> stringList(String key) {
    JsonNode value = take(key);
    List<String> result = new ArrayList<>();
    if (value.isMissingNode() || value.isNull()) {
      return result;
    }
    if (value.isValueNode()) {
      result.add(value.asText());
      return result;
    }
    if (!value.isArray()) {
      problem(key, "must be a list of text values");
      return result;
    }
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      if (!item.isValueNode() || item.isNull()) {
        problems.add(new ConfigProblem(childPath(key) + "[" + i + "]", "must be a text value"));
      } else {
        result.add(item.asText());
      }
    }
    return result;
  }

  /** A nested mapping, or empty when absent. */
  public Optional<SettingsNode> object(String key) {
    JsonNode value = take(key);
    if (value.isMissingNode() || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isObject()) {
      problem(key, "must be a mapping of settings");
      return Optional.empty();
    }
    return Optional.of(new SettingsNode(value, childPath(key), problems, environment));
  }

  /** A list of mappings; each element is a node of its own with an indexed path. */
  public List<SettingsNode> objectList(String key) {
    JsonNode value = take(key);
    List<SettingsNode> result = new ArrayList<>();
    if (value.isMissingNode() || value.isNull()) {
      return result;
    }
    if (!value.isArray()) {
      problem(key, "must be a list");
      return result;
    }
    for (int i = 0; i < value.size(); i++) {
      String itemPath = childPath(key) + "[" + i + "]";
      JsonNode item = value.get(i);
      if (!item.isObject()) {
        problems.add(new ConfigProblem(itemPath, "must be a mapping of settings"));
      } else {
        result.add(new SettingsNode(item, itemPath, problems, environment));
      }
    }
    return result;
  }

  /** A file-system path, resolved against {@code base} when relative. */
  public Optional<Path> optionalPath(String key, Path base) {
    return optionalString(key).map(text -> base.resolve(text).normalize());
  }

  public Path requiredPath(String key, Path base) {
    String text = requiredString(key);
    return base.resolve(text).normalize();
  }

  /**
   * A secret given as a reference, {@code env:NAME} or {@code file:PATH}, never as a literal value.
   * The value is resolved now, so that a missing variable or file is a configuration problem.
   */
  public Optional<Secret> secret(String key, Path base) {
    Optional<String> reference = optionalString(key);
    if (reference.isEmpty()) {
      return Optional.empty();
    }
    String ref = reference.get();
    if (ref.startsWith("env:")) {
      String name = ref.substring(4);
      String value = environment.apply(name);
      if (value == null || value.isEmpty()) {
        problem(key, "environment variable " + name + " is not set");
        return Optional.empty();
      }
      return Optional.of(new Secret(ref, value));
    }
    if (ref.startsWith("file:")) {
      Path file = base.resolve(ref.substring(5)).normalize();
      try {
        return Optional.of(new Secret(ref, Files.readString(file, StandardCharsets.UTF_8).strip()));
      } catch (IOException e) {
        problem(key, "cannot read secret file " + file + ": " + e.getMessage());
        return Optional.empty();
      }
    }
    problem(key, "secrets must be referenced as env:NAME or file:PATH, never written in the file");
    return Optional.empty();
  }

  /** Marks keys as known without reading them (for keys a caller inspects through {@link #raw}). */
  public void accept(String... keys) {
    consumed.addAll(List.of(keys));
  }

  /**
   * Reports every key of this mapping that no getter asked for, suggesting the nearest known key
   * when one is close (a typo).
   */
  public void finish() {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      String key = fields.next().getKey();
      if (!consumed.contains(key)) {
        String nearest = nearest(key, consumed);
        problem(
            key,
            "unknown setting"
                + (nearest == null ? "" : "; did you mean " + nearest + "?")
                + (consumed.isEmpty() ? "" : " (known here: " + String.join(", ", consumed) + ")"));
      }
    }
  }

  /** The known name closest to a misspelt one, or null when none is close enough to suggest. */
  public static @Nullable String nearest(String wrong, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int distance = distance(wrong.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    // Close: a couple of edits, and fewer than half the name (so "x" does not suggest "id").
    return best != null && bestDistance <= Math.max(1, Math.min(3, wrong.length() / 2))
        ? best
        : null;
  }

  /** Levenshtein distance: insertions, deletions and substitutions, one each. */
  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  /** A resolved secret; {@link #toString()} shows only the reference. */
  public record Secret(String reference, String value) {
    @Override
    public String toString() {
      return reference + " (redacted)";
    }
  }
}
