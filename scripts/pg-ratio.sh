#!/usr/bin/env bash
# gym serve on PostgreSQL against the store's own limit, in one interleaved run (issue 14 §5):
# closed-loop events/s of `gym serve --db postgresql://...` (20 clients, transaction batches
# of 200, as the SQLite figures) over `store_limit --backend postgres --connections 2` (the
# same rows and statement on as many connections as gym serve commits on, no gRPC). Each round uses fresh databases on one throwaway
# cluster. Run as root (the cluster runs as the postgres user).
#
# Usage: scripts/pg-ratio.sh [ROUNDS] [BUILD_DIR]     (3, build/release)
set -euo pipefail
rounds=${1:-3}
build=${2:-build/release}
gym=$build/src/gym/cli/gym
limit=$build/bench/store_limit
work=$(mktemp -d /tmp/gym-pg-ratio-XXXXXX)
chmod 755 "$work"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cleanup() { scripts/pg-down.sh "$work/pg" --remove || true; rm -rf "$work"; }
trap cleanup EXIT
scripts/pg-up.sh "$work/pg" "$port" >/dev/null
uri() { echo "postgresql://postgres@127.0.0.1:$port/$1"; }
fresh() { psql -X -qAt "$(uri postgres)" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"; }

median() { python3 -c 'import sys,statistics; print(f"{statistics.median(map(float,sys.argv[1:])):.0f}")' "$@"; }
gyms=() limits=()
for r in $(seq 1 "$rounds"); do
  fresh limit_db
  l=$("$limit" --backend postgres --connections 2 --db "$(uri limit_db)" --rows 200000 \
    --txn-rows 2000,10000 --json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["rows_per_s"])')
  fresh gym_db
  "$gym" --log-level warn serve --listen 127.0.0.1:0 --db "$(uri gym_db)" \
    --model "$work/risk_model.json" >"$work/serve.out" 2>&1 &
  spid=$!
  target=""
  for _ in $(seq 100); do
    target=$(grep -o 'listening on [0-9.:]*' "$work/serve.out" | cut -d' ' -f3 || true)
    [ -n "$target" ] && break
    sleep 0.1
  done
  g=$("$gym" --log-level warn loadtest run --target "$target" --mode closed --clients 20 \
    --client-batches 1 --tx-batches 100 --score-batches 0 --logs "$work/logs" |
    grep -o 'throughput: [0-9.]* batches/s, [0-9.]* events/s' | awk '{print $4}')
  kill "$spid"; wait "$spid" || true
  echo "round $r: gym serve $g events/s, store_limit $l rows/s" >&2
  gyms+=("$g") limits+=("$l")
done
g=$(median "${gyms[@]}")
l=$(median "${limits[@]}")
python3 -c "print(f'gym serve on PostgreSQL {$g:.0f} events/s, store_limit --backend postgres --connections 2 {$l:.0f} rows/s: ratio {$g/$l:.2f} (goal >= 0.8), medians of $rounds')"
