#!/usr/bin/env bash
# Gets a fresh machine (Debian, Node and npm only) ready: a supported Node, pnpm,
# and the workspace's dependencies from the lockfile.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
ensure_toolchain
cd "$OTEL_MQ_ROOT"
log "node $(node -v), pnpm $(pnpm -v)"
if [ "${CI:-}" = "true" ]; then
  pnpm install --frozen-lockfile --reporter=append-only
else
  pnpm install --reporter=append-only
fi
