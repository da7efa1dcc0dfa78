package dev.vouch.app;

import dev.vouch.core.model.ChangeEvent;
import java.time.YearMonth;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The reproducible sample of an audit pack. The month's event keys are sorted, each gets the hex
 * SHA-256 of {@code seed + ":" + month + ":" + key}, the keys are ordered by that hash (then by
 * key) and the first {@code size} are taken. The sample so depends only on the seed, the month and
 * the set of keys: the same store and seed give the same sample, another seed another one, and an
 * auditor can recompute it with any SHA-256 tool.
 */
record PackSample(long seed, YearMonth month, int size, List<String> keys) {
  PackSample {
    keys = List.copyOf(keys);
  }

  static String algorithm() {
    return "sort the month's event keys; order them by hex SHA-256 of"
        + " \"<seed>:<month>:<key>\" (UTF-8), ties by key; take the first N";
  }

  static PackSample draw(long seed, YearMonth month, int size, Collection<String> eventKeys) {
    List<String> drawn =
        eventKeys.stream()
            .distinct()
            .sorted()
            .map(key -> new String[] {ticket(seed, month, key), key})
            .sorted(Comparator.comparing((String[] p) -> p[0]).thenComparing(p -> p[1]))
            .limit(size)
            .map(p -> p[1])
            .toList();
    return new PackSample(seed, month, size, drawn);
  }

  static String ticket(long seed, YearMonth month, String key) {
    return ChangeEvent.sha256Hex(seed + ":" + month + ":" + key);
  }
}
