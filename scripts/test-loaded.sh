#!/usr/bin/env bash
# `pnpm test:loaded [RUNS]`: the README's test command, each run from a fresh clone of HEAD, while
# two CPU hogs keep both cores of a 2-core machine busy — a loaded laptop or CI runner, reproduced.
# Not part of CI. Prints each run's wall time and exit code; exits non-zero if any run failed.
set -uo pipefail
runs=${1:-1}
source=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
work=$(mktemp -d "${TMPDIR:-/tmp}/modelplex-loaded-XXXXXX")
hogs=()
cleanup() { for pid in "${hogs[@]}"; do kill "$pid" 2>/dev/null; done; }
trap cleanup EXIT
for _ in 1 2; do node -e 'for (;;) {}' & hogs+=($!); done
echo "test:loaded: ${runs} run(s) of 'pnpm test' from fresh clones of $(git -C "$source" rev-parse --short HEAD) in ${work}, two CPU hogs (pids ${hogs[*]})"
failed=0
summary=()
for run in $(seq 1 "$runs"); do
  clone="$work/run-$run"
  git clone --quiet "$source" "$clone"
  started=$(date +%s)
  (cd "$clone" && CI=true pnpm install --frozen-lockfile --reporter=silent && CI=true pnpm test) >"$clone.log" 2>&1
  code=$?
  took=$(( $(date +%s) - started ))
  summary+=("run $run: exit $code in $((took / 60))m$((took % 60))s (log: $clone.log)")
  echo "${summary[-1]}"
  [ "$code" -eq 0 ] || { failed=1; tail -40 "$clone.log"; }
done
printf '%s\n' "test:loaded summary:" "${summary[@]}"
exit "$failed"
