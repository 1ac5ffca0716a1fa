#!/usr/bin/env bash
# Builds the jcstress tests of the lock-free parts and runs them. The first argument is jcstress's mode:
# sanity (what CI runs, a few minutes on 2 cores), quick, default (the long run), tough
# or stress; further arguments go to jcstress (e.g. -t PermitsTest to run one test).
# Exits non-zero if any test saw a forbidden outcome or failed; the HTML report is in
# bulwark-jcstress/target/jcstress-results/index.html.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-default}"
shift || true
mvn -B -ntp -q -DskipTests -pl bulwark-jcstress -am package
cd bulwark-jcstress/target
java -jar jcstress.jar -m "$mode" -r jcstress-results "$@"
