#!/usr/bin/env bash
# `make demo`: the main job, end to end, on the embedded default (SQLite).
#  1. generates a small mock data set and trains the risk model from its labeled transactions;
#  2. runs the file pipeline once over it (`gym run --once`);
#  3. starts `gym serve` on a free loopback port with a fresh database and runs the seed's load
#     test sweep (1, 2, 5, 10, 15, 20 clients, the seed's workload shape with batch counts
#     scaled by DEMO_SCALE so the demo ends within about 5 minutes on 2 cores), stops the server;
#  4. prints the summary table, the delivery check and `gym report` of what the server stored.
# Usage: scripts/demo.sh path/to/gym   (DEMO_SCALE=1 for the seed's full batch counts)
set -euo pipefail
gym=${1:?usage: demo.sh path/to/gym}
gym=$(cd "$(dirname "$gym")" && pwd)/$(basename "$gym")
scale=${DEMO_SCALE:-0.25}
out=${DEMO_OUT:-demo_output}

rm -rf "$out"
mkdir -p "$out"
echo "== 1. mock data and the risk model ($out/data)"
"$gym" gen all --out "$out/data" --clients 10000 --transactions 50000 --new-transactions 20000 \
  --labeled 10000 --seed 42
"$gym" train --data "$out/data/labeled_transactions.csv" --model "$out/risk_model.json"

echo
echo "== 2. the file pipeline, once (gym run --once)"
"$gym" --log-level warn run --once --data "$out/data" --model "$out/risk_model.json" \
  --out-db "$out/run.db" --out-csv "$out/run_results" --timer --timer-runs 2 | tail -n 25

echo
echo "== 3. gym serve + the seed's load test, scale $scale"
"$gym" --log-level warn loadtest sweep --spawn-server --clients 1,2,5,10,15,20 --scale "$scale" \
  --out "$out/load_test_run_results" --server-arg=--model --server-arg="$out/risk_model.json"

echo
echo "== 4. what the server stored (gym report)"
"$gym" report --db "$out/load_test_run_results/sweep.db"

echo
echo "Graph:   $out/load_test_run_results/load_test_performance_graph.png"
echo "Results: $out/load_test_run_results/results.csv, results.json, report.md"
