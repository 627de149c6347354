#!/usr/bin/env bash
# Replicas on PostgreSQL, in one interleaved run (issue 14 §5), every process on this machine:
#   closed  20 closed-loop clients, transaction batches of 200: events/s through 3 replicas
#           against 1 replica (fresh databases on one throwaway cluster);
#   paced   the seed's paced workload at 20 clients (--scale 0.25): mean and p99 round trip
#           through 3 PostgreSQL replicas against one `gym serve` on SQLite.
# Prints each round, then the medians and ratios. Run as root (the cluster runs as postgres).
#
# Usage: scripts/pg-replicas.sh [ROUNDS] [BUILD_DIR]     (3, build/release)
set -euo pipefail
rounds=${1:-3}
build=${2:-build/release}
gym=$build/src/gym/cli/gym
source "$(dirname "$0")/pg-bench-lib.sh"
pg_bench_setup pg-replicas

paced() {  # "mean p99" of the seed's workload through $targets
  "$gym" --log-level warn loadtest run --target "$targets" --clients 20 --scale 0.25 \
    --logs "$work/logs" | awk '/round-trip \(ms\)/ {
      for (i = 1; i <= NF; i++) { if ($i == "mean") m = $(i+1); if ($i == "p99") p = $(i+1) }
      print m, p }'
}

one=() three=() pg_mean=() pg_p99=() lite_mean=() lite_p99=()
for r in $(seq 1 "$rounds"); do
  fresh one_db; start 1 "$(uri one_db)"; c1=$(closed); stop
  fresh three_db; start 3 "$(uri three_db)"; c3=$(closed); stop
  fresh paced_db; start 3 "$(uri paced_db)"; read -r pm pp < <(paced); stop
  rm -f "$work"/paced.db*; start 1 "$work/paced.db"; read -r sm sp < <(paced); stop
  echo "round $r: closed 1 replica $c1 ev/s, 3 replicas $c3 ev/s; paced 3 PG replicas mean $pm p99 $pp ms, SQLite mean $sm p99 $sp ms" >&2
  one+=("$c1") three+=("$c3") pg_mean+=("$pm") pg_p99+=("$pp") lite_mean+=("$sm") lite_p99+=("$sp")
done
median() { python3 -c 'import sys,statistics; print(statistics.median(map(float,sys.argv[1:])))' "$@"; }
python3 - "$(median "${one[@]}")" "$(median "${three[@]}")" "$(median "${pg_mean[@]}")" \
  "$(median "${pg_p99[@]}")" "$(median "${lite_mean[@]}")" "$(median "${lite_p99[@]}")" "$rounds" <<'PY'
import sys
one, three, pm, pp, sm, sp = map(float, sys.argv[1:7])
print(f"medians of {sys.argv[7]} rounds")
print(f"closed loop, 20 clients: 1 replica {one:.0f} events/s, 3 replicas {three:.0f}: ratio {three/one:.2f}")
print(f"paced, 20 clients: 3 PostgreSQL replicas mean {pm:.2f} ms p99 {pp:.2f} ms; "
      f"one SQLite server mean {sm:.2f} ms p99 {sp:.2f} ms; ratios mean {pm/sm:.2f}, p99 {pp/sp:.2f}")
PY
