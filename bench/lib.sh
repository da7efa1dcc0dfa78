# Shared by the benchmark scripts (bench/run-*.sh), which source it after `set -euo pipefail`; not
# meant to be run. Each script sets DATA (the data set directory) and PARAMS (the generator options
# as expected-summary.txt records them), then calls the steps in order:
#
#   bench_prepare                        checks, and builds the bench tools and vouch (not timed)
#   bench_data_set GENERATOR OPTIONS...  reuses $DATA or (re)generates it
#   bench_run                            the timed `vouch run` from $FROM to $TO
#   bench_check                          the verdict check, and the overall VERDICT
#   bench_summary INPUT RATES [NOTE]     the summary, shown and kept in $DATA/results/summary.txt
#
# Sourcing it moves to the repository root and sets ROOT, JAVA, TIME and BENCH_JAR.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
TIME=/usr/bin/time
BENCH_JAR="$ROOT/bench/target/vouch-bench-0.1.0-SNAPSHOT-all.jar"

log() { printf '[bench] %s\n' "$*" >&2; }

# A value of the data set's expected-summary.txt.
summary_value() { sed -n "s/^$1=//p" "$DATA/expected-summary.txt"; }

# Bytes as MiB with one decimal.
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

# How many of $1 per second of the measured run.
rate() { awk -v n="$1" -v s="$ELAPSED_S" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "n/a" }'; }

bench_prepare() {
  if [[ ! -x "$TIME" ]]; then
    echo "error: $TIME (GNU time) is needed to measure elapsed time and memory: apt-get install time" >&2
    exit 2
  fi
  if [[ ! -x "$ROOT/vouch" ]]; then
    echo "error: the ./vouch launcher is missing at the repository root" >&2
    exit 2
  fi

  # 1. The bench tools (generator and checker): rebuild when the module's sources are newer.
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
}

# 3. The data set: reuse it when complete and generated with the same parameters; otherwise run the
# generator (a class of dev.vouch.bench) with --out $DATA and the given options.
bench_data_set() {
  local generator=$1
  shift
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
    "$JAVA" -cp "$BENCH_JAR" "dev.vouch.bench.$generator" --out "$DATA" "$@" >&2
  fi
}

# 4. The measured run, from an empty store so every run does the same work. Sets RESULTS, VOUCH_RC
# and what GNU time measured: ELAPSED (ELAPSED_S in seconds), MAX_RSS_KB (RSS_MIB), USER_S, SYS_S
# and CPU.
bench_run() {
  RESULTS="$DATA/results"
  rm -rf -- "$DATA/vouch-data" "$DATA/out" "$RESULTS"
  mkdir -p "$RESULTS"
  log "running: ./vouch run --config $DATA/vouch.yaml --from $FROM --to $TO --out $DATA/out"
  set +e
  # The GC log gives the peak heap: the most heap in use when a collection began.
  JDK_JAVA_OPTIONS="-Xlog:gc:file=$RESULTS/gc.log ${JDK_JAVA_OPTIONS:-}" \
    "$TIME" -v -o "$RESULTS/time.txt" ./vouch run --config "$DATA/vouch.yaml" \
    --from "$FROM" --to "$TO" --out "$DATA/out" >"$RESULTS/vouch.log" 2>&1
  VOUCH_RC=$?
  set -e
  PEAK_HEAP_MIB="$(grep -oE '[0-9]+M->[0-9]+M\([0-9]+M\)' "$RESULTS/gc.log" 2>/dev/null \
    | awk -F'M' '{ if ($1 > max) max = $1 } END { print (max == "" ? "n/a" : max) }')"
  PHASES="$(sed -n 's/^Time: //p' "$RESULTS/vouch.log" | tail -n 1)"
  tail -n 20 "$RESULTS/vouch.log" >&2 || true

  field() { sed -n "s/^[[:space:]]*$1: //p" "$RESULTS/time.txt" | head -n 1; }
  ELAPSED="$(field 'Elapsed (wall clock) time (h:mm:ss or m:ss)')"
  MAX_RSS_KB="$(field 'Maximum resident set size (kbytes)')"
  USER_S="$(field 'User time (seconds)')"
  SYS_S="$(field 'System time (seconds)')"
  CPU="$(field 'Percent of CPU this job got')"
  ELAPSED_S="$(awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }' <<<"${ELAPSED:-0}")"
  RSS_MIB="$(awk -v k="${MAX_RSS_KB:-0}" 'BEGIN { printf "%.0f", k / 1024 }')"
}

# 5. The verdict check. Sets CHECK_RC and VERDICT: PASS when vouch finished (exit 0 or 1) and every
# verdict is as expected, else FAIL.
bench_check() {
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
}

# The summary, shown and written to $RESULTS/summary.txt. INPUT: the lines that describe the data
# set (labelled and padded like the others); RATES: what follows the elapsed seconds; NOTE: appended
# to the max RSS line.
bench_summary() {
  local input=$1 rates=$2 note=${3:-}
  {
    echo "data set:      $DATA ($PARAMS)"
    printf '%s\n' "$input"
    echo "vouch exit:    $VOUCH_RC (0 = nothing to review, 1 = findings need review, other = failure)"
    echo "elapsed:       $ELAPSED (${ELAPSED_S} s, $rates)"
    echo "cpu:           user ${USER_S} s, system ${SYS_S} s, ${CPU}"
    echo "max RSS:       ${RSS_MIB} MiB (${MAX_RSS_KB} kB)$note"
    echo "peak heap:     ${PEAK_HEAP_MIB} MiB (most heap in use when a collection began)"
    echo "phases:        ${PHASES:-n/a}"
    echo "verdicts:      $(tail -n 1 "$RESULTS/check.txt")"
    echo "result:        $VERDICT"
  } | tee "$RESULTS/summary.txt"
}
