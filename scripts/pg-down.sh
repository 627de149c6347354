#!/usr/bin/env bash
# Stops the cluster that scripts/pg-up.sh started in DIR (fast shutdown), if it runs.
#   scripts/pg-down.sh /tmp/gym-pg [--remove]   (--remove: delete DIR afterwards)
set -euo pipefail
dir=${1:?usage: pg-down.sh DIR [--remove]}
bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
if [ -s "$dir/data/postmaster.pid" ]; then
  runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
fi
if [ "${2:-}" = --remove ]; then rm -rf "$dir"; fi
