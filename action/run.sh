#!/usr/bin/env bash
# The Action's run step: neonops with the Action's inputs.
#
# Inputs (environment, set by action.yml from its inputs): INPUT_COMMAND,
# INPUT_ARGS, INPUT_DIR, INPUT_ENV, INPUT_DATABASE_URL, INPUT_NEON_API_KEY,
# INPUT_MAX_LOCK, INPUT_COMMENT, INPUT_CHANGED_SINCE, INPUT_FAIL_ON,
# INPUT_PREVIEW_URL, INPUT_MAIN_URL, INPUT_SCRATCH_URL, INPUT_GITHUB_TOKEN;
# and GitHub's own (GITHUB_EVENT_NAME, GITHUB_BASE_REF, GITHUB_OUTPUT,
# GITHUB_STEP_SUMMARY, GITHUB_EVENT_PATH, GITHUB_REPOSITORY, GITHUB_API_URL).
#
#   command ci       neonops ci: validate, lint what the pull request changed,
#                    plan, rehearse (with a Neon key), drift (with a scratch
#                    URL), the preview diff (with both URLs); the comment on
#                    a pull request; the outputs and the step summary
#   command migrate  neonops ci --apply --no-rehearse: the same checks, then
#                    the pending migrations applied when they pass
#   any other        neonops COMMAND ARGS --format markdown, into the step
#                    summary; output exit-code
#
# The URLs and the key reach neonops in its environment, never on a command
# line, and are masked first: GitHub masks secrets, not a URL that another
# step printed as an output (Neon's create-branch Action's db_url).
set -uo pipefail
# (Arrays are expanded as ${a[@]+"${a[@]}"}: macOS' bash 3.2 calls an empty
# array unset.)

mask() {
  local v=$1
  [ -n "$v" ] || return 0
  echo "::add-mask::$v"
  # The password of a URL, as written and percent-decoded.
  local pw
  pw=$(printf '%s' "$v" | sed -n 's|^[A-Za-z][A-Za-z0-9+.-]*://[^:/@]*:\([^@/]*\)@.*|\1|p')
  if [ -n "$pw" ]; then
    echo "::add-mask::$pw"
    local decoded
    decoded=$(printf '%b' "${pw//%/\\x}")
    [ "$decoded" = "$pw" ] || echo "::add-mask::$decoded"
  fi
}
for v in INPUT_DATABASE_URL INPUT_NEON_API_KEY INPUT_PREVIEW_URL INPUT_MAIN_URL INPUT_SCRATCH_URL; do
  mask "${!v:-}"
done

set_env() { [ -n "${2:-}" ] && export "$1=$2"; return 0; }
set_env DATABASE_URL "${INPUT_DATABASE_URL:-}"
set_env NEON_API_KEY "${INPUT_NEON_API_KEY:-}"
set_env NEONOPS_PREVIEW_URL "${INPUT_PREVIEW_URL:-}"
set_env NEONOPS_MAIN_URL "${INPUT_MAIN_URL:-}"
set_env NEONOPS_SCRATCH_URL "${INPUT_SCRATCH_URL:-}"
set_env GITHUB_TOKEN "${INPUT_GITHUB_TOKEN:-}"

command=${INPUT_COMMAND:-ci}
global=()
[ -n "${INPUT_ENV:-}" ] && global+=(--env "$INPUT_ENV")
extra=()
[ -n "${INPUT_ARGS:-}" ] && read -r -a extra <<< "$INPUT_ARGS"
dir=()
[ -n "${INPUT_DIR:-}" ] && dir=(--dir "$INPUT_DIR")

pull_request=false
case "${GITHUB_EVENT_NAME:-}" in pull_request | pull_request_target) pull_request=true ;; esac

case "$command" in
  ci | migrate)
    sub=(ci)
    [ "$command" = migrate ] && sub+=(--apply --no-rehearse)
    [ -n "${INPUT_MAX_LOCK:-}" ] && sub+=(--max-lock "$INPUT_MAX_LOCK")
    [ -n "${INPUT_FAIL_ON:-}" ] && sub+=(--fail-on "$INPUT_FAIL_ON")
    since=${INPUT_CHANGED_SINCE:-}
    if [ -z "$since" ] && [ "$command" = ci ] && [ -n "${GITHUB_BASE_REF:-}" ]; then
      # The pull request's base: fetched when the checkout is shallow.
      since=origin/$GITHUB_BASE_REF
      if ! git rev-parse --verify --quiet "$since" > /dev/null; then
        git fetch --no-tags --quiet origin "+refs/heads/$GITHUB_BASE_REF:refs/remotes/origin/$GITHUB_BASE_REF" ||
          echo "::warning title=neonops::could not fetch $since: give actions/checkout fetch-depth: 0"
      fi
      git merge-base "$since" HEAD > /dev/null 2>&1 ||
        git fetch --no-tags --quiet --deepen=200 origin "$GITHUB_BASE_REF" || true
    fi
    [ -n "$since" ] && sub+=(--changed-since "$since")
    if [ "${INPUT_COMMENT:-true}" = true ] && [ "$pull_request" = true ]; then
      sub+=(--comment)
    fi
    neonops ${global[@]+"${global[@]}"} ${sub[@]+"${sub[@]}"} ${dir[@]+"${dir[@]}"} ${extra[@]+"${extra[@]}"}
    code=$?
    ;;
  *)
    report=$(mktemp)
    neonops ${global[@]+"${global[@]}"} "$command" ${dir[@]+"${dir[@]}"} ${extra[@]+"${extra[@]}"} --format markdown > "$report"
    code=$?
    cat "$report"
    [ -n "${GITHUB_STEP_SUMMARY:-}" ] && cat "$report" >> "$GITHUB_STEP_SUMMARY"
    rm -f "$report"
    [ -n "${GITHUB_OUTPUT:-}" ] && { echo "ok=$([ $code = 0 ] && echo true || echo false)"; echo "exit-code=$code"; } >> "$GITHUB_OUTPUT"
    ;;
esac
exit $code
