#!/usr/bin/env bash
# Installs a gym build into a temporary prefix and checks what a user of the library gets:
#   1. no internal header, and no installed header that includes sqlite3.h or oneTBB;
#   2. a project of its own (examples/consumer) configures with find_package(gym), builds
#      against gym/gym.h and gym::gym, and runs a pipeline file through the installed API.
# Usage: scripts/check-install.sh BUILD_DIR SOURCE_DIR   (run by `make test` through ctest)
set -euo pipefail
build=${1:?BUILD_DIR}
src=${2:?SOURCE_DIR}
prefix=$(mktemp -d "${TMPDIR:-/tmp}/gym-install.XXXXXX")
trap 'rm -rf "$prefix"' EXIT

cmake --install "$build" --prefix "$prefix" >"$prefix/install.log"
headers="$prefix/include/gym"
if internal=$(find "$headers" -path '*/internal/*' -name '*.h' | head -5) && [ -n "$internal" ]; then
  echo "check-install: internal headers were installed:"; echo "$internal"; exit 1
fi
if grep -rEn '^#include [<"](sqlite3\.h|oneapi/|tbb/)' "$headers"; then
  echo "check-install: the installed headers above include sqlite3.h or oneTBB"; exit 1
fi
for h in "$headers"/*/*.h; do
  # Every installed gym header must resolve its own gym includes among the installed ones.
  while read -r inc; do
    [ -f "$prefix/include/$inc" ] || { echo "check-install: $h includes $inc, not installed"; exit 1; }
  done < <(grep -oE '^#include "gym/[^"]+"' "$h" | sed -E 's/#include "(.*)"/\1/')
done

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
cmake -S "$src/examples/consumer" -B "$prefix/consumer" "${generator[@]}" \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release >"$prefix/configure.log" 2>&1 ||
  { cat "$prefix/configure.log"; exit 1; }
cmake --build "$prefix/consumer" >"$prefix/build.log" 2>&1 || { cat "$prefix/build.log"; exit 1; }
"$prefix/consumer/consumer"
echo "check-install: ok ($(find "$headers" -name '*.h' | wc -l) headers)"
