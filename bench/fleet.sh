#!/usr/bin/env bash
# Benchmark: `neonops fleet migrate` on N tenant databases with 5 pending
# migrations each, through a loopback proxy that adds RTT ms and counts
# round trips, against a sequential loop of `neonops migrate` (on LOOP_N
# other tenants, extrapolated to N), on a sandbox of its own. Then the
# budget on a small server (max_connections 50) and the peak RSS for N and
# for 10,000 cheap targets (databases that do not exist: each is one failed
# login, so the scheduler and the report carry 10,000 results).
#
#   bench/fleet.sh [N] [RTT]      defaults: 1000 20; LOOP_N (default 100),
#                                 FLOOR_N (default 300)
#
# It also prints the CPU the server and the proxy spent per tenant: on a
# small machine they, not neonops, set the floor; and the server's CPU for
# the bare work of a fresh tenant sent by psql, with the bound it sets on
# any client's speed-up over the loop. BENCH_TMP (default /tmp)
# holds the sandboxes (see bench/common.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
RTT=${2:-20}
LOOP_N=${LOOP_N:-100}
FLOOR_N=${FLOOR_N:-300}
source bench/common.sh
mkdir -p "$WORK/migrations"
for i in 1 2 3 4 5; do
  printf 'CREATE TABLE t%d (id bigint PRIMARY KEY, v text);\nINSERT INTO t%d VALUES (1, %s);\n' "$i" "$i" "'x'" > "$WORK/migrations/V${i}__t$i.sql"
done

# start NAME [sandbox up flags…]: a sandbox, a proxy in front of its direct endpoint.
start() {
  local sb=$WORK/sb-$1; shift
  "$NEONOPS" sandbox up --dir "$sb" "$@" >/dev/null
  SB=$sb
  PORT=$(state port); DIRECT=$(state direct_host); CA=$(state ca_file); ROLE=$(state role); ADMIN_ROLE=$(state admin_role)
  export PGPASSFILE=$SB/pgpass
  ADMIN="host=127.0.0.3 port=$PORT user=$ADMIN_ROLE dbname=postgres sslmode=verify-ca sslrootcert=$CA"
  PPORT=$(free_port)
  STATS=$WORK/stats-$(basename "$sb")
  proxy "$PPORT" 127.0.0.3 "$PORT" "$RTT" "$STATS"
  RESOLVE="$DIRECT:$PPORT:127.0.0.1"
}
# tenants PREFIX COUNT FILE: create the databases and list their URLs.
tenants() {
  local prefix=$1 count=$2 file=$3
  : > "$file"
  for i in $(seq -w 1 "$count"); do
    echo "CREATE DATABASE ${prefix}_$i OWNER $ROLE;"
    echo "postgresql://$ROLE@$DIRECT:$PPORT/${prefix}_$i?sslmode=verify-full&sslrootcert=$CA" >> "$file"
  done | psql "$ADMIN" -q >/dev/null
}
# cpu_ms PID: CPU time of a process and of its waited-for children (a
# postmaster's backends), in ms.
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{print int(($14+$15+$16+$17)*1000/hz)}' "/proc/$1/stat"; }
# drop FILE [KEEP]: drop the tenants of a targets file but the first KEEP
# (their space matters when BENCH_TMP is a tmpfs: ~7.5 MB per database).
drop() {
  tail -n +"$(( ${2:-0} + 1 ))" "$1" | sed -E 's#.*/([a-z]+_[0-9]+)\?.*#DROP DATABASE \1;#' | psql "$ADMIN" -q >/dev/null
}
# timed LABEL COMMAND…: wall seconds and peak RSS (MB) of one run.
timed() {
  local label=$1; shift
  /usr/bin/time -f "%e %M %U %S" -o "$WORK/time" "$@" > "$WORK/out.json" 2> "$WORK/err" || true
  read -r secs kb user sys < <(tail -1 "$WORK/time")
  printf '%-58s %9s s %8.0f MB %7.2f s CPU\n' "$label" "$secs" "$(echo "$kb / 1024" | bc -l)" "$(echo "$user + $sys" | bc -l)"
}
summary() {
  python3 - "$WORK/out.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
s = r["summary"]; v = r["servers"][0]; l = v["limits"] or {}
print(f"    {s['ok']} ok, {s['failed']} failed, {s['skipped']} not started, {s['applied']} migrations applied; "
      f"max_connections {l.get('max_connections')}, in use {l.get('in_use')}, budget {v['budget']}, peak {v['peak']}, "
      f"too-many-clients rereads {v['rereads']}")
errs = {}
for t in r["targets"]:
    if t["error"]:
        errs[t["error"]["kind"]] = errs.get(t["error"]["kind"], 0) + 1
if errs: print(f"    errors by kind: {errs}")
PY
}

echo "== $N tenants, 5 pending migrations each, ${RTT} ms RTT (default sandbox: max_connections 104)"
start main
tenants fleet "$N" "$WORK/fleet.txt"
sleep 2  # the CREATE DATABASE backends are gone (their CPU is not counted)
PM=$(head -1 "$SB/pgdata/postmaster.pid"); PROXY=$PROXY_PID
S0=$(cpu_ms "$PM"); P0=$(cpu_ms "$PROXY")
timed "neonops fleet migrate ($N tenants, defaults)" \
  "$NEONOPS" --resolve "$RESOLVE" --json fleet migrate --dir "$WORK/migrations" --targets "$WORK/fleet.txt"
S1=$(cpu_ms "$PM"); P1=$(cpu_ms "$PROXY")
summary
FLEET_S=$secs
python3 - "$N" "$((S1 - S0))" "$((P1 - P0))" "$(nproc)" <<'PY'
import sys
n, server, proxy, cores = (int(a) for a in sys.argv[1:])
print(f"    CPU per tenant: server {server / n:.1f} ms, latency proxy {proxy / n:.1f} ms; the server alone needs "
      f"{server / 1000:.1f} s of CPU: >= {server / 1000 / cores:.1f} s of wall on this machine's {cores} cores "
      f"(server + proxy: >= {(server + proxy) / 1000 / cores:.1f} s)")
PY
timed "neonops fleet status ($N tenants, nothing pending)" \
  "$NEONOPS" --resolve "$RESOLVE" --json fleet status --exit-code --dir "$WORK/migrations" --targets "$WORK/fleet.txt"
summary
drop "$WORK/fleet.txt" 1
# The same on N other fresh tenants with more connections at once (the
# default, 32, leaves most of a small compute's slots to the application).
tenants wide "$N" "$WORK/wide.txt"
timed "neonops fleet migrate ($N other tenants, --concurrency 64)" \
  "$NEONOPS" --resolve "$RESOLVE" --json fleet migrate --concurrency 64 --dir "$WORK/migrations" --targets "$WORK/wide.txt"
summary
WIDE_S=$secs
drop "$WORK/wide.txt"
# Tenants that have been used before (as an application's are): each
# database's first connection, which builds its catalog cache file, is made
# by an untimed `fleet status`.
tenants warm "$N" "$WORK/warm.txt"
"$NEONOPS" --resolve "$RESOLVE" fleet status --dir "$WORK/migrations" --targets "$WORK/warm.txt" >/dev/null 2>&1 || true
timed "neonops fleet migrate ($N tenants used before, defaults)" \
  "$NEONOPS" --resolve "$RESOLVE" --json fleet migrate --dir "$WORK/migrations" --targets "$WORK/warm.txt"
summary
WARM_S=$secs
drop "$WORK/warm.txt"
tenants loop "$LOOP_N" "$WORK/loop.txt"
sleep 2
S0=$(cpu_ms "$PM"); t0=$(date +%s.%N)
while read -r url; do
  "$NEONOPS" --resolve "$RESOLVE" migrate --dir "$WORK/migrations" --direct-url "$url" >/dev/null
done < "$WORK/loop.txt"
t1=$(date +%s.%N); S1=$(cpu_ms "$PM")
LOOP_S=$(echo "$t1 - $t0" | bc -l)
PER=$(echo "$LOOP_S / $LOOP_N" | bc -l)
printf '%-58s %9.2f s (%.3f s per tenant; × %d = %.1f s); server %.1f ms per tenant\n' "sequential loop of neonops migrate ($LOOP_N tenants)" \
  "$LOOP_S" "$PER" "$N" "$(echo "$PER * $N" | bc -l)" "$(echo "($S1 - $S0) / $LOOP_N" | bc -l)"
printf 'fleet speed-up over the loop: %.1f× (defaults), %.1f× (--concurrency 64), %.1f× (tenants used before)\n' \
  "$(echo "$PER * $N / $FLEET_S" | bc -l)" "$(echo "$PER * $N / $WIDE_S" | bc -l)" "$(echo "$PER * $N / $WARM_S" | bc -l)"
drop "$WORK/loop.txt"

# The floor under any client on this machine: the server's CPU for the bare
# work of a fresh tenant (a login, then the five files as one message: no
# history, no lock, no analysis), sent by psql straight to the server, one
# tenant after the other, FLOOR_N fresh tenants.
echo "== the bare work, by psql: the floor under any client (server CPU per fresh tenant, $FLOOR_N tenants)"
PSQL=${PSQL:-/usr/lib/postgresql/15/bin/psql}
cat "$WORK"/migrations/V*.sql > "$WORK/bare.sql"
# bare PREFIX LABEL SQL: each of FLOOR_N fresh tenants gets SQL in one message; sets BARE_MS.
bare() {
  tenants "$1" "$FLOOR_N" "$WORK/bare.txt"; shift
  sleep 2
  S0=$(cpu_ms "$PM")
  sed -E 's#.*/([a-z0-9_]+)\?.*#\1#' "$WORK/bare.txt" | while read -r db; do
    "$PSQL" "host=127.0.0.3 port=$PORT user=$ROLE dbname=$db sslmode=verify-ca sslrootcert=$CA" -q -c "$2" >/dev/null
  done
  sleep 0.5; S1=$(cpu_ms "$PM")
  BARE_MS=$(echo "($S1 - $S0) / $FLOOR_N" | bc -l)
  printf '%-58s server %.1f ms per tenant\n' "$1" "$BARE_MS"
  drop "$WORK/bare.txt"
}
bare login "psql: log in, select 1" "select 1"
bare bare "psql: log in, the five files in one message" "$(cat "$WORK/bare.sql")"
python3 - "$BARE_MS" "$PER" "$N" "$(nproc)" "$FLEET_S" <<'PY'
import sys
bare, per, n, cores, fleet = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
floor = bare * n / 1000 / cores
print(f"    {n} tenants need >= {floor:.1f} s of this machine's {cores} cores for the server's bare work alone: no client, "
      f"with a free network, can be more than {per * n / floor:.1f}x the loop here (the fleet: {fleet:.2f} s, {per * n / fleet:.1f}x)")
PY

echo "== 10,000 cheap targets (databases that do not exist: one failed login each)"
# The first line is a real tenant: the server's control session connects to the first target.
{ head -1 "$WORK/fleet.txt"; for i in $(seq -w 1 10000); do
  echo "postgresql://$ROLE@$DIRECT:$PPORT/nothere_$i?sslmode=verify-full&sslrootcert=$CA"
done; } > "$WORK/cheap.txt"
timed "neonops fleet status (10,000 targets, --keep-going)" \
  "$NEONOPS" --resolve "$RESOLVE" --json fleet status --dir "$WORK/migrations" --targets "$WORK/cheap.txt"
summary

echo "== a small server: max_connections 50, 20 sessions already open, 200 tenants"
start small --max-connections 50
tenants small 200 "$WORK/small.txt"
python3 - "$PORT" "$CA" "$ROLE" <<'PY' &
import subprocess, sys, time
port, ca, role = sys.argv[1:]
procs = [subprocess.Popen(["psql", f"host=127.0.0.3 port={port} user={role} dbname=neondb sslmode=verify-ca sslrootcert={ca}",
                           "-qc", "select pg_sleep(120)"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(20)]
time.sleep(120)
PY
HOLD=$!
PIDS+=($HOLD)
sleep 3
timed "neonops fleet migrate (200 tenants, --concurrency 100)" \
  "$NEONOPS" --resolve "$RESOLVE" --json fleet migrate --concurrency 100 --dir "$WORK/migrations" --targets "$WORK/small.txt"
summary
kill "$HOLD" 2>/dev/null || true
pkill -f "select pg_sleep(120)" 2>/dev/null || true
