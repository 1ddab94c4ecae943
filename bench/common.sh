# Sourced by the benchmarks (after they read their arguments): neonops
# built, a work directory in BENCH_TMP (default /tmp; /dev/shm keeps the
# server's file creation off a disk that mass deletes slow down) removed on
# exit with every sandbox in it and every process in PIDS, and an
# environment that points nowhere.
scripts/install-deps
. scripts/lib.sh
NEONOPS=$(build_neonops --release)
WORK=$(mktemp -d "${BENCH_TMP:-/tmp}/neonops-bench.XXXXXX")
chmod 755 "$WORK"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for sb in "$WORK"/sandbox "$WORK"/sb-*; do
    [ -d "$sb" ] && "$NEONOPS" sandbox down --dir "$sb" >/dev/null 2>&1 || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
export NEONOPS_NO_DOTENV=1
unset DATABASE_URL DATABASE_URL_DIRECT PGHOST PGPORT PGUSER PGDATABASE PGSSLMODE PGSSLROOTCERT
# state KEY: a field of the state of the sandbox in $SB.
state() { python3 -c "import json; print(json.load(open('$SB/state.json'))['$1'])"; }
# free_port: a free TCP port on 127.0.0.1.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# proxy LISTEN_PORT UP_HOST UP_PORT RTT STATS [LISTEN_ADDR]: a latency proxy
# (bench/latency_proxy.py), in PIDS and in PROXY_PID, accepting when this returns.
proxy() {
  local ready
  ready=$(mktemp -p "$WORK" proxy.XXXXXX)
  python3 bench/latency_proxy.py "$@" > "$ready" &
  PROXY_PID=$!
  PIDS+=("$PROXY_PID")
  until [ -s "$ready" ]; do
    kill -0 "$PROXY_PID" 2>/dev/null || { echo "the latency proxy did not start" >&2; exit 1; }
    sleep 0.05
  done
}
