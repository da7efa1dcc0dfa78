#!/usr/bin/env bash
# Benchmark: Vouch against the same reconciliation written as one DuckDB query, over the same
# generated month of organisation-trail CloudTrail files, at 200,000 and 1,000,000 records, so that
# speed, memory and growth can be read side by side. Both answers are checked against the verdict
# every change must get.
#
#   bench/run-cloudtrail-vs-duckdb.sh
#
# Environment (all optional):
#   SIZES="200000 1000000"      records per data set, smallest first
#   FILE_MINUTES=480            time one log file spans (CloudTrail's own is 5; 480 gives about
#                               550 files a month, the shape of a large organisation's trail)
#   MONTH=2026-10 SEED=42 CHANGE_RECORDS=300
#   HEAP=512m                   Vouch's maximum heap (-Xmx), the bound it must stay within
#   DATA_ROOT=bench-data        where the data sets live (bench-data/cloudtrail-org-<records>)
#   REGENERATE=1                regenerate even if a data set with the same parameters exists
#
# Exit status: 0 when, at every size, Vouch finished and both Vouch and DuckDB gave every change
# its expected verdict; 1 otherwise; 2 for a setup problem. The speed targets are reported, not
# enforced: a slower machine does not make the answers wrong.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"   # moves to the repository root

SIZES="${SIZES:-200000 1000000}"
FILE_MINUTES="${FILE_MINUTES:-480}"
MONTH="${MONTH:-2026-10}"
SEED="${SEED:-42}"
CHANGE_RECORDS="${CHANGE_RECORDS:-300}"
HEAP="${HEAP:-512m}"
DATA_ROOT="${DATA_ROOT:-bench-data}"
FROM="$(date -u -d "$MONTH-01" +%Y-%m-%dT00:00:00Z)"
TO="$(date -u -d "$MONTH-01 +1 month" +%Y-%m-%dT00:00:00Z)"
export JDK_JAVA_OPTIONS="-Xmx$HEAP ${JDK_JAVA_OPTIONS:-}"

bench_prepare

ROWS=()
OVERALL=PASS
FIRST_RECORDS=""
FIRST_SECONDS=""
for RECORDS in $SIZES; do
  DATA="$DATA_ROOT/cloudtrail-org-$RECORDS"
  PARAMS="records=$RECORDS month=$MONTH seed=$SEED change-records=$CHANGE_RECORDS"
  PARAMS+=" file-minutes=$FILE_MINUTES"
  bench_data_set CloudTrailMonthGenerator --records "$RECORDS" --month "$MONTH" --seed "$SEED" \
    --change-records "$CHANGE_RECORDS" --file-minutes "$FILE_MINUTES"
  bench_run
  bench_check
  VOUCH_VERDICT=$VERDICT
  VOUCH_S=$ELAPSED_S

  log "running: the same reconciliation as one DuckDB query"
  set +e
  "$TIME" -v -o "$RESULTS/duckdb-time.txt" "$JAVA" -cp "$BENCH_JAR" \
    dev.vouch.bench.DuckDbReconciliation --data "$DATA" --month "$MONTH" >"$RESULTS/duckdb.txt" 2>&1
  DUCK_RC=$?
  set -e
  cat "$RESULTS/duckdb.txt" >&2
  DUCK_S="$(sed -n 's/^duckdb.seconds=//p' "$RESULTS/duckdb.txt")"
  DUCK_RSS_MIB="$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' \
    "$RESULTS/duckdb-time.txt" | awk '{ printf "%.0f", $1 / 1024 }')"
  DUCK_VERDICT=FAIL
  [[ $DUCK_RC -eq 0 ]] && DUCK_VERDICT=PASS

  INPUT="$(summary_value records) records in $(summary_value files) files,"
  INPUT+=" $(mib "$(summary_value bytes.gz)") MiB gzip, $(summary_value class.CHANGE) changes"
  bench_summary "input:         $INPUT" "$(rate "$RECORDS") records/s" " (-Xmx$HEAP)"
  RATIO="$(awk -v d="${DUCK_S:-0}" -v v="$VOUCH_S" 'BEGIN { if (v > 0) printf "%.2f", d / v; else print "n/a" }')"
  ROWS+=("$(printf '%9s  %6s  %8s s  %9s  %6s MiB  %5s MiB  %8s s  %5s MiB  %6s  %s/%s' \
    "$RECORDS" "$(summary_value files)" "$VOUCH_S" "$(rate "$RECORDS")/s" "$PEAK_HEAP_MIB" \
    "$RSS_MIB" "${DUCK_S:-n/a}" "${DUCK_RSS_MIB:-?}" "${RATIO}x" "$VOUCH_VERDICT" "$DUCK_VERDICT")")
  if [[ $VOUCH_VERDICT != PASS || $DUCK_VERDICT != PASS ]]; then
    OVERALL=FAIL
  fi
  if [[ -z $FIRST_RECORDS ]]; then
    FIRST_RECORDS=$RECORDS
    FIRST_SECONDS=$VOUCH_S
  fi
  LAST_RECORDS=$RECORDS
  LAST_SECONDS=$VOUCH_S
done

{
  echo
  echo "Vouch against DuckDB on $(nproc) cores ($(uname -m), $(JDK_JAVA_OPTIONS= "$JAVA" -version 2>&1 | head -n 1))"
  echo "  records   files     vouch     rate       peak heap  RSS       duckdb      duck RSS  duck/vouch  verdicts vouch/duckdb"
  printf '  %s\n' "${ROWS[@]}"
  if [[ $LAST_RECORDS != "$FIRST_RECORDS" ]]; then
    awk -v a="$FIRST_RECORDS" -v b="$LAST_RECORDS" -v ta="$FIRST_SECONDS" -v tb="$LAST_SECONDS" \
      'BEGIN { printf "growth: %.1fx the records took %.2fx the time (linear is %.1fx)\n", b / a, tb / ta, b / a }'
  fi
  echo "(vouch: the whole 'vouch run' process, from JVM start to the last report; duckdb: its query,"
  echo " from connecting to the last row read, without JVM start; duck/vouch above 1 means Vouch was faster)"
  echo "result: $OVERALL"
} | tee "$DATA_ROOT/cloudtrail-vs-duckdb.txt"

[[ $OVERALL == PASS ]]
