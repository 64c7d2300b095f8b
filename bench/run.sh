#!/usr/bin/env bash
# Runs every PolicyDsl benchmark in Release and writes the tables to bench/results/.
#   bench/run.sh           full run (BenchmarkDotNet default job for evaluation and generator; ShortRun for parse/check/emit at scale); ~20-30 min on 2 cores
#   bench/run.sh --quick   short run (ShortRun for evaluation, Dry for compile and generator); ~5 min, noisier ratios
# BenchmarkDotNet runs in-process (--inProcess): builds go to $PDSL_ARTIFACTS (artifacts layout), where
# BenchmarkDotNet's out-of-process toolchain cannot find the project's output.
set -euo pipefail
cd "$(dirname "$0")/.."
export PDSL_ARTIFACTS="${PDSL_ARTIFACTS:-/tmp/pdsl-bench}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
quick=0
[[ "${1:-}" == "--quick" ]] && quick=1

out=bench/results
mkdir -p "$out"
dotnet build bench/PolicyDsl.Bench/PolicyDsl.Bench.csproj -c Release -nologo -v q
exe="$PDSL_ARTIFACTS/bin/PolicyDsl.Bench/release/PolicyDsl.Bench.dll"
bdn="$PDSL_ARTIFACTS/bdn"
rm -rf "$bdn"
export PDSL_REPO="$PWD"

if (( quick )); then eval_job=(--job short); compile_job=(--job dry); gen_job=(--job dry); mode="quick (--quick: ShortRun evaluation, Dry compile/generator)"
else eval_job=(); compile_job=(--job short); gen_job=(); mode="full"; fi

{
  echo "# PolicyDsl benchmark results ($mode)"
  echo
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GB; $(dotnet --version) SDK."
  echo "Command: bench/run.sh${1:+ $1}"
  echo
  echo "## Evaluation agreement"
  echo
  dotnet "$exe" check
  echo
  echo "## Parse, check, emit at scale (stopwatch, best of 5 after a warm-up)"
  echo
  dotnet "$exe" scale
} > "$out/summary.md"

dotnet "$exe" --filter '*EvaluationBenchmarks*' --inProcess "${eval_job[@]}" --artifacts "$bdn" --exporters github
dotnet "$exe" --filter '*GeneratorBenchmarks*' --inProcess "${gen_job[@]}" --artifacts "$bdn" --exporters github
dotnet "$exe" --filter '*CompileBenchmarks*' --inProcess "${compile_job[@]}" --artifacts "$bdn" --exporters github

for f in "$bdn"/results/*-report-github.md; do
  name=$(basename "$f" -report-github.md)
  cp "$f" "$out/${name##*.}.md"
  sed -i "s/&#39;//g" "$out/${name##*.}.md"
  { echo; echo "## ${name##*.}"; echo; sed -n '/^|/,$p' "$out/${name##*.}.md"; } >> "$out/summary.md"
done
echo "Tables: $out/summary.md"
