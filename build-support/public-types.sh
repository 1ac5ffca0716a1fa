#!/usr/bin/env bash
# Counts the public top-level types each library module offers its users: the public types in the packages its
# module-info exports to everyone (qualified "exports ... to" packages are ours only and not counted).
# Usage: build-support/public-types.sh [-v]   (-v lists the types)
set -euo pipefail
cd "$(dirname "$0")/.."
verbose=${1:-}
total=0
for info in */src/main/java/module-info.java; do
  module_dir=${info%%/*}
  case "$module_dir" in bulwark-server|bulwark-benchmarks|bulwark-jcstress) continue ;; esac
  count=0
  for pkg in $(grep -E '^\s*exports\s+[a-z0-9_.]+\s*;' "$info" | sed -E 's/^\s*exports\s+([a-z0-9_.]+)\s*;.*/\1/'); do
    dir="$module_dir/src/main/java/${pkg//.//}"
    for f in "$dir"/*.java; do
      [ -e "$f" ] || continue
      if grep -qE '^public (final |abstract |sealed |non-sealed )*(class|interface|record|enum|@interface) ' "$f"; then
        count=$((count + 1))
        [ "$verbose" = -v ] && echo "  $pkg.$(basename "$f" .java)"
      fi
    done
  done
  echo "$module_dir $count"
  total=$((total + count))
done
echo "total $total"
