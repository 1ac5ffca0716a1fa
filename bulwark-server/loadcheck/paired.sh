#!/usr/bin/env bash
# Paired load check (not CI): Bulwark's gateway and the bare gateway (BareGateway.java) run side by side over
# one demo backend, and wrk (2 threads) alternates short slices between them, so drift in a shared or noisy machine
# hits both alike (after --warmup, and then 40 s rounds until both JIT compilers use under 2 % of their process's CPU);
# run.sh measures one target after the other, and on a VM whose speed wanders within minutes its
# ratios move by a third between rounds. Prints each pair's requests/s, p99 and CPU per query (the process's
# utime+stime over the slice / requests), the ratios of the pair, and the median of each ratio over the pairs.
#
#   bulwark-server/loadcheck/paired.sh [--warmup 100s] [--slice 10s] [--pairs 6] [--connections 32]
#                                      [--baseline-jar JAR | --bare-server jetty|netty] [--bare-client netty|jdk]
#
# --baseline-jar puts another gateway jar (say, another commit's) in the bare gateway's place; --bare-server jetty
# serves the bare gateway on Jetty's core handler API instead of Javalin; --bare-server netty runs
# BareNettyGateway.java (Netty 4.2 server and client, epoll) instead; --bare-client netty|jetty|jdk picks the bare
# Javalin gateway's outbound client (default netty, as Bulwark's; Jetty's client jars are fetched into ~/.m2 by Maven). Ports
# LOADCHECK_PORT..+2 (default 18310). Both gateways run with LOADCHECK_JAVA_OPTS (default -Xmx512m). Needs wrk.
set -euo pipefail
cd "$(dirname "$0")/../.."
. bulwark-server/loadcheck/common.sh
warmup=100 slice=10 pairs=6 connections=32 baseline_jar= bare_server=javalin bare_client=netty
seconds() { echo "${1%s}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --warmup) warmup=$(seconds "$2"); shift 2 ;;
    --slice) slice=$(seconds "$2"); shift 2 ;;
    --pairs) pairs="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --baseline-jar) baseline_jar="$2"; shift 2 ;;
    --bare-server) bare_server="$2"; shift 2 ;;
    --bare-client) bare_client="$2"; shift 2 ;;
    *) sed -n '2,16p' "$0" >&2; exit 2 ;;
  esac
done
need_wrk_and_gateway_jar
port=${LOADCHECK_PORT:-18310}
start_work_dir bulwark-paired

backend=http://127.0.0.1:$((port))/fast
write_gateway_yaml "$work/gateway.yaml" "$port"
java -cp "$jar" dev.bulwark.server.ChaosBackend --port "$port" > "$work/backend.log" 2>&1 & pids+=($!)
env BULWARK_PORT=$((port + 1)) java "${java_opts[@]}" -jar "$jar" "$work/gateway.yaml" > "$work/bulwark.log" 2>&1 &
bulwark_pid=$! && pids+=($!)
if [ -n "$baseline_jar" ]; then
  other=baseline
  env BULWARK_PORT=$((port + 2)) java "${java_opts[@]}" -jar "$baseline_jar" "$work/gateway.yaml" > "$work/other.log" 2>&1 &
else
  other=bare-javalin-$bare_client
  [ "$bare_server" = javalin ] || other=bare-jetty-core-$bare_client
  mkdir -p "$work/bare"
  if [ "$bare_server" = netty ]; then
    other=bare-netty
    client_jars=$(jetty_client_class_path)
    javac -nowarn -d "$work/bare" -cp "$jar:$client_jars" bulwark-server/loadcheck/BareGateway.java \
      bulwark-server/loadcheck/BareNettyGateway.java
    java "${java_opts[@]}" -cp "$jar:$client_jars:$work/bare" BareNettyGateway \
      $((port + 2)) "$backend" "$backend" "$backend" > "$work/other.log" 2>&1 &
  else
    client_jars=$(jetty_client_class_path)
    javac -nowarn -d "$work/bare" -cp "$jar:$client_jars" bulwark-server/loadcheck/BareGateway.java \
      bulwark-server/loadcheck/BareNettyGateway.java
    java "${java_opts[@]}" -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 -Dbare.server="$bare_server" \
      -cp "$jar:$client_jars:$work/bare" BareGateway \
      $((port + 2)) "$bare_client" "$backend" "$backend" "$backend" > "$work/other.log" 2>&1 &
  fi
fi
other_pid=$! && pids+=($!)
for target_port in $((port + 1)) $((port + 2)); do
  for _ in $(seq 1 3000); do
    curl -sf -X POST -H 'Content-Type: application/json' -d '{"query":"warm"}' \
      "http://127.0.0.1:$target_port/query" 2>/dev/null | grep -q answer && continue 2
    sleep 0.02
  done
  echo "the gateway on port $target_port did not answer within a minute; logs in $work" >&2
  exit 1
done

query=bulwark-server/loadcheck/query.lua
hz=$(getconf CLK_TCK)
echo "warming both up for ${warmup}s in alternating 20 s runs ..." >&2
warm_round() {
  for target_port in $((port + 1)) $((port + 2)); do
    wrk -t2 -c"$connections" -d20s -s "$query" "http://127.0.0.1:$target_port/query" > /dev/null
  done
}
for ((t = 0; t < warmup; t += 40)); do warm_round; done
# then until both JITs have settled (as run.sh does): Bulwark has more code to compile than the bare gateway, and its
# compiler threads still busy after a short warm-up were a third of the CPU per query between the two
for settle in $(seq 1 12); do
  jb=$(jit_ticks $bulwark_pid) cb=$(cpu_ticks $bulwark_pid) jo=$(jit_ticks $other_pid) co=$(cpu_ticks $other_pid)
  warm_round
  (( ($(jit_ticks $bulwark_pid) - jb) * 50 <= $(cpu_ticks $bulwark_pid) - cb
     && ($(jit_ticks $other_pid) - jo) * 50 <= $(cpu_ticks $other_pid) - co )) && break
done
echo "both JITs settled after $settle more round(s) of warm-up (compiler threads under 2 % of each process's CPU)" >&2

# one slice against $1 (port) whose process is $2: prints requests/s, p99 in ms, CPU µs per query
measure() {
  local before after out
  before=$(cpu_ticks "$2")
  out=$(wrk -t2 -c"$connections" -d"${slice}s" --latency -s "$query" "http://127.0.0.1:$1/query")
  after=$(cpu_ticks "$2")
  echo "$out" | awk -v cpu=$((after - before)) -v hz="$hz" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /requests in/ { requests = $1 } /Requests\/sec/ { rps = $2 } $1 == "99%" { p99 = ms($2) }
    END { printf "%.0f %.2f %.1f\n", rps, p99, requests ? cpu / hz * 1e6 / requests : 0 }'
}

echo "| pair | bulwark req/s | $other req/s | ratio | bulwark p99 ms | $other p99 ms | ratio | bulwark CPU/query µs | $other CPU/query µs | ratio |"
echo "|---|---|---|---|---|---|---|---|---|---|"
ratios=$work/ratios
for pair in $(seq 1 "$pairs"); do
  # alternate which goes first, so neither always runs right after the other's slice
  if (( pair % 2 )); then read -r br bp bc <<< "$(measure $((port + 1)) $bulwark_pid)"; read -r or op oc <<< "$(measure $((port + 2)) $other_pid)"
  else read -r or op oc <<< "$(measure $((port + 2)) $other_pid)"; read -r br bp bc <<< "$(measure $((port + 1)) $bulwark_pid)"
  fi
  awk -v p="$pair" -v br="$br" -v or="$or" -v bp="$bp" -v op="$op" -v bc="$bc" -v oc="$oc" 'BEGIN {
    printf "| %d | %s | %s | %.2fx | %s | %s | %.2fx | %s | %s | %.2fx |\n", p, br, or, br / or, bp, op, bp / op, bc, oc, bc / oc }'
  echo "$br $or $bp $op $bc $oc" >> "$ratios"
done
awk '{ r[NR] = $1 / $2; p[NR] = $3 / $4; c[NR] = $5 / $6 }
  function median(a, n,   i, j, t) {
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END { printf "\nmedian of %d pairs: requests/s %.2fx, p99 %.2fx, CPU per query %.2fx (Bulwark / '"$other"')\n",
          NR, median(r, NR), median(p, NR), median(c, NR) }' "$ratios"
echo "wrk -t2 -c$connections, ${slice}s slices after ${warmup}s of warm-up; JVM flags: ${java_opts[*]}; load average $(cut -d' ' -f1-3 /proc/loadavg); logs in $work"
