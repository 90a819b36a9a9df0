#!/usr/bin/env bash
# Starts the production topology on this machine, without containers: a throwaway PostgreSQL cluster,
# an SMTP sink, the one-shot migration, one web process and two worker processes of the built app,
# all on 127.0.0.1. Waits until every process answers /healthz/ready, then writes the addresses to
# $ETRAP_TOPOLOGY_DIR/topology.env and exits; stop-topology.sh stops everything again.
#
#   ETRAP_APP_DLL        the built ExecutionTrap.Web.dll (default: the Release build of this checkout)
#   ETRAP_TOPOLOGY_DIR   where the cluster, logs and pid files go (default: a new temporary folder)
#   ETRAP_READY_TIMEOUT  seconds to wait for readiness (default 120)
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
app="${ETRAP_APP_DLL:-$repo/src/ExecutionTrap.Web/bin/Release/net10.0/ExecutionTrap.Web.dll}"
dir="${ETRAP_TOPOLOGY_DIR:-$(mktemp -d -t etrap-topology-XXXXXX)}"
timeout="${ETRAP_READY_TIMEOUT:-120}"

if [ ! -f "$app" ]; then
  echo "run-topology: $app does not exist; build first (dotnet build -c Release) or set ETRAP_APP_DLL." >&2
  exit 2
fi

mkdir -p "$dir/logs"
: > "$dir/pids"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Everything started so far is stopped again when a later step fails.
trap 'echo "run-topology: failed; stopping what was started (logs kept in $dir/logs)" >&2; ETRAP_KEEP=1 "$repo/deploy/local/stop-topology.sh" "$dir" >&2 || true' ERR

# PostgreSQL: Debian's binaries, a cluster of our own on a free port; initdb refuses root, so run as postgres.
pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "run-topology: PostgreSQL is not installed (apt-get install postgresql)." >&2
  exit 2
fi
as_postgres=()
if [ "$(id -u)" = 0 ]; then
  as_postgres=(runuser -u postgres --)
fi
pg_port="$(free_port)"
mkdir -p "$dir/pg"
if [ "$(id -u)" = 0 ]; then chown postgres "$dir" "$dir/pg"; fi
"${as_postgres[@]}" "$pg_bin/initdb" -D "$dir/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/logs/initdb.log"
"${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$dir/pg" -l "$dir/pg/server.log" -w -t 60 \
  -o "-p $pg_port -k $dir/pg -c listen_addresses=127.0.0.1 -c max_connections=200" start >"$dir/logs/pg_ctl.log"
echo "pg $dir/pg" >>"$dir/pids"
"$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -q -c "CREATE DATABASE executiontrap" postgres
database="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=executiontrap"

# SMTP sink: aiosmtpd accepts and discards every message (Debian's python3-aiosmtpd).
python=python3
if ! "$python" -c 'import aiosmtpd' 2>/dev/null; then python=/usr/bin/python3; fi
smtp_port="$(free_port)"
nohup "$python" -m aiosmtpd -n -c aiosmtpd.handlers.Sink -l "127.0.0.1:$smtp_port" >"$dir/logs/smtp.log" 2>&1 </dev/null &
echo "proc $! smtp" >>"$dir/pids"

# The configuration every process shares; secrets would come from the environment the same way.
export ASPNETCORE_ENVIRONMENT=Production
export DOTNET_NOLOGO=1
export Logging__Format=json
export Storage__Provider=PostgreSql
export Storage__ConnectionString="$database"
export Storage__MigrateOnStart=false
export Jobs__Storage=PostgreSql
export Jobs__SyncSpreadSeconds=60
export Reports__Smtp__Host=127.0.0.1
export Reports__Smtp__Port="$smtp_port"
export Reports__Smtp__StartTls=None
export Reports__UnsubscribeKey="local-topology-unsubscribe-key-$(date +%s)-0123456789abcdef"
export Reports__PickupFolder="$dir/mail"

# The certificate that encrypts the data-protection key ring in the database (a real deployment
# brings its own: deploy/README.md); outside Development the host does not start without one.
openssl req -x509 -newkey rsa:3072 -nodes -keyout "$dir/keyring.key" -out "$dir/keyring.crt" -days 30 \
  -subj "/CN=ExecutionTrap local topology key ring" 2>"$dir/logs/openssl.log"
openssl pkcs12 -export -inkey "$dir/keyring.key" -in "$dir/keyring.crt" -out "$dir/keyring.pfx" -passout pass:local-topology
rm -f "$dir/keyring.key"
export DataProtection__CertificatePath="$dir/keyring.pfx"
export DataProtection__CertificatePassword=local-topology

dotnet "$app" --migrate >"$dir/logs/migrate.log" 2>&1 || {
  echo "run-topology: migrations failed, see $dir/logs/migrate.log" >&2
  false
}

start() {
  local name="$1" role="$2" port="$3"
  shift 3
  Host__Role="$role" nohup dotnet "$app" --urls "http://127.0.0.1:$port" "$@" >"$dir/logs/$name.log" 2>&1 </dev/null &
  echo "proc $! $name" >>"$dir/pids"
  echo "http://127.0.0.1:$port"
}

web_url="$(start web web "$(free_port)")"
worker1_url="$(start worker1 worker "$(free_port)" --Jobs:Queues:sync:Workers=2 --Jobs:Queues:email:Workers=1)"
worker2_url="$(start worker2 worker "$(free_port)" --Jobs:Queues:sync:Workers=2 --Jobs:Queues:email:Workers=1)"

deadline=$(( $(date +%s) + timeout ))
for url in "$web_url" "$worker1_url" "$worker2_url"; do
  until curl -fs -o /dev/null --max-time 5 "$url/healthz/ready"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "run-topology: $url did not become ready within $timeout s; logs in $dir/logs" >&2
      false
    fi
    sleep 1
  done
done

cat >"$dir/topology.env" <<ENV
ETRAP_TOPOLOGY_DIR=$dir
ETRAP_WEB_URL=$web_url
ETRAP_WORKER1_URL=$worker1_url
ETRAP_WORKER2_URL=$worker2_url
ETRAP_DATABASE=$database
ETRAP_SMTP_PORT=$smtp_port
ENV
trap - ERR
echo "READY $dir"
