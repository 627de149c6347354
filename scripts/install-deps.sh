#!/usr/bin/env bash
# Installs every Debian package gym needs to build, test, benchmark and run its demo.
# Idempotent: when everything is already present it does nothing (no apt-get update).
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build pkg-config make git
  # RPC (gRPC C++ + protobuf, the protoc gRPC plugin); Abseil comes with gRPC
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler libabsl-dev
  # DAG scheduler, storage, text, CLI, logs, metrics, JSON
  libtbb-dev libsqlite3-dev sqlite3 libutf8proc-dev libcli11-dev libspdlog-dev libfmt-dev
  prometheus-cpp-dev nlohmann-json3-dev
  # allocator of the gym binary
  libjemalloc-dev
  # plots for the load-test graph
  gnuplot-nox
  # tests, benchmarks, fuzzing
  libgtest-dev libgmock-dev libbenchmark-dev clang libclang-rt-14-dev
  # pipeline files
  libtomlplusplus-dev
  # SHA-256 of dropped files (their identity in gym run); TLS test certificates
  libssl-dev openssl
  # the shared store of several replicas: PostgreSQL 15 and its C++ client
  postgresql-15 libpqxx-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
