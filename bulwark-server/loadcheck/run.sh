#!/usr/bin/env bash
# Load check (not CI): wrk (2 threads, 32 and 128 connections, loopback) against one demo backend directly, against a
# bare fan-out gateway (BareGateway.java: Javalin + Jackson + CompletableFuture.allOf, no policies) on each of the three
# outbound clients (Netty's, as Bulwark's gateway, Jetty's and the JDK's), and against Bulwark's gateway; all fan out to the same three backends (one ChaosBackend process
# answering at once), one target at a time, each after its own warm-up. Optionally the gateway of another commit too
# (the baseline), built into a temporary directory. Prints, per target: requests/s, p99, CPU per query (the target
# process's utime+stime over the measured interval / requests), time from its start to its first answered query, RSS
# after warm-up (which lasts --warmup, then 10 s rounds until the JIT compilers use under 2 % of the CPU), and ratios
# to the baseline and to the bare gateway on the same outbound client. Needs wrk.
#
#   bulwark-server/loadcheck/run.sh [--warmup 90s] [--duration 10s] [--rounds 1]
#                                   [--baseline-ref COMMIT | --baseline-jar JAR]
#
# Rounds repeat every target in turn (gateway, baseline, bare ... then again), so that a noisy machine hits all of
# them alike; compare rows of the same round. Ports LOADCHECK_PORT..+3 (default 18300). Every gateway (Bulwark's, the
# baseline, the bare ones) runs with the same JVM flags: LOADCHECK_JAVA_OPTS, default the ./bulwark launcher's -Xmx512m.
set -euo pipefail
cd "$(dirname "$0")/../.."
. bulwark-server/loadcheck/common.sh
warmup=90s duration=10s rounds=1 baseline_ref= baseline_jar=
while [ $# -gt 0 ]; do
  case "$1" in
    --warmup) warmup="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --baseline-ref) baseline_ref="$2"; shift 2 ;;
    --baseline-jar) baseline_jar="$2"; shift 2 ;;
    *) sed -n '2,15p' "$0" >&2; exit 2 ;;
  esac
done
need_wrk_and_gateway_jar
port=${LOADCHECK_PORT:-18300}
backend_port=$((port + 1))
start_work_dir bulwark-loadcheck

if [ -n "$baseline_ref" ]; then
  echo "building the baseline gateway of $baseline_ref in $work/baseline ..." >&2
  mkdir -p "$work/baseline"
  git archive "$baseline_ref" | tar -x -C "$work/baseline"
  (cd "$work/baseline" && mvn -B -ntp -q package -pl bulwark-server -am -DskipTests -Dbulwark.errorprone= >&2)
  baseline_jar=$work/baseline/bulwark-server/target/bulwark-gateway.jar
fi
mkdir -p "$work/bare"
client_jars=$(jetty_client_class_path)
javac -nowarn -d "$work/bare" -cp "$jar:$client_jars" bulwark-server/loadcheck/BareGateway.java \
  bulwark-server/loadcheck/BareNettyGateway.java

write_gateway_yaml "$work/gateway.yaml" "$backend_port"
query=bulwark-server/loadcheck/query.lua
results=$work/results.tsv
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
ticks_per_s=$(getconf CLK_TCK)

# ask once a target: GET for the backend, POST a query for a gateway; true on a 200 with an answer in it
ask() {
  if [ "$2" = direct ]; then curl -sf "http://127.0.0.1:$1/fast?q=warm" | grep -q answer
  else curl -sf -X POST -H 'Content-Type: application/json' -d '{"query":"warm"}' "http://127.0.0.1:$1/query" | grep -q answer
  fi
}

# starts "$@" as target $label (kind direct or gateway) listening on $target_port; records its time to first answer
start_target() {
  local label=$1 kind=$2 target_port=$3
  shift 3
  local started
  started=$(now_ms)
  "$@" > "$work/$label.log" 2>&1 &
  target_pid=$!
  pids+=("$target_pid")
  until ask "$target_port" "$kind" 2>/dev/null; do
    kill -0 "$target_pid" 2>/dev/null || { echo "$label died; its log:" >&2; tail -20 "$work/$label.log" >&2; exit 1; }
    sleep 0.01
  done
  first_ms=$(( $(now_ms) - started ))
}

# warms the target up, then measures it at 32 and 128 connections; appends rows to $results
measure() {
  local label=$1 kind=$2 target_port=$3 pid=$4 round=$5 url script=()
  if [ "$kind" = direct ]; then url="http://127.0.0.1:$target_port/fast?q=load"
  else url="http://127.0.0.1:$target_port/query"; script=(-s "$query")
  fi
  wrk -t2 -c32 -d"$warmup" "${script[@]}" "$url" > /dev/null
  # then until the JIT has settled: a bigger gateway has more code to compile, and compiling during the measured
  # interval would be charged to its CPU per query (at most 12 more 10 s rounds; the log says how many it took)
  local settle jit_before jit_after cpu_before cpu_after
  for settle in $(seq 1 12); do
    jit_before=$(jit_ticks "$pid") cpu_before=$(cpu_ticks "$pid")
    wrk -t2 -c32 -d10s "${script[@]}" "$url" > /dev/null
    jit_after=$(jit_ticks "$pid") cpu_after=$(cpu_ticks "$pid")
    (( (jit_after - jit_before) * 50 <= cpu_after - cpu_before )) && break
  done
  echo "$label: JIT settled after $settle more 10 s round(s) of warm-up (compiler threads under 2 % of the process's CPU)" >&2
  local rss_kb
  rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  for connections in 32 128; do
    local before after out
    before=$(cpu_ticks "$pid")
    out=$(wrk -t2 -c"$connections" -d"$duration" --latency "${script[@]}" "$url")
    after=$(cpu_ticks "$pid")
    echo "$out" > "$work/$label-$round-$connections.wrk"
    echo "$out" | awk -v label="$label" -v round="$round" -v c="$connections" -v cpu=$((after - before)) \
      -v hz="$ticks_per_s" -v first="$first_ms" -v rss="$rss_kb" '
      function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
      /requests in/ { requests = $1 }
      /Requests\/sec/ { rps = $2 }
      $1 == "99%" { p99 = ms($2) }
      /Non-2xx/ { errors = $NF }
      /Socket errors/ { errors += 0 }
      END { printf "%s\t%s\t%s\t%.0f\t%.2f\t%.1f\t%d\t%d\t%d\n", round, label, c, rps, p99,
              requests ? cpu / hz * 1e6 / requests : 0, first, rss / 1024, errors + 0 }' >> "$results"
  done
}

stop_target() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# the backend: its direct row is measured once, first; it then serves every gateway
start_target direct direct "$backend_port" java -cp "$jar" dev.bulwark.server.ChaosBackend --port "$backend_port"
backend_pid=$target_pid
measure direct direct "$backend_port" "$backend_pid" 1

targets=(bulwark bare-netty bare-jetty bare-jdk)
[ -n "$baseline_jar" ] && targets=(bulwark baseline bare-netty bare-jetty bare-jdk)
gateway_port=$((port + 2))
for round in $(seq 1 "$rounds"); do
  for target in "${targets[@]}"; do
    echo "round $round: $target (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
    case "$target" in
      bulwark) cmd=(env BULWARK_PORT="$gateway_port" java "${java_opts[@]}" -jar "$jar" "$work/gateway.yaml") ;;
      baseline) cmd=(env BULWARK_PORT="$gateway_port" java "${java_opts[@]}" -jar "$baseline_jar" "$work/gateway.yaml") ;;
      # the common pool as GatewayMain sizes it: the JDK client completes every exchange on it (see CommonPool)
      bare-*) cmd=(java "${java_opts[@]}" -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 -cp "$jar:$client_jars:$work/bare" BareGateway "$gateway_port" "${target#bare-}"
                   "http://127.0.0.1:$backend_port/fast" "http://127.0.0.1:$backend_port/fast"
                   "http://127.0.0.1:$backend_port/fast") ;;
    esac
    start_target "$target" gateway "$gateway_port" "${cmd[@]}"
    measure "$target" gateway "$gateway_port" "$target_pid" "$round"
    stop_target "$target_pid"
  done
done

echo
echo "wrk -t2, ${duration} measured after ${warmup} of warm-up; gateways' JVM flags: ${java_opts[*]}; load average $(cut -d' ' -f1-3 /proc/loadavg); logs in $work"
echo
# ratios: to the baseline (today's gateway) of the same round and connections, and to the bare gateway on the same
# outbound client (Bulwark's gateway: GATEWAY_CLIENT, default jetty; the baseline: jdk)
awk -F'\t' -v client="${GATEWAY_CLIENT:-netty}" '
  { key = $1 SUBSEP $3; rps[$2, key] = $4; p99[$2, key] = $5; cpu[$2, key] = $6; rows[++n] = $0 }
  function ratio(a, b) { return b > 0 ? sprintf("%.2fx", a / b) : "-" }
  END {
    print "| round | target | connections | requests/s | p99 ms | CPU/query µs | first answer ms | RSS MB | errors | req/s vs baseline | vs bare: req/s, p99, CPU |"
    print "|---|---|---|---|---|---|---|---|---|---|---|"
    for (i = 1; i <= n; i++) {
      split(rows[i], f, "\t"); key = f[1] SUBSEP f[3]
      bare = f[2] == "bulwark" ? "bare-" client : f[2] == "baseline" ? "bare-jdk" : ""
      vsBase = f[2] == "direct" || !((("baseline", key) in rps)) ? "-" : ratio(f[4], rps["baseline", key])
      vsBare = bare != "" && ((bare, key) in rps) ? ratio(f[4], rps[bare, key]) ", " ratio(f[5], p99[bare, key]) ", " ratio(f[6], cpu[bare, key]) " (" bare ")" : "-"
      printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], vsBase, vsBare
    }
  }' "$results"
