#!/usr/bin/env bash
# Benchmark: `neonops doctor` (both endpoints, every check) against one
# `psql -c 'select 1'`, at 0 and 20 ms round-trip time, through loopback
# proxies that add the latency (one in front of PgBouncer, one in front of
# PostgreSQL). Target: doctor within 2× the psql run.
#
#   bench/doctor.sh [RTTS...]     default: "0 20"
set -euo pipefail
cd "$(dirname "$0")/.."
RTTS=${*:-0 20}
source bench/common.sh
SB=$WORK/sandbox
"$NEONOPS" sandbox up --dir "$SB" >/dev/null
PORT=$(state port); DIRECT=$(state direct_host); POOLED=$(state pooled_host); CA=$(state ca_file)
export PGPASSFILE=$SB/pgpass
now() { date +%s.%N; }
REPEAT=${REPEAT:-7}
median() { sort -g | sed -n "$(( (REPEAT + 1) / 2 ))p"; }
printf '%-30s %6s %14s %12s\n' tool rtt_ms median_seconds round_trips
for RTT in $RTTS; do
  # One port for both proxies, as on Neon: the pooled name pins to one, the direct name to the other.
  while :; do P=$(free_port); python3 -c "import socket,sys; s=socket.socket(); s.bind(('127.0.0.4',$P))" 2>/dev/null && break; done
  proxy "$P" 127.0.0.2 "$PORT" "$RTT" "$WORK/pooled-$RTT"
  proxy "$P" 127.0.0.3 "$PORT" "$RTT" "$WORK/direct-$RTT" 127.0.0.4
  URL="postgresql://neondb_owner@$POOLED:$P/neondb?sslmode=verify-full&sslrootcert=$CA"
  RES="$POOLED:$P:127.0.0.1 $DIRECT:$P:127.0.0.4"
  measure() {
    local name=$1 stats=$2; shift 2
    local times=() trips=()
    for _ in $(seq 1 "$REPEAT"); do
      : > "$WORK/pooled-$RTT"; : > "$WORK/direct-$RTT"
      local t0 t1; t0=$(now); "$@" >/dev/null || true; t1=$(now)
      times+=("$(echo "$t1 - $t0" | bc -l)")
      sleep 0.3
      trips+=("$(cat $stats 2>/dev/null | awk -F'[= ]' '{s+=$2} END {print s+0}')")
    done
    printf '%-30s %6s %14.3f %12s\n' "$name" "$RTT" "$(printf '%s\n' "${times[@]}" | median)" \
      "$(printf '%s\n' "${trips[@]}" | median)"
  }
  measure "neonops doctor (both)" "$WORK/pooled-$RTT $WORK/direct-$RTT" \
    env NEONOPS_RESOLVE="$RES" DATABASE_URL="$URL" "$NEONOPS" doctor --format json
  measure "neonops check (both)" "$WORK/pooled-$RTT $WORK/direct-$RTT" \
    env NEONOPS_RESOLVE="$RES" DATABASE_URL="$URL" "$NEONOPS" check
  measure "psql -c 'select 1' (direct)" "$WORK/direct-$RTT" \
    psql "host=127.0.0.4 port=$P user=neondb_owner dbname=neondb sslmode=verify-ca sslrootcert=$CA" -qAtc 'select 1'
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  PIDS=()
done
