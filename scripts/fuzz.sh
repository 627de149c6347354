#!/usr/bin/env bash
# Runs every libFuzzer target built in BUILD_DIR for a bounded time (FUZZ_SECONDS, default 60).
#   scripts/fuzz.sh build/fuzz
# Fuzzer <name>_fuzz starts from the seed files in testdata/<name>/ (for csv_fuzz the first
# byte of a seed picks the delimiter, the rest is the CSV text). The working corpus and any
# crash reproducers go to BUILD_DIR/fuzz-out/<name>/; a crash fails the script, and its input
# should become a regression test beside the parser's other tests.
set -euo pipefail

build_dir=${1:?usage: scripts/fuzz.sh BUILD_DIR}
seconds=${FUZZ_SECONDS:-60}
root=$(cd "$(dirname "$0")/.." && pwd)

shopt -s nullglob
fuzzers=("$build_dir"/fuzz/*_fuzz)
if [ ${#fuzzers[@]} -eq 0 ]; then
  echo "fuzz.sh: no fuzzers in $build_dir/fuzz (configure with GYM_BUILD_FUZZ=ON and clang)" >&2
  exit 1
fi

status=0
for fuzzer in "${fuzzers[@]}"; do
  name=$(basename "$fuzzer" _fuzz)
  out="$build_dir/fuzz-out/$name"
  mkdir -p "$out/corpus" "$out/crashes"
  seeds=()
  [ -d "$root/testdata/$name" ] && seeds=("$root/testdata/$name")
  echo "fuzz.sh: $name for ${seconds}s"
  if ! "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1 -artifact_prefix="$out/crashes/" "$out/corpus" "${seeds[@]}"; then
    echo "fuzz.sh: $name found a failure; reproducers in $out/crashes/" >&2
    status=1
  fi
done
exit $status
