# Sourced by scripts/pg-ratio.sh and scripts/pg-replicas.sh: a throwaway PostgreSQL cluster
# for one measurement run, `gym serve` replicas on it, and the closed-loop load both measure.
# Expects $gym (the gym binary); sets $work (a folder removed on exit) and $port.
#
#   pg_bench_setup pg-ratio        # cluster up; cleaned up (servers too) on exit
#   fresh db1; start 2 "$(uri db1)"; echo "$(closed) events/s"; stop

pids=()
# Starts the cluster under a new folder named after $1.
pg_bench_setup() {
  work=$(mktemp -d "/tmp/gym-$1-XXXXXX")
  chmod 755 "$work"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  trap pg_bench_cleanup EXIT
  scripts/pg-up.sh "$work/pg" "$port" >/dev/null
}
pg_bench_cleanup() {
  [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null || true
  scripts/pg-down.sh "$work/pg" --remove || true
  rm -rf "$work"
}
uri() { echo "postgresql://postgres@127.0.0.1:$port/$1"; }
fresh() { psql -X -qAt "$(uri postgres)" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"; }

# Starts $1 servers on database $2; sets pids and targets (host:port,host:port,...).
start() {
  local n=$1 db=$2 i out t
  pids=() targets=""
  for i in $(seq 1 "$n"); do
    out="$work/serve_$i.out"
    "$gym" --log-level warn serve --listen 127.0.0.1:0 --db "$db" \
      --model "$work/risk_model.json" >"$out" 2>&1 &
    pids+=($!)
    t=""
    for _ in $(seq 100); do
      t=$(grep -o 'listening on [0-9.:]*' "$out" | cut -d' ' -f3 || true)
      [ -n "$t" ] && break
      sleep 0.1
    done
    [ -n "$t" ] || { echo "$0: gym serve did not start: $(cat "$out")" >&2; exit 1; }
    targets=${targets:+$targets,}$t
  done
}
stop() { kill "${pids[@]}"; wait "${pids[@]}" || true; pids=(); }

# Events/s of 20 closed-loop clients sending transaction batches of 200 through $targets.
closed() {
  "$gym" --log-level warn loadtest run --target "$targets" --mode closed --clients 20 \
    --client-batches 1 --tx-batches 100 --score-batches 0 --logs "$work/logs" |
    grep -o 'throughput: [0-9.]* batches/s, [0-9.]* events/s' | awk '{print $4}'
}
