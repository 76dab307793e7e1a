#!/usr/bin/env bash
# `npm run test:all`, the README's test command and what CI runs: installs what the tests need
# (scripts/setup-tests.sh, idempotent), then runs the unit and integration suite (`npm test`), the
# render e2e suite (`npm run test:e2e`), the cluster suite (`npm run test:cluster`: a real
# Crossplane core) and the fault suite (`npm run test:faults`), each even when an earlier one fails,
# and closes with one plain
# line counted from vitest's JSON reports: `tests: N passed, N failed[, N skipped]`, after one
# `failed: <file> > <test>: <first line of the error>` line per failed test. Exits non-zero
# when a suite failed. To run one file: `npx vitest run test/<file>.test.ts` (set-up done once).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup-tests.sh

reports=$(mktemp -d)
trap 'rm -rf "$reports"' EXIT
unit=0 e2e=0 cluster=0 faults=0
# --ignore-scripts: the set-up above is npm test's pretest step; do not run it twice.
npm test --ignore-scripts -- --reporter=default --reporter=json --outputFile="$reports/unit.json" || unit=$?
npm run test:e2e -- --reporter=default --reporter=json --outputFile="$reports/e2e.json" || e2e=$?
npm run test:cluster -- --reporter=default --reporter=json --outputFile="$reports/cluster.json" || cluster=$?
npm run test:faults -- --reporter=default --reporter=json --outputFile="$reports/faults.json" || faults=$?

# A suite that failed without a failed test in its report (it did not start, a test file did not
# load, an unhandled error) counts as one failure, so the line agrees with the exit status.
node -e 'const fs = require("fs"); let p = 0, f = 0, s = 0;
  for (const arg of process.argv.slice(1)) {
    const [file, rc] = arg.split("=");
    const r = fs.existsSync(file) && fs.statSync(file).size ? JSON.parse(fs.readFileSync(file, "utf8")) : null;
    const failed = r?.numFailedTests ?? 0;
    p += r?.numPassedTests ?? 0; s += r?.numPendingTests ?? 0;
    f += failed || (rc !== "0" || !r?.success ? 1 : 0);
    // Name each failed test last, where a truncated CI log still shows it.
    for (const t of r?.testResults ?? []) for (const a of t.assertionResults ?? [])
      if (a.status === "failed") console.log(`failed: ${t.name.replace(process.cwd() + "/", "")} > ${a.fullName}: ${String(a.failureMessages?.[0] ?? "").split("\n")[0].slice(0, 300)}`);
  }
  console.log(`tests: ${p} passed, ${f} failed` + (s ? `, ${s} skipped` : ""));' "$reports/unit.json=$unit" "$reports/e2e.json=$e2e" "$reports/cluster.json=$cluster" "$reports/faults.json=$faults"
exit $((unit || e2e || cluster || faults ? 1 : 0))
