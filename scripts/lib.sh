# Sourced by the scripts and benchmarks: what they share.

# build_neonops [CARGO BUILD FLAGS…]: build neonops and print the path of the
# binary, as cargo reports it (so CARGO_TARGET_DIR, --release and
# .cargo/config.toml are honoured, never a guessed target/debug).
build_neonops() {
  local bin
  bin=$(cargo build --quiet "$@" --bin neonops --message-format=json-render-diagnostics \
    | sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1)
  if [ -z "$bin" ] || [ ! -x "$bin" ]; then
    echo "cargo build did not report the neonops binary" >&2
    return 1
  fi
  printf '%s\n' "$bin"
}
