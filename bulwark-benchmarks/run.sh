#!/usr/bin/env bash
# Builds the benchmarks and runs them side by side with Resilience4j and Failsafe at 1 and 2 threads
# (about 6 minutes on a 2-core machine), then prints a Markdown table with the ratio Bulwark / best anchor.
# Pass --smoke for a seconds-long run that only proves every benchmark still works.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -DskipTests -pl bulwark-benchmarks -am install
java -Djdk.attach.allowAttachSelf=true -cp bulwark-benchmarks/target/benchmarks.jar dev.bulwark.benchmarks.BenchmarkReport "$@"
echo
echo "Memory (JOL):"
java -Djdk.attach.allowAttachSelf=true -cp bulwark-benchmarks/target/benchmarks.jar dev.bulwark.benchmarks.MemoryFootprint 2>/dev/null
