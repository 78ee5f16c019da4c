#!/usr/bin/env bash
# Installs the system packages the otel-mq e2e suite needs to run real brokers
# locally (loopback only, no Docker):
#   - rabbitmq-server   RabbitMQ 3.x (started by e2e/src/brokers/rabbitmq.ts)
#   - librdkafka-dev    librdkafka's mock Kafka cluster (e2e/kafka-mock/kafka-mock.c)
#   - gcc, libc6-dev, pkg-config  to compile the mock on first use
#   - kcat              optional CLI, handy for poking at the mock by hand
#   - chromium          headless browser for the demo page's test (e2e/test/demo-page.test.ts);
#                       Debian's package, never a browser download
#   - build-essential, python3, zlib1g-dev, libssl-dev  to build @confluentinc/kafka-javascript's
#                       native addon and its bundled librdkafka from source at `pnpm install`
#                       (CKJS_LINKING=dynamic links Debian's zlib and OpenSSL; SASL/GSSAPI, zstd
#                       and lz4 are optional and left out)
# Idempotent: when everything is present it exits without calling apt at all.
# Usage: sudo bash scripts/install-broker-deps.sh
set -euo pipefail

PACKAGES=(rabbitmq-server librdkafka-dev gcc libc6-dev pkg-config kcat chromium build-essential python3 zlib1g-dev libssl-dev)

log() { printf '[install-broker-deps] %s\n' "$*"; }
die() { printf '[install-broker-deps] ERROR: %s\n' "$*" >&2; exit 1; }

command -v dpkg-query >/dev/null 2>&1 || die "dpkg-query not found: this script supports Debian/Ubuntu only"

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  if [[ "$status" == "install ok installed" ]]; then
    log "ok: $pkg already installed"
  else
    missing+=("$pkg")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  log "all broker dependencies are installed"
  exit 0
fi

[[ $(id -u) -eq 0 ]] || die "need root to install: ${missing[*]} (run: sudo bash $0)"
command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install manually: ${missing[*]}"

export DEBIAN_FRONTEND=noninteractive
# Refresh package lists only when apt cannot see a candidate for a missing package.
need_update=0
for pkg in "${missing[@]}"; do
  cand=$(apt-cache policy "$pkg" 2>/dev/null | awk '/Candidate:/ {print $2}')
  if [[ -z "$cand" || "$cand" == "(none)" ]]; then need_update=1; fi
done
if [[ $need_update -eq 1 ]]; then
  log "running apt-get update (no candidate found for some packages)"
  apt-get update -q || die "apt-get update failed"
fi

# The tests run their own loopback-only RabbitMQ node; keep the package's
# system service (which listens on all interfaces) from starting during the
# install, via a temporary policy-rc.d when the machine has none.
policy=/usr/sbin/policy-rc.d
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  trap 'rm -f "$policy"' EXIT
  log "temporarily blocking service start-up during install ($policy)"
fi

log "installing: ${missing[*]}"
if ! apt-get install -y -q --no-install-recommends "${missing[@]}"; then
  [[ $need_update -eq 0 ]] || die "apt-get install failed for: ${missing[*]}"
  log "install failed; package lists may be stale: running apt-get update and retrying"
  apt-get update -q || die "apt-get update failed"
  apt-get install -y -q --no-install-recommends "${missing[@]}" || die "apt-get install failed for: ${missing[*]}"
fi

for pkg in "${missing[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || die "$pkg still not installed after apt-get install"
done
[[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] || die "/usr/lib/rabbitmq/bin/rabbitmq-server missing after install"
pkg-config --exists rdkafka || die "pkg-config cannot find rdkafka after installing librdkafka-dev"
[[ -x /usr/bin/chromium ]] || die "/usr/bin/chromium missing after installing chromium"
if command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then
  log "note: the system rabbitmq-server service is not used by the tests;"
  log "      to keep it from starting at boot: systemctl disable --now rabbitmq-server"
fi
log "done"
