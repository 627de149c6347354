#!/usr/bin/env bash
# gym serve on PostgreSQL against the store's own limit, in one interleaved run (issue 14 §5):
# closed-loop events/s of `gym serve --db postgresql://...` (20 clients, transaction batches
# of 200, as the SQLite figures) over `store_limit --backend postgres --connections 2` (the
# same rows and statement on as many connections as gym serve commits on, no gRPC). Each
# round uses fresh databases on one throwaway cluster. Run as root (the cluster runs as the
# postgres user).
#
# Usage: scripts/pg-ratio.sh [ROUNDS] [BUILD_DIR]     (3, build/release)
set -euo pipefail
rounds=${1:-3}
build=${2:-build/release}
gym=$build/src/gym/cli/gym
limit=$build/bench/store_limit
source "$(dirname "$0")/pg-bench-lib.sh"
pg_bench_setup pg-ratio

median() { python3 -c 'import sys,statistics; print(f"{statistics.median(map(float,sys.argv[1:])):.0f}")' "$@"; }
gyms=() limits=()
for r in $(seq 1 "$rounds"); do
  fresh limit_db
  l=$("$limit" --backend postgres --connections 2 --db "$(uri limit_db)" --rows 200000 \
    --txn-rows 2000,10000 --json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["rows_per_s"])')
  fresh gym_db
  start 1 "$(uri gym_db)"
  g=$(closed)
  stop
  echo "round $r: gym serve $g events/s, store_limit $l rows/s" >&2
  gyms+=("$g") limits+=("$l")
done
g=$(median "${gyms[@]}")
l=$(median "${limits[@]}")
python3 -c "print(f'gym serve on PostgreSQL {$g:.0f} events/s, store_limit --backend postgres --connections 2 {$l:.0f} rows/s: ratio {$g/$l:.2f} (goal >= 0.8), medians of $rounds')"
