#!/usr/bin/env bash
# Local single-node Apache Kafka (KRaft) from the jars Maven Central serves; no containers.
#   kafka.sh start | stop | kill | status | reset | classpath broker|tools | resolve
# Idempotent: start when running and stop when stopped are no-ops. Works from any cwd.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
version="$(sed -n 's|.*<kafka.version>\(.*\)</kafka.version>.*|\1|p' "$here/pom.xml")"
port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-9093}"
heap="${KAFKA_HEAP:-512m}"
jars_root="${KAFKA_JARS_DIR:-$root/.cache/kafka/jars/$version}"
state="${KAFKA_STATE_DIR:-$root/.cache/kafka/state}"
data="$state/data"
logs="$state/logs"
pid_file="$state/kafka.pid"

log() { printf '[kafka] %s\n' "$*" >&2; }

node_bin() {
  if [[ -x "$root/node_modules/.bin/node" ]]; then echo "$root/node_modules/.bin/node"; else echo node; fi
}

resolve_jars() { # profile: broker | tools
  local profile="$1" dir="$jars_root/$1"
  [[ -f "$dir/.resolved" ]] && return 0
  log "resolving Kafka $version $profile jars from Maven Central"
  rm -rf "$dir.partial"
  mvn -q -B -f "$here/pom.xml" -P"$profile" \
    org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$dir.partial" >&2
  local bindings
  bindings="$(find "$dir.partial" -name 'log4j-slf4j*-impl-*.jar' -o -name 'slf4j-reload4j-*.jar' -o -name 'logback-classic-*.jar' | wc -l)"
  if [[ "$bindings" -ne 1 ]]; then
    log "expected exactly one SLF4J binding among the $profile jars, found $bindings"
    exit 1
  fi
  rm -rf "$dir"
  mv "$dir.partial" "$dir"
  touch "$dir/.resolved"
}

running_pid() {
  [[ -f "$pid_file" ]] || return 1
  local pid
  pid="$(cat "$pid_file")"
  kill -0 "$pid" 2>/dev/null && grep -q 'kafka.Kafka' "/proc/$pid/cmdline" 2>/dev/null && echo "$pid"
}

answers() { "$(node_bin)" "$here/wait-ready.mjs" "127.0.0.1:$port" "${1:-1}" 2>/dev/null; }

write_config() {
  mkdir -p "$data" "$logs"
  sed -e "s|@DATA_DIR@|$data|" -e "s|@PORT@|$port|g" -e "s|@CONTROLLER_PORT@|$controller_port|g" \
    "$here/server.properties.template" >"$state/server.properties"
}

java_opts=(-Xms"$heap" -Xmx"$heap" -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20
  -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15
  -Djava.awt.headless=true)

start() {
  if pid="$(running_pid)"; then
    log "already running (pid $pid) on 127.0.0.1:$port"
    return 0
  fi
  if answers 1; then
    log "a broker not started by this script already answers on 127.0.0.1:$port; using it"
    return 0
  fi
  resolve_jars broker
  write_config
  local t0
  t0="$(date +%s%N)"
  if [[ ! -f "$data/meta.properties" ]]; then
    local cluster_id
    cluster_id="$(java -cp "$jars_root/broker/*" kafka.tools.StorageTool random-uuid)"
    java -cp "$jars_root/broker/*" -Dlog4j2.configurationFile="$here/log4j2.properties" \
      -Dkafka.logs.dir="$logs" kafka.tools.StorageTool format --standalone \
      -t "$cluster_id" -c "$state/server.properties" >"$logs/format.log" 2>&1 ||
      { cat "$logs/format.log" >&2; exit 1; }
  fi
  setsid nohup java "${java_opts[@]}" -cp "$jars_root/broker/*" \
    -Dlog4j2.configurationFile="$here/log4j2.properties" -Dkafka.logs.dir="$logs" \
    kafka.Kafka "$state/server.properties" >"$logs/stdout.log" 2>&1 </dev/null &
  echo $! >"$pid_file"
  if ! answers "${KAFKA_START_TIMEOUT:-90}"; then
    log "broker did not become ready; last log lines:"
    tail -n 40 "$logs/server.log" "$logs/stdout.log" >&2 || true
    stop KILL
    exit 1
  fi
  local ms=$((($(date +%s%N) - t0) / 1000000))
  log "Kafka $version ready on 127.0.0.1:$port in ${ms} ms (pid $(cat "$pid_file"), log $logs/server.log)"
}

stop() {
  local signal="${1:-TERM}" pid
  if ! pid="$(running_pid)"; then
    log "not running"
    rm -f "$pid_file"
    return 0
  fi
  kill -"$signal" "$pid"
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$pid_file"; log "stopped (SIG$signal)"; return 0; }
    sleep 0.1
  done
  log "broker did not stop after SIG$signal in 30 s; killing"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pid_file"
}

case "${1:-}" in
  start) start ;;
  stop) stop TERM ;;
  kill) stop KILL ;;
  status)
    if pid="$(running_pid)"; then echo "running (pid $pid) on 127.0.0.1:$port"
    elif answers 1; then echo "running (not started by this script) on 127.0.0.1:$port"
    else echo "stopped"; exit 3; fi ;;
  reset) stop TERM; rm -rf "$data" "$logs"; log "data removed; next start formats fresh storage" ;;
  resolve) resolve_jars broker; resolve_jars tools ;;
  classpath) resolve_jars "${2:?broker or tools}"; echo "$jars_root/$2/*" ;;
  *) echo "usage: $0 start|stop|kill|status|reset|resolve|classpath broker|tools" >&2; exit 2 ;;
esac
