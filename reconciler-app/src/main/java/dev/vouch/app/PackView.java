package dev.vouch.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.core.model.Verdict;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code pack.html} shows, read from the pack.json tree so that the page can say nothing the
 * JSON does not. Public only because the precompiled jte template lives in another package.
 */
public record PackView(
    String month,
    List<String> systems,
    List<String> warnings,
    String conclusion,
    List<Integer> days,
    List<GridRow> coverage,
    List<Population> population,
    List<ExceptionGroup> exceptions,
    List<Row> reconciliation,
    List<Sampled> sample,
    String sampleAlgorithm,
    long sampleSeed,
    String dailyChart,
    String systemChart) {

  /** One partition's row of the coverage grid. */
  public record GridRow(String source, String partition, List<Cell> cells) {}

  /**
   * One partition-day: its status, the letter that prints in black and white, and the CSS class.
   */
  public record Cell(int day, String status, long observations) {
    public String letter() {
      return switch (status) {
        case "complete" -> "C";
        case "partial" -> "P";
        case "failed" -> "F";
        case "gap" -> "G";
        default -> "N";
      };
    }

    public String css() {
      return "s-" + letter();
    }
  }

  public record Population(String system, String eventClass, long count) {}

  public record ExceptionGroup(String verdict, List<Row> changes) {}

  /** One change; {@code reason} and {@code triageHistory} are empty outside the exceptions. */
  public record Row(
      String occurredAt,
      String system,
      String source,
      String actor,
      String action,
      String verdict,
      String record,
      String approver,
      String triage,
      String reason,
      List<String> triageHistory,
      String eventKey) {}

  public record Sampled(Row change, String raw, String rawSha256, String note) {}

  static PackView of(JsonNode pack) {
    YearMonth period = YearMonth.parse(pack.get("period").get("month").asText());
    List<Integer> days = new ArrayList<>();
    for (int d = 1; d <= period.lengthOfMonth(); d++) {
      days.add(d);
    }
    Map<String, GridRow> grid = new LinkedHashMap<>();
    for (JsonNode cell : pack.get("coverage")) {
      String source = cell.get("source").asText();
      String partition = cell.get("partition").asText();
      grid.computeIfAbsent(
              source + "\u0000" + partition, k -> new GridRow(source, partition, new ArrayList<>()))
          .cells()
          .add(
              new Cell(
                  LocalDate.parse(cell.get("day").asText()).getDayOfMonth(),
                  cell.get("status").asText(),
                  cell.get("observations").asLong()));
    }
    List<Population> population = new ArrayList<>();
    pack.get("population")
        .fields()
        .forEachRemaining(
            s ->
                s.getValue()
                    .fields()
                    .forEachRemaining(
                        c ->
                            population.add(
                                new Population(s.getKey(), c.getKey(), c.getValue().asLong()))));
    List<ExceptionGroup> exceptions = new ArrayList<>();
    pack.get("exceptions")
        .fields()
        .forEachRemaining(
            g -> {
              List<Row> rows = new ArrayList<>();
              g.getValue().forEach(e -> rows.add(row(e)));
              exceptions.add(new ExceptionGroup(g.getKey(), rows));
            });
    List<Row> reconciliation = new ArrayList<>();
    long[] authorized = new long[period.lengthOfMonth()];
    long[] exceptionsPerDay = new long[period.lengthOfMonth()];
    Map<String, Map<String, Long>> bySystem = new TreeMap<>();
    for (JsonNode c : pack.get("reconciliation")) {
      reconciliation.add(row(c));
      Verdict verdict = Verdict.valueOf(c.get("verdict").asText());
      bySystem
          .computeIfAbsent(
              text(c, "system").isEmpty() ? "(no system)" : text(c, "system"), k -> new TreeMap<>())
          .merge(verdict.name(), 1L, Long::sum);
      String at = text(c, "occurredAt");
      if (at.length() >= 10 && verdict != Verdict.EXCLUDED) {
        int day = LocalDate.parse(at.substring(0, 10)).getDayOfMonth() - 1;
        if (verdict.needsReview()) {
          exceptionsPerDay[day]++;
        } else {
          authorized[day]++;
        }
      }
    }
    List<String> verdicts = new ArrayList<>();
    for (Verdict v : Verdict.values()) {
      verdicts.add(v.name());
    }
    List<Sampled> sample = new ArrayList<>();
    JsonNode drawn = pack.get("sample");
    for (JsonNode item : drawn.get("changes")) {
      JsonNode event = item.get("event");
      boolean stored = event != null && !event.isNull();
      sample.add(
          new Sampled(
              row(item),
              stored ? text(event, "raw") : "",
              stored ? text(event, "rawSha256") : "",
              text(item, "eventNote")));
    }
    List<String> systems = new ArrayList<>();
    pack.get("systems").forEach(s -> systems.add(s.asText()));
    List<String> warnings = new ArrayList<>();
    pack.get("warnings").forEach(w -> warnings.add(w.asText()));
    return new PackView(
        period.toString(),
        systems,
        warnings,
        pack.get("conclusion").asText(),
        days,
        List.copyOf(grid.values()),
        population,
        exceptions,
        reconciliation,
        sample,
        text(drawn, "algorithm"),
        drawn.get("seed").asLong(),
        PackCharts.daily(period, authorized, exceptionsPerDay),
        PackCharts.bySystem(bySystem, verdicts));
  }

  private static Row row(JsonNode c) {
    List<String> history = new ArrayList<>();
    for (JsonNode a : c.path("triageHistory")) {
      history.add(
          text(a, "at")
              + " "
              + text(a, "decision")
              + " by "
              + text(a, "by")
              + ": "
              + text(a, "reason"));
    }
    return new Row(
        text(c, "occurredAt"),
        text(c, "system"),
        text(c, "source"),
        text(c, "actor"),
        text(c, "action"),
        text(c, "verdict"),
        text(c, "record"),
        text(c, "approver"),
        text(c, "triage"),
        text(c, "reason"),
        history,
        text(c, "eventKey"));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? "" : value.asText();
  }
}
