#!/usr/bin/env bash
# Runs "$@" with a throwaway redis-server on a free loopback port (no persistence, its directory deleted at exit) and
# BULWARK_TEST_REDIS_URL exported to the command. Installs Debian's redis-server when it is missing and we are root.
set -euo pipefail

if ! command -v redis-server >/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    echo "with-redis: redis-server is not installed and we are not root; install Debian's redis-server" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null
fi

dir=$(mktemp -d /tmp/bulwark-redis.XXXXXX)
for _ in $(seq 1 50); do
  port=$(( 20000 + RANDOM % 40000 ))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    break
  fi
done

redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" --daemonize yes \
  --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
stop() {
  if [ -f "$dir/redis.pid" ]; then kill "$(cat "$dir/redis.pid")" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap stop EXIT
for _ in $(seq 1 100); do
  redis-cli -p "$port" ping >/dev/null 2>&1 && break
  sleep 0.1
done
redis-cli -p "$port" ping >/dev/null || { cat "$dir/redis.log" >&2; exit 1; }

export BULWARK_TEST_REDIS_URL="redis://127.0.0.1:$port"
echo "with-redis: redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/') on 127.0.0.1:$port"
"$@"
