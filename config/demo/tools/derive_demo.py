#!/usr/bin/env python3
"""Derives the demo's CloudTrail files from real records in the research corpus.

The records come from DataDog/stratus-red-team (docs/detonation-logs, Apache-2.0) and
cloud-custodian/cloud-custodian (tests/data/cwe, Apache-2.0); see ../NOTICE.md. Each source
file's records keep their content and relative timing; we change only what places them in the
demo: eventTime (shifted into the week of 2026-11-16), the account ids (mapped to the demo's
accounts) and awsRegion. Output is deterministic (gzip mtime 0, fixed random seed).

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
            record = remap_accounts(record, account)
            if earliest is not None and "eventTime" in record:
                shifted = parse(anchor) + (parse(record["eventTime"]) - earliest)
            else:
                shifted = parse(anchor)
            record["eventTime"] = fmt(shifted)
            record["awsRegion"] = region
            record["recipientAccountId"] = account
            if "userIdentity" in record and "accountId" in record["userIdentity"]:
                record["userIdentity"]["accountId"] = account
            # CloudTrail delivers about every five minutes: the file is named for its delivery time.
            slot = shifted.replace(minute=shifted.minute - shifted.minute % 5, second=0)
            delivered = slot + dt.timedelta(minutes=5 + rng.randint(0, 4))
            files.setdefault((account, region, delivered), []).append(record)
    for (account, region, delivered), records in sorted(files.items()):
        folder = os.path.join(out_root, "AWSLogs", account, "CloudTrail", region, delivered.strftime("%Y/%m/%d"))
        os.makedirs(folder, exist_ok=True)
        unique = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") for _ in range(16))
        name = f"{account}_CloudTrail_{region}_{delivered.strftime('%Y%m%dT%H%MZ')}_{unique}.json.gz"
        records.sort(key=lambda r: r["eventTime"])
        body = json.dumps({"Records": records}, separators=(",", ":")).encode()
        with open(os.path.join(folder, name), "wb") as raw:
            with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
                gz.write(body)
    print(f"wrote {sum(len(v) for v in files.values())} records in {len(files)} files")


if __name__ == "__main__":
    main(sys.argv[1])
