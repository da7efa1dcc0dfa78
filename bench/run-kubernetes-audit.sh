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

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"   # moves to the repository root

EVENTS="${EVENTS:-1000000}"
START="${START:-2026-10-01T00:00:00Z}"
DAYS="${DAYS:-30}"
SEED="${SEED:-42}"
CHANGE_RECORDS="${CHANGE_RECORDS:-200}"
MAX_SIZE_MB="${MAX_SIZE_MB:-50}"
DATA="${DATA_DIR:-bench-data/k8s-audit}"
PARAMS="events=$EVENTS start=$START days=$DAYS seed=$SEED change-records=$CHANGE_RECORDS max-size-mb=$MAX_SIZE_MB"

bench_prepare
bench_data_set KubernetesAuditGenerator \
  --events "$EVENTS" --start "$START" --days "$DAYS" --seed "$SEED" \
  --change-records "$CHANGE_RECORDS" --max-size-mb "$MAX_SIZE_MB"
FROM="$(summary_value from)"
TO="$(summary_value to)"
bench_run
REQUESTS="$(summary_value requests)"
RATE="$(rate "$EVENTS")"
REQUEST_RATE="$(rate "$REQUESTS")"
bench_check   # eventID = auditID

INPUT="$(summary_value events) audit events ($REQUESTS requests) in $(summary_value files) files"
INPUT+=" ($(summary_value files.gz) gzip), $(mib "$(summary_value bytes)") MiB of JSON lines,"
INPUT+=" $(mib "$(summary_value bytes.disk)") MiB on disk, $(summary_value class.CHANGE) changes"
bench_summary "input:         $INPUT"$'\n'"window:        $FROM .. $TO" \
  "${RATE} events/s, ${REQUEST_RATE} requests/s" \
  "${JAVA_TOOL_OPTIONS:+ with JAVA_TOOL_OPTIONS=$JAVA_TOOL_OPTIONS}"

[[ $VERDICT == PASS ]]
