#!/usr/bin/env bash
# Start-up check (not CI): time from a gateway's start to its first answered query, and the classes loaded by then,
# for one or more gateway jars started in turn (round-robin, so a noisy machine hits each alike). Two setups:
#   loadcheck  the load check's configuration (health monitoring off, three adapters on one ChaosBackend)
#   demo       the default demo (no configuration file: demo backends, demo load), as ./bulwark demo runs it
# Prints one line per start, then the median of each jar and setup. JVM flags as the load check: -Xmx512m.
#
#   bulwark-server/loadcheck/startup.sh [--runs 5] [--setups "loadcheck demo"] JAR [JAR ...]
#
# Ports STARTUP_PORT..+2 (default 18340).
set -euo pipefail
. "$(dirname "$0")/common.sh"
runs=5 setups="loadcheck demo"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --setups) setups="$2"; shift 2 ;;
    -*) sed -n '2,10p' "$0" >&2; exit 2 ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { sed -n '2,10p' "$0" >&2; exit 2; }
jars=("$@")
port=${STARTUP_PORT:-18340}
backend_port=$((port + 1)) demo_port=$((port + 2))
start_work_dir bulwark-startup

java -cp "${jars[0]}" dev.bulwark.server.ChaosBackend --port "$backend_port" > "$work/backend.log" 2>&1 &
pids+=($!)
until curl -sf "http://127.0.0.1:$backend_port/fast?q=up" > /dev/null; do sleep 0.05; done
write_gateway_yaml "$work/gateway.yaml" "$backend_port"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
results=$work/results.tsv
for run in $(seq 1 "$runs"); do
  for setup in $setups; do
    for i in "${!jars[@]}"; do
      jar=${jars[$i]}
      classes=$work/classes-$setup-$i-$run.log
      # a fresh directory each start: nothing left by an earlier start (the audit database) makes it faster
      dir=$(mktemp -d "$work/run.XXXXXX")
      args=()
      [ "$setup" = loadcheck ] && { cp "$work/gateway.yaml" "$dir/"; args=("$dir/gateway.yaml"); }
      started=$(now_ms)
      (cd "$dir" && exec env BULWARK_PORT="$port" BULWARK_DEMO_PORT="$demo_port" BULWARK_DEMO_LOAD=off \
        java -Xmx512m "-Xlog:class+load:file=$classes" -jar "$jar" "${args[@]}") > "$dir/gateway.log" 2>&1 &
      pid=$!
      pids+=("$pid")
      until curl -sf -X POST -H 'Content-Type: application/json' -d '{"query":"first"}' \
          "http://127.0.0.1:$port/query" 2>/dev/null | grep -q answer; do
        kill -0 "$pid" 2>/dev/null || { echo "jar $jar died; its log:" >&2; tail -20 "$dir/gateway.log" >&2; exit 1; }
        sleep 0.01
      done
      first_ms=$(( $(now_ms) - started ))
      loaded=$(wc -l < "$classes")
      printf '%s\t%s\t%s\t%s\t%s\n' "$setup" "$i" "$run" "$first_ms" "$loaded" >> "$results"
      echo "$setup jar $i run $run: first answer after $first_ms ms, $loaded classes loaded (load average $(cut -d' ' -f1 /proc/loadavg))" >&2
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    done
  done
done

echo
for i in "${!jars[@]}"; do echo "jar $i: ${jars[$i]}"; done
echo "| setup | jar | runs | median first answer ms | median classes loaded by then |"
echo "|---|---|---|---|---|"
for setup in $setups; do
  for i in "${!jars[@]}"; do
    ms=$(awk -F'\t' -v s="$setup" -v j="$i" '$1 == s && $2 == j {print $4}' "$results" | sort -n)
    cl=$(awk -F'\t' -v s="$setup" -v j="$i" '$1 == s && $2 == j {print $5}' "$results" | sort -n)
    n=$(echo "$ms" | wc -l)
    mid=$(( (n + 1) / 2 ))
    echo "| $setup | $i | $n | $(echo "$ms" | sed -n "${mid}p") | $(echo "$cl" | sed -n "${mid}p") |"
  done
done
