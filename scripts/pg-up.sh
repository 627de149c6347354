#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 cluster in DIR, listening on 127.0.0.1:PORT and on a unix
# socket in DIR/sock, with trust authentication for the `postgres` user. Run as root: the
# server itself runs as the `postgres` system user (PostgreSQL refuses to run as root).
#
#   scripts/pg-up.sh /tmp/gym-pg 55432
#   gym serve --db "postgresql://postgres@127.0.0.1:55432/postgres"
#   scripts/pg-down.sh /tmp/gym-pg
#
# A DIR that already holds a cluster is started again with its data. Takes about 2 s.
set -euo pipefail
dir=${1:?usage: pg-up.sh DIR PORT}
port=${2:?usage: pg-up.sh DIR PORT}
bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$bin/initdb" ]; then
  echo "pg-up: $bin/initdb not found: install postgresql-15 (scripts/install-deps.sh)" >&2
  exit 1
fi
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
chmod 755 "$dir"
if ! runuser -u postgres -- test -x "$dir"; then
  echo "pg-up: the postgres user cannot reach $dir (a parent folder is private to root," \
    "as mktemp -d makes them); use a folder it can traverse" >&2
  exit 1
fi
install -d -o postgres -g postgres -m 700 "$dir/data"
install -d -o postgres -g postgres -m 755 "$dir/sock" "$dir/log"
as_postgres() { runuser -u postgres -- "$@"; }
if [ ! -s "$dir/data/PG_VERSION" ]; then
  as_postgres "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/log/initdb.log" 2>&1 ||
    { echo "pg-up: initdb failed; see $dir/log/initdb.log" >&2; exit 1; }
fi
# synchronous_commit stays on (the default): an acknowledged batch is on disk.
as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/log/pg.log" -w -t 60 \
  -o "-k $dir/sock -p $port -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null ||
  { echo "pg-up: the server did not start; see $dir/log/pg.log" >&2; exit 1; }
echo "postgresql://postgres@127.0.0.1:$port/postgres"
