#!/usr/bin/env bash
# Local single-node Apache Kafka (KRaft) from the jars Maven Central serves; no containers.
#   kafka.sh start | stop | kill | status | reset | classpath broker|tools | resolve
# Idempotent: start when running and stop when stopped are no-ops. Works from any cwd.
#
# A second broker for TLS tests (own KAFKA_STATE_DIR and ports; the main broker is untouched):
#   KAFKA_SSL_PORT       adds an SSL listener that requires a client certificate (mutual TLS)
#   KAFKA_SASL_SSL_PORT  adds a SASL_SSL listener (SCRAM-SHA-256 and SCRAM-SHA-512)
#   KAFKA_SCRAM_USER / KAFKA_SCRAM_PASSWORD  the SCRAM user, created when storage is formatted
#                        (letters, digits, '-' and '_' only: the format option's syntax)
#   KAFKA_STOP_WITH_PID  a watchdog stops the broker when that process ends (a killed test run)
# The certificates (a CA, the broker's and a client's, made with keytool; openssl exports the
# client key as PEM) are written once into $KAFKA_STATE_DIR/tls: ca.pem, client.pem,
# client-key.pem.
#
# One node of a cluster (cluster.sh sets these for each of its three nodes):
#   KAFKA_NODE_ID                 node.id (default 1)
#   KAFKA_CONTROLLER_VOTERS       the static quorum, id@host:port,... (default: this node alone)
#   KAFKA_CLUSTER_ID              the id storage is formatted with (default: a new random one)
#   KAFKA_DEFAULT_REPLICATION     default.replication.factor and that of the internal topics (1)
#   KAFKA_DEFAULT_MIN_ISR         min.insync.replicas, also of the transaction log (1)
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
tls="$state/tls"
ssl_port="${KAFKA_SSL_PORT:-}"
sasl_ssl_port="${KAFKA_SASL_SSL_PORT:-}"
node_id="${KAFKA_NODE_ID:-1}"
voters="${KAFKA_CONTROLLER_VOTERS:-}"

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

secure() { [[ -n "$ssl_port" || -n "$sasl_ssl_port" ]]; }

# keytool reports every step on stderr; keep that out of the caller's output.
keytool_fast() { keytool -J-XX:TieredStopAtLevel=1 -J-XX:+UseSerialGC "$@" 2>>"$tls/keytool.log"; }

# A throw-away CA signs the broker's certificate (valid for 127.0.0.1 and localhost) and a
# client's. Short-lived EC keys: quick to make, and useless once the test is over.
make_tls_material() {
  [[ -f "$tls/.ready" ]] && return 0
  command -v openssl >/dev/null || { log "openssl is needed to export the client key as PEM"; exit 1; }
  rm -rf "$tls" && mkdir -p "$tls" && chmod 700 "$tls"
  local password store=(-storetype PKCS12) key=(-keyalg EC -groupname secp256r1 -validity 2)
  password="$(openssl rand -hex 16)"
  printf '%s' "$password" >"$tls/store.password"
  store+=(-storepass "$password")
  keytool_fast -genkeypair -alias ca -dname CN=implant-trace-test-ca "${key[@]}" -ext bc:c \
    -keystore "$tls/ca.p12" "${store[@]}"
  keytool_fast -exportcert -rfc -alias ca -keystore "$tls/ca.p12" "${store[@]}" -file "$tls/ca.pem" \
    >/dev/null
  local name san
  for name in broker client; do
    san=()
    [[ "$name" == broker ]] && san=(-ext SAN=ip:127.0.0.1,dns:localhost)
    keytool_fast -genkeypair -alias "$name" -dname "CN=implant-trace-test-$name" "${key[@]}" \
      -keystore "$tls/$name.p12" "${store[@]}"
    keytool_fast -certreq -alias "$name" -keystore "$tls/$name.p12" "${store[@]}" |
      keytool_fast -gencert -alias ca -keystore "$tls/ca.p12" "${store[@]}" -rfc -validity 2 \
        "${san[@]}" -outfile "$tls/$name.pem"
  done
  keytool_fast -importcert -noprompt -alias ca -file "$tls/ca.pem" -keystore "$tls/broker.p12" \
    "${store[@]}" >/dev/null
  keytool_fast -importcert -alias broker -file "$tls/broker.pem" -keystore "$tls/broker.p12" \
    "${store[@]}" >/dev/null
  openssl pkcs12 -in "$tls/client.p12" -nocerts -nodes -passin "pass:$password" |
    openssl pkey -out "$tls/client-key.pem"
  chmod 600 "$tls"/*
  touch "$tls/.ready"
}

write_config() {
  mkdir -p "$data" "$logs"
  local listeners="" protocols=""
  [[ -n "$ssl_port" ]] && listeners+=",SSL://127.0.0.1:$ssl_port" && protocols+=",SSL:SSL"
  [[ -n "$sasl_ssl_port" ]] && listeners+=",SASL_SSL://127.0.0.1:$sasl_ssl_port" &&
    protocols+=",SASL_SSL:SASL_SSL"
  local quorum="controller.quorum.bootstrap.servers=127.0.0.1:$controller_port"
  [[ -n "$voters" ]] && quorum="controller.quorum.voters=$voters"
  sed -e "s|@DATA_DIR@|$data|" -e "s|@PORT@|$port|g" -e "s|@CONTROLLER_PORT@|$controller_port|g" \
    -e "s|@NODE_ID@|$node_id|" -e "s|@QUORUM@|$quorum|" \
    -e "s|@REPLICATION@|${KAFKA_DEFAULT_REPLICATION:-1}|g" -e "s|@MIN_ISR@|${KAFKA_DEFAULT_MIN_ISR:-1}|g" \
    -e "s|@EXTRA_LISTENERS@|$listeners|g" -e "s|@EXTRA_PROTOCOLS@|$protocols|" \
    "$here/server.properties.template" >"$state/server.properties"
  if secure; then
    sed -e "s|@TLS_DIR@|$tls|g" -e "s|@STORE_PASSWORD@|$(cat "$tls/store.password")|g" \
      "$here/server-tls.properties.template" >>"$state/server.properties"
  fi
}

# SCRAM credentials live in the cluster metadata; KRaft writes the first ones at format time.
scram_options=()
collect_scram_options() {
  [[ -n "${KAFKA_SCRAM_USER:-}" ]] || return 0
  local user="$KAFKA_SCRAM_USER" password="${KAFKA_SCRAM_PASSWORD:-}" mechanism
  [[ "$user" =~ ^[A-Za-z0-9_-]+$ && "$password" =~ ^[A-Za-z0-9_-]+$ ]] || {
    log "KAFKA_SCRAM_USER and KAFKA_SCRAM_PASSWORD must be set to letters, digits, '-' and '_' only"
    exit 1
  }
  for mechanism in SCRAM-SHA-256 SCRAM-SHA-512; do
    scram_options+=(--add-scram "$mechanism=[name=$user,password=$password]")
  done
}

# Stops the broker when the given process ends, so a test run that is killed leaves no broker.
start_watchdog() {
  local owner="${KAFKA_STOP_WITH_PID:-}" broker
  [[ -n "$owner" ]] || return 0
  broker="$(cat "$pid_file")"
  setsid nohup bash -c 'while kill -0 "$1" 2>/dev/null; do kill -0 "$2" 2>/dev/null || exit 0; sleep 1; done
    kill -TERM "$2" 2>/dev/null' watchdog "$owner" "$broker" >/dev/null 2>&1 </dev/null &
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
  secure && make_tls_material
  write_config
  local t0
  t0="$(date +%s%N)"
  if [[ ! -f "$data/meta.properties" ]]; then
    local cluster_id="${KAFKA_CLUSTER_ID:-}" standalone=(--standalone)
    collect_scram_options
    [[ -n "$cluster_id" ]] || cluster_id="$(java -cp "$jars_root/broker/*" kafka.tools.StorageTool random-uuid)"
    # With static voters every node is formatted alike; --standalone makes a quorum of one.
    [[ -n "$voters" ]] && standalone=()
    java -cp "$jars_root/broker/*" -Dlog4j2.configurationFile="$here/log4j2.properties" \
      -Dkafka.logs.dir="$logs" kafka.tools.StorageTool format "${standalone[@]}" \
      -t "$cluster_id" -c "$state/server.properties" "${scram_options[@]}" >"$logs/format.log" 2>&1 ||
      { cat "$logs/format.log" >&2; exit 1; }
  fi
  setsid nohup java "${java_opts[@]}" -cp "$jars_root/broker/*" \
    -Dlog4j2.configurationFile="$here/log4j2.properties" -Dkafka.logs.dir="$logs" \
    kafka.Kafka "$state/server.properties" >"$logs/stdout.log" 2>&1 </dev/null &
  echo $! >"$pid_file"
  start_watchdog
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
  reset) stop TERM; rm -rf "$data" "$logs" "$tls"; log "data removed; next start formats fresh storage" ;;
  resolve) resolve_jars broker; resolve_jars tools ;;
  classpath) resolve_jars "${2:?broker or tools}"; echo "$jars_root/$2/*" ;;
  *) echo "usage: $0 start|stop|kill|status|reset|resolve|classpath broker|tools" >&2; exit 2 ;;
esac
