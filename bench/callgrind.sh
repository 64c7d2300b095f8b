#!/usr/bin/env bash
# Instructions per application for each evaluation implementation, counted by valgrind --tool=callgrind
# (deterministic, so unaffected by other load on the machine): Ir(PASSES) - Ir(0), over PASSES x 10,000.
# Usage: bench/callgrind.sh [EXE.dll]   (default: the Release build under $PDSL_ARTIFACTS). Writes bench/results/instructions.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export PDSL_ARTIFACTS="${PDSL_ARTIFACTS:-/tmp/pdsl-bench}"
exe="${1:-$PDSL_ARTIFACTS/bin/PolicyDsl.Bench/release/PolicyDsl.Bench.dll}"
export DOTNET_TieredCompilation=0   # fully optimised code from the first call: counts do not depend on tiering
passes=2
count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null dotnet "$exe" count "$1" "$2" 2>&1 | sed -n 's/.*Collected : //p'; }
out=bench/results/instructions.md
mkdir -p bench/results
{
  echo "| implementation | instructions per application | ratio to hand-written decimal |"
  echo "|---|---:|---:|"
} > "$out.tmp"
hand=""
for impl in hand generated traced scaled rulesengine asemitted nomoney folded notry amountonly; do
  base=$(count "$impl" 0); run=$(count "$impl" "$passes")
  per=$(( (run - base) / (passes * 10000) ))
  [[ -z "$hand" ]] && hand=$per
  echo "| $impl | $per | $(awk -v a="$per" -v b="$hand" 'BEGIN { printf "%.2f", a / b }') |" >> "$out.tmp"
done
mv "$out.tmp" "$out"
cat "$out"
