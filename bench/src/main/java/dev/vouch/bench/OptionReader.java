package dev.vouch.bench;

import java.time.format.DateTimeParseException;
import java.util.function.Function;

/**
 * Reads a generator's {@code --name value} pairs in order. Every problem is an
 * IllegalArgumentException whose message names the option: {@code help requested}, {@code --x needs
 * a value}, {@code bad value for --x: v}, {@code unknown option --x}.
 *
 * <pre>{@code
 * OptionReader o = new OptionReader(args);
 * while (o.next()) {
 *   switch (o.name()) {
 *     case "--out" -> out = Path.of(o.value());
 *     case "--seed" -> seed = o.longValue();
 *     default -> throw o.unknown();
 *   }
 * }
 * }</pre>
 */
final class OptionReader {

  private final String[] args;
  private int next;
  private String name;
  private String value;

  OptionReader(String... args) {
    this.args = args;
  }

  /** Moves to the next pair; false after the last. Throws for --help or -h, or a missing value. */
  boolean next() {
    if (next >= args.length) {
      return false;
    }
    name = args[next];
    if (name.equals("--help") || name.equals("-h")) {
      throw new IllegalArgumentException("help requested");
    }
    if (next + 1 >= args.length) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    value = args[next + 1];
    next += 2;
    return true;
  }

  String name() {
    return name;
  }

  String value() {
    return value;
  }

  int intValue() {
    return parse(Integer::parseInt);
  }

  long longValue() {
    return parse(Long::parseLong);
  }

  /** The value read by a parser that throws NumberFormatException or DateTimeParseException. */
  <T> T parse(Function<String, T> parser) {
    try {
      return parser.apply(value);
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException("bad value for " + name + ": " + value, e);
    }
  }

  /** The error for the current option's name, which the caller does not know. */
  IllegalArgumentException unknown() {
    return new IllegalArgumentException("unknown option " + name);
  }

  static <T> T required(String option, T value) {
    if (value == null) {
      throw new IllegalArgumentException(option + " is required");
    }
    return value;
  }

  static void atLeast(String option, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(option + " must be at least " + min + ", was " + value);
    }
  }
}
