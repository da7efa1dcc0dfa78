#!/usr/bin/env python3
"""Derives the demo's Kubernetes audit log from real audit events in the research corpus.

The events come from falcosecurity/falco (test/trace_files/k8s_audit, Apache-2.0) and
liggitt/audit2rbac (testdata/demo.log, Apache-2.0); see ../NOTICE.md. Each falco event keeps its
content; we change only its timestamps (moved into the week of 2026-11-16, keeping the sub-second
part) so that the demo's change records can cover them.

Background activity: the successful read-only requests (get, list) of audit2rbac's demo.log are
cut into one burst per day of the week (relative timing kept) so that the cluster delivers events
every day, as a real one does. Each is another request than its original, so it gets a fresh
auditID (derived from its source and its new time, so the output stays deterministic); besides
that only its timestamps change. These events predate the GA audit schema (they carry `timestamp`
and `metadata.creationTimestamp`, no `requestReceivedTimestamp`), as the upstream file has them.
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
import uuid

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

# Background activity: the successful read-only events of this file, one burst per day, at these
# times (the first event of each burst).
BACKGROUND_SOURCE = "audit2rbac/demo.log"
BACKGROUND_AT = [
    "2026-11-16T08:12:40",
    "2026-11-17T09:47:05",
    "2026-11-18T07:55:31",
    "2026-11-19T11:20:18",
    "2026-11-20T10:03:52",
    "2026-11-21T09:36:27",
    "2026-11-22T08:51:09",
]
READ_ONLY_VERBS = ("get", "list", "watch")

# The namespace of the demo's fresh auditIDs (uuid5, so they are reproducible).
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://vouch.dev/demo/kubernetes")
TIME_KEYS = ("requestReceivedTimestamp", "stageTimestamp", "timestamp")


def shift(value, delta):
    text = value.rstrip("Z")
    base, _, fraction = text.partition(".")
    moved = dt.datetime.fromisoformat(base) + delta
    return moved.isoformat() + ("." + fraction if fraction else "") + "Z"


def move(event, delta):
    for key in TIME_KEYS:
        if key in event:
            event[key] = shift(event[key], delta)
    if "metadata" in event and "creationTimestamp" in event["metadata"]:
        event["metadata"]["creationTimestamp"] = shift(event["metadata"]["creationTimestamp"], delta)
    return event


def when(event):
    """The time the log backend wrote the event (the legacy schema has only `timestamp`)."""
    return event.get("stageTimestamp") or event["timestamp"]


def background(corpus):
    with open(os.path.join(corpus, "k8s-audit", BACKGROUND_SOURCE)) as f:
        events = [json.loads(line) for line in f if line.strip()]
    reads = [
        e
        for e in events
        if e.get("stage") == "ResponseComplete"
        and e.get("verb") in READ_ONLY_VERBS
        and e.get("responseStatus", {}).get("code", 200) < 400
    ]
    reads.sort(key=when)  # stable: events of one second keep the file's order
    days = len(BACKGROUND_AT)
    moved = []
    start = 0
    for day, anchor in enumerate(BACKGROUND_AT):
        size = len(reads) // days + (1 if day < len(reads) % days else 0)
        burst = reads[start : start + size]
        start += size
        old = dt.datetime.fromisoformat(when(burst[0]).rstrip("Z").partition(".")[0])
        delta = dt.datetime.fromisoformat(anchor) - old
        for event in burst:
            original = event["auditID"]
            event = move(event, delta)
            event["auditID"] = str(uuid.uuid5(ID_NAMESPACE, f"{BACKGROUND_SOURCE}#{original}@{when(event)}"))
            moved.append(event)
    return moved


def main(corpus):
    out = os.path.join("..", "kubernetes")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    events = []
    for name, new_time in PLAN:
        with open(os.path.join(corpus, "k8s-audit", "falco", name)) as f:
            event = json.loads(f.readline())
        old = dt.datetime.fromisoformat(event["stageTimestamp"].rstrip("Z").partition(".")[0])
        events.append(move(event, dt.datetime.fromisoformat(new_time) - old))
    reads = background(corpus)
    print(f"{len(reads)} read-only background events from {BACKGROUND_SOURCE}")
    events.extend(reads)
    events.sort(key=when)
    rotated = [e for e in events if when(e) < ROTATED_BEFORE]
    live = [e for e in events if when(e) >= ROTATED_BEFORE]
    lines = lambda es: "".join(json.dumps(e, separators=(",", ":")) + "\n" for e in es).encode()
    with open(os.path.join(out, "audit-2026-11-19T00-00-00.000.log.gz"), "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
            gz.write(lines(rotated))
    with open(os.path.join(out, "audit.log"), "wb") as f:
        f.write(lines(live))
    print(f"wrote {len(rotated)} rotated and {len(live)} live events")


if __name__ == "__main__":
    main(sys.argv[1])
