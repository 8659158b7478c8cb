#!/usr/bin/env bash
# The one test command (README, `npm test`, .ci/run): installs what a fresh machine lacks,
# builds, type-checks, lints, runs every test, and ends with the line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

# npm packages: install from the lockfile when node_modules is missing or stale. (`npm ci`
# refuses this lockfile: the registry here lacks the other platforms' optional Biome
# binaries, so the lockfile cannot list them; `npm install` skips them as npm intends.)
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund --no-save || { echo "npm ci failed"; echo "0 passed, 1 failed"; exit 1; }
fi

# Debian packages for the tests that start real components: headless Chromium for the live
# page (test/web), redis-server for the BullMQ master (test/bullmq). Idempotent and quiet;
# `apt-get update` runs only when a first install fails (missing or stale package lists).
apt_install() {
  local log
  log=$(mktemp)
  echo "installing $* (apt-get)..."
  { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; }
  } >"$log" 2>&1 || { tail -n 20 "$log"; echo "apt-get install $* failed: the tests that need it will fail"; }
  rm -f "$log"
}
[ -x /usr/bin/chromium ] || apt_install chromium
command -v redis-server >/dev/null 2>&1 || apt_install redis-server

fail=0
npm run --silent build || fail=1
npx tsc --noEmit -p tsconfig.json || fail=1
npx biome check src test bench examples web || fail=1
npx tsc -p web/tsconfig.json || fail=1

results=.vitest-results.json
rm -f "$results"
npx vitest run --reporter=default --reporter=json --outputFile.json="$results"
vitest_status=$?

if [ ! -f "$results" ]; then
  echo "vitest wrote no results"
  echo "0 passed, 1 failed"
  exit 1
fi

# Build, type-check and lint count as one test each, so a failure shows in the totals.
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const checksFailed = Number(process.argv[2]);
  const passed = r.numPassedTests + (checksFailed ? 0 : 1);
  const failed = r.numFailedTests + checksFailed + (r.success || r.numFailedTests ? 0 : 1);
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "$results" "$fail"

if [ "$fail" -ne 0 ] || [ "$vitest_status" -ne 0 ]; then exit 1; fi
