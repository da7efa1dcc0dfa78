#!/usr/bin/env bash
# Benchmark: reconcile a generated month of Kubernetes audit logs (kube-apiserver log backend,
# rotated and gzipped like --audit-log-maxsize/--audit-log-compress) against its change log with
# `vouch run`, measure wall-clock time and peak memory, then check every verdict.
#
#   bench/run-kubernetes-audit.sh
#
# Environment (all optional):
#   EVENTS=1000000  START=2026-10-01T00:00:00Z  DAYS=30  SEED=42  CHANGE_RECORDS=200
#   MAX_SIZE_MB=50                the data set to generate (MAX_SIZE_MB: --audit-log-maxsize)
#   DATA_DIR=bench-data/k8s-audit where it lives (repo-root relative)
#   REGENERATE=1                  regenerate even if a data set with the same parameters exists
#   JAVA_TOOL_OPTIONS=-Xmx256m    JVM options for vouch (and the bench tools), e.g. a heap cap
#
# Exit status: 0 when vouch finished (exit 0 or 1, 1 meaning "findings need review") and every
# verdict is as expected; 1 otherwise; 2 for a setup problem.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

EVENTS="${EVENTS:-1000000}"
START="${START:-2026-10-01T00:00:00Z}"
DAYS="${DAYS:-30}"
SEED="${SEED:-42}"
CHANGE_RECORDS="${CHANGE_RECORDS:-200}"
MAX_SIZE_MB="${MAX_SIZE_MB:-50}"
DATA="${DATA_DIR:-bench-data/k8s-audit}"
PARAMS="events=$EVENTS start=$START days=$DAYS seed=$SEED change-records=$CHANGE_RECORDS max-size-mb=$MAX_SIZE_MB"

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
TIME=/usr/bin/time
if [[ ! -x "$TIME" ]]; then
  echo "error: $TIME (GNU time) is needed to measure elapsed time and memory: apt-get install time" >&2
  exit 2
fi
if [[ ! -x "$ROOT/vouch" ]]; then
  echo "error: the ./vouch launcher is missing at the repository root" >&2
  exit 2
fi

log() { printf '[bench] %s\n' "$*" >&2; }

# 1. The bench tools (generator and checker): rebuild when the module's sources are newer.
BENCH_JAR="$ROOT/bench/target/vouch-bench-0.1.0-SNAPSHOT-all.jar"
if [[ ! -f "$BENCH_JAR" || -n "$(find "$ROOT/bench/pom.xml" "$ROOT/bench/src/main" -newer "$BENCH_JAR" -print -quit)" ]]; then
  log "building the bench tools"
  ./mvnw -q -B -f bench/pom.xml -DskipTests -Dspotless.check.skip=true package
fi

# 2. The app: the launcher builds it when needed; do that now so the build is not timed.
log "building vouch if needed"
if ! ./vouch --version >/dev/null; then
  echo "error: ./vouch --version failed: building or starting vouch did not work" >&2
  exit 2
fi

# 3. The data set: reuse it when complete and generated with the same parameters.
if [[ -z "${REGENERATE:-}" && -f "$DATA/expected-summary.txt" ]] \
    && grep -qxF "params=$PARAMS" "$DATA/expected-summary.txt"; then
  log "reusing $DATA ($PARAMS)"
else
  if [[ -e "$DATA" ]]; then
    if [[ ! -f "$DATA/.vouch-bench" ]]; then
      echo "error: $DATA exists but was not made by the generator; move it away or set DATA_DIR" >&2
      exit 2
    fi
    log "removing the old or incomplete data set in $DATA"
    rm -rf -- "$DATA"
  fi
  log "generating $DATA ($PARAMS)"
  "$JAVA" -cp "$BENCH_JAR" dev.vouch.bench.KubernetesAuditGenerator --out "$DATA" \
    --events "$EVENTS" --start "$START" --days "$DAYS" --seed "$SEED" \
    --change-records "$CHANGE_RECORDS" --max-size-mb "$MAX_SIZE_MB" >&2
fi

summary_value() { sed -n "s/^$1=//p" "$DATA/expected-summary.txt"; }
FROM="$(summary_value from)"
TO="$(summary_value to)"

# 4. The measured run, from an empty store so every run does the same work.
RESULTS="$DATA/results"
rm -rf -- "$DATA/vouch-data" "$DATA/out" "$RESULTS"
mkdir -p "$RESULTS"
log "running: ./vouch run --config $DATA/vouch.yaml --from $FROM --to $TO --out $DATA/out"
set +e
"$TIME" -v -o "$RESULTS/time.txt" ./vouch run --config "$DATA/vouch.yaml" \
  --from "$FROM" --to "$TO" --out "$DATA/out" >"$RESULTS/vouch.log" 2>&1
VOUCH_RC=$?
set -e
tail -n 20 "$RESULTS/vouch.log" >&2 || true

field() { sed -n "s/^[[:space:]]*$1: //p" "$RESULTS/time.txt" | head -n 1; }
ELAPSED="$(field 'Elapsed (wall clock) time (h:mm:ss or m:ss)')"
MAX_RSS_KB="$(field 'Maximum resident set size (kbytes)')"
USER_S="$(field 'User time (seconds)')"
SYS_S="$(field 'System time (seconds)')"
CPU="$(field 'Percent of CPU this job got')"
ELAPSED_S="$(awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }' <<<"${ELAPSED:-0}")"
REQUESTS="$(summary_value requests)"
RATE="$(awk -v n="$EVENTS" -v s="$ELAPSED_S" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "n/a" }')"
REQUEST_RATE="$(awk -v n="$REQUESTS" -v s="$ELAPSED_S" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "n/a" }')"
RSS_MIB="$(awk -v k="${MAX_RSS_KB:-0}" 'BEGIN { printf "%.0f", k / 1024 }')"

# 5. The verdict check (eventID = auditID).
CHECK_RC=2
if [[ -f "$DATA/out/findings.json" ]]; then
  set +e
  "$JAVA" -cp "$BENCH_JAR" dev.vouch.bench.FindingsChecker --expected "$DATA/expected.csv" \
    --findings "$DATA/out/findings.json" >"$RESULTS/check.txt" 2>&1
  CHECK_RC=$?
  set -e
  cat "$RESULTS/check.txt"
else
  echo "no $DATA/out/findings.json: vouch did not write its findings" | tee "$RESULTS/check.txt"
fi

VERDICT=PASS
if [[ $VOUCH_RC -gt 1 || $CHECK_RC -ne 0 ]]; then
  VERDICT=FAIL
fi
{
  echo "data set:      $DATA ($PARAMS)"
  echo "input:         $(summary_value events) audit events ($REQUESTS requests) in" \
    "$(summary_value files) files ($(summary_value files.gz) gzip)," \
    "$(awk -v b="$(summary_value bytes)" 'BEGIN { printf "%.1f", b / 1048576 }') MiB of JSON lines," \
    "$(awk -v b="$(summary_value bytes.disk)" 'BEGIN { printf "%.1f", b / 1048576 }') MiB on disk," \
    "$(summary_value class.CHANGE) changes"
  echo "window:        $FROM .. $TO"
  echo "vouch exit:    $VOUCH_RC (0 = nothing to review, 1 = findings need review, other = failure)"
  echo "elapsed:       $ELAPSED (${ELAPSED_S} s, ${RATE} events/s, ${REQUEST_RATE} requests/s)"
  echo "cpu:           user ${USER_S} s, system ${SYS_S} s, ${CPU}"
  echo "max RSS:       ${RSS_MIB} MiB (${MAX_RSS_KB} kB)${JAVA_TOOL_OPTIONS:+ with JAVA_TOOL_OPTIONS=$JAVA_TOOL_OPTIONS}"
  echo "verdicts:      $(tail -n 1 "$RESULTS/check.txt")"
  echo "result:        $VERDICT"
} | tee "$RESULTS/summary.txt"

[[ $VERDICT == PASS ]]
