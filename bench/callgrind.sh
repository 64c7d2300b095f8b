#!/usr/bin/env bash
# Instructions per application for each evaluation implementation, counted by valgrind --tool=callgrind
# (deterministic, so unaffected by other load on the machine): Ir(PASSES) - Ir(0), over PASSES x 10,000.
# Usage: bench/callgrind.sh [IMPL...]   (default: all; the Release build under $PDSL_ARTIFACTS, or $BENCH_EXE). Writes bench/results/instructions.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export PDSL_ARTIFACTS="${PDSL_ARTIFACTS:-/tmp/pdsl-bench}"
exe="${BENCH_EXE:-$PDSL_ARTIFACTS/bin/PolicyDsl.Bench/release/PolicyDsl.Bench.dll}"
impls=("$@")
# RulesEngine is left out by default: under callgrind it counted fewer instructions than the hand-written code
# while taking 20x its time, so its count does not measure its cost (pass "rulesengine" to see it).
(( ${#impls[@]} )) || impls=(hand generated traced scaled genscaled)
export DOTNET_TieredCompilation=0   # fully optimised code from the first call: counts do not depend on tiering
count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null dotnet "$exe" count "$1" "$2" 2>&1 | sed -n 's/.*Collected : //p' || true; }
out=bench/results/instructions.md
mkdir -p bench/results
{
  echo "| implementation | instructions per application | ratio to hand-written decimal |"
  echo "|---|---:|---:|"
} > "$out.tmp"
hand=""
for impl in hand "${impls[@]}"; do
  [[ "$impl" == hand && -n "$hand" ]] && continue
  passes=2; [[ "$impl" == rulesengine ]] && passes=1
  base=$(count "$impl" 0); run=$(count "$impl" "$passes")
  if [[ -z "$base" || -z "$run" ]]; then echo "| $impl | (valgrind failed) | |" >> "$out.tmp"; continue; fi
  per=$(( (run - base) / (passes * 10000) ))
  if [[ -z "$hand" ]]; then hand=$per; fi
  echo "| $impl | $per | $(awk -v a="$per" -v b="$hand" 'BEGIN { printf "%.2f", a / b }') |" >> "$out.tmp"
done
mv "$out.tmp" "$out"
cat "$out"
