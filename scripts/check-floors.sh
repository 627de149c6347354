#!/usr/bin/env bash
# Checks that gym's floors point one way (the layout rule "no floor reaches up"): a folder of
# src/gym/ may include only folders on the floors below it, and a library may link only
# libraries below it, so any floor can be built, tested and understood without those above.
#
# Usage: scripts/check-floors.sh SRC_GYM_DIR      (e.g. scripts/check-floors.sh src/gym)
# Prints one line per violation, `file:line: <from> includes <to>, a floor above it`, and exits
# 1; prints nothing and exits 0 when every arrow points down. ctest runs it (floors_point_down).
#
# Tests (*_test.cc), benchmarks (*_bench*) and src/gym/testing/ are not checked: a test may
# reach up to build its fixtures. Generated protocol code (gym/proto/...) sits below every floor.
# Only test code (tests, and *_test_util.h helpers) may include gym/testing/.
set -uo pipefail

# The floors, lowest first. Folders on one line share a floor and do not include each other.
FLOORS=(
  "frame"
  "domain"
  "pipeline"
  "storage"
  "sources sinks"
  "handlers"
  "datagen"
  "jobs"
  "server"
  "loadtest"
  "cli"
)
BELOW_ALL="proto"     # generated code: any floor may include it
TEST_ONLY="testing"   # test-only helpers: only tests may include it

root=${1:?usage: check-floors.sh SRC_GYM_DIR}
root=${root%/}
if [ ! -d "$root" ]; then
  echo "check-floors.sh: $root is not a directory" >&2
  exit 2
fi

declare -A level=()
for i in "${!FLOORS[@]}"; do
  for folder in ${FLOORS[$i]}; do level[$folder]=$i; done
done

violations=()
report() { violations+=("$1"); }

# Every folder of src/gym/ must be on a floor (or be one of the two exceptions).
for dir in "$root"/*/; do
  folder=$(basename "$dir")
  [ "$folder" = "$TEST_ONLY" ] && continue
  [ -n "${level[$folder]+x}" ] || report "$root/$folder/: on no floor (add it to FLOORS in $0)"
done

# Includes.
for folder in "${!level[@]}"; do
  [ -d "$root/$folder" ] || continue
  from=${level[$folder]}
  while IFS= read -r hit; do
    file=${hit%%:*}
    rest=${hit#*:}
    line=${rest%%:*}
    [[ $rest =~ include[[:space:]]*[\<\"]gym/([A-Za-z0-9_]+)/ ]] || continue
    to=${BASH_REMATCH[1]}
    [ "$to" = "$folder" ] && continue
    [ "$to" = "$BELOW_ALL" ] && continue
    if [ "$to" = "$TEST_ONLY" ]; then
      case "$file" in
        *_test_util.h) ;;
        *) report "$file:$line: $folder includes $TEST_ONLY, which only tests may use" ;;
      esac
      continue
    fi
    if [ -z "${level[$to]+x}" ]; then
      report "$file:$line: $folder includes $to, a folder on no floor"
    elif [ "${level[$to]}" -gt "$from" ]; then
      report "$file:$line: $folder includes $to, a floor above it"
    elif [ "${level[$to]}" -eq "$from" ]; then
      report "$file:$line: $folder includes $to, beside it on its floor"
    fi
  done < <(find "$root/$folder" -type f \( -name '*.h' -o -name '*.cc' -o -name '*.in' \) \
             ! -name '*_test.cc' ! -name '*_bench*' -print0 |
           xargs -0 -r grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]gym/[A-Za-z0-9_]+/' /dev/null)
done

# Libraries: the DEPS of each gym_library(NAME ...) in a floor's CMakeLists.txt.
declare -A lib_folder=()   # gym_<NAME> -> its folder
for folder in "${!level[@]}"; do
  cmake="$root/$folder/CMakeLists.txt"
  [ -f "$cmake" ] || continue
  while read -r name; do
    lib_folder[gym_$name]=$folder
  done < <(grep -oE 'gym_library\([A-Za-z0-9_]+' "$cmake" | sed 's/gym_library(//')
done
for folder in "${!level[@]}"; do
  cmake="$root/$folder/CMakeLists.txt"
  [ -f "$cmake" ] || continue
  from=${level[$folder]}
  # One "NAME LINE DEP DEP ..." line per gym_library call (no nested parentheses in them).
  while read -r name line deps; do
    for dep in $deps; do
      [ -n "${lib_folder[$dep]+x}" ] || continue   # not a floor's library (proto, testing, ...)
      to=${lib_folder[$dep]}
      [ "$to" = "$folder" ] && continue
      if [ "${level[$to]}" -gt "$from" ]; then
        report "$cmake:$line: gym_$name links $dep, a floor above it"
      elif [ "${level[$to]}" -eq "$from" ]; then
        report "$cmake:$line: gym_$name links $dep, beside it on its floor"
      fi
    done
  done < <(awk '
    /gym_library\(/ { in_call = 1; text = ""; start = NR }
    in_call { text = text " " $0 }
    in_call && /\)/ {
      in_call = 0
      sub(/.*gym_library\(/, "", text); sub(/\).*/, "", text)
      n = split(text, w, /[[:space:]]+/)
      name = ""; deps = ""; in_deps = 0
      for (i = 1; i <= n; i++) {
        if (w[i] == "") continue
        if (name == "") { name = w[i]; continue }
        if (w[i] == "DEPS") { in_deps = 1; continue }
        if (w[i] == "SOURCES") { in_deps = 0; continue }
        if (in_deps) deps = deps " " w[i]
      }
      print name, start, deps
    }' "$cmake")
done

if [ "${#violations[@]}" -gt 0 ]; then
  printf '%s\n' "${violations[@]}" | sort
  exit 1
fi
exit 0
