#!/usr/bin/env bash
# Goodput under overload (issue 11 §6): committed events/s of a closed-loop load test against a
# `gym serve` whose --max-inflight refuses most calls, as a ratio of the same run without the
# limit. Runs are interleaved (unlimited, limited, unlimited, limited, ...) so that the drift of
# a shared machine falls on both sides; each run spawns its own server with a fresh database.
#
# Usage: scripts/overload-goodput.sh GYM_BINARY [PAIRS] [extra `gym loadtest sweep` flags]
#   GYM=build/release/src/gym/cli/gym
#   scripts/overload-goodput.sh "$GYM" 3 --scale 2
# Environment: LIMIT (default 2000) is the server's --max-inflight and --max-batch;
# FREE_CLIENTS (default 50) the closed-loop clients of the unlimited side: FREE_CLIENTS=10
# against LIMIT=2000 (room for 10 batches) tells the limit's concurrency from the overload.
set -euo pipefail
gym=${1:?usage: overload-goodput.sh GYM_BINARY [PAIRS] [sweep flags]}
pairs=${2:-3}
shift $(($# < 2 ? $# : 2))
limit=${LIMIT:-2000}
free_clients=${FREE_CLIENTS:-50}
out=$(mktemp -d "${TMPDIR:-/tmp}/gym-goodput-XXXXXX")
trap 'rm -rf "$out"' EXIT

# Prints "events/s retries errors lost" of one sweep step.
run() {
  local dir=$1 clients=$2
  shift 2
  "$gym" --log-level warn loadtest sweep --spawn-server --mode closed --clients "$clients" \
    --out "$dir" "$@" >"$dir.stdout" 2>"$dir.stderr" || true
  python3 - "$dir/results.json" <<'PY'
import json, sys
try:
    run = json.load(open(sys.argv[1]))["runs"][0]
except (OSError, ValueError, IndexError, KeyError):
    print("nan 0 0 unknown")
    sys.exit()
print(f'{run["events_per_second"]:.0f} {run.get("retries", 0)} {run["rpc_errors"]} '
      f'{run["events_lost"]}')
PY
}

printf '%-5s %14s %14s %8s %10s %8s %6s\n' pair unlimited/s limited/s ratio retries errors lost
for i in $(seq 1 "$pairs"); do
  read -r free _ _ free_lost < <(run "$out/u$i" "$free_clients" "$@")
  read -r busy retries errors lost < <(run "$out/l$i" 50 "$@" \
    --server-arg=--max-inflight --server-arg="$limit" \
    --server-arg=--max-batch --server-arg="$limit")
  ratio=$(python3 -c "print(f'{$busy / $free:.3f}' if $free > 0 else 'nan')")
  printf '%-5s %14s %14s %8s %10s %8s %6s\n' "$i" "$free" "$busy" "$ratio" "$retries" \
    "$errors" "$lost/$free_lost"
done
