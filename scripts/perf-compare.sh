#!/usr/bin/env bash
# Side by side: the gym of BASE against HEAD's, alternated on the same workloads (ABAB...), so a
# figure's drift on this shared machine hits both. Prints each figure's median for both and
# their ratio (HEAD / BASE).
#
#   scripts/perf-compare.sh BASE [HEAD] [--rounds N] [--prefill N] [--no-bench]
#
# BASE and HEAD are git revisions; HEAD defaults to the working tree as built in build/release
# (`make build`). A revision is built (Release, the gym binary and the benchmarks) in a
# worktree under ${PERF_WORK:-/tmp/gym-perf}/<sha>, kept for the next comparison.
#
# Workloads, each against its own `gym serve` with a fresh database on a free loopback port:
#   paced   20 clients, the seed's workload at --scale 0.25: mean, p50 and p99 round trip
#   ping    the transport floor: 20 clients of `gym loadtest ping`, the same pauses
#   closed  20 clients, transaction batches of 200 back to back: events/s, server peak RSS;
#           once with the load test's derived event ids and, where the build has
#           `--event-ids`, once with a random UUID per event; --prefill N first brings the
#           table to N rows (through the server) so the figure holds for a large table; the
#           loop then runs against a new server process on that table, and the prefill's
#           own peak RSS is printed apart (prefill_server_peak_rss_mib)
# and the limits, measured in the same rounds: bench/store_limit (the raw SQLite insert
# rate of the same rows into the same schema, derived and uuid keys, after the same
# prefill). Then every benchmark of both builds' bench/, unless --no-bench.
# Last, each build's figures as ratios to the limits (DESIGN.md §7 states the goals).
set -euo pipefail

usage() { sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
rounds=3
bench=1
prefill=0
revs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=${2:?--rounds needs a number}; shift 2 ;;
    --no-bench) bench=0; shift ;;
    --prefill) prefill=${2:?--prefill needs a number}; shift 2 ;;
    -h|--help) usage ;;
    -*) echo "perf-compare.sh: unknown option $1" >&2; usage ;;
    *) revs+=("$1"); shift ;;
  esac
done
[ ${#revs[@]} -ge 1 ] && [ ${#revs[@]} -le 2 ] || usage
if ! [[ "$rounds" =~ ^[1-9][0-9]*$ ]]; then
  echo "perf-compare.sh: --rounds: must be a whole number from 1, got '$rounds'" >&2
  exit 2
fi
if ! [[ "$prefill" =~ ^[0-9]+$ ]]; then
  echo "perf-compare.sh: --prefill: must be a whole number, got '$prefill'" >&2
  exit 2
fi

root=$(git rev-parse --show-toplevel)
work=${PERF_WORK:-/tmp/gym-perf}
mkdir -p "$work"

# Builds revision $1 in a worktree; prints its build directory.
build_rev() {
  local sha dir
  sha=$(git -C "$root" rev-parse --verify "$1^{commit}") || {
    echo "perf-compare.sh: no such revision: $1" >&2; exit 2; }
  dir="$work/${sha:0:12}"
  if [ ! -d "$dir" ]; then
    git -C "$root" worktree add --detach "$dir" "$sha" >&2
  fi
  echo "== building $1 (${sha:0:12}) in $dir" >&2
  # The gym binary and the benchmarks only: the tests would triple the build.
  (cd "$dir" && cmake --preset release -DGYM_BUILD_BENCH=ON >/dev/null &&
    cmake --build --preset release -j "$(nproc)" --target gym \
      $(ls bench/*_bench.cc bench/store_limit.cc 2>/dev/null | xargs -r -n1 basename |
        sed 's/\.cc$//') >&2) || {
    echo "perf-compare.sh: the build of $1 failed" >&2; exit 1; }
  echo "$dir/build/release"
}

base_build=$(build_rev "${revs[0]}")
if [ ${#revs[@]} -eq 2 ]; then
  head_build=$(build_rev "${revs[1]}")
  head_name=${revs[1]}
else
  head_build="$root/build/release"
  head_name="working tree"
  [ -x "$head_build/src/gym/cli/gym" ] || {
    echo "perf-compare.sh: no $head_build/src/gym/cli/gym: run 'make build' first" >&2; exit 1; }
fi

results=$(mktemp -d)
server_pid=
# A server left by a failed step is stopped too.
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$results"' EXIT

# Starts `gym serve` of build $1 on a free port with a fresh database in $2; sets server_pid
# and target. Without a model file it trains its own at start (the same seed, in ~30 ms).
start_server() {
  local gym="$1/src/gym/cli/gym" dir=$2 i
  "$gym" --log-level warn serve --listen 127.0.0.1:0 --db "$dir/gym.db" \
    --model "$dir/no_model.json" >"$dir/serve.out" 2>"$dir/serve.err" &
  server_pid=$!
  for i in $(seq 100); do
    target=$(sed -n 's/^listening on //p' "$dir/serve.out")
    [ -n "$target" ] && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "perf-compare.sh: gym serve of $1 did not start:" >&2
  cat "$dir/serve.err" >&2
  exit 1
}

stop_server() {
  kill -TERM "$server_pid"
  wait "$server_pid" || true
  server_pid=
}

# The closed-loop run of build $1 against $target with event ids $2 (derived|uuid); appends
# its events/s (and, for derived, the server's peak RSS) to file $3. --prefill first.
closed_run() {
  local build=$1 ids=$2 out=$3 gym="$1/src/gym/cli/gym" report help flags=()
  # Read whole, not piped to `grep -q`: grep would exit at the first match and gym's write of
  # the rest would die of SIGPIPE, failing the check under pipefail.
  help=$("$gym" loadtest run --help 2>/dev/null) || help=
  if [ "$ids" != derived ]; then
    [[ $help == *--event-ids* ]] || return 0
    flags=(--event-ids "$ids")
  fi
  if [ "$prefill" -gt 0 ]; then
    [[ $help == *--prefill* ]] || return 0
    # The prefill (4 streams of 5,000-row batches: a bulk load, not the workload measured)
    # runs alone, its peak noted; then a new server process on the filled table serves the
    # measured loop, so its peak RSS is the loop's on a table of that size.
    report=$("$gym" --log-level warn loadtest run --target "$target" --clients 1 --mode closed \
      --client-batches 1 --tx-batches 0 --score-batches 0 --logs "$dir/prefill_$ids" \
      --event-ids "$ids" --prefill "$prefill" 2>&1) ||
      echo "perf-compare.sh: prefill ($ids) failed: $report" >&2
    if [ "$ids" = derived ]; then
      echo "prefill_server_peak_rss_mib $(awk '/VmHWM/ {print $2 / 1024}' "/proc/$server_pid/status")" >>"$out"
    fi
    stop_server
    start_server "$build" "$dir"
  fi
  report=$("$gym" --log-level warn loadtest run --target "$target" --clients 20 --mode closed \
    --client-batches 1 --tx-batches 400 --score-batches 0 --logs "$dir/closed_$ids" \
    "${flags[@]}" 2>&1) || echo "perf-compare.sh: closed $ids run failed: $report" >&2
  if [ "$ids" = derived ]; then
    echo "closed_server_peak_rss_mib $(awk '/VmHWM/ {print $2 / 1024}' "/proc/$server_pid/status")" >>"$out"
  fi
  echo "$report" | awk -v f="closed_${ids}_events_per_s" '/^throughput:/ { print f, $4 }' >>"$out"
}

# One round of every workload with build $1; appends "figure value" lines to file $2.
run_round() {
  local build=$1 out=$2 dir gym="$1/src/gym/cli/gym" report ids
  dir=$(mktemp -d -p "$results")
  start_server "$build" "$dir"
  report=$("$gym" --log-level warn loadtest run --target "$target" --clients 20 --scale 0.25 \
    --logs "$dir/paced" 2>&1) || echo "perf-compare.sh: paced run failed: $report" >&2
  echo "$report" | awk '/round-trip \(ms\)/ {
      for (i = 1; i <= NF; i++) {
        if ($i == "mean") m = $(i+1); if ($i == "median") p50 = $(i+1); if ($i == "p99") p = $(i+1) }
      print "paced_mean_ms", m; print "paced_p50_ms", p50; print "paced_p99_ms", p }' >>"$out"
  report=$("$gym" --log-level warn loadtest ping --target "$target" --clients 20 --count 20 2>&1) ||
    echo "perf-compare.sh: ping failed: $report" >&2
  echo "$report" | awk '/round-trip \(ms\)/ {
      for (i = 1; i <= NF; i++) if ($i == "mean") m = $(i+1); print "ping_mean_ms", m }' >>"$out"
  stop_server
  for ids in derived uuid; do
    rm -rf "$dir/gym.db"*
    start_server "$build" "$dir"
    closed_run "$build" "$ids" "$out"
    stop_server
  done
  rm -rf "$dir"
}

# The store's limit (bench/store_limit of HEAD's build, else BASE's): the same for both sides,
# measured once per round; appends to both files.
limit_round() {
  local bin=$head_build/bench/store_limit keys rate help dedup=()
  [ -x "$bin" ] || bin=$base_build/bench/store_limit
  [ -x "$bin" ] || return 0
  # The fastest layout the binary knows: gym's key index where it has one (SQLite's UNIQUE
  # index costs random keys 15-20x), so the limit stays the store's best, whichever side
  # uses it.
  help=$("$bin" --help 2>/dev/null) || help=
  [[ $help == *index\|gym* ]] && dedup=(--dedup gym)
  for keys in derived uuid; do
    rate=$("$bin" --keys "$keys" --prefill "$prefill" --txn-rows 2000,10000 "${dedup[@]}" --json |
      sed -n 's/.*"rows_per_s": \([0-9.]*\).*/\1/p') || rate=
    [ -n "$rate" ] || { echo "perf-compare.sh: store_limit --keys $keys failed" >&2; continue; }
    echo "store_limit_${keys}_rows_per_s $rate" | tee -a "$results/base.txt" >>"$results/head.txt"
  done
}

for r in $(seq "$rounds"); do
  echo "== round $r of $rounds: ${revs[0]}" >&2
  run_round "$base_build" "$results/base.txt"
  echo "== round $r of $rounds: $head_name" >&2
  run_round "$head_build" "$results/head.txt"
  echo "== round $r of $rounds: store_limit" >&2
  limit_round
done

if [ "$bench" -eq 1 ]; then
  for r in $(seq "$rounds"); do
    for side in base head; do
      build=$base_build
      [ "$side" = head ] && build=$head_build
      for bin in "$build"/bench/*_bench; do
        [ -x "$bin" ] || continue
        echo "== round $r of $rounds: $side $(basename "$bin")" >&2
        "$bin" --benchmark_format=csv 2>/dev/null | awk -F, -v b="$(basename "$bin")" '
          NR > 1 && $1 !~ /^"?name/ && $4 != "" {
            gsub(/"/, "", $1); print b "/" $1 "_" $5, $3 }' >>"$results/$side.txt"
      done
    done
  done
fi

# median of the values of one figure in a file
median() {
  awk -v f="$1" '$1 == f { print $2 }' "$2" | sort -g |
    awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2];
          else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

printf '\n%-58s %14s %14s %8s\n' "figure (median of $rounds)" "${revs[0]:0:14}" "${head_name:0:14}" "ratio"
cut -d' ' -f1 "$results/base.txt" "$results/head.txt" | awk '!seen[$0]++' | while read -r fig; do
  b=$(median "$fig" "$results/base.txt")
  h=$(median "$fig" "$results/head.txt")
  ratio=$(awk -v b="$b" -v h="$h" 'BEGIN { if (b == "-" || h == "-" || b == 0) print "-";
                                            else printf "%.3f", h / b }')
  printf '%-58s %14s %14s %8s\n' "$fig" "$b" "$h" "$ratio"
done

# Each build's figures against the limits measured in the same rounds.
ratio() {  # ratio NUMERATOR_FIGURE DENOMINATOR_FIGURE FILE
  awk -v a="$(median "$1" "$3")" -v b="$(median "$2" "$3")" 'BEGIN {
    if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.3f", a / b }'
}
printf '\n%-58s %14s %14s %8s\n' "ratio (goal, DESIGN.md §7)" "${revs[0]:0:14}" "${head_name:0:14}" ""
while read -r name num den; do
  printf '%-58s %14s %14s\n' "$name" "$(ratio "$num" "$den" "$results/base.txt")" \
    "$(ratio "$num" "$den" "$results/head.txt")"
done <<'RATIOS'
closed_derived/store_limit_derived(>=0.8) closed_derived_events_per_s store_limit_derived_rows_per_s
closed_uuid/store_limit_uuid(>=0.8) closed_uuid_events_per_s store_limit_uuid_rows_per_s
closed_uuid/closed_derived(>=0.8) closed_uuid_events_per_s closed_derived_events_per_s
paced_mean/ping_mean(<=1.6) paced_mean_ms ping_mean_ms
paced_p99/paced_p50(<=2) paced_p99_ms paced_p50_ms
RATIOS
