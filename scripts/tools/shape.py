#!/usr/bin/env python3
"""The shape rules scripts/test holds the tree to (issue 31), in each crate
of the workspace (`shape.py src crates/core/src crates/sandbox/src`; paths
below are relative to a crate's src):

- no import circle between modules (a module's use of its own parent or
  children is not a circle; siblings and cousins that use each other are);
- no println!/eprintln!/print!/eprint!, nor a write to stdout(), outside
  src/output.rs and src/main.rs;
- no Result<_, String> outside src/cli.rs (clap's value parsers);
- SQLSTATE codes (five characters, a digit first) only in
  src/connect/sqlstate.rs;
- no function longer than 120 lines, but a table-driven test and a lexer
  (LONG_ALLOWED).

Code under #[cfg(test)] is not held to the last three. `--self-test` checks
that each rule catches what it is for.
"""
import os
import re
import sys
import tempfile

PRINT = re.compile(r"\b(println|eprintln|print|eprint)!\s*\(|\bstdout\(\)")
SQLSTATE = re.compile(r'"[0-9][0-9A-Z]{4}"')
# A SQLSTATE-looking literal that is not one: none known yet.
ALLOWED_SQLSTATE_FILES = {"connect/sqlstate.rs"}


MAX_FN_LINES = 120
# One table of cases, one lexer's state machine: long, and one thing each.
LONG_ALLOWED = {
    ("lint/tests.rs", "every_rule_fires_and_its_safe_form_does_not"),
    ("endpoint/parse.rs", "lex_uri"),
}
FN = re.compile(r"^(\s*)(pub(\([^)]*\))?\s+)?(async\s+)?(const\s+)?(unsafe\s+)?fn\s+(\w+)")


def long_functions(text):
    """(line, name, length) of each function longer than MAX_FN_LINES: from
    its `fn` line to the `}` at its indentation."""
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines):
        m = FN.match(line)
        if not m:
            continue
        j = i
        while j < len(lines) and not lines[j].rstrip().endswith(("{", ";")):
            j += 1
        if j == len(lines) or lines[j].rstrip().endswith(";"):
            continue  # a declaration without a body
        end = next((k for k in range(j + 1, len(lines)) if lines[k] == m.group(1) + "}"), None)
        if end is not None and end - i + 1 > MAX_FN_LINES:
            out.append((i + 1, m.group(7), end - i + 1))
    return out


def string_error(code):
    """A `Result<T, String>`: its last type argument, at the top level, is String."""
    for m in re.finditer(r"\bResult<", code):
        depth, args, cur = 1, [], ""
        for c in code[m.end():]:
            if c == "<":
                depth += 1
            elif c == ">":
                depth -= 1
                if depth == 0:
                    args.append(cur.strip())
                    break
            elif c == "," and depth == 1:
                args.append(cur.strip())
                cur = ""
                continue
            cur += c
        if len(args) == 2 and args[1] == "String":
            return True
    return False


def modules(root):
    mods = {}
    for d, _, fs in os.walk(root):
        for f in fs:
            if not f.endswith(".rs"):
                continue
            p = os.path.join(d, f)
            rel = os.path.relpath(p, root)[:-3].split(os.sep)
            if rel == ["main"]:
                continue  # the binary's root: a crate of its own
            if rel[-1] in ("mod", "lib"):
                rel = rel[:-1]
            mods[tuple(rel)] = p
    return mods


def without_tests(text):
    """The text before its test module (`#[cfg(test)] mod …`, last in a file)."""
    m = re.search(r"#\[cfg\(test\)\]\s*(pub(\([^)]*\))?\s+)?mod\s", text)
    return text if m is None else text[: m.start()]


def use_paths(text):
    out = []
    for m in re.finditer(r"\buse\s+([^;]+);", text, re.S):
        tree = re.sub(r"\s+", "", m.group(1))

        def rec(prefix, t):
            depth, cur, parts = 0, "", []
            for c in t:
                if c == "{":
                    depth += 1
                if c == "}":
                    depth -= 1
                if c == "," and depth == 0:
                    parts.append(cur)
                    cur = ""
                else:
                    cur += c
            if cur:
                parts.append(cur)
            for p in parts:
                if "{" in p:
                    i = p.index("{")
                    rec(prefix + p[:i], p[i + 1 : -1])
                else:
                    out.append(prefix + p)

        rec("", tree)
    return out + re.findall(r"\b(?:crate|super)(?:::\w+)+", text)


def edges(mods):
    g = {m: set() for m in mods}
    for mod, p in mods.items():
        text = without_tests(open(p, encoding="utf-8").read())
        for path in use_paths(text):
            segs = path.split(" as ")[0].split("::")
            if segs[0] == "crate":
                full = segs[1:]
            elif segs[0] == "super":
                base = list(mod[:-1])
                segs = segs[1:]
                while segs and segs[0] == "super":
                    base, segs = base[:-1], segs[1:]
                full = base + segs
            elif segs[0] == "self":
                full = list(mod) + segs[1:]
            else:
                continue
            for k in range(len(full), 0, -1):
                target = tuple(full[:k])
                if target in mods:
                    # Parent and child are one room: not an edge.
                    if target != mod and mod[: len(target)] != target and target[: len(mod)] != mod:
                        g[mod].add(target)
                    break
    return g


def circles(g):
    index, low, stack, on, found = {}, {}, [], set(), []
    counter = [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in g[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in g:
        if v not in index:
            visit(v)
    return found


def check(root):
    problems = []
    mods = modules(root)
    for comp in circles(edges(mods)):
        problems.append("import circle: " + " <-> ".join("::".join(m) for m in comp))
    for mod, p in sorted(mods.items()):
        rel = os.path.relpath(p, root)
        for n, name, length in long_functions(open(p, encoding="utf-8").read()):
            if (rel, name) not in LONG_ALLOWED:
                problems.append(f"{rel}:{n}: fn {name} is {length} lines (over {MAX_FN_LINES}): split it where it is two things")
        text = without_tests(open(p, encoding="utf-8").read())
        for n, line in enumerate(text.split("\n"), 1):
            code = line.split("//")[0]
            if rel not in ("output.rs", "main.rs") and PRINT.search(code):
                problems.append(f"{rel}:{n}: printing outside the output module: {line.strip()}")
            if rel != "cli.rs" and string_error(code):
                problems.append(f"{rel}:{n}: Result<_, String> outside clap's parsers: {line.strip()}")
            if rel not in ALLOWED_SQLSTATE_FILES and SQLSTATE.search(code):
                problems.append(f"{rel}:{n}: a SQLSTATE literal outside connect/sqlstate.rs: {line.strip()}")
    return problems


def self_test():
    with tempfile.TemporaryDirectory() as d:
        files = {
            "lib.rs": "pub mod a;\npub mod b;\n",
            "a.rs": "use crate::b::f;\npub fn g() { println!(\"x\"); }\n",
            "b.rs": "use super::a::g;\npub fn f() -> Result<(), String> { if \"55P03\" == \"\" {} Ok(()) }\n"
            "pub fn h() -> Result<std::collections::BTreeMap<String, String>, E> { todo!() }\n"
            "#[cfg(test)]\nfn hook() {}\npub fn late() { eprintln!(\"after a test hook\"); }\n"
            "pub fn raw() { let _ = std::io::stdout(); }\n"
            "#[cfg(test)]\nmod tests { fn t() { println!(\"fine in a test\"); } }\n",
            "c.rs": "pub fn long() {\n" + "    let _ = 1;\n" * 120 + "}\npub fn short() {\n}\n",
        }
        for name, text in files.items():
            with open(os.path.join(d, name), "w") as f:
                f.write(text)
        got = check(d)
        want = [
            "import circle",
            "a.rs:2: printing",
            "b.rs:2: Result<_, String>",
            "b.rs:2: a SQLSTATE",
            "b.rs:6: printing",
            "b.rs:7: printing",
            "c.rs:1: fn long is 122 lines",
        ]
        for w in want:
            assert any(w in p for p in got), f"the rule for {w!r} caught nothing: {got}"
        assert len(got) == len(want), f"more than was planted: {got}"
    print("shape.py self-test: every rule catches what it is for")


if __name__ == "__main__":
    if "--self-test" in sys.argv:
        self_test()
        sys.exit(0)
    roots = sys.argv[1:] or ["src"]
    problems = [f"{root}: {p}" for root in roots for p in check(root)]
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"shape: {len(problems)} problem(s) in {' '.join(roots)}", file=sys.stderr)
        sys.exit(1)
    print(f"shape: {' '.join(roots)} hold (no import circle; printing, Result<_, String> and SQLSTATE codes in their places; no function over 120 lines)")
