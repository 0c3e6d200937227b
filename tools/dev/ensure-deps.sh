#!/usr/bin/env bash
# Installs dependencies when node_modules is missing or older than package-lock.json, so
# `npm start` and `npm test` work on a fresh clone with nothing run before them.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
marker=node_modules/.package-lock.json
if [[ ! -f "$marker" || package-lock.json -nt "$marker" ]]; then
  echo "[deps] installing dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund
fi
