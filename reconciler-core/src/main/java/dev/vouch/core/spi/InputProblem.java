package dev.vouch.core.spi;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One piece of input that could not be used: a malformed log record, a bad CSV row, or the rest of
 * a file that could not be read.
 *
 * @param location where: file with line and column where known ({@code changes.csv:12:5}), or a
 *     URL, or an event id
 * @param message what was wrong and what was expected
 * @param extent whether one item was lost or everything after this point of its file (or page)
 * @param fields what could still be read of the item, to help whoever triages it: {@link
 *     #EVENT_NAME}, {@link #ACTOR}, {@link #TIME}, {@link #EVENT_ID}; empty when nothing could be
 */
public record InputProblem(
    String location, String message, Extent extent, Map<String, String> fields) {

  /** How much input one problem stands for. */
  public enum Extent {
    /** One record (a line, an array element, a row) was unusable; reading went on after it. */
    RECORD,
    /**
     * The unit (a file, a page) could not be read to its end: whatever came after this point is
     * unseen, so the source's coverage of its window is partial.
     */
    REST_OF_UNIT
  }

  /** The key of the action or event name read from an unusable record. */
  public static final String EVENT_NAME = "eventName";

  /** The key of the actor read from an unusable record. */
  public static final String ACTOR = "actor";

  /** The key of the time read from an unusable record, as the record wrote it. */
  public static final String TIME = "time";

  /** The key of the record's own id, when it had one. */
  public static final String EVENT_ID = "eventId";

  public InputProblem {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(extent, "extent");
    // Sorted, so that a problem is shown (and serialised) the same way in every JVM.
    fields = fields == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(fields));
  }

  /** One unusable record. */
  public InputProblem(String location, String message) {
    this(location, message, Extent.RECORD, Map.of());
  }

  /** The rest of a file (or page) from {@code location} on could not be read. */
  public static InputProblem restNotRead(String location, String message) {
    return new InputProblem(location, message, Extent.REST_OF_UNIT, Map.of());
  }

  /** This problem with what could still be read of the item; blank values are left out. */
  public InputProblem withFields(Map<String, String> readable) {
    Map<String, String> kept = new TreeMap<>(fields);
    readable.forEach(
        (key, value) -> {
          if (value != null && !value.isBlank()) {
            kept.put(key, value);
          }
        });
    return new InputProblem(location, message, extent, kept);
  }

  /** The time read from the unusable item, when it had one that parses. */
  public Optional<Instant> readableTime() {
    String text = fields.get(TIME);
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      try {
        return Optional.of(OffsetDateTime.parse(text).toInstant());
      } catch (DateTimeParseException again) {
        return Optional.empty();
      }
    }
  }

  /** Whether input after this point went unread. */
  public boolean cutShort() {
    return extent == Extent.REST_OF_UNIT;
  }

  @Override
  public String toString() {
    return location + ": " + message;
  }
}
