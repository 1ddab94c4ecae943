#!/usr/bin/env bash
# Benchmark: `neonops migrate` against `psql -1 -f` and the one-message psql
# floor, for N small migrations at 0 and 20 ms round-trip time, through a
# loopback proxy that adds the latency and counts round trips.
#
#   bench/migrate.sh [N] [RTTS...]      defaults: 200, "0 20"
#
# Everything runs on loopback against a sandbox of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
# PSQL: the psql measured (default: psql on PATH, Debian's Perl wrapper;
# /usr/lib/postgresql/15/bin/psql is the client itself).
PSQL=${PSQL:-psql}
N=${1:-200}
shift || true
RTTS=${*:-0 20}
source bench/common.sh
SB=$WORK/sandbox
"$NEONOPS" sandbox up --dir "$SB" >/dev/null
PORT=$(state port); DIRECT=$(state direct_host); CA=$(state ca_file)
export PGPASSFILE=$SB/pgpass
ADMIN="host=127.0.0.3 port=$PORT user=cloud_admin dbname=postgres sslmode=verify-ca sslrootcert=$CA"

mkdir -p "$WORK/migrations"
for i in $(seq 1 "$N"); do
  printf 'CREATE TABLE bench_%d (id int);\nINSERT INTO bench_%d VALUES (%d);\n' "$i" "$i" "$i" \
    > "$WORK/migrations/V${i}__bench_${i}.sql"
done
for i in $(seq 1 "$N"); do cat "$WORK/migrations/V${i}__bench_${i}.sql"; done > "$WORK/all.sql"

fresh_db() { psql "$ADMIN" -qAtc "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1 OWNER neondb_owner" >/dev/null 2>&1; }
now() { date +%s.%N; }

REPEAT=${REPEAT:-5}
printf '%-34s %6s %5s %14s %12s\n' tool rtt_ms N median_seconds round_trips
for RTT in $RTTS; do
  PPORT=$(free_port)
  STATS=$WORK/stats-$RTT
  proxy "$PPORT" 127.0.0.3 "$PORT" "$RTT" "$STATS"
  # One round runs every tool once, in turn, so that drift in the machine
  # falls on all of them alike; SETUP runs before each timed run (not timed).
  declare -A TIMES=() TRIPS=()
  NAMES=()
  time_one() {
    local name=$1 setup=$2; shift 2
    [ "$r" = 1 ] && NAMES+=("$name")
    $setup "$r"
    : > "$STATS"
    local t0 t1; t0=$(now); "$@" >/dev/null; t1=$(now)
    TIMES[$name]+="$(echo "$t1 - $t0" | bc -l) "
    sleep 0.3 # the proxy writes a connection's count when it closes
    TRIPS[$name]+="$(awk -F'[= ]' '{s+=$2} END {print s+0}' "$STATS") "
  }
  median() { printf '%s\n' $1 | sort -g | sed -n "$(( ($(echo $1 | wc -w) + 1) / 2 ))p"; }
  url() { echo "postgresql://neondb_owner@$DIRECT:$PPORT/$1?sslmode=verify-full&sslrootcert=$CA"; }
  new_neonops() { DB=bench_n_${RTT}_$1; fresh_db "$DB"; }
  same_db() { DB=bench_n_${RTT}_$1; }
  new_psql1() { DB=bench_p_${RTT}_$1; fresh_db "$DB"; }
  new_floor() { DB=bench_f_${RTT}_$1; fresh_db "$DB"; }
  neonops_migrate() { "$NEONOPS" --resolve "$DIRECT:$PPORT:127.0.0.1" migrate --dir "$WORK/migrations" --direct-url "$(url "$DB")"; }
  psql_run() { "$PSQL" "host=127.0.0.1 port=$PPORT user=neondb_owner dbname=$DB sslmode=require" -q -v ON_ERROR_STOP=1 "$@"; }
  for r in $(seq 1 "$REPEAT"); do
    time_one "neonops migrate" new_neonops neonops_migrate
    time_one "neonops migrate (nothing to do)" same_db neonops_migrate
    time_one "psql -1 -f" new_psql1 psql_run -1 -f "$WORK/all.sql"
    time_one "psql, one message (the floor)" new_floor psql_run -c "$(cat "$WORK/all.sql")"
  done
  for name in "${NAMES[@]}"; do
    printf '%-34s %6s %5s %14.3f %12s\n' "$name" "$RTT" "$N" \
      "$(median "${TIMES[$name]}")" "$(median "${TRIPS[$name]}")"
  done
  # The ratio to the floor within each round, then its median.
  RATIOS=$(paste -d/ <(printf '%s\n' ${TIMES["neonops migrate"]}) \
    <(printf '%s\n' ${TIMES["psql, one message (the floor)"]}) | bc -l | xargs printf '%.3f ')
  printf '%-34s %6s %5s %13.2fx   (rounds: %s)\n' "neonops migrate / floor" "$RTT" "$N" \
    "$(median "$RATIOS")" "$RATIOS"
  kill "$PROXY_PID"; wait "$PROXY_PID" 2>/dev/null || true
done
