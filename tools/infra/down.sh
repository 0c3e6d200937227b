#!/usr/bin/env bash
# Stops the local Kafka broker. PostgreSQL and Redis are machine services shared with other
# work, so they are stopped only with --all.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/../kafka/kafka.sh" stop
if [[ "${1:-}" == "--all" ]]; then
  redis-cli -h 127.0.0.1 -p 6379 shutdown nosave 2>/dev/null || true
  version="$(ls /etc/postgresql 2>/dev/null | sort -n | tail -n 1)"
  [[ -n "$version" ]] && pg_ctlcluster --skip-systemctl-redirect "$version" main stop || true
fi
