#!/usr/bin/env python3
"""The real-world figures as Markdown, from what scripts/realworld measured."""
import collections
import json
import os
import statistics
import sys

out = sys.argv[1]


def times(name):
    rows = [l.split() for l in open(os.path.join(out, name)) if l.strip() and l.split()[0][0].isdigit()]
    return statistics.median(float(r[0]) for r in rows), statistics.median(int(r[1]) for r in rows) / 1024


n = json.load(open(os.path.join(out, "neonops.json")))
s = json.load(open(os.path.join(out, "squawk.json")))
t = json.load(open(os.path.join(out, "trace.json")))["trace"]["statements"]
nt, nm = times("time.txt")
st, sm = times("squawk-time.txt")
summary = n["summary"]
print(f"Set: {summary['files']} files, {summary['statements']} statements (Lemmy, tests/data/realworld/lemmy).\n")
print("| | neonops lint --offline | squawk 2.66.0 |")
print("|---|---|---|")
print(f"| findings | {len(n['findings'])} ({summary['errors']} error, {summary['warnings']} warning, {summary['info']} info) | {len(s)} |")
print(f"| files flagged | {len({f['file'] for f in n['findings']})} | {len({f['file'] for f in s})} |")
print(f"| time (median of 7, whole process) | {nt:.2f} s | {st:.2f} s |")
print(f"| peak memory | {nm:.0f} MB | {sm:.0f} MB |")
print("\nneonops, per rule:\n")
print("| rule | error | warning | info |")
print("|---|---|---|---|")
per = collections.defaultdict(collections.Counter)
for f in n["findings"]:
    per[f["rule"]][f["severity"]] += 1
for rule, c in sorted(per.items(), key=lambda x: -sum(x[1].values())):
    print(f"| {rule} | {c['error']} | {c['warning']} | {c['info']} |")
print("\nsquawk, per rule:\n")
print("| rule | findings |")
print("|---|---|")
for rule, c in collections.Counter(f["rule_name"] for f in s).most_common():
    print(f"| {rule} | {c} |")
traced = [x for x in t if not (x["note"] or "").startswith("not traced")]
bad = [x for x in t if not x["agrees"]]
print(f"\nTrace on PostgreSQL 15: {len(traced)} of {len(t)} statements traced, {len(bad)} disagree with the static claims.\n")
for x in bad:
    print(f"- {os.path.basename(x['file'])}:{x['line']} `{x['statement'][:70]}`: {x['note']}")
