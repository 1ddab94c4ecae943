#!/usr/bin/env python3
"""Patch a copy of the Lemmy set so that PostgreSQL 15 (the sandbox's) can
apply all of it, for the trace only (the lint reads the files unchanged):
- a subquery in FROM gets an alias (optional only from PostgreSQL 16);
- Diesel's own history table exists (a trigger of the set uses it);
- DISABLE/ENABLE TRIGGER ALL becomes USER (ALL needs a superuser's
  system triggers; the set runs as one, the trace need not)."""
import glob
import re
import sys

d = sys.argv[1]
subquery = re.compile(r"\bFROM\s*\(\s*(SELECT|VALUES|WITH)\b", re.I)
follows_alias = re.compile(r"\s*(AS\b|(?!(WHERE|GROUP|ORDER|LIMIT|JOIN|LEFT|INNER|ON)\b)[a-z_][a-z0-9_]*\b)", re.I)
n = 0
for path in sorted(glob.glob(f"{d}/*.sql")):
    s = open(path).read()
    out, i = "", 0
    while (m := subquery.search(s, i)):
        j = s.index("(", m.start())
        depth = 0
        while j < len(s):
            depth += {"(": 1, ")": -1}.get(s[j], 0)
            if depth == 0:
                break
            j += 1
        out += s[i : j + 1]
        if not follows_alias.match(s[j + 1 : j + 60]):
            out += f" AS pg15_{n}"
            n += 1
        i = j + 1
    out += s[i:]
    out = re.sub(r"\b(DISABLE|ENABLE) TRIGGER ALL\b", r"\1 TRIGGER USER", out)
    if path.endswith("/V1__diesel_initial_setup.sql"):
        out += "\nCREATE TABLE IF NOT EXISTS __diesel_schema_migrations (version varchar(50) PRIMARY KEY, run_on timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP);\n"
    open(path, "w").write(out)
print(f"{n} subquery alias(es) added", file=sys.stderr)
