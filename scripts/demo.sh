#!/usr/bin/env bash
# The demo (README: `npm run demo`): sets up the toolchain, the dependencies and
# the Debian packages the local brokers need, builds, then runs the order
# pipeline through Kafka, RabbitMQ and SQS and draws its traces.
# Extra arguments go to demo/src/run-demo.ts (--html <file>, --json <file>).
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
bash "$here/bootstrap.sh"
bash "$here/install-broker-deps.sh"
source "$here/toolchain.sh"
ensure_toolchain
cd "$OTEL_MQ_ROOT"
pnpm run --silent build:tsc
# Node 24 whatever Node is on PATH: the inventory service consumes with Confluent's Kafka client,
# a native addon built (by `pnpm install`) for Node 24's ABI only (see export_addon_build_env).
exec "$(node24_bin)/node" demo/src/run-demo.ts "$@"
