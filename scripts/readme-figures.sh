#!/usr/bin/env bash
# Regenerates the README's pictures in docs/figures: the demo's (in a fixed order, so the
# same bytes every time), the gallery's (BalancingLearner, LearnerND, loss), the 2-D heat map, Learner2D on a polygon,
# AverageLearner2D's and the lattice's (Learner2D with integer: [true, false]).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund --no-save
fi
out=docs/figures
mkdir -p "$out"
npx tsx examples/demo.ts --deterministic --out "$out"
OUT_DIR="$out" npx tsx examples/gallery.ts
OUT_DIR="$out" npx tsx examples/heatmap-2d.ts
OUT_DIR="$out" npx tsx examples/hull-2d.ts
OUT_DIR="$out" npx tsx examples/average2d.ts
OUT_DIR="$out" npx tsx examples/lattice-size.ts
echo "README figures written to $out/"
