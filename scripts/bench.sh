#!/usr/bin/env bash
# Runs every Google Benchmark program of a build directory and prints their figures.
# Usage: scripts/bench.sh build/release [extra benchmark flags]
set -euo pipefail
build_dir=${1:?usage: bench.sh BUILD_DIR [benchmark flags]}
shift
found=0
for bin in "$build_dir"/bench/*_bench; do
  [ -x "$bin" ] || continue
  found=1
  echo "== $(basename "$bin")"
  "$bin" --benchmark_counters_tabular=true "$@"
done
if [ "$found" -eq 0 ]; then
  echo "bench.sh: no benchmark programs in $build_dir/bench (configure with GYM_BUILD_BENCH=ON)" >&2
  exit 1
fi
