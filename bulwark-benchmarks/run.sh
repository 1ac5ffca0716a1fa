#!/usr/bin/env bash
# Builds the benchmarks and runs them side by side with Resilience4j and Failsafe at 1 and 2 threads
# (about 20 minutes on a 2-core machine), then prints a Markdown table with the ratio Bulwark / best anchor.
# Pass --smoke for a seconds-long run that only proves every benchmark still works.
# Builds with `package` from the reactor: nothing lands in ~/.m2.
set -euo pipefail
cd "$(dirname "$0")/.."
# the shared-breaker rows start a redis-server of their own on loopback: install it first (as root), or say so
if ! command -v redis-server >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server
  else
    echo "run.sh: the shared-breaker rows need redis-server: sudo apt-get install redis-server" >&2
    exit 1
  fi
fi
mvn -B -ntp -q -DskipTests -pl bulwark-benchmarks -am package
java -Djdk.attach.allowAttachSelf=true -cp bulwark-benchmarks/target/benchmarks.jar dev.bulwark.benchmarks.BenchmarkReport "$@"
echo
echo "Memory (JOL):"
java -Djdk.attach.allowAttachSelf=true -cp bulwark-benchmarks/target/benchmarks.jar dev.bulwark.benchmarks.MemoryFootprint 2>/dev/null
