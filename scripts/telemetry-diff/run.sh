#!/usr/bin/env bash
# Runs the fixed workload of every plugin under both samplers in the worktree
# WORKTREE (built: dist of messaging-propagation is needed) and writes the
# normalised snapshots to OUT. Usage: scripts/telemetry-diff/run.sh WORKTREE OUT
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "${1:?usage: run.sh WORKTREE OUT}" && pwd)"
out="$(mkdir -p "${2:?usage: run.sh WORKTREE OUT}" && cd "$2" && pwd)"
# The workload runs from the target worktree, so the same files run at any commit.
if [ "$root/scripts/telemetry-diff" != "$here" ]; then
  rm -rf "$root/scripts/telemetry-diff"
  cp -r "$here" "$root/scripts/telemetry-diff"
  rm -rf "$root/scripts/telemetry-diff/snapshots"
fi
cd "$root"
for sampler in always_on parent_ratio; do
  TELEMETRY_DIFF_SAMPLER=$sampler TELEMETRY_DIFF_OUT="$out" \
    bash scripts/with-toolchain.sh npx jest -c scripts/telemetry-diff/jest.config.js
done
