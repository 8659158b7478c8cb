#!/usr/bin/env bash
# The demo (README): installs what a fresh machine lacks, builds, runs examples/peak.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund --no-save
fi
npm run --silent build
npx tsx examples/peak.ts
