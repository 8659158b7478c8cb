#!/usr/bin/env bash
# The demo (README, `npm run demo`): installs what a fresh machine lacks, then samples a peak
# (Learner1D), a ring (Learner2D) and a noisy peak (AverageLearner1D) on a pool of worker
# threads, writes their pictures into ./out and prints adaptive against uniform errors.
# tsx runs the TypeScript sources (the workers too), so no build is needed.
# Arguments go to examples/demo.ts: --quick, --out DIR, --deterministic, --threads N.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund --no-save
fi
npx tsx examples/demo.ts "$@"
