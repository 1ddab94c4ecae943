#!/usr/bin/env bash
# Benchmark: neonops' fixed cost per run, side by side with one
# `psql -c 'select 1'` with the same sslmode and the same server, at 0 and
# 20 ms round-trip time (a loopback proxy that adds the latency and counts
# round trips), and over the Unix socket with sslmode=disable.
#
#   bench/fixed-cost.sh [RTTS...]      default: "0 20"; REPEAT=N (default 11)
#
# Medians of wall time and of CPU time (user + system) per run.
# PSQL: the psql to compare with (default: psql on PATH, Debian's Perl
# wrapper; /usr/lib/postgresql/15/bin/psql is the client itself).
set -euo pipefail
cd "$(dirname "$0")/.."
PSQL=${PSQL:-psql}
RTTS=${*:-0 20}
source bench/common.sh
SB=$WORK/sandbox
"$NEONOPS" sandbox up --dir "$SB" >/dev/null
PORT=$(state port); DIRECT=$(state direct_host); CA=$(state ca_file)
export PGPASSFILE=$SB/pgpass
mkdir -p "$WORK/migrations"
for i in 1 2 3 4 5; do echo "CREATE TABLE t$i (id int);" > "$WORK/migrations/V${i}__t$i.sql"; done
SOCK=$SB/run

REPEAT=${REPEAT:-11}
median() { sort -g | sed -n "$(( (REPEAT + 1) / 2 ))p"; }
printf '%-40s %6s %12s %10s %12s\n' run rtt_ms wall_seconds cpu_ms round_trips
# measure NAME STATS COMMAND...
measure() {
  local name=$1 stats=$2; shift 2
  local walls=() cpus=() trips=()
  for _ in $(seq 1 "$REPEAT"); do
    [ -n "$stats" ] && : > "$stats"
    python3 bench/timed.py "$@" > "$WORK/time" || exit 1
    read -r e c < "$WORK/time"
    walls+=("$e"); cpus+=("$c")
    if [ -n "$stats" ]; then sleep 0.3; trips+=("$(awk -F'[= ]' '{s+=$2} END {print s+0}' "$stats")"); else trips+=("-"); fi
  done
  printf '%-40s %6s %12.3f %10.0f %12s\n' "$name" "$RTT" \
    "$(printf '%s\n' "${walls[@]}" | median)" "$(printf '%s\n' "${cpus[@]}" | median)" \
    "$(printf '%s\n' "${trips[@]}" | sort | sed -n "$(( (REPEAT + 1) / 2 ))p")"
}

# The Unix socket, no TLS (as a CI service container): no proxy.
RTT=socket
URL_SOCK="postgresql://neondb_owner@/neondb?host=$SOCK&port=$PORT&sslmode=disable"
"$NEONOPS" migrate --dir "$WORK/migrations" --direct-url "$URL_SOCK" >/dev/null
measure "psql -c 'select 1' (sslmode=disable)" "" "$PSQL" "$URL_SOCK" -qAtc 'select 1'
measure "neonops check --only direct" "" "$NEONOPS" check --only direct --direct-url "$URL_SOCK"
measure "neonops migrate (nothing to do)" "" "$NEONOPS" migrate --dir "$WORK/migrations" --direct-url "$URL_SOCK"

for RTT in $RTTS; do
  PPORT=$(free_port)
  STATS=$WORK/stats-$RTT
  proxy "$PPORT" 127.0.0.3 "$PORT" "$RTT" "$STATS"
  for MODE in verify-full require; do
    URL="postgresql://neondb_owner@$DIRECT:$PPORT/neondb?sslmode=$MODE&sslrootcert=$CA"
    [ "$MODE" = require ] && URL="postgresql://neondb_owner@$DIRECT:$PPORT/neondb?sslmode=require"
    N=("$NEONOPS" --resolve "$DIRECT:$PPORT:127.0.0.1")
    "${N[@]}" migrate --dir "$WORK/migrations" --direct-url "$URL" >/dev/null
    # psql reaches the same name through hostaddr, so verify-full checks the same certificate.
    measure "psql -c 'select 1' (sslmode=$MODE)" "$STATS" "$PSQL" "$URL&hostaddr=127.0.0.1" -qAtc 'select 1'
    measure "neonops check --only direct" "$STATS" "${N[@]}" check --only direct --direct-url "$URL"
    measure "neonops migrate (nothing to do)" "$STATS" "${N[@]}" migrate --dir "$WORK/migrations" --direct-url "$URL"
  done
  kill "$PROXY_PID"; wait "$PROXY_PID" 2>/dev/null || true
done
