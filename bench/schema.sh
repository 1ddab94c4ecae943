#!/usr/bin/env bash
# Benchmark: `neonops diff` and `neonops drift` at 0 and 20 ms round-trip
# time (a loopback proxy adds the latency and counts round trips), beside
# migra (the peer, from the package index) on the same databases:
#   - Lemmy's real schema at V120 against V247 (a Lemmy-sized diff);
#   - drift of Lemmy's first 250 migrations, replayed on a scratch database;
#   - a synthetic schema of TABLES tables (default 10,000): read and diffed
#     against a copy with 1% of its tables changed; peak memory too.
#
#   bench/schema.sh [RTTS...]      defaults: "0 20"; REPEAT=3 TABLES=10000
#
# Everything runs on loopback against a sandbox of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
RTTS=${*:-0 20}
REPEAT=${REPEAT:-3}
TABLES=${TABLES:-10000}
source bench/common.sh
SB=$WORK/sandbox
"$NEONOPS" sandbox up --dir "$SB" >/dev/null
PORT=$(state port); DIRECT=$(state direct_host); CA=$(state ca_file)
export PGPASSFILE=$SB/pgpass
PSQL=/usr/lib/postgresql/15/bin/psql
ADMIN="host=127.0.0.3 port=$PORT user=cloud_admin dbname=postgres sslmode=verify-ca sslrootcert=$CA"
# Lemmy's set, patched as the trace patches it so that PostgreSQL 15 applies
# all of it (scripts/realworld-pg15.py: subqueries in FROM get an alias).
LEMMY=$WORK/lemmy
cp -r tests/data/realworld/lemmy/migrations "$LEMMY"
python3 scripts/realworld-pg15.py "$LEMMY" >/dev/null

fresh_db() { "$PSQL" "$ADMIN" -qAtc "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1 OWNER neondb_owner" >/dev/null; }
# url DB PORT: the direct URL of DB through PORT (the proxy's, or the server's).
url() { echo "postgresql://neondb_owner@$DIRECT:$2/$1?sslmode=verify-full&sslrootcert=$CA"; }
# libpq DB: a libpq string for DB on the server itself.
libpq() { echo "host=127.0.0.3 port=$PORT user=neondb_owner dbname=$1 sslmode=require"; }

# measure: run a command; print "wall_seconds peak_rss_mb" (wait4's rusage).
measure() {
  python3 - "$@" <<'PY'
import os, subprocess, sys, tempfile, time
errf = tempfile.TemporaryFile()  # a file, not a pipe: a chatty child never blocks
t0 = time.perf_counter()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=errf)
_, status, ru = os.wait4(p.pid, 0)
wall = time.perf_counter() - t0
code = os.waitstatus_to_exitcode(status)
if code == 124:
    print(f"timeout {ru.ru_maxrss / 1024:.0f}")
    sys.exit(0)
errf.seek(0)
err = errf.read().decode(errors="replace")
if "Traceback" in err:  # a Python tool that failed, whatever its exit code
    sys.stderr.write(err)
    sys.exit(3)
if code not in (0, 1, 2):  # migra exits 2 when the schemas differ
    sys.stderr.write(err)
    sys.exit(code)
print(f"{wall:.3f} {ru.ru_maxrss / 1024:.0f}")
PY
}
median() { printf '%s\n' "$@" | sort -g | sed -n "$(( ($# + 1) / 2 ))p"; }

echo "building the schemas (not timed)…" >&2
LAST=$(ls "$LEMMY" | sed -n 's/^V\([0-9]*\)__.*/\1/p' | sort -n | sed -n 250p)
for v in 120 247 "$LAST"; do
  fresh_db "lemmy_$v"
  "$NEONOPS" --resolve "$DIRECT:$PORT:127.0.0.3" migrate --dir "$LEMMY" --target "$v" --direct-url "$(url "lemmy_$v" "$PORT")" >/dev/null
done
mkdir -p "$WORK/lemmy250"
for f in "$LEMMY"/V*__*.sql; do
  n=$(basename "$f" | sed -n 's/^V\([0-9]*\)__.*/\1/p')
  [ "$n" -le "$LAST" ] && cp "$f" "$WORK/lemmy250/"
done
python3 - "$TABLES" > "$WORK/synthetic.sql" <<'PY'
import sys
n = int(sys.argv[1])
print("CREATE TYPE state AS ENUM ('new', 'active', 'closed');")
for i in range(n):
    ref = f", parent_id bigint REFERENCES t{i-1} (id)" if i else ""
    print(f"CREATE TABLE t{i} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, state state NOT NULL DEFAULT 'new', created timestamptz NOT NULL DEFAULT now(), note text{ref});")
    print(f"CREATE INDEX t{i}_name ON t{i} (name);")
    print(f"COMMENT ON TABLE t{i} IS 'table {i}';")
PY
python3 - "$TABLES" > "$WORK/synthetic-changes.sql" <<'PY'
import sys
n = int(sys.argv[1])
for i in range(0, n, 100):
    print(f"ALTER TABLE t{i} ADD COLUMN extra integer DEFAULT 0;")
    print(f"CREATE INDEX t{i}_created ON t{i} (created);")
    print(f"ALTER TABLE t{i} ALTER COLUMN note SET NOT NULL;")
PY
for db in syn_a syn_b; do
  fresh_db "$db"
  "$PSQL" "$(libpq "$db")" -q -v ON_ERROR_STOP=1 -f "$WORK/synthetic.sql" >/dev/null
done
"$PSQL" "$(libpq syn_b)" -q -v ON_ERROR_STOP=1 -f "$WORK/synthetic-changes.sql" >/dev/null

# migra, from the package index, in a virtual environment of its own (its
# URLs say +psycopg2: SQLAlchemy 2 would look for psycopg 3 otherwise).
MIGRA=""
if python3 -m venv "$WORK/venv" >/dev/null 2>&1 \
  && "$WORK/venv/bin/pip" install -q migra psycopg2-binary setuptools >/dev/null 2>&1; then
  MIGRA="$WORK/venv/bin/migra"
else
  echo "migra could not be installed: its rows are left out" >&2
fi

printf '%-44s %6s %10s %8s %12s\n' case rtt_ms median_s rss_mb round_trips
for RTT in $RTTS; do
  PPORT=$(free_port)
  STATS=$WORK/stats-$RTT
  proxy "$PPORT" 127.0.0.3 "$PORT" "$RTT" "$STATS"
  run_case() {
    local name=$1; shift
    local walls=() rss=0 trips=0 w m
    for _ in $(seq 1 "${TIMES:-$REPEAT}"); do
      : > "$STATS"
      read -r w m < <(measure "$@")
      walls+=("$w"); rss=$m
      sleep 0.3 # the proxy writes a connection's count when it closes
      trips=$(awk -F'[= ]' '{s+=$2} END {print s+0}' "$STATS")
    done
    printf '%-44s %6s %10s %8s %12s\n' "$name" "$RTT" "$(median "${walls[@]}")" "$rss" "$trips"
  }
  R="--resolve $DIRECT:$PPORT:127.0.0.1"
  run_case "neonops diff lemmy V120→V247" "$NEONOPS" $R diff --from "$(url lemmy_120 "$PPORT")" --to "$(url lemmy_247 "$PPORT")"
  run_case "neonops diff lemmy V247→V247 (equal)" "$NEONOPS" $R diff --from "$(url lemmy_247 "$PPORT")" --to "$(url lemmy_247 "$PPORT")"
  [ -n "$MIGRA" ] && run_case "migra lemmy V120→V247" "$MIGRA" --unsafe \
    "postgresql+psycopg2://neondb_owner@127.0.0.1:$PPORT/lemmy_120?sslmode=require" \
    "postgresql+psycopg2://neondb_owner@127.0.0.1:$PPORT/lemmy_247?sslmode=require"
  run_case "neonops drift lemmy (250 migrations)" env NEONOPS_SANDBOX_DIR="$SB" "$NEONOPS" $R drift --dir "$WORK/lemmy250" \
    --direct-url "$(url "lemmy_$LAST" "$PPORT")" --scratch-url "$(url postgres "$PPORT" | sed 's/neondb_owner/cloud_admin/')"
  run_case "neonops diff synthetic $TABLES tables" "$NEONOPS" $R diff --from "$(url syn_a "$PPORT")" --to "$(url syn_b "$PPORT")"
  # migra is given 20 minutes, once.
  [ -n "$MIGRA" ] && TIMES=1 run_case "migra synthetic $TABLES tables" timeout 1200 "$MIGRA" --unsafe \
    "postgresql+psycopg2://neondb_owner@127.0.0.1:$PPORT/syn_a?sslmode=require" \
    "postgresql+psycopg2://neondb_owner@127.0.0.1:$PPORT/syn_b?sslmode=require"
  kill "$PROXY_PID"; wait "$PROXY_PID" 2>/dev/null || true
done
