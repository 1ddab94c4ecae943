#!/usr/bin/env python3
"""Vendor sqldef's PostgreSQL test cases (MIT) as before/after schemas for
tests/it/suite.rs: `cases/<file>/<case>/a.sql` (sqldef's `current`) and
`b.sql` (its `desired`). Usage: vendor-sqldef.py <sqldef checkout> <out dir>.

Left out, counted in the README: cases that expect an error (their desired
schema is wrong on purpose), that need another server version, the pgvector
flavour, or a login as another user. Nothing else is chosen or edited: the
SQL is copied as sqldef's harness hands it to PostgreSQL."""
import collections
import glob
import os
import re
import sys

import yaml

src, out = sys.argv[1], sys.argv[2]
files = sorted(glob.glob(f"{src}/cmd/psqldef/tests*.yml")) + [f"{src}/database/postgres/tests.yml"]
left = collections.Counter()
kept = 0


def version(v):
    return tuple(int(x) for x in str(v).split("."))


for path in files:
    stem = os.path.splitext(os.path.basename(path))[0]
    if "database/postgres" in path:
        stem = "postgres_" + stem
    cases = yaml.safe_load(open(path)) or {}
    for name, case in cases.items():
        if not isinstance(case, dict):
            continue
        if "error" in case:
            left["expects an error"] += 1
            continue
        if "min_version" in case and version(case["min_version"]) > (15,):
            left["needs PostgreSQL newer than 15"] += 1
            continue
        if "max_version" in case and version(case["max_version"]) < (15,):
            left["needs PostgreSQL older than 15"] += 1
            continue
        if str(case.get("flavor", "")).lstrip("!") == "pgvector" and not str(case["flavor"]).startswith("!"):
            left["needs pgvector"] += 1
            continue
        if "user" in case:
            left["runs as another user"] += 1
            continue
        d = os.path.join(out, stem, re.sub(r"[^A-Za-z0-9_.-]", "_", name))
        os.makedirs(d, exist_ok=True)
        open(os.path.join(d, "a.sql"), "w").write(case.get("current") or "")
        open(os.path.join(d, "b.sql"), "w").write(case.get("desired") or "")
        kept += 1
print(f"{kept} cases kept", file=sys.stderr)
for why, n in sorted(left.items()):
    print(f"{n} left out: {why}", file=sys.stderr)
