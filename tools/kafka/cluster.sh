#!/usr/bin/env bash
# A three-node Apache Kafka (KRaft) cluster on this machine, for what one broker cannot show:
# leader election, and producers waiting while fewer than min.insync.replicas are alive. Each
# node is broker and controller (a quorum of three voters), started by kafka.sh with its own
# ports, state folder and a small heap; storage is formatted once with one cluster id; topics
# default to replication factor 3 and min.insync.replicas 2, the internal topics too.
#   cluster.sh start [n...] | stop [n...] | kill n... | status | reset | brokers
# start and stop act on every node unless given some; kill SIGKILLs the nodes given, all at once
# (a crash, for fault tests; start brings them back on the same storage). Idempotent, any cwd.
#   KAFKA_CLUSTER_PORT       node n listens on PORT+2(n-1), its controller on the next (9192)
#   KAFKA_CLUSTER_STATE_DIR  node n keeps its state in DIR/node-n (.cache/kafka/cluster)
#   KAFKA_HEAP               each node's heap (320m: three JVMs share a small machine)
#   KAFKA_STOP_WITH_PID      as for kafka.sh: the nodes stop when that process ends
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
base_port="${KAFKA_CLUSTER_PORT:-9192}"
state="${KAFKA_CLUSTER_STATE_DIR:-$root/.cache/kafka/cluster}"
nodes=(1 2 3)

log() { printf '[kafka-cluster] %s\n' "$*" >&2; }

port_of() { echo $((base_port + 2 * ($1 - 1))); }
controller_port_of() { echo $(($(port_of "$1") + 1)); }

voters() {
  local n list=()
  for n in "${nodes[@]}"; do list+=("$n@127.0.0.1:$(controller_port_of "$n")"); done
  (IFS=,; echo "${list[*]}")
}

brokers() {
  local n list=()
  for n in "${nodes[@]}"; do list+=("127.0.0.1:$(port_of "$n")"); done
  (IFS=,; echo "${list[*]}")
}

node() { # n command: kafka.sh for node n
  local n="$1"
  shift
  KAFKA_PORT="$(port_of "$n")" KAFKA_CONTROLLER_PORT="$(controller_port_of "$n")" \
    KAFKA_STATE_DIR="$state/node-$n" KAFKA_NODE_ID="$n" KAFKA_CONTROLLER_VOTERS="$(voters)" \
    KAFKA_CLUSTER_ID="$(cat "$state/cluster.id" 2>/dev/null || true)" KAFKA_HEAP="${KAFKA_HEAP:-320m}" \
    KAFKA_DEFAULT_REPLICATION=3 KAFKA_DEFAULT_MIN_ISR=2 bash "$here/kafka.sh" "$@"
}

# Every node formats its storage with the same id, made once: nodes of two ids never join.
ensure_cluster_id() {
  [[ -f "$state/cluster.id" ]] && return 0
  mkdir -p "$state"
  java -cp "$(bash "$here/kafka.sh" classpath broker)" kafka.tools.StorageTool random-uuid \
    >"$state/cluster.id.partial"
  mv "$state/cluster.id.partial" "$state/cluster.id"
}

# Every node lists all three brokers: registrations are written by the active controller, so
# this also shows that the quorum has elected a leader.
until_whole() {
  local n
  for n in "${nodes[@]}"; do
    "$root/node_modules/.bin/node" "$here/wait-ready.mjs" "127.0.0.1:$(port_of "$n")" \
      "${KAFKA_START_TIMEOUT:-90}" "${#nodes[@]}" || return 1
  done
}

on_each() { # command n...: the command for each node at once (a quorum needs them together)
  local command="$1" n failed=0 pids=()
  shift
  for n in "$@"; do node "$n" "$command" & pids+=($!); done
  for n in "${pids[@]}"; do wait "$n" || failed=1; done
  return "$failed"
}

start() {
  local t0
  t0="$(date +%s%N)"
  ensure_cluster_id
  [[ $# -gt 0 ]] || set -- "${nodes[@]}"
  on_each start "$@"
  until_whole || { log "the cluster did not list all three brokers on every node"; exit 1; }
  log "cluster ready on $(brokers) in $((($(date +%s%N) - t0) / 1000000)) ms"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; [[ $# -gt 0 ]] || set -- "${nodes[@]}"; on_each stop "$@" ;;
  kill) shift; [[ $# -gt 0 ]] || { log "kill needs node numbers (1 2 3)"; exit 2; }; on_each kill "$@" ;;
  status)
    for n in "${nodes[@]}"; do
      printf 'node %s (127.0.0.1:%s): ' "$n" "$(port_of "$n")"
      if [[ -f "$state/cluster.id" ]]; then node "$n" status || true; else echo stopped; fi
    done ;;
  reset) [[ -f "$state/cluster.id" ]] && on_each stop "${nodes[@]}"; rm -rf "$state"
    log "cluster state removed; next start formats fresh storage" ;;
  brokers) brokers ;;
  *) echo "usage: $0 start [n...]|stop [n...]|kill n...|status|reset|brokers" >&2; exit 2 ;;
esac
