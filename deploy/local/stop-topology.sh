#!/usr/bin/env bash
# Stops what run-topology.sh started in the folder given (or $ETRAP_TOPOLOGY_DIR): the app processes
# first, gracefully, then the SMTP sink and PostgreSQL; removes the folder unless ETRAP_KEEP=1.
set -uo pipefail

dir="${1:-${ETRAP_TOPOLOGY_DIR:-}}"
if [ -z "$dir" ] || [ ! -f "$dir/pids" ]; then
  echo "usage: stop-topology.sh <topology folder> (the one run-topology.sh printed)" >&2
  exit 2
fi

pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
as_postgres=()
if [ "$(id -u)" = 0 ]; then as_postgres=(runuser -u postgres --); fi

# SIGTERM lets each host stop its Hangfire servers within their shutdown timeout; SIGKILL after 40 s.
mapfile -t procs < <(awk '$1 == "proc" { print $2 }' "$dir/pids")
for pid in "${procs[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
for _ in $(seq 1 40); do
  alive=0
  for pid in "${procs[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
  [ "$alive" = 0 ] && break
  sleep 1
done
for pid in "${procs[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done

while read -r kind data _; do
  if [ "$kind" = pg ] && [ -n "$pg_bin" ] && [ -f "$data/postmaster.pid" ]; then
    "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$data" -w -t 30 -m fast stop >/dev/null || true
  fi
done <"$dir/pids"

if [ "${ETRAP_KEEP:-0}" != 1 ]; then
  rm -rf "$dir"
fi
echo "STOPPED $dir"
