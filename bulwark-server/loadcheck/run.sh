#!/usr/bin/env bash
# Load check (not CI): wrk against the gateway fanning out to three fast demo backends, and against one backend
# directly, on loopback. Prints requests/s and p99 for both. Needs wrk (Debian: apt-get install -y wrk).
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
jar=bulwark-server/target/bulwark-gateway.jar
[ -f "$jar" ] || mvn -B -ntp -q install -DskipTests
config=$(mktemp --suffix .yaml)
cat > "$config" <<YAML
fault_tolerance:
  execution:
    timeout: 5s
    max_concurrent_adapters: 500
adapters:
  - name: a
    url: http://127.0.0.1:9300/fast
  - name: b
    url: http://127.0.0.1:9300/fast
  - name: c
    url: http://127.0.0.1:9300/fast
YAML
BULWARK_PORT=8300 BULWARK_DEMO_PORT=9300 BULWARK_DEMO_LOAD=off java -jar "$jar" "$config" > /tmp/bulwark-loadcheck.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -f "$config"' EXIT
for _ in $(seq 1 50); do
  curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -d '{"query":"warm"}' http://127.0.0.1:8300/query && break
  sleep 0.2
done
duration=${DURATION:-10s}
# warm-up: on a 2-core machine the JIT needs a minute or two of load before the numbers settle
wrk -t2 -c32 -d"${WARMUP:-90s}" http://127.0.0.1:8300/query -s bulwark-server/loadcheck/query.lua > /dev/null
wrk -t2 -c32 -d10s "http://127.0.0.1:9300/fast?q=load" > /dev/null
direct=$(wrk -t2 -c32 -d"$duration" --latency "http://127.0.0.1:9300/fast?q=load")
gateway=$(wrk -t2 -c32 -d"$duration" --latency -s bulwark-server/loadcheck/query.lua http://127.0.0.1:8300/query)
rps() { echo "$1" | awk '/Requests\/sec/ {print $2}'; }
p99() { echo "$1" | awk '$1 == "99%" {print $2}'; }
echo "| target | requests/s | p99 |"
echo "|---|---|---|"
echo "| one backend directly | $(rps "$direct") | $(p99 "$direct") |"
echo "| gateway, fan-out to 3 backends | $(rps "$gateway") | $(p99 "$gateway") |"
