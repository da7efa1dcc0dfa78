package dev.vouch.connector.recordsfile;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One field of one input record as it was read, before it is checked.
 *
 * @param column how problem locations name this field: {@code 7 (window_end)} for a CSV column, the
 *     field name for YAML and JSON
 * @param text the text of a single value, or null when the value is a list or unusable
 * @param items the values of a list (YAML and JSON only)
 * @param unusable what the value was when it is neither text nor a list of text ({@code a
 *     mapping}), or null
 */
record Cell(String column, @Nullable String text, List<String> items, @Nullable String unusable) {

  Cell {
    items = List.copyOf(items);
  }

  static Cell text(String column, String text) {
    return new Cell(column, text, List.of(), null);
  }

  static Cell list(String column, List<String> items) {
    return new Cell(column, null, items, null);
  }

  static Cell unusable(String column, String what) {
    return new Cell(column, null, List.of(), what);
  }

  boolean isList() {
    return text == null && unusable == null;
  }
}
