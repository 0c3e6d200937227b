#!/usr/bin/env bash
# Brings up everything the platform and its tests need on this machine, installing from
# Debian's packages what is missing: PostgreSQL 15 (127.0.0.1:5432, trust auth, database
# implant_trace, with the database roles of tools/infra/database-roles.sql), Redis 7
# (127.0.0.1:6379), Java 17 + Maven, and the local Kafka broker.
# Safe to run any number of times.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
database="${PGDATABASE_NAME:-implant_trace}"

log() { printf '[infra] %s\n' "$*" >&2; }

apt_updated=0
apt_install() {
  if [[ $apt_updated -eq 0 ]]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    apt_updated=1
  fi
  log "installing $* from Debian's packages"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

postgres_answers() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

ensure_postgres() {
  if ! command -v pg_ctlcluster >/dev/null || [[ -z "$(ls /etc/postgresql 2>/dev/null)" ]]; then
    apt_install postgresql-15 postgresql-client-15
  fi
  if ! postgres_answers; then
    local version
    version="$(ls /etc/postgresql | sort -n | tail -n 1)"
    local hba="/etc/postgresql/$version/main/pg_hba.conf"
    # Development machines only: the platform connects over TCP as postgres without a password.
    if ! grep -qE '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$hba"; then
      log "allowing trust auth for 127.0.0.1 in $hba"
      sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    fi
    log "starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
    for _ in $(seq 1 100); do postgres_answers && break; sleep 0.2; done
    postgres_answers || { log "PostgreSQL did not come up on 127.0.0.1:5432"; exit 1; }
  fi
  if ! psql -h 127.0.0.1 -U postgres -d postgres -tAc "select 1 from pg_database where datname = '$database'" | grep -q 1; then
    log "creating database $database"
    psql -h 127.0.0.1 -U postgres -d postgres -qc "create database $database"
  fi
  # Services connect as the least-privilege login role defined there, not as postgres.
  psql -h 127.0.0.1 -U postgres -d "$database" -v ON_ERROR_STOP=1 -q -f "$here/database-roles.sql"
}

redis_answers() { [[ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" == "PONG" ]]; }

ensure_redis() {
  command -v redis-server >/dev/null || apt_install redis-server
  redis_answers && return 0
  log "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/implant-trace.log
  for _ in $(seq 1 50); do redis_answers && return 0; sleep 0.1; done
  log "Redis did not come up on 127.0.0.1:6379"
  exit 1
}

ensure_java_and_maven() {
  command -v java >/dev/null || apt_install openjdk-17-jre-headless
  command -v mvn >/dev/null || apt_install maven
}

ensure_postgres
ensure_redis
ensure_java_and_maven
"$root/tools/kafka/kafka.sh" start
log "PostgreSQL 127.0.0.1:5432/$database, Redis 127.0.0.1:6379 and Kafka 127.0.0.1:9092 are up"
