#!/usr/bin/env bash
# typesense-cluster.sh start|stop|status: a 3-node Typesense 0.24.1 Raft cluster on loopback, for
# trying Hark against a cluster by hand. (Tests start their own: see search/cluster_test.go.)
#
# Node i (1..3) serves its API on 127.0.0.1:$((BASE + 10*(i-1))) and peers on the port after it
# (with the default BASE=7108: 7108/7109, 7118/7119, 7128/7129). Each node keeps its data in
# .data/typesense-cluster/node<i>; they share the nodes file .data/typesense-cluster/nodes. The
# admin key is the local one, .data/typesense.key. After `start`, point Hark at all three:
#
#   TYPESENSE_URL=http://127.0.0.1:7108,http://127.0.0.1:7118,http://127.0.0.1:7128
#
# A new cluster elects its first leader after Raft's election timeout, 5-10s. Reads are answered
# by any live node; writes need a leader and a majority (2 of 3) of nodes up.
#
# Beware restarts: a node that starts replays its Raft log since the last snapshot (hourly by
# default), and Typesense 0.24.1 drops the replayed writes that were addressed to an alias, as all
# of Hark's are. The reconcile_index job finds and repairs what went missing.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR="$ROOT/.data/typesense-cluster"
BASE="${HARK_TS_CLUSTER_PORT:-7108}"
NODES=3

log() { printf 'typesense-cluster: %s\n' "$*" >&2; }

api_port() { echo $((BASE + 10 * ($1 - 1))); }
peering_port() { echo $(($(api_port "$1") + 1)); }
pidfile() { echo "$DIR/node$1.pid"; }

key() {
  mkdir -p "$ROOT/.data"
  if [ ! -s "$ROOT/.data/typesense.key" ]; then
    log "generating Typesense admin key in .data/typesense.key"
    head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$ROOT/.data/typesense.key"
    chmod 0600 "$ROOT/.data/typesense.key"
  fi
  cat "$ROOT/.data/typesense.key"
}

running() { [ -s "$(pidfile "$1")" ] && kill -0 "$(cat "$(pidfile "$1")")" 2>/dev/null; }
healthy() { curl -fsS -m 1 "http://127.0.0.1:$(api_port "$1")/health" 2>/dev/null | grep -q '"ok":true'; }

# raft_state prints the node's Raft state: 1 leader, 4 follower (braft's numbers), else nothing.
raft_state() {
  curl -fsS -m 1 -H "X-TYPESENSE-API-KEY: $(key)" "http://127.0.0.1:$(api_port "$1")/debug" 2>/dev/null |
    sed -n 's/.*"state":\([0-9]*\).*/\1/p'
}

urls() {
  local out=() i
  for i in $(seq 1 $NODES); do out+=("http://127.0.0.1:$(api_port "$i")"); done
  (IFS=,; echo "${out[*]}")
}

start() {
  local bin k i nodes=()
  bin=$("$ROOT/scripts/install-typesense.sh")
  k=$(key)
  mkdir -p "$DIR"
  for i in $(seq 1 $NODES); do nodes+=("127.0.0.1:$(peering_port "$i"):$(api_port "$i")"); done
  (IFS=,; printf '%s' "${nodes[*]}") > "$DIR/nodes"
  for i in $(seq 1 $NODES); do
    if running "$i"; then log "node $i already running on 127.0.0.1:$(api_port "$i")"; continue; fi
    mkdir -p "$DIR/node$i"
    log "starting node $i: api 127.0.0.1:$(api_port "$i"), peering $(peering_port "$i")"
    nohup "$bin" --data-dir "$DIR/node$i" --api-key "$k" --api-address 127.0.0.1 \
      --api-port "$(api_port "$i")" --peering-address 127.0.0.1 --peering-port "$(peering_port "$i")" \
      --nodes "$DIR/nodes" --log-dir "$DIR/node$i" >"$DIR/node$i/stdout.log" 2>&1 &
    echo $! > "$(pidfile "$i")"
  done
  log "waiting for a leader (Raft elects one after 5-10s)"
  for _ in $(seq 1 120); do
    local leaders=0 ok=0 s
    for i in $(seq 1 $NODES); do
      if ! running "$i"; then
        log "node $i exited; see $DIR/node$i/typesense.log"; tail -5 "$DIR/node$i/stdout.log" >&2; exit 1
      fi
      healthy "$i" && ok=$((ok + 1))
      s=$(raft_state "$i"); [ "$s" = 1 ] && leaders=$((leaders + 1))
    done
    if [ "$ok" = $NODES ] && [ "$leaders" = 1 ]; then
      log "cluster ready"
      echo "TYPESENSE_URL=$(urls)"
      return
    fi
    sleep 0.5
  done
  log "no leader with all nodes healthy after 60s"; status; exit 1
}

stop() {
  local i pid
  for i in $(seq 1 $NODES); do
    running "$i" || { rm -f "$(pidfile "$i")"; continue; }
    pid=$(cat "$(pidfile "$i")")
    log "stopping node $i"
    kill "$pid"
  done
  # A node that has lost its peers can take long to shut down cleanly; give each 15s.
  for i in $(seq 1 $NODES); do
    [ -s "$(pidfile "$i")" ] || continue
    pid=$(cat "$(pidfile "$i")")
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$(pidfile "$i")"
  done
}

status() {
  local i s role
  for i in $(seq 1 $NODES); do
    if ! running "$i"; then log "node $i (127.0.0.1:$(api_port "$i")): stopped"; continue; fi
    s=$(raft_state "$i")
    case "$s" in 1) role=leader ;; 4) role=follower ;; "") role="no answer" ;; *) role="raft state $s" ;; esac
    if healthy "$i"; then log "node $i (127.0.0.1:$(api_port "$i")): healthy, $role"; else log "node $i (127.0.0.1:$(api_port "$i")): not healthy, $role"; fi
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
