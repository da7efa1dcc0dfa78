package dev.vouch.bench;

import dev.vouch.bench.KubernetesCatalog.Person;
import dev.vouch.bench.KubernetesEventWriter.Background;
import dev.vouch.bench.KubernetesEventWriter.Line;
import dev.vouch.bench.KubernetesEventWriter.Request;
import dev.vouch.bench.KubernetesPlannedChange.Edge;
import dev.vouch.bench.KubernetesRules.RequestClass;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Generates a deterministic Kubernetes audit log of the cluster {@code prod-eu} as kube-apiserver's
 * log backend writes it, the change log that goes with it, a Vouch configuration, and the verdict
 * Vouch must give every change.
 *
 * <p>Layout under {@code --out DIR}:
 *
 * <ul>
 *   <li>{@code audit/}: JSON lines of audit.k8s.io/v1 {@code Event} objects, rotated like
 *       lumberjack with {@code --audit-log-maxsize} and {@code --audit-log-compress}: {@code
 *       audit-<UTC yyyy-MM-ddTHH-mm-ss.SSS>.log.gz}, the newest two rotated files still {@code
 *       .log}, and the live {@code audit.log} (see {@link RotatingAuditLog});
 *   <li>{@code changes.csv}: the change log; {@code vouch.yaml}: the configuration;
 *   <li>{@code expected.csv}: {@code eventID,verdict} (eventID = auditID) for every counted change;
 *       {@code expected-summary.txt}: counts, written last.
 * </ul>
 *
 * <p>{@code --events} counts audit events (lines), every stage included; a request writes one to
 * three of them (see {@link KubernetesEventWriter}). Requests are generated minute by minute and
 * their stage events leave through a small queue ordered by stage time, so only the requests still
 * in flight (watches and sessions, at most minutes long) and the compact change plan are held in
 * memory.
 */
public final class KubernetesAuditGenerator {

  /** People's changes, as a share of the events. */
  static final double HUMAN_CHANGE_SHARE = 0.0085;

  static final int SLOT_SECONDS = 60;

  /** How many of the newest rotated files stay uncompressed. */
  static final int KEEP_UNCOMPRESSED = 2;

  static final String AUDIT_DIR = "audit";

  /** Order of the verdict lines in the summary. */
  static final List<String> VERDICTS =
      List.of(
          "AUTHORIZED",
          "UNAUTHORIZED",
          "APPROVED_AFTER_CHANGE",
          "OUTSIDE_WINDOW",
          "SELF_APPROVED",
          "EMERGENCY_UNDOCUMENTED",
          "STANDARD_CHANGE",
          "EXCLUDED");

  /** Relative activity of people per UTC hour: European and American working days. */
  private static final double[] HOUR_WEIGHTS = {
    0.2, 0.2, 0.2, 0.2, 0.2, 0.3, 0.6, 1.2, 1.4, 1.6, 1.6, 1.6, 1.6, 1.6, 1.6, 1.6, 1.6, 1.2, 1.1,
    1.0, 0.6, 0.5, 0.4, 0.3
  };

  private static final double WEEKEND_WEIGHT = 0.3;

  private final KubernetesAuditOptions options;
  private final long start;
  private final long end;

  KubernetesAuditGenerator(KubernetesAuditOptions options) {
    this.options = options;
    this.start = options.startSecond();
    this.end = options.endSecond();
  }

  public static void main(String[] args) {
    DataSetOutput.main(
        args,
        KubernetesAuditOptions::parse,
        KubernetesAuditOptions.USAGE,
        (options, started) -> {
          Summary s = new KubernetesAuditGenerator(options).generate();
          System.out.printf(
              "Generated %,d audit events (%,d requests) in %,d files (%,d gzip) = %,.1f MiB"
                  + " (%,.1f MiB on disk) into %s in %.1f s%n",
              s.events,
              s.requests,
              s.files,
              s.gzFiles,
              s.bytes / 1048576.0,
              s.bytesOnDisk / 1048576.0,
              options.out(),
              DataSetOutput.secondsSince(started));
          System.out.println(DataSetOutput.indented(s.render(options)));
        });
  }

  /** Counts of what was generated; rendered into expected-summary.txt. */
  static final class Summary {
    long events;
    long requests;
    long files;
    long gzFiles;
    long bytes;
    long bytesOnDisk;
    final Map<String, Long> stages = new LinkedHashMap<>();
    final Map<RequestClass, Long> classes = new EnumMap<>(RequestClass.class);
    final Map<String, Long> verdicts = new LinkedHashMap<>();
    final Map<String, Long> changes = new LinkedHashMap<>();
    final Map<String, Long> recordStats = new TreeMap<>();

    Summary() {
      for (String stage :
          List.of("RequestReceived", "ResponseStarted", "ResponseComplete", "Panic")) {
        stages.put(stage, 0L);
      }
      for (RequestClass c : RequestClass.values()) {
        classes.put(c, 0L);
      }
      for (String v : VERDICTS) {
        verdicts.put(v, 0L);
      }
      for (String k :
          List.of(
              "people",
              "boundary",
              "explicitReference",
              "explicitReferenceOnly",
              "impersonated",
              "interactive",
              "interactiveGet")) {
        changes.put(k, 0L);
      }
    }

    String render(KubernetesAuditOptions options) {
      StringBuilder sb = new StringBuilder();
      sb.append("# Expected outcome of the Vouch Kubernetes audit benchmark (generated).\n");
      sb.append("# class.* and verdict.* count requests (one per auditID, at ResponseComplete or")
          .append(" Panic); stage.* count audit events.\n");
      sb.append("params=").append(options.describe()).append('\n');
      sb.append("from=").append(options.start()).append('\n');
      sb.append("to=").append(Instant.ofEpochSecond(options.endSecond())).append('\n');
      sb.append("events=").append(events).append('\n');
      sb.append("requests=").append(requests).append('\n');
      sb.append("files=").append(files).append('\n');
      sb.append("files.gz=").append(gzFiles).append('\n');
      sb.append("files.log=").append(files - gzFiles).append('\n');
      sb.append("bytes=").append(bytes).append('\n');
      sb.append("bytes.disk=").append(bytesOnDisk).append('\n');
      stages.forEach((k, v) -> sb.append("stage.").append(k).append('=').append(v).append('\n'));
      classes.forEach((k, v) -> sb.append("class.").append(k).append('=').append(v).append('\n'));
      verdicts.forEach(
          (k, v) -> sb.append("verdict.").append(k).append('=').append(v).append('\n'));
      changes.forEach((k, v) -> sb.append("changes.").append(k).append('=').append(v).append('\n'));
      recordStats.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
      return sb.toString();
    }
  }

  /** A request to make in a minute: background traffic or a planned change. */
  private record Item(long micros, Background kind, Planned planned) {}

  /** A planned change with its request timing. */
  private record Planned(long received, long completed, KubernetesPlannedChange change) {}

  /** A stage event waiting for its time. */
  private record Pending(long micros, long seq, String stage, byte[] json) {}

  Summary generate() throws IOException {
    Path out = options.out();
    Path audit = out.resolve(AUDIT_DIR);
    DataSetOutput.prepare(options, audit);

    int humanTarget = (int) Math.round(options.events() * HUMAN_CHANGE_SHARE);
    KubernetesChangePlanner.Plan plan =
        new KubernetesChangePlanner(
                start,
                end,
                options.changeRecords(),
                humanTarget,
                new SplittableRandom(options.seed()))
            .plan();
    long plannedLines = 0;
    for (KubernetesPlannedChange c : plan.changes()) {
      plannedLines += KubernetesEventWriter.lines(c);
    }
    long budget = options.events() - plannedLines;
    if (budget < options.events() / 2) {
      throw DataSetOutput.tooSmall(
          "--events", options.events(), options.changeRecords(), plan.changes().size());
    }
    ChangeLogCsv.write(out.resolve(ChangeLogCsv.FILE), plan.records());
    writeConfig(out.resolve("vouch.yaml"));

    Summary summary = new Summary();
    DataSetOutput.countRecords(plan.records(), summary.recordStats);

    SplittableRandom rng = new SplittableRandom(options.seed() * 0x9E3779B97F4A7C15L + 0x4B8);
    int slots = (int) ((end - start) / SLOT_SECONDS);
    ByteList constantKinds = new ByteList();
    ByteList diurnalKinds = new ByteList();
    drawKinds(budget, rng, constantKinds, diurnalKinds);
    int[] constantCounts = uniformCounts(constantKinds.size, slots, rng);
    int[] diurnalCounts = diurnalCounts(diurnalKinds.size, slots, rng);
    List<Planned> planned = timePlanned(plan.changes(), rng);

    long lastMicros = end * 1_000_000L - 1_000_000L;
    KubernetesEventWriter writer = new KubernetesEventWriter(rng, lastMicros);
    Background[] kinds = Background.values();
    PriorityQueue<Pending> queue =
        new PriorityQueue<>(
            Comparator.comparingLong(Pending::micros).thenComparingLong(Pending::seq));
    long seq = 0;
    int constantIndex = 0;
    int diurnalIndex = 0;
    int plannedIndex = 0;
    List<Item> batch = new ArrayList<>();
    RotatingAuditLog log =
        new RotatingAuditLog(
            audit, RotatingAuditLog.mebibytes(options.maxSizeMb()), KEEP_UNCOMPRESSED);
    try (log;
        Writer expected =
            Files.newBufferedWriter(out.resolve(DataSetOutput.EXPECTED), StandardCharsets.UTF_8)) {
      expected.write("eventID,verdict\n");
      for (int slot = 0; slot < slots; slot++) {
        long slotMicros = (start + (long) slot * SLOT_SECONDS) * 1_000_000L;
        long latest = Math.min(slotMicros + SLOT_SECONDS * 1_000_000L - 1, lastMicros - 1_000_000L);
        long span = latest - slotMicros + 1;
        batch.clear();
        for (int i = constantCounts[slot]; i > 0; i--) {
          batch.add(
              new Item(
                  slotMicros + rng.nextLong(span),
                  kinds[constantKinds.get(constantIndex++)],
                  null));
        }
        for (int i = diurnalCounts[slot]; i > 0; i--) {
          batch.add(
              new Item(
                  slotMicros + rng.nextLong(span), kinds[diurnalKinds.get(diurnalIndex++)], null));
        }
        long slotEnd = slotMicros + SLOT_SECONDS * 1_000_000L;
        while (plannedIndex < planned.size() && planned.get(plannedIndex).received() < slotEnd) {
          Planned p = planned.get(plannedIndex++);
          batch.add(new Item(p.received(), null, p));
        }
        batch.sort(Comparator.comparingLong(Item::micros));
        for (Item item : batch) {
          flush(queue, item.micros(), log, summary);
          Request r;
          int wantLines;
          if (item.planned() != null) {
            Planned p = item.planned();
            r = writer.planned(p.change(), p.received(), p.completed());
            wantLines = KubernetesEventWriter.lines(p.change());
          } else {
            r = writer.background(item.kind(), item.micros());
            wantLines = item.kind().lines();
          }
          List<Line> lines = writer.lines(r);
          if (lines.size() != wantLines) {
            throw new IllegalStateException(
                "generator bug: " + lines.size() + " stages, planned " + wantLines);
          }
          for (Line line : lines) {
            if (line.micros() > lastMicros || line.micros() < start * 1_000_000L) {
              throw new IllegalStateException("generator bug: stage outside the period");
            }
            queue.add(new Pending(line.micros(), seq++, line.stage(), line.json()));
          }
          account(r, item.planned() == null ? null : item.planned().change(), expected, summary);
        }
      }
      flush(queue, Long.MAX_VALUE, log, summary);
      if (constantIndex != constantKinds.size || diurnalIndex != diurnalKinds.size) {
        throw new IllegalStateException("generator bug: not every drawn request was written");
      }
      if (plannedIndex != planned.size()) {
        throw new IllegalStateException(
            "generator bug: " + (planned.size() - plannedIndex) + " changes not written");
      }
    }
    summary.events = log.lines;
    summary.files = log.files;
    summary.gzFiles = log.gzFiles;
    summary.bytes = log.bytes;
    summary.bytesOnDisk = log.bytesOnDisk;
    if (summary.events != options.events()) {
      throw new IllegalStateException(
          "generator bug: wrote " + summary.events + " events, wanted " + options.events());
    }
    DataSetOutput.writeSummary(out, summary.render(options));
    return summary;
  }

  private static void flush(
      PriorityQueue<Pending> queue, long upTo, RotatingAuditLog log, Summary summary)
      throws IOException {
    while (!queue.isEmpty() && queue.peek().micros() <= upTo) {
      Pending p = queue.poll();
      log.write(p.json(), p.json().length, p.micros());
      summary.stages.merge(p.stage(), 1L, Long::sum);
    }
  }

  /** Counts a request and, for a change, writes its expected verdict. */
  private static void account(
      Request r, KubernetesPlannedChange planned, Writer expected, Summary summary)
      throws IOException {
    summary.requests++;
    RequestClass c =
        KubernetesRules.classify(
            r.code, r.uri, r.verb, r.hasObjectRef ? r.resource : null, r.apiGroup, r.subresource);
    summary.classes.merge(c, 1L, Long::sum);
    if (c != RequestClass.CHANGE) {
      if (planned != null) {
        throw new IllegalStateException("generator bug: planned change classed " + c);
      }
      return;
    }
    String effective = r.impersonated != null ? r.impersonated.username() : r.user.username();
    String rule =
        KubernetesRules.ruleVerdict(effective, r.impersonated != null, r.resource, r.apiGroup);
    String verdict;
    if (planned != null) {
      if (rule != null) {
        throw new IllegalStateException(
            "generator bug: rule " + rule + " decides a planned change");
      }
      verdict = planned.verdict().name();
      summary.changes.merge("people", 1L, Long::sum);
      if (planned.boundary()) {
        summary.changes.merge("boundary", 1L, Long::sum);
      }
      if (planned.reference() != null) {
        summary.changes.merge("explicitReference", 1L, Long::sum);
      }
      if (planned.referenceDecides()) {
        summary.changes.merge("explicitReferenceOnly", 1L, Long::sum);
      }
      if (r.impersonated != null) {
        summary.changes.merge("impersonated", 1L, Long::sum);
      }
      if (planned.action().interactive()) {
        summary.changes.merge("interactive", 1L, Long::sum);
        if (planned.action().verb().equals("get")) {
          summary.changes.merge("interactiveGet", 1L, Long::sum);
        }
      }
    } else {
      verdict = rule;
      if (verdict == null) {
        throw new IllegalStateException(
            "generator bug: background change by " + r.user.username() + " has no rule");
      }
    }
    summary.verdicts.merge(verdict, 1L, Long::sum);
    expected.write(r.auditId);
    expected.write(',');
    expected.write(verdict);
    expected.write('\n');
  }

  // ------------------------------------------------------------------------------- timing

  /** Draws background request kinds until their events fill the budget exactly. */
  private static void drawKinds(
      long budget, SplittableRandom rng, ByteList constant, ByteList diurnal) {
    Background[] kinds = Background.values();
    double[] cumulative = new double[kinds.length];
    double sum = 0;
    for (int i = 0; i < kinds.length; i++) {
      sum += kinds[i].weight;
      cumulative[i] = sum;
    }
    long remaining = budget;
    while (remaining > 0) {
      Background k = kinds[Sampling.draw(cumulative, sum, rng)];
      if (k.lines() > remaining) {
        k = Background.NODE_READ;
      }
      (k.diurnal ? diurnal : constant).add((byte) k.ordinal());
      remaining -= k.lines();
    }
  }

  private static int[] uniformCounts(int n, int slots, SplittableRandom rng) {
    int[] counts = new int[slots];
    for (int i = 0; i < n; i++) {
      counts[rng.nextInt(slots)]++;
    }
    return counts;
  }

  /** Spreads people's requests over the minutes by time of day and weekday. */
  private int[] diurnalCounts(int n, int slots, SplittableRandom rng) {
    double[] cumulative = new double[slots];
    double sum = 0;
    for (int slot = 0; slot < slots; slot++) {
      sum += Sampling.activity(start + (long) slot * SLOT_SECONDS, HOUR_WEIGHTS, WEEKEND_WEIGHT);
      cumulative[slot] = sum;
    }
    return Sampling.counts(cumulative, sum, n, rng);
  }

  /**
   * Decides when each planned change's request is received and completes. Boundary changes hit the
   * window edge exactly: at the start edge the request is received on it, at the end edge it
   * completes on it, so the other timestamp lies inside the window plus grace either way.
   */
  private static List<Planned> timePlanned(
      List<KubernetesPlannedChange> changes, SplittableRandom rng) {
    List<Planned> result = new ArrayList<>(changes.size());
    for (KubernetesPlannedChange c : changes) {
      long t = c.time() * 1_000_000L;
      long latency = 8_000 + rng.nextInt(80_000);
      long received;
      long completed;
      if (c.edge() == Edge.START) {
        received = t;
        completed = t + latency;
      } else if (c.edge() == Edge.END) {
        completed = t;
        received = t - latency;
      } else {
        received = t + rng.nextInt(900_000);
        completed =
            c.action().interactive()
                ? received + c.sessionSeconds() * 1_000_000L + rng.nextInt(90_000)
                : received + latency;
      }
      result.add(new Planned(received, completed, c));
    }
    result.sort(Comparator.comparingLong(Planned::received));
    return result;
  }

  // ------------------------------------------------------------------------------- config

  private void writeConfig(Path file) throws IOException {
    StringBuilder y = DataSetOutput.configHead("Kubernetes audit", options);
    y.append("  - name: ").append(KubernetesCatalog.SYSTEM).append('\n');
    y.append("    kubernetes: {clusters: [").append(KubernetesCatalog.CLUSTER).append("]}\n");
    // EKS access entries name the role session after the person, which Vouch trusts only for a
    // role whose trust policy pins sts:RoleSessionName: the cluster's admin role does here.
    y.append("identities:\n");
    y.append("  trustedSessionRoles: [\"arn:aws:iam::")
        .append(KubernetesCatalog.AWS_ACCOUNT)
        .append(":role/")
        .append(KubernetesCatalog.EKS_ROLE)
        .append("\"]\n");
    y.append("  people:\n");
    for (Person p : KubernetesCatalog.PEOPLE) {
      y.append("    - person: ").append(p.id()).append('\n');
      y.append("      aliases: [");
      List<String> aliases = p.aliases();
      for (int i = 0; i < aliases.size(); i++) {
        y.append(i > 0 ? ", " : "").append('"').append(aliases.get(i)).append('"');
      }
      y.append("]\n");
    }
    y.append("sources:\n");
    y.append("  - {type: kubernetes-audit, name: prod-eu-audit, cluster: ")
        .append(KubernetesCatalog.CLUSTER)
        .append(", path: ./")
        .append(AUDIT_DIR)
        .append("}\n");
    DataSetOutput.configRecordsAndMatching(y);
    y.append("rules:\n");
    y.append("  - id: bench.argocd\n");
    y.append("    action: standard-change\n");
    y.append("    reason: GitOps sync of reviewed commits\n");
    y.append("    when: {k8s.user.username: \"")
        .append(KubernetesCatalog.ARGOCD_CONTROLLER)
        .append("\"}\n");
    Files.writeString(file, y.toString(), StandardCharsets.UTF_8);
  }

  /** A growable array of bytes: the drawn request kinds, one byte each. */
  private static final class ByteList {
    private byte[] data = new byte[1 << 16];
    int size;

    void add(byte b) {
      if (size == data.length) {
        data = Arrays.copyOf(data, data.length * 2);
      }
      data[size++] = b;
    }

    byte get(int i) {
      return data[i];
    }
  }
}
