#!/usr/bin/env python3
"""Derives the demo's Kubernetes audit log from real audit events in the research corpus.

The events come from falcosecurity/falco (test/trace_files/k8s_audit, Apache-2.0); see
../NOTICE.md. Each event keeps its content; we change only its timestamps (moved into the week
of 2026-11-16, keeping the sub-second part) so that the demo's change records can cover them.
Output: ../kubernetes/audit-2026-11-19T00-00-00.000.log.gz (rotated, gzip) and
../kubernetes/audit.log (live), as kube-apiserver's log backend writes them.

Usage: python3 derive_k8s_demo.py /path/to/shared/corpus  (run from config/demo/tools)
"""
import datetime as dt
import gzip
import json
import os
import shutil
import sys

# falco sample file -> new time of its (single) event
PLAN = [
    ("create_deployment.json", "2026-11-17T13:07:36"),
    ("create_service.json", "2026-11-17T13:12:04"),
    ("create_configmap.json", "2026-11-17T13:13:03"),
    ("create_serviceaccount.json", "2026-11-17T13:19:22"),
    ("attach_cluster_admin_role.json", "2026-11-17T16:40:12"),
    ("create_secret.json", "2026-11-18T10:15:05"),
    ("delete_secret.json", "2026-11-18T10:17:49"),
    ("delete_deployment.json", "2026-11-19T09:09:27"),
    ("delete_service.json", "2026-11-19T09:11:02"),
    ("create_kube_system_secret.json", "2026-11-20T02:10:49"),
    ("anonymous_creates_namespace_foo.json", "2026-11-20T03:00:49"),
    ("create_nginx_pod_privileged.json", "2026-11-20T08:09:12"),
    ("create_nginx_pod_hostnetwork.json", "2026-11-20T08:09:28"),
    ("create_nginx_pod_sensitive_mount.json", "2026-11-20T08:11:11"),
    ("create_service_account_token_secret.json", "2026-11-20T08:32:29"),
    ("create_nginx_pod_unsensitive_mount.json", "2026-11-20T08:44:08"),
    ("create_clusterrole.json", "2026-11-21T01:25:18"),
    ("delete_clusterrole.json", "2026-11-21T01:25:37"),
    ("delete_clusterrolebinding.json", "2026-11-21T01:25:47"),
]
ROTATED_BEFORE = "2026-11-19T00:00:00"


def shift(value, delta):
    text = value.rstrip("Z")
    base, _, fraction = text.partition(".")
    moved = dt.datetime.fromisoformat(base) + delta
    return moved.isoformat() + ("." + fraction if fraction else "") + "Z"


def main(corpus):
    out = os.path.join("..", "kubernetes")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    events = []
    for name, new_time in PLAN:
        with open(os.path.join(corpus, "k8s-audit", "falco", name)) as f:
            event = json.loads(f.readline())
        old = dt.datetime.fromisoformat(event["stageTimestamp"].rstrip("Z").partition(".")[0])
        delta = dt.datetime.fromisoformat(new_time) - old
        for key in ("requestReceivedTimestamp", "stageTimestamp", "timestamp"):
            if key in event:
                event[key] = shift(event[key], delta)
        if "metadata" in event and "creationTimestamp" in event["metadata"]:
            event["metadata"]["creationTimestamp"] = shift(event["metadata"]["creationTimestamp"], delta)
        events.append(event)
    events.sort(key=lambda e: e["stageTimestamp"])
    rotated = [e for e in events if e["stageTimestamp"] < ROTATED_BEFORE]
    live = [e for e in events if e["stageTimestamp"] >= ROTATED_BEFORE]
    lines = lambda es: "".join(json.dumps(e, separators=(",", ":")) + "\n" for e in es).encode()
    with open(os.path.join(out, "audit-2026-11-19T00-00-00.000.log.gz"), "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
            gz.write(lines(rotated))
    with open(os.path.join(out, "audit.log"), "wb") as f:
        f.write(lines(live))
    print(f"wrote {len(rotated)} rotated and {len(live)} live events")


if __name__ == "__main__":
    main(sys.argv[1])
