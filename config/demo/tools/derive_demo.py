#!/usr/bin/env python3
"""Derives the demo's CloudTrail files from real records in the research corpus.

The records come from DataDog/stratus-red-team (docs/detonation-logs, Apache-2.0) and
cloud-custodian/cloud-custodian (tests/data/cwe, Apache-2.0); see ../NOTICE.md. Each source
file's records keep their content and relative timing; we change only what places them in the
demo: eventTime (shifted into the week of 2026-11-16), the account ids (mapped to the demo's
accounts) and awsRegion.

Besides the records of PLAN, the script writes:
- BACKGROUND: real read-only calls (Describe*/Get*/List*, readOnly true, no errorCode) re-dated
  into every account and region of the demo on every day of the week, as a real trail has them,
  so that Vouch sees every partition deliver data every day. Each is another event than its
  original, so it gets a fresh eventID and requestID (derived from its source and its new place,
  so the output stays deterministic).
- UNREADABLE: one real write copied with its eventID removed, as a broken log shipper would leave
  it (Vouch reports it as UNREADABLE).
- CONFLICTING: one real write delivered twice under one eventID, the second copy with its
  userIdentity.arn altered, as if someone had edited a log file (CONFLICTING_EVIDENCE).

Output is deterministic (gzip mtime 0, fixed random seeds; the files of PLAN are the same as
before the other records were added).

Usage: python3 derive_demo.py /path/to/shared/corpus  (run from config/demo/tools)
"""
import datetime as dt
import gzip
import json
import os
import random
import re
import shutil
import sys
import uuid

PAYMENTS = "111122223333"
DATA = "444455556666"
UNKNOWN = "999988887777"

# source file, anchor (new time of its earliest record), account, region
PLAN = [
    ("stratus-red-team/aws.exfiltration.ec2-security-group-open-port-22-ingress.json", "2026-11-16T10:15:00Z", PAYMENTS, "eu-west-1"),
    ("stratus-red-team/aws.execution.ec2-user-data.json", "2026-11-16T10:30:00Z", PAYMENTS, "eu-west-1"),
    ("stratus-red-team/aws.persistence.lambda-overwrite-code.json", "2026-11-16T14:05:00Z", PAYMENTS, "eu-west-1"),
    ("stratus-red-team/aws.persistence.iam-create-backdoor-role.json", "2026-11-16T19:40:00Z", PAYMENTS, "us-east-1"),
    ("stratus-red-team/aws.execution.ssm-start-session.json", "2026-11-17T11:00:00Z", PAYMENTS, "eu-west-1"),
    ("stratus-red-team/aws.initial-access.console-login-without-mfa.json", "2026-11-17T08:55:00Z", DATA, "us-east-1"),
    ("stratus-red-team/aws.lateral-movement.ec2-serial-console-send-ssh-public-key.json", "2026-11-17T20:10:00Z", PAYMENTS, "eu-west-1"),
    ("stratus-red-team/aws.exfiltration.rds-share-snapshot.json", "2026-11-18T09:12:00Z", DATA, "eu-west-1"),
    ("cloud-custodian/event-cloud-trail-run-instances.json", "2026-11-18T13:20:00Z", PAYMENTS, "eu-west-1"),
    ("cloud-custodian/event-cloud-trail-create-db.json", "2026-11-18T13:45:00Z", PAYMENTS, "eu-west-1"),
    ("stratus-red-team/aws.defense-evasion.vpc-remove-flow-logs.json", "2026-11-19T02:20:00Z", PAYMENTS, "eu-west-1"),
    ("stratus-red-team/aws.execution.ssm-send-command.json", "2026-11-19T06:20:00Z", PAYMENTS, "eu-west-1"),
    ("stratus-red-team/aws.defense-evasion.cloudtrail-event-selectors.json", "2026-11-19T15:00:00Z", UNKNOWN, "eu-west-1"),
    ("stratus-red-team/aws.persistence.iam-create-admin-user.json", "2026-11-20T16:00:00Z", DATA, "us-east-1"),
    ("stratus-red-team/aws.credential-access.ec2-get-password-data.json", "2026-11-20T17:30:00Z", DATA, "eu-west-1"),
    ("stratus-red-team/aws.defense-evasion.cloudtrail-delete.json", "2026-11-21T23:05:00Z", PAYMENTS, "eu-west-1"),
    ("stratus-red-team/aws.defense-evasion.cloudtrail-stop.json", "2026-11-22T01:10:00Z", PAYMENTS, "eu-west-1"),
]

# Background activity: the read-only, successful API calls of these files, cut into bursts of
# BURST consecutive calls (relative timing kept); one burst per account, region and day.
BACKGROUND_SOURCES = [
    "stratus-red-team/aws.execution.ssm-send-command.json",
    "stratus-red-team/aws.credential-access.ec2-steal-instance-credentials.json",
    "stratus-red-team/aws.execution.ssm-start-session.json",
    "stratus-red-team/aws.execution.ec2-user-data.json",
]
BURST = 4
PARTITIONS = [
    (PAYMENTS, "eu-west-1"),
    (PAYMENTS, "us-east-1"),
    (DATA, "eu-west-1"),
    (DATA, "us-east-1"),
    (UNKNOWN, "eu-west-1"),
]
DAYS = ["2026-11-%02d" % d for d in range(16, 23)]
# Bursts placed by hand, so that the records below share a delivery file with them.
BURST_AT = {
    (DATA, "us-east-1", "2026-11-21"): "2026-11-21T10:41:00Z",
    (DATA, "eu-west-1", "2026-11-22"): "2026-11-22T09:33:00Z",
}

# One real write with its eventID removed: source file, new eventTime, account, region.
UNREADABLE = ("stratus-red-team/aws.persistence.iam-backdoor-user.json", "2026-11-21T10:41:04Z", DATA, "us-east-1")

# One real write delivered twice under one eventID: source file, new eventTime, account, region,
# delivery time of the second copy, and the userIdentity.arn written into the second copy.
CONFLICTING = (
    "stratus-red-team/aws.exfiltration.ec2-share-ebs-snapshot.json",
    "2026-11-22T09:33:02Z",
    DATA,
    "eu-west-1",
    "2026-11-22T13:05:00Z",
    "arn:aws:iam::" + DATA + ":user/sam",
)

# The namespace of the demo's fresh eventIDs and requestIDs (uuid5, so they are reproducible).
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://vouch.dev/demo/cloudtrail")

ACCOUNT_RE = re.compile(r"\b\d{12}\b|::0{4,5}:")


def parse(ts):
    return dt.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)


def fmt(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def remap_accounts(value, account):
    if isinstance(value, dict):
        return {k: remap_accounts(v, account) for k, v in value.items()}
    if isinstance(value, list):
        return [remap_accounts(v, account) for v in value]
    if isinstance(value, str):
        return ACCOUNT_RE.sub(lambda m: account if m.group(0).isdigit() else "::" + account + ":", value)
    return value


def records_of(path):
    with open(path) as f:
        data = json.load(f)
    if isinstance(data, list):
        return data
    return data.get("Records", [data])


def place(record, when, account, region):
    """Moves one (already copied) record to its demo time, account and region."""
    record = remap_accounts(record, account)
    record["eventTime"] = fmt(when)
    record["awsRegion"] = region
    record["recipientAccountId"] = account
    if "userIdentity" in record and "accountId" in record["userIdentity"]:
        record["userIdentity"]["accountId"] = account
    return record


def renew_ids(record, source, index):
    """Gives a re-dated copy its own eventID and requestID: it is another event, another call."""
    key = f"{source}#{index}@{record['recipientAccountId']}/{record['awsRegion']}/{record['eventTime']}"
    old_request = record.get("requestID")
    record["eventID"] = str(uuid.uuid5(ID_NAMESPACE, "event:" + key))
    if old_request:
        new_request = str(uuid.uuid5(ID_NAMESPACE, "request:" + key))
        record = replace_text(record, old_request, new_request)
    return record


def replace_text(value, old, new):
    if isinstance(value, dict):
        return {k: replace_text(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [replace_text(v, old, new) for v in value]
    if isinstance(value, str):
        return value.replace(old, new)
    return value


def read_only_calls(records):
    """The successful read-only API calls of a source file, oldest first."""
    calls = [
        r
        for r in records
        if r.get("readOnly") is True
        and not r.get("errorCode")
        and r.get("eventType") == "AwsApiCall"
        and re.match(r"(Describe|Get|List)[A-Z]", r.get("eventName", ""))
    ]
    return sorted(calls, key=lambda r: r["eventTime"])


def delivery(rng, when):
    # CloudTrail delivers about every five minutes: the file is named for its delivery time.
    slot = when.replace(minute=when.minute - when.minute % 5, second=0)
    return slot + dt.timedelta(minutes=5 + rng.randint(0, 4))


def write(out_root, rng, account, region, delivered, records):
    folder = os.path.join(out_root, "AWSLogs", account, "CloudTrail", region, delivered.strftime("%Y/%m/%d"))
    os.makedirs(folder, exist_ok=True)
    unique = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") for _ in range(16))
    name = f"{account}_CloudTrail_{region}_{delivered.strftime('%Y%m%dT%H%MZ')}_{unique}.json.gz"
    records.sort(key=lambda r: r["eventTime"])
    body = json.dumps({"Records": records}, separators=(",", ":")).encode()
    with open(os.path.join(folder, name), "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
            gz.write(body)
    return os.path.join(folder, name)


def background(corpus):
    """One burst of real read-only calls per demo account, region and day; see BACKGROUND_SOURCES."""
    bursts = []
    for source in BACKGROUND_SOURCES:
        calls = read_only_calls(records_of(os.path.join(corpus, "cloudtrail", source)))
        for start in range(0, len(calls) - BURST + 1, BURST):
            bursts.append((source, start, calls[start : start + BURST]))
    slots = [(account, region, day) for day in DAYS for account, region in PARTITIONS]
    if len(bursts) < len(slots):
        raise SystemExit(f"only {len(bursts)} bursts of read-only calls for {len(slots)} partition-days")
    rng = random.Random(20261122)
    placed = {}
    for (account, region, day), (source, start, calls) in zip(slots, bursts):
        anchor = parse(f"{day}T00:00:00Z") + dt.timedelta(seconds=rng.randint(1 * 3600, 21 * 3600))
        if (account, region, day) in BURST_AT:
            anchor = parse(BURST_AT[(account, region, day)])
        earliest = parse(calls[0]["eventTime"])
        records = []
        for offset, call in enumerate(calls):
            record = place(json.loads(json.dumps(call)), anchor + (parse(call["eventTime"]) - earliest), account, region)
            records.append(renew_ids(record, source, start + offset))
        placed[(account, region, day)] = records
    return placed


def main(corpus):
    out_root = os.path.join("..", "cloudtrail")
    shutil.rmtree(out_root, ignore_errors=True)
    rng = random.Random(20261116)
    files = {}
    for source, anchor, account, region in PLAN:
        records = records_of(os.path.join(corpus, "cloudtrail", source))
        times = [parse(r["eventTime"]) for r in records if "eventTime" in r]
        earliest = min(times) if times else None
        for record in records:
            if earliest is not None and "eventTime" in record:
                shifted = parse(anchor) + (parse(record["eventTime"]) - earliest)
            else:
                shifted = parse(anchor)
            record = place(record, shifted, account, region)
            files.setdefault((account, region, delivery(rng, shifted)), []).append(record)
    for (account, region, delivered), records in sorted(files.items()):
        write(out_root, rng, account, region, delivered, records)
    count = sum(len(v) for v in files.values())
    print(f"wrote {count} records in {len(files)} files")

    # Background, unreadable and conflicting records: a random generator of their own, so that
    # the files of PLAN stay as they were.
    rng = random.Random(20261123)
    extra = background(corpus)
    print(f"wrote {sum(len(v) for v in extra.values())} read-only background records in {len(extra)} files")

    source, when, account, region = UNREADABLE
    (original,) = records_of(os.path.join(corpus, "cloudtrail", source))
    broken = renew_ids(place(original, parse(when), account, region), source, 0)
    del broken["eventID"]
    extra[(account, region, when[:10])].append(broken)

    source, when, account, region, again, arn = CONFLICTING
    (original,) = records_of(os.path.join(corpus, "cloudtrail", source))
    first = renew_ids(place(original, parse(when), account, region), source, 0)
    second = json.loads(json.dumps(first))
    second["userIdentity"]["arn"] = arn
    extra[(account, region, when[:10])].append(first)
    conflicting = (account, region, parse(again), second)

    for (account, region, day), records in sorted(extra.items()):
        last = max(parse(r["eventTime"]) for r in records)
        path = os.path.relpath(write(out_root, rng, account, region, delivery(rng, last), records), "..")
        if any(r is broken for r in records):
            index = next(i for i, r in enumerate(records) if r is broken)
            print(f"unreadable record (no eventID) is record {index + 1} of {path}")
        if any(r is first for r in records):
            print(f"conflicting record {first['eventID']}: first copy in {path}")
    account, region, delivered, second = conflicting
    path = os.path.relpath(write(out_root, rng, account, region, delivered, [second]), "..")
    print(f"conflicting record {second['eventID']}: second copy (userIdentity.arn {arn}) in {path}")


if __name__ == "__main__":
    main(sys.argv[1])
