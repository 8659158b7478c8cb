#!/usr/bin/env bash
# The one test command (README, `npm test`, .ci/run): installs what a fresh machine lacks,
# builds, type-checks, lints, runs every test, and ends with the line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

# npm packages: install from the lockfile when node_modules is missing or stale. (`npm ci`
# refuses this lockfile: the registry here lacks the other platforms' optional Biome
# binaries, so the lockfile cannot list them; `npm install` skips them as npm intends.)
# --ignore-scripts: our own prepare (the build) runs below, where a type error is reported as
# one failed check rather than a failed install; the dependencies' install scripts are all
# denied in package.json's allowScripts anyway.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund --no-save --ignore-scripts || { echo "npm install failed"; echo "0 passed, 1 failed"; exit 1; }
fi

# Debian packages for the tests that start real components: headless Chromium (test/web, the
# browser part of test/consumer; CHROMIUM_PATH, default /usr/bin/chromium) and redis-server
# (test/bullmq, test/examples/distributed; REDIS_SERVER, default redis-server on the PATH),
# and python3-pandas (test/data/pandas: an outside reader of our CSV files; PYTHON).
# Installed with apt-get as root, or through sudo where it works without a password prompt
# we cannot answer; otherwise one message says what to install, and those tests are skipped
# (counted as skipped, never as passed).
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
REDIS="${REDIS_SERVER:-redis-server}"
have_chromium() { [ -x "$CHROMIUM" ]; }
have_redis() {
  if [[ "$REDIS" == */* ]]; then [ -x "$REDIS" ]; else command -v "$REDIS" >/dev/null 2>&1; fi
}
# pandas reads our CSV files back in test/data/pandas.test.ts ($PYTHON, python3, or Debian's).
have_pandas() {
  local py
  for py in ${PYTHON:-} python3 /usr/bin/python3; do
    "$py" -c 'import pandas' >/dev/null 2>&1 && return 0
  done
  return 1
}
missing=()
# A path given in CHROMIUM_PATH or REDIS_SERVER is the user's: apt-get would not put it there.
have_chromium || { [ -z "${CHROMIUM_PATH:-}" ] && missing+=(chromium); }
have_redis || { [ -z "${REDIS_SERVER:-}" ] && missing+=(redis-server); }
have_pandas || missing+=(python3-pandas)
if [ "${#missing[@]}" -gt 0 ] && command -v apt-get >/dev/null 2>&1; then
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && { [ -t 0 ] || sudo -n true 2>/dev/null; }; then
      sudo=(sudo)
    else
      sudo=(none)
    fi
  fi
  if [ "${sudo[*]}" != none ]; then
    log=$(mktemp)
    echo "installing ${missing[*]} (${sudo[*]:+sudo }apt-get)..."
    { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" \
        || { "${sudo[@]}" apt-get update -qq \
          && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; }
    } >"$log" 2>&1 || { tail -n 5 "$log"; echo "apt-get install ${missing[*]} failed"; }
    rm -f "$log"
  fi
fi
needs=()
have_chromium || needs+=("Chromium (Debian package chromium, or CHROMIUM_PATH; now ${CHROMIUM}): test/web/live-page.test.ts and the browser run of test/consumer")
have_redis || needs+=("redis-server (Debian package redis-server, or REDIS_SERVER; now ${REDIS}): test/bullmq and test/examples/distributed.test.ts")
have_pandas || needs+=("pandas (Debian package python3-pandas, or PYTHON naming a python with pandas): test/data/pandas.test.ts")
if [ "${#needs[@]}" -gt 0 ]; then
  echo "Not installed, so these tests will be skipped (as root: apt-get install -y chromium redis-server python3-pandas):"
  for n in "${needs[@]}"; do echo "  - $n"; done
fi

fail=0
npm run --silent build || fail=1
npx tsc --noEmit -p tsconfig.json || fail=1
npx biome check src test bench examples web || fail=1
# The layers' import rules (.dependency-cruiser.cjs; ARCHITECTURE.md): src/ and the built entries.
npx depcruise --config .dependency-cruiser.cjs src dist/index.js dist/plot/index.js dist/data/index.js || fail=1
npx tsc -p web/tsconfig.json || fail=1

# Two stages. First every test but the learner laws, in one Vitest worker: these start
# worker threads, servers, Redis and Chromium, and some bound waits, so they get the machine
# to themselves. Then the law suites (test/learners/*-laws*.test.ts: CPU only, seeded, no
# timing), about 60 % of the time, in two Vitest processes at once, each with half of the
# files (alternating by name, which balances them within a minute), a law test allowed 300 s.
laws='test/learners/*-laws*.test.ts'
rm -f .vitest-results*.json .vitest-laws-*.log
# Stage 1 retries a failed test once (--retry=1): its tests start real threads, processes,
# servers and a browser on a shared machine. A test that passed only on its retry is listed
# by name with its first failure below the totals' line, so a flaky test is seen, not hidden;
# the laws (seeded, CPU only) are never retried.
npx vitest run --exclude "$laws" --retry=1 --reporter=default --reporter=json --outputFile.json=.vitest-results.json
vitest_status=$?
mapfile -t law_files < <(ls $laws | sort)
law_a=(); law_b=()
for i in "${!law_files[@]}"; do
  if (( i % 2 == 0 )); then law_a+=("${law_files[$i]}"); else law_b+=("${law_files[$i]}"); fi
done
pids=()
for half in a b; do
  if [ "$half" = a ]; then files=("${law_a[@]}"); else files=("${law_b[@]}"); fi
  [ "${#files[@]}" -gt 0 ] || continue
  npx vitest run "${files[@]}" --testTimeout=300000 --reporter=default --reporter=json \
    --outputFile.json=".vitest-results-laws-$half.json" >".vitest-laws-$half.log" 2>&1 &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid" || vitest_status=1; done
cat .vitest-laws-a.log .vitest-laws-b.log 2>/dev/null

results=(.vitest-results.json)
[ "${#law_a[@]}" -gt 0 ] && results+=(.vitest-results-laws-a.json)
[ "${#law_b[@]}" -gt 0 ] && results+=(.vitest-results-laws-b.json)
for r in "${results[@]}"; do
  if [ ! -f "$r" ]; then
    echo "vitest wrote no results ($r)"
    echo "0 passed, 1 failed"
    exit 1
  fi
done

# Build, type-check, lint and the import rules count as one test each, so a failure shows in the totals.
node -e '
  const fs = require("fs");
  const checksFailed = Number(process.argv[1]);
  let passed = checksFailed ? 0 : 1;
  let failed = checksFailed;
  let skipped = 0;
  const failures = [];
  const retried = [];
  const first = (t) => String(t.failureMessages[0] ?? "").split("\n")[0].slice(0, 300);
  for (const file of process.argv.slice(2)) {
    const r = JSON.parse(fs.readFileSync(file, "utf8"));
    passed += r.numPassedTests;
    failed += r.numFailedTests + (r.success || r.numFailedTests ? 0 : 1);
    skipped += r.numPendingTests + r.numTodoTests;
    if (!r.success && !r.numFailedTests)
      failures.push(`${file}: an error outside any test (an unhandled error, a file that did not load): see the log above`);
    for (const f of r.testResults) {
      const name = f.name.slice(process.cwd().length + 1);
      if (f.status === "failed" && f.assertionResults.length === 0)
        failures.push(`${name}: ${String(f.message ?? "").split("\n")[0].slice(0, 300)}`);
      for (const t of f.assertionResults) {
        if (t.status === "failed") failures.push(`${name} > ${t.fullName}: ${first(t)}`);
        else if (t.status === "passed" && t.failureMessages.length > 0)
          retried.push(`${name} > ${t.fullName}: ${first(t)}`);
      }
    }
  }
  if (checksFailed) console.log("FAILED: a check before the tests (build, tsc, biome, depcruise or web tsc): see above");
  for (const f of failures) console.log(`FAILED: ${f}`);
  for (const t of retried) console.log(`passed on its retry: ${t}`);
  console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "$fail" "${results[@]}"

if [ "$fail" -ne 0 ] || [ "$vitest_status" -ne 0 ]; then exit 1; fi
