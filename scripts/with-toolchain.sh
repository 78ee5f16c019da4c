#!/usr/bin/env bash
# Runs a command with the project's Node and pnpm on PATH (installing them if needed).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
ensure_toolchain
cd "$OTEL_MQ_ROOT"
exec "$@"
