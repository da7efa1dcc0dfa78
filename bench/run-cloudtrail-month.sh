#!/usr/bin/env bash
# Benchmark: reconcile one generated month of organisation-trail CloudTrail logs against its change
# log with `vouch run`, measure wall-clock time and peak memory, then check every verdict.
#
#   bench/run-cloudtrail-month.sh
#
# Environment (all optional):
#   RECORDS=200000  MONTH=2026-10  SEED=42  CHANGE_RECORDS=300   the data set to generate
#   DATA_DIR=bench-data/cloudtrail-month                       where it lives (repo-root relative)
#   REGENERATE=1                  regenerate even if a data set with the same parameters exists
#   JAVA_TOOL_OPTIONS=-Xmx512m    JVM options for vouch (and the bench tools), e.g. a heap cap
#
# Exit status: 0 when vouch finished (exit 0 or 1, 1 meaning "findings need review") and every
# verdict is as expected; 1 otherwise; 2 for a setup problem.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"   # moves to the repository root

RECORDS="${RECORDS:-200000}"
MONTH="${MONTH:-2026-10}"
SEED="${SEED:-42}"
CHANGE_RECORDS="${CHANGE_RECORDS:-300}"
DATA="${DATA_DIR:-bench-data/cloudtrail-month}"
PARAMS="records=$RECORDS month=$MONTH seed=$SEED change-records=$CHANGE_RECORDS"
FROM="$(date -u -d "$MONTH-01" +%Y-%m-%dT00:00:00Z)"
TO="$(date -u -d "$MONTH-01 +1 month" +%Y-%m-%dT00:00:00Z)"

bench_prepare
bench_data_set CloudTrailMonthGenerator \
  --records "$RECORDS" --month "$MONTH" --seed "$SEED" --change-records "$CHANGE_RECORDS"
bench_run
RATE="$(rate "$RECORDS")"
bench_check

INPUT="$(summary_value records) records in $(summary_value files) files,"
INPUT+=" $(mib "$(summary_value bytes.gz)") MiB gzip ($(du -sh "$DATA/cloudtrail" | cut -f1) on disk),"
INPUT+=" $(summary_value class.CHANGE) changes"
bench_summary "input:         $INPUT" "${RATE} records/s"

[[ $VERDICT == PASS ]]
