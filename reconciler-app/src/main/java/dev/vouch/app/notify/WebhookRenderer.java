package dev.vouch.app.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.core.model.Verdict;
import dev.vouch.core.run.CoverageGap;
import dev.vouch.core.run.SourceOutcome;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Vouch's own JSON document for a generic webhook (schema {@value #SCHEMA}, documented in the
 * README): the run, the counts, the listed findings with their fields, how many more there are, and
 * what an incomplete run missed. Values are data, not markup, so they are not escaped beyond JSON;
 * they are on one line and cut to {@link Digest#MAX_VALUE} characters. The document stays under
 * {@link #MAX_BYTES} by listing fewer findings.
 */
final class WebhookRenderer implements Renderer {
  static final String SCHEMA = "vouch.digest.v1";
  static final int MAX_BYTES = 256 * 1024;

  @Override
  public Payload render(Digest digest) {
    Fitting.Fitted<byte[]> fitted =
        Fitting.largest(
            digest.items().size(),
            n -> Messages.bytes(document(digest, n)),
            bytes -> bytes.length <= MAX_BYTES);
    return new Payload(fitted.message(), Messages.JSON, fitted.shown());
  }

  private static ObjectNode document(Digest digest, int shown) {
    ObjectNode root = Messages.mapper().createObjectNode();
    root.put("schema", SCHEMA);
    // One id per run and channel: a receiver that sees it twice (a retry after a lost answer)
    // can drop the second.
    root.put(
        "id", (digest.sample() ? "sample" : "run-" + digest.runId()) + ":" + digest.notification());
    root.put("sample", digest.sample());
    root.put("notification", digest.notification());
    ObjectNode run = root.putObject("run");
    run.put("id", digest.runId());
    run.put("status", digest.status().name());
    run.putObject("window")
        .put("start", digest.window().start().toString())
        .put("end", digest.window().end().toString());
    nullable(run, "reportUrl", digest.reportUrl() == null ? null : digest.reportUrl().toString());
    ObjectNode counts = root.putObject("counts");
    for (Map.Entry<Verdict, Long> count : digest.counts().entrySet()) {
      counts.put(count.getKey().name(), count.getValue());
    }
    root.put("total", digest.total());
    ArrayNode findings = root.putArray("findings");
    for (Digest.Item item : digest.items().subList(0, shown)) {
      ObjectNode finding = findings.addObject();
      finding.put("eventKey", item.eventKey());
      finding.put("source", item.source());
      nullable(finding, "system", item.system());
      finding.put("occurredAt", item.occurredAt().toString());
      finding.put("actor", item.actor());
      nullable(finding, "person", item.person());
      finding.put("action", item.action());
      finding.put("verdict", item.verdict().name());
      finding.put("riskLevel", item.level().configName());
      ArrayNode risks = finding.putArray("risks");
      item.risks().forEach(risks::add);
      nullable(finding, "recordId", item.recordId());
      finding.put("why", item.why());
    }
    root.put("more", digest.total() - shown);
    Digest.Incomplete incomplete = digest.incomplete();
    if (incomplete == null) {
      root.putNull("incomplete");
    } else {
      ObjectNode node = root.putObject("incomplete");
      ArrayNode sources = node.putArray("sources");
      for (SourceOutcome source : incomplete.sources()) {
        ObjectNode s = sources.addObject();
        s.put("name", source.name());
        s.put("type", source.type());
        s.put("coverage", source.coverage().name());
        nullable(s, "error", source.error() != null ? source.error() : source.detail());
      }
      node.put("moreSources", incomplete.sourceCount() - incomplete.sources().size());
      ArrayNode gaps = node.putArray("gaps");
      for (CoverageGap gap : incomplete.gaps()) {
        gaps.addObject()
            .put("partition", gap.partition())
            .put("day", gap.day().toString())
            .put("reason", gap.reason());
      }
      node.put("moreGaps", incomplete.gapCount() - incomplete.gaps().size());
    }
    return root;
  }

  private static void nullable(ObjectNode node, String field, @Nullable String value) {
    if (value == null) {
      node.putNull(field);
    } else {
      node.put(field, value);
    }
  }
}
