#!/usr/bin/env bash
# Benchmark entry (npm run bench:udi): installs the competitor parsers into this folder only,
# then runs the benchmark on the workspace's pinned Node with tsx for the TypeScript sources.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
if [ ! -d "$here/node_modules" ] || [ "$here/package-lock.json" -nt "$here/node_modules" ]; then
  (cd "$here" && npm ci --ignore-scripts --no-audit --no-fund)
fi
cd "$here"
TSX_TSCONFIG_PATH="$root/tsconfig.base.json" "$root/node_modules/.bin/node" \
  --import tsx "$here/bench.ts" "$@"
# The results are committed, so they get the repository's formatting.
"$root/node_modules/.bin/prettier" --log-level warn --write \
  "$root/docs/benchmarks/udi.md" "$root/docs/benchmarks/udi.json"
