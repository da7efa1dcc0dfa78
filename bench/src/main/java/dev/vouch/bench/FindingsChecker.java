package dev.vouch.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

/**
 * Compares Vouch's findings with the verdicts the generator expects.
 *
 * <p>{@code findings.json} is read as a stream: a JSON array of finding objects (or an object whose
 * {@code findings} field is that array). Each finding names its event by {@code eventId} (the
 * CloudTrail eventID); {@code nativeId}, or the part of {@code eventKey} after its first colon, are
 * accepted when {@code eventId} is absent. Only the top-level {@code eventId}/{@code verdict} of
 * each finding is read; everything else is skipped without being built.
 *
 * <p>Exit status: 0 when every expected change has exactly one finding with the expected verdict
 * and there is no other finding; 1 otherwise; 2 for bad arguments or unreadable input.
 */
public final class FindingsChecker {

  static final String USAGE =
      "usage: FindingsChecker --expected DIR/expected.csv --findings OUTDIR/findings.json";

  static final String MISSING = "MISSING";

  private static final int MAX_LISTED = 20;

  /** One event whose finding disagrees with the expectation. */
  record Mismatch(String eventId, String expected, String actual) {}

  /** The outcome of a comparison. */
  static final class Result {
    long expectedCount;
    long findingsRead;
    long correct;
    long missing;
    long unexpected;
    long duplicates;
    long unidentified;

    /** expected verdict (or "(unexpected)") → actual verdict (or MISSING) → count. */
    final Map<String, Map<String, Long>> confusion = new LinkedHashMap<>();

    final List<Mismatch> firstMismatches = new ArrayList<>();
    long mismatchCount;

    boolean passed() {
      return mismatchCount == 0
          && missing == 0
          && unexpected == 0
          && duplicates == 0
          && unidentified == 0
          && correct == expectedCount;
    }

    private void count(String expected, String actual) {
      confusion.computeIfAbsent(expected, k -> new LinkedHashMap<>()).merge(actual, 1L, Long::sum);
    }

    private void mismatch(String eventId, String expected, String actual) {
      mismatchCount++;
      if (firstMismatches.size() < MAX_LISTED) {
        firstMismatches.add(new Mismatch(eventId, expected, actual));
      }
    }
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Path expected = null;
    Path findings = null;
    for (int i = 0; i < args.length; i++) {
      if (i + 1 >= args.length) {
        err.println("error: " + args[i] + " needs a value");
        err.println(USAGE);
        return 2;
      }
      switch (args[i]) {
        case "--expected" -> expected = Path.of(args[++i]);
        case "--findings" -> findings = Path.of(args[++i]);
        default -> {
          err.println("error: unknown option " + args[i]);
          err.println(USAGE);
          return 2;
        }
      }
    }
    if (expected == null || findings == null) {
      err.println("error: --expected and --findings are required");
      err.println(USAGE);
      return 2;
    }
    Result result;
    try {
      result = check(expected, findings);
    } catch (NoSuchFileException e) {
      err.println("error: no such file: " + e.getFile());
      return 2;
    } catch (IOException | IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    print(result, findings, out);
    return result.passed() ? 0 : 1;
  }

  /** Reads both files and compares them. */
  static Result check(Path expectedCsv, Path findingsJson) throws IOException {
    Tally tally = new Tally(readExpected(expectedCsv));
    try (InputStream in = open(findingsJson);
        JsonParser p = new JsonFactory().createParser(in)) {
      JsonToken first = p.nextToken();
      if (first == JsonToken.START_OBJECT) {
        seekFindingsArray(p, findingsJson);
      } else if (first != JsonToken.START_ARRAY) {
        throw new IllegalArgumentException(findingsJson + ": expected a JSON array of findings");
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
        String[] idAndVerdict = readFinding(p);
        tally.add(idAndVerdict[0], idAndVerdict[1]);
      }
      if (t != JsonToken.END_ARRAY) {
        throw new IllegalArgumentException(
            findingsJson + ": expected only finding objects in the array, found " + t);
      }
    }
    return tally.result();
  }

  /**
   * Compares verdicts, given one at a time by whatever produced them (Vouch's findings, or the SQL
   * baseline's rows), with the expected ones.
   */
  static final class Tally {
    private final Map<String, String> expected;
    private final Result result = new Result();
    private final Map<String, String> found;
    private final Set<String> duplicated = new HashSet<>();

    Tally(Map<String, String> expected) {
      this.expected = expected;
      this.found = new HashMap<>(expected.size() * 2);
      result.expectedCount = expected.size();
    }

    /** One finding: its event id in any form {@link #sourceId} knows (null if it has none). */
    void add(String eventId, String verdictOrNull) {
      result.findingsRead++;
      String id = eventId == null ? null : sourceId(eventId, expected);
      String verdict = verdictOrNull == null ? "(no verdict)" : verdictOrNull;
      if (id == null) {
        result.unidentified++;
        return;
      }
      String previous = found.putIfAbsent(id, verdict);
      if (previous != null) {
        result.duplicates++;
        duplicated.add(id);
        if (!previous.equals(verdict)) {
          result.mismatch(id, "one finding (" + previous + ")", verdict);
        }
      }
    }

    /** The comparison, once every finding was added. */
    Result result() {
      for (Map.Entry<String, String> e : expected.entrySet()) {
        String actual = found.getOrDefault(e.getKey(), MISSING);
        result.count(e.getValue(), actual);
        if (actual.equals(MISSING)) {
          result.missing++;
          result.mismatch(e.getKey(), e.getValue(), MISSING);
        } else if (actual.equals(e.getValue())) {
          if (!duplicated.contains(e.getKey())) {
            result.correct++;
          }
        } else {
          result.mismatch(e.getKey(), e.getValue(), actual);
        }
      }
      for (Map.Entry<String, String> e : found.entrySet()) {
        if (!expected.containsKey(e.getKey())) {
          result.unexpected++;
          result.count("(unexpected)", e.getValue());
          result.mismatch(e.getKey(), "(no finding: not a change)", e.getValue());
        }
      }
      return result;
    }
  }

  /**
   * The source's own id in a finding's id. Vouch scopes the ids it stores: a CloudTrail event is
   * {@code <account>:<eventID>}, a Kubernetes request {@code <cluster>:<auditID>:<hash>}; the
   * expected verdicts name the bare eventID or auditID. The first form the expected file knows
   * wins; an id it knows in no form is kept whole (and reported as unexpected).
   */
  static String sourceId(String id, Map<String, String> expected) {
    if (expected.containsKey(id)) {
      return id;
    }
    String[] parts = id.split(":", -1);
    for (int i = 1; i < parts.length; i++) {
      if (expected.containsKey(parts[i])) {
        return parts[i];
      }
    }
    return id;
  }

  private static InputStream open(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    return file.toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
  }

  private static void seekFindingsArray(JsonParser p, Path file) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (name.equals("findings") && value == JsonToken.START_ARRAY) {
        return;
      }
      p.skipChildren();
    }
    throw new IllegalArgumentException(file + ": no findings array");
  }

  /** Reads one finding object's identifying fields, skipping everything else. */
  private static String[] readFinding(JsonParser p) throws IOException {
    String eventId = null;
    String nativeId = null;
    String eventKey = null;
    String verdict = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (value == JsonToken.VALUE_STRING) {
        switch (name) {
          case "eventId" -> eventId = p.getText();
          case "nativeId" -> nativeId = p.getText();
          case "eventKey" -> eventKey = p.getText();
          case "verdict" -> verdict = p.getText();
          default -> {}
        }
      } else {
        p.skipChildren();
      }
    }
    String id = eventId;
    if (id == null) {
      id = nativeId;
    }
    if (id == null && eventKey != null) {
      int colon = eventKey.indexOf(':');
      id = colon >= 0 ? eventKey.substring(colon + 1) : eventKey;
    }
    return new String[] {id, verdict};
  }

  static Map<String, String> readExpected(Path file) throws IOException {
    Map<String, String> expected = new HashMap<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String header = r.readLine();
      if (header == null || !header.strip().equals("eventID,verdict")) {
        throw new IllegalArgumentException(file + ": header must be eventID,verdict");
      }
      String line;
      int lineNo = 1;
      while ((line = r.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        int comma = line.indexOf(',');
        if (comma <= 0 || comma == line.length() - 1) {
          throw new IllegalArgumentException(file + ":" + lineNo + ": expected eventID,verdict");
        }
        if (expected.put(line.substring(0, comma), line.substring(comma + 1).strip()) != null) {
          throw new IllegalArgumentException(
              file + ":" + lineNo + ": duplicate eventID " + line.substring(0, comma));
        }
      }
    }
    return expected;
  }

  static void print(Result r, Object findings, PrintStream out) {
    out.printf(
        "Checked %s: %,d findings read, %,d changes expected%n",
        findings, r.findingsRead, r.expectedCount);
    Set<String> columns = new LinkedHashSet<>();
    for (ExpectedVerdict v : ExpectedVerdict.values()) {
      columns.add(v.name());
    }
    Set<String> extra = new TreeSet<>();
    r.confusion.values().forEach(m -> extra.addAll(m.keySet()));
    extra.remove(MISSING);
    columns.addAll(extra);
    columns.add(MISSING);
    List<String> rows = new ArrayList<>();
    for (ExpectedVerdict v : ExpectedVerdict.values()) {
      rows.add(v.name());
    }
    for (String k : r.confusion.keySet()) {
      if (!rows.contains(k)) {
        rows.add(k);
      }
    }
    int width = 8;
    for (String c : columns) {
      width = Math.max(width, label(c).length() + 2);
    }
    StringBuilder head = new StringBuilder(String.format("%-24s", "expected \\ actual"));
    for (String c : columns) {
      head.append(String.format("%" + width + "s", label(c)));
    }
    out.println(head);
    for (String row : rows) {
      Map<String, Long> m = r.confusion.getOrDefault(row, Map.of());
      StringBuilder line = new StringBuilder(String.format("%-24s", row));
      for (String c : columns) {
        line.append(String.format("%" + width + "d", m.getOrDefault(c, 0L)));
      }
      out.println(line);
    }
    out.println(
        "  (columns: AUTH=AUTHORIZED UNAUTH=UNAUTHORIZED AFTER=APPROVED_AFTER_CHANGE"
            + " OUTSIDE=OUTSIDE_WINDOW SELF=SELF_APPROVED EMERG=EMERGENCY_UNDOCUMENTED"
            + " EXCL=EXCLUDED)");
    if (r.mismatchCount > 0) {
      out.printf(
          "Mismatches (first %d of %,d):%n",
          Math.min(MAX_LISTED, r.firstMismatches.size()), r.mismatchCount);
      for (Mismatch m : r.firstMismatches) {
        out.printf("  %s  expected=%s  actual=%s%n", m.eventId(), m.expected(), m.actual());
      }
    }
    out.printf(
        "%s: %,d of %,d correct; %,d wrong, %,d missing, %,d unexpected, %,d duplicate,"
            + " %,d without an event id%n",
        r.passed() ? "PASS" : "FAIL",
        r.correct,
        r.expectedCount,
        r.mismatchCount - r.missing - r.unexpected,
        r.missing,
        r.unexpected,
        r.duplicates,
        r.unidentified);
  }

  private static String label(String verdict) {
    return switch (verdict) {
      case "AUTHORIZED" -> "AUTH";
      case "UNAUTHORIZED" -> "UNAUTH";
      case "APPROVED_AFTER_CHANGE" -> "AFTER";
      case "OUTSIDE_WINDOW" -> "OUTSIDE";
      case "SELF_APPROVED" -> "SELF";
      case "EMERGENCY_UNDOCUMENTED" -> "EMERG";
      case "EXCLUDED" -> "EXCL";
      default -> verdict;
    };
  }

  private FindingsChecker() {}
}
