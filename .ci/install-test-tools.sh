#!/usr/bin/env bash
# Installs, from Debian's packages, what the test suite and CI's checks use when it is missing (as root; otherwise it
# names what to install): redis-server (cluster-state tests), chromium and chromium-driver (the dashboard's browser
# tests), promtool from prometheus (/metrics checks) and wrk (the soak). PostgreSQL is installed by with-postgres.sh.
set -euo pipefail

need=()
command -v redis-server >/dev/null || need+=(redis-server)
command -v chromium >/dev/null || need+=(chromium)
command -v chromedriver >/dev/null || need+=(chromium-driver)
command -v promtool >/dev/null || need+=(prometheus)
command -v wrk >/dev/null || need+=(wrk)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-test-tools: missing ${need[*]}; install them: sudo apt-get install ${need[*]}" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
