#!/usr/bin/env bash
# Runs the demo gateway, sends it a few queries and checks its /metrics with promtool (Debian: the prometheus
# package). Exits non-zero if promtool complains. Uses the built jar; port METRICS_PORT (default 18600) and the
# next one for the demo backends.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v promtool >/dev/null || { echo "promtool is missing: apt-get install -y prometheus" >&2; exit 2; }
jar=bulwark-server/target/bulwark-gateway.jar
[ -f "$jar" ] || mvn -B -ntp -q package -DskipTests
port=${METRICS_PORT:-18600}
log=$(mktemp /tmp/bulwark-metrics.XXXXXX)
BULWARK_PORT=$port BULWARK_DEMO_PORT=$((port + 1)) BULWARK_DEMO_LOAD=off java -jar "$jar" > "$log" 2>&1 &
gateway=$!
trap 'kill $gateway 2>/dev/null || true; wait $gateway 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -d '{"query":"warm"}' "http://127.0.0.1:$port/query" && break
  sleep 0.2
done
for i in 1 2 3 4 5; do curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -d "{\"query\":\"q$i\"}" "http://127.0.0.1:$port/query"; done
curl -s -o /dev/null "http://127.0.0.1:$port/health/adapters"
metrics=$(curl -sf "http://127.0.0.1:$port/metrics")
for family in http_server_requests_seconds_bucket bulwark_adapter_request_seconds_bucket bulwark_hedge_backups_total \
    jvm_memory_used_bytes process_files_open_files; do
  grep -q "^$family" <<< "$metrics" || { echo "/metrics lacks $family" >&2; exit 1; }
done
promtool check metrics <<< "$metrics"
echo "promtool accepts the gateway's /metrics ($(grep -vc '^#' <<< "$metrics") samples)"
