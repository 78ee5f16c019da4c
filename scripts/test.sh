#!/usr/bin/env bash
# The one test command (README: `npm test`): sets up the toolchain, the
# dependencies and the Debian packages the brokers need, builds, checks types,
# lint and package manifests, installs the packed packages into a scratch app,
# runs the unit tests and then the end-to-end suite
# (real brokers, real processes, OTLP) on Node 24 and on Node 22, and ends with
# `N passed, N failed`.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
# Debian packages first: `pnpm install` builds @confluentinc/kafka-javascript's native addon.
bash "$here/install-broker-deps.sh"
bash "$here/bootstrap.sh"
source "$here/toolchain.sh"
ensure_toolchain
cd "$OTEL_MQ_ROOT"

results="$OTEL_MQ_ROOT/.test-results"
rm -rf "$results" && mkdir -p "$results"
status=0
step() { log "── $*"; }

step "build (tsc -b)"
pnpm run build:tsc
step "type-check tests"
pnpm run typecheck:tests
step "lint and format"
pnpm run lint
step "package manifests"
pnpm run check:manifests
step "packed packages install and load in a scratch app (CJS, ESM, register, types)"
node scripts/check-packages.mjs --node "$(node24_bin)/node" --node "$(node22_bin)/node" --json-out "$results/packages.json" ||
  status=1

jest_bin="$OTEL_MQ_ROOT/node_modules/jest/bin/jest.js"
for major in 24 22; do
  bin="$(node${major}_bin)"
  step "unit tests on Node $("$bin/node" -v)"
  # Every core: jest's default leaves one to its parent process, which on CI's 2 cores runs the
  # suites one at a time (about 140 s against 75 s here, per Node version).
  "$bin/node" "$jest_bin" --config jest.config.js --ci --maxWorkers=100% --json \
    --outputFile="$results/unit-node$major.json" || status=1
done
step "bench self-check (stats, tables, chart; no brokers) on Node 24"
(cd bench && "$(node24_bin)/node" --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter="$OTEL_MQ_ROOT/e2e/src/json-reporter.mjs" --test-reporter-destination="$results/bench-selfcheck.json" \
  'test/*.test.ts') || status=1
# @confluentinc/kafka-javascript is a native addon built (by `pnpm install`) for Node 24's ABI
# only (it uses nan, not Node-API: a binary per Node major): its e2e tests (test/confluent-*)
# run on Node 24; on Node 22 its unit tests run, with fakes. A second build of the addon for
# Node 22 would cost CI as long again as the first and test no code of ours the first does not.
# The demo's inventory service consumes with that client too, so the test that runs the demo
# (test/demo.test.ts) is Node 24 only as well; test/demo-page.test.ts draws saved spans, loads
# no addon, and runs on both.
for major in 24 22; do
  bin="$(node${major}_bin)"
  step "end-to-end tests on Node $("$bin/node" -v) against real brokers"
  files=()
  if [ "$major" != 24 ]; then
    for file in e2e/test/*.test.ts; do
      case "$file" in e2e/test/confluent-* | e2e/test/demo.test.ts) ;; *) files+=("${file#e2e/}") ;; esac
    done
  fi
  (cd e2e && "$bin/node" src/run-e2e.ts --json-out "$results/e2e-node$major.json" "${files[@]}") || status=1
done

node scripts/summarize-tests.mjs "$results" || status=1
exit "$status"
