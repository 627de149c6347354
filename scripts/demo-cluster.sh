#!/usr/bin/env bash
# `make demo-cluster`: past one machine's store. One throwaway PostgreSQL 15 cluster, three
# `gym serve` replicas on it, the seed's load test sweep across them (the clients go round the
# replicas), the delivery check counted in the shared database, and `gym report` on it.
# Run as root (PostgreSQL runs as the postgres user); the cluster is stopped and removed at
# the end, whatever happens.
# Usage: scripts/demo-cluster.sh path/to/gym   (DEMO_SCALE, DEMO_OUT, DEMO_REPLICAS)
set -euo pipefail
gym=${1:?usage: demo-cluster.sh path/to/gym}
gym=$(cd "$(dirname "$gym")" && pwd)/$(basename "$gym")
scale=${DEMO_SCALE:-0.25}
out=${DEMO_OUT:-demo_cluster_output}
replicas=${DEMO_REPLICAS:-3}
here=$(cd "$(dirname "$0")" && pwd)

rm -rf "$out"
mkdir -p "$out"
pg=$(mktemp -d /tmp/gym-demo-pg-XXXXXX)
chmod 755 "$pg"
trap '"$here/pg-down.sh" "$pg/cluster" --remove; rm -rf "$pg"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

echo "== 1. PostgreSQL 15 on 127.0.0.1:$port ($pg)"
db=$("$here/pg-up.sh" "$pg/cluster" "$port")
echo "$db"

echo
echo "== 2. $replicas gym serve replicas on it + the seed's load test across them, scale $scale"
"$gym" --log-level warn loadtest sweep --spawn-server --replicas "$replicas" --db "$db" \
  --clients 1,2,5,10,15,20 --scale "$scale" --out "$out/load_test_run_results"

echo
echo "== 3. what the replicas stored, together (gym report)"
"$gym" report --db "$db"

echo
echo "Graph:   $out/load_test_run_results/load_test_performance_graph.png"
echo "Results: $out/load_test_run_results/results.csv, results.json, report.md"
echo "Replica logs: $out/load_test_run_results/server_<i>.log"
