#!/usr/bin/env bash
# The Action's install step.
#
#   install.sh download   the release archive of the pinned version for this
#                         runner, checked against its SHA-256; outputs
#                         need-build=true when there is no such release
#   install.sh build      cargo install --locked from the Action's own
#                         checkout into a cached directory
#
# Inputs (environment): GITHUB_ACTION_PATH (the Action's checkout),
# GITHUB_OUTPUT, GITHUB_PATH, RUNNER_TEMP; NEONOPS_VERSION (empty: the
# version in the Action's Cargo.toml), NEONOPS_RELEASE_URL (where releases
# are: .../releases/download), NEONOPS_SHA256 (the archive's expected
# SHA-256; else the release's SHA256SUMS, and action/SHA256SUMS of this
# checkout when it lists the archive).
#
# A checksum that does not match stops the job (exit 1): it is never
# "fixed" by building instead.
set -euo pipefail
action=${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set: install.sh runs as a step of the Action}
temp=${RUNNER_TEMP:-${TMPDIR:-/tmp}}
out() { echo "$1=$2" >> "${GITHUB_OUTPUT:?}"; }
put_on_path() { echo "$1" >> "${GITHUB_PATH:?}"; }
fail() { echo "::error title=neonops install::$1"; exit 1; }

sha256() {
  if command -v sha256sum > /dev/null; then sha256sum "$1" | awk '{print $1}'
  else shasum -a 256 "$1" | awk '{print $1}'; fi
}

target() {
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) echo x86_64-unknown-linux-gnu ;;
    Linux-aarch64 | Linux-arm64) echo aarch64-unknown-linux-gnu ;;
    Darwin-arm64) echo aarch64-apple-darwin ;;
    Darwin-x86_64) echo x86_64-apple-darwin ;;
    *) echo "" ;;
  esac
}

# The line of a SHA256SUMS file for one file name ("" when absent).
sum_in() { [ -f "$1" ] && awk -v f="$2" '$2 == f || $2 == "*" f {print $1}' "$1" | head -1 || true; }

download() {
  local version=${NEONOPS_VERSION:-}
  if [ -z "$version" ]; then
    version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$action/Cargo.toml" | head -1)
  fi
  version=${version#v}
  local target; target=$(target)
  local base=${NEONOPS_RELEASE_URL:-}
  # github.action_repository is empty in some runners' composite steps.
  case "$base" in *//releases/download) base="" ;; esac
  if [ -z "$target" ] || [ -z "$base" ]; then
    echo "neonops: no release binary for $(uname -s)-$(uname -m)${base:+ }${base:-: no release URL}; building from source"
    build_outputs
    return
  fi
  local name=neonops-$version-$target
  local archive=$name.tar.gz
  local dir=$temp/neonops-release
  rm -rf "$dir" && mkdir -p "$dir"
  local code
  code=$(curl -sSL --retry 3 --retry-delay 2 -w '%{http_code}' -o "$dir/$archive" "$base/v$version/$archive" || echo 000)
  if [ "$code" = 404 ]; then
    echo "neonops: release v$version has no $archive; building from source"
    build_outputs
    return
  fi
  [ "$code" = 200 ] || fail "downloading $archive of release v$version: HTTP $code"
  local expected=${NEONOPS_SHA256:-}
  local pinned; pinned=$(sum_in "$action/action/SHA256SUMS" "$archive")
  if [ -z "$expected" ]; then
    code=$(curl -sSL --retry 3 --retry-delay 2 -w '%{http_code}' -o "$dir/SHA256SUMS" "$base/v$version/SHA256SUMS" || echo 000)
    [ "$code" = 200 ] || fail "release v$version has no SHA256SUMS (HTTP $code): refusing an archive that cannot be checked"
    expected=$(sum_in "$dir/SHA256SUMS" "$archive")
    [ -n "$expected" ] || fail "the SHA256SUMS of release v$version does not list $archive"
  fi
  if [ -n "$pinned" ] && [ "$pinned" != "$expected" ]; then
    fail "$archive: the release's SHA256SUMS ($expected) is not the one pinned in action/SHA256SUMS ($pinned)"
  fi
  local actual; actual=$(sha256 "$dir/$archive")
  [ "$actual" = "$expected" ] || fail "$archive: SHA-256 $actual, expected $expected: refusing to install it"
  tar -xzf "$dir/$archive" -C "$dir"
  (cd "$dir/$name" && if command -v sha256sum > /dev/null; then sha256sum -c --quiet SHA256SUMS; else shasum -a 256 -c --quiet SHA256SUMS; fi) \
    || fail "$archive: its files do not match its own SHA256SUMS"
  "$dir/$name/neonops" --version
  put_on_path "$dir/$name"
  out need-build false
  out path "$dir/$name/neonops"
}

# Where a build goes and the cache key of this checkout's sources.
build_outputs() {
  local files
  files=$(cd "$action" && find Cargo.toml Cargo.lock src migrations -type f 2> /dev/null | LC_ALL=C sort)
  local key
  key=$(cd "$action" && echo "$files" | while read -r f; do sha256 "$f"; done | (sha256sum 2> /dev/null || shasum -a 256) | cut -c1-16)
  out need-build true
  out build-dir "$temp/neonops-build"
  out cache-key "neonops-build-$(uname -s)-$(uname -m)-$key"
}

build() {
  local root=${NEONOPS_BUILD_DIR:-$temp/neonops-build}
  if [ -x "$root/bin/neonops" ] && "$root/bin/neonops" --version; then
    echo "neonops: from the cache"
  else
    command -v cargo > /dev/null || fail "no release binary for this runner and no cargo to build one: use a runner with Rust (dtolnay/rust-toolchain) or a version that has a release"
    cargo install --locked --path "$action" --root "$root"
  fi
  put_on_path "$root/bin"
  out path "$root/bin/neonops"
}

case "${1:-}" in
  download) download ;;
  build) build ;;
  *) echo "usage: install.sh download|build" >&2; exit 2 ;;
esac
