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

# link_neonops BIN DIR: put BIN on PATH as DIR/neonops (a symbolic link);
# prints the line to add to the shell when DIR is not on PATH.
link_neonops() {
  local bin=$1 dir=$2
  mkdir -p "$dir"
  ln -sf "$bin" "$dir/neonops"
  echo "neonops is linked as $dir/neonops"
  case ":$PATH:" in
    *":$dir:"*) ;;
    *) echo "add it to your PATH: export PATH=\"$dir:\$PATH\"" ;;
  esac
}
