#!/usr/bin/env bash
# services.sh start|stop|status: the local PostgreSQL and Typesense that Hark's demo and tests use.
#
# Data lives in .data/ (ignored by git). Every step is idempotent and says what it does.
# After `start`, .data/env holds the variables that point Hark at these services.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA="$ROOT/.data"
PG_PORT="${HARK_PG_PORT:-54329}"
TS_PORT="${HARK_TS_PORT:-8108}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"

log() { printf 'services: %s\n' "$*" >&2; }

as_pg_user() {
  # initdb refuses root; on these machines we are root, so the server runs as `postgres`.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install_postgres() {
  if [ -x "$PG_BIN/pg_ctl" ]; then return; fi
  log "PostgreSQL 15 is missing; installing postgresql-15 from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql-15 postgresql-client-15 >/dev/null
  # The Debian package starts its own cluster on 5432; we run our own on $PG_PORT.
}

pg_datadir() {
  # The data folder must be reachable by the server's user. As root, the clone may sit under a
  # private home folder (0700) that `postgres` cannot traverse, so the cluster lives in a folder of
  # its own under /var/lib/hark and .data/pg is a link to it.
  if [ "$(id -u)" != 0 ]; then echo "$DATA/pg"; return; fi
  if [ -L "$DATA/pg" ]; then readlink "$DATA/pg"; return; fi
  local key; key=$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)
  echo "/var/lib/hark/$key/pg"
}

start_postgres() {
  install_postgres
  mkdir -p "$DATA"
  local dir; dir=$(pg_datadir)
  if [ "$(id -u)" = 0 ]; then
    mkdir -p "$(dirname "$dir")"; chown postgres: "$(dirname "$dir")"; chmod 0700 "$(dirname "$dir")"
    [ -e "$DATA/pg" ] || ln -s "$dir" "$DATA/pg"
    mkdir -p "$DATA/run"; chown postgres: "$DATA/run" 2>/dev/null || true
  fi
  if [ ! -s "$dir/PG_VERSION" ]; then
    log "initdb PostgreSQL cluster in $dir"
    as_pg_user mkdir -p "$dir"
    as_pg_user "$PG_BIN/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  local sock; sock=$(pg_socketdir)
  if as_pg_user "$PG_BIN/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    log "PostgreSQL already running on 127.0.0.1:$PG_PORT"
  else
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    as_pg_user "$PG_BIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $sock -c max_connections=200 -c fsync=${HARK_PG_FSYNC:-on} -c shared_buffers=512MB" >/dev/null
  fi
  for db in hark hark_test; do
    if ! psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1; then
      log "creating database $db"
      psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE $db" >/dev/null
    fi
  done
}

pg_socketdir() {
  if [ "$(id -u)" = 0 ]; then echo "$(dirname "$(pg_datadir)")"; else echo "$DATA"; fi
}

stop_postgres() {
  local dir; dir=$(pg_datadir)
  [ -s "$dir/PG_VERSION" ] || return 0
  if as_pg_user "$PG_BIN/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    log "stopping PostgreSQL"
    as_pg_user "$PG_BIN/pg_ctl" -D "$dir" -m fast -w stop >/dev/null
  fi
}

ts_key() {
  mkdir -p "$DATA"
  if [ ! -s "$DATA/typesense.key" ]; then
    log "generating Typesense admin key in .data/typesense.key"
    head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$DATA/typesense.key"
    chmod 0600 "$DATA/typesense.key"
  fi
  cat "$DATA/typesense.key"
}

ts_healthy() { curl -fsS "http://127.0.0.1:$TS_PORT/health" 2>/dev/null | grep -q '"ok":true'; }

ts_writable() {
  # /health turns ok before a restarted server takes writes ("Not Ready or Lagging"): probe one.
  local key h; key=$(ts_key); h="X-TYPESENSE-API-KEY: $key"
  curl -fsS -o /dev/null -H "$h" -X POST "http://127.0.0.1:$TS_PORT/collections" \
    -d '{"name":"hark_ready_probe","fields":[{"name":"x","type":"string"}]}' 2>/dev/null || return 1
  curl -fsS -o /dev/null -H "$h" -X DELETE "http://127.0.0.1:$TS_PORT/collections/hark_ready_probe" 2>/dev/null
}

wait_writable() {
  for i in $(seq 1 240); do
    ts_writable && return 0
    [ $((i % 20)) = 0 ] && log "Typesense is up but not taking writes yet ($((i / 2))s)"
    sleep 0.5
  done
  log "Typesense did not take writes within 2 minutes"; exit 1
}

ts_ours() {
  # A healthy server on our port is ours only if it takes our key.
  curl -fsS -o /dev/null -H "X-TYPESENSE-API-KEY: $(ts_key)" "http://127.0.0.1:$TS_PORT/collections" 2>/dev/null
}

start_typesense() {
  local key bin
  key=$(ts_key)
  if ts_healthy; then
    if ts_ours; then log "Typesense already running on 127.0.0.1:$TS_PORT"; wait_writable; return; fi
    log "a Typesense that is not this checkout's (it refuses .data/typesense.key) holds 127.0.0.1:$TS_PORT;"
    log "stop it (scripts/services.sh stop in its checkout) or set HARK_TS_PORT"
    exit 1
  fi
  bin=$("$ROOT/scripts/install-typesense.sh")
  mkdir -p "$DATA/typesense"
  log "starting Typesense on 127.0.0.1:$TS_PORT"
  nohup "$bin" --data-dir "$DATA/typesense" --api-key "$key" --listen-address 127.0.0.1 \
    --api-port "$TS_PORT" --peering-port "$((TS_PORT + 1))" --enable-cors \
    --snapshot-interval-seconds 300 \
    --log-dir "$DATA/typesense" >"$DATA/typesense/stdout.log" 2>&1 &
  echo $! > "$DATA/typesense.pid"
  # A fresh server is up in seconds; one replaying a large write log (after a benchmark, say)
  # can take minutes, so wait as long as the process lives, up to 10 minutes.
  for i in $(seq 1 1200); do
    if ts_healthy; then wait_writable; log "Typesense is ready"; return; fi
    if ! kill -0 "$(cat "$DATA/typesense.pid")" 2>/dev/null; then
      log "Typesense exited; see $DATA/typesense/typesense.log"; tail -5 "$DATA/typesense/stdout.log" >&2; exit 1
    fi
    [ $((i % 60)) = 0 ] && log "Typesense is still loading its data ($((i / 2))s)"
    sleep 0.5
  done
  log "Typesense did not become healthy in 10 minutes"; exit 1
}

stop_typesense() {
  # The pid file names the server we started; pgrep also finds one whose pid file was lost.
  local pids
  pids="$(cat "$DATA/typesense.pid" 2>/dev/null || true) $(pgrep -f -- "--data-dir $DATA/typesense " 2>/dev/null || true)"
  for pid in $pids; do
    if kill -0 "$pid" 2>/dev/null; then
      log "stopping Typesense (pid $pid)"
      kill "$pid"
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  rm -f "$DATA/typesense.pid"
}

write_env() {
  cat > "$DATA/env" <<ENV
DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/hark?sslmode=disable
TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/hark_test?sslmode=disable
TYPESENSE_URL=http://127.0.0.1:$TS_PORT
TYPESENSE_API_KEY=$(ts_key)
ENV
}

case "${1:-}" in
  start) start_postgres; start_typesense; write_env; log "services up; environment in .data/env" ;;
  stop) stop_typesense; stop_postgres ;;
  status)
    as_pg_user "$PG_BIN/pg_ctl" -D "$(pg_datadir)" status >/dev/null 2>&1 && log "PostgreSQL: running" || log "PostgreSQL: stopped"
    ts_healthy && log "Typesense: running" || log "Typesense: stopped" ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
