#!/usr/bin/env bash
# Runs the PolicyDsl benchmarks in Release and writes the tables to bench/results/.
#   bench/run.sh           full run (BenchmarkDotNet default job for evaluation and generator; ShortRun for parse/check/emit at scale); ~20-30 min on 2 cores
#   bench/run.sh --quick   the figures issues 11 and 18 ask for, in ~3-5 min: evaluation (ShortRun: generated untraced vs hand-written
#                          decimal, allocated bytes, the scaled entry point vs the hand-written scaled floor and RulesEngine) and the
#                          stopwatch parse+check+emit of Tongzhou, 1,000 and 10,000 clauses (best of 2); no compile/generator BenchmarkDotNet runs
# Both end with the key figures (bench/keyfigures.sh) at the top of bench/results/summary.md. bench/compare.sh BASE HEAD runs --quick on two commits.
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

if (( quick )); then eval_job=(--job short); scale_args=(Tongzhou 1000 10000 --runs 2); mode="quick (--quick: ShortRun evaluation, scale best of 2)"
else eval_job=(); compile_job=(--job short); gen_job=(); scale_args=(); mode="full"; fi

body=$(mktemp)
{
  echo "## Evaluation agreement"
  echo
  dotnet "$exe" check
  echo
  echo "## Parse, check, emit at scale (stopwatch, best of $( (( quick )) && echo 2 || echo 5) after a warm-up)"
  echo
  dotnet "$exe" scale "${scale_args[@]}"
} > "$body"

dotnet "$exe" --filter '*EvaluationBenchmarks*' --inProcess "${eval_job[@]}" --artifacts "$bdn" --exporters github
if (( ! quick )); then
  dotnet "$exe" --filter '*GeneratorBenchmarks*' --inProcess "${gen_job[@]}" --artifacts "$bdn" --exporters github
  dotnet "$exe" --filter '*CompileBenchmarks*' --inProcess "${compile_job[@]}" --artifacts "$bdn" --exporters github
fi

for f in "$bdn"/results/*-report-github.md; do
  name=$(basename "$f" -report-github.md)
  cp "$f" "$out/${name##*.}.md"
  sed -i "s/&#39;//g" "$out/${name##*.}.md"
  { echo; echo "## ${name##*.}"; echo; sed -n '/^|/,$p' "$out/${name##*.}.md"; } >> "$body"
done

{
  echo "# PolicyDsl benchmark results ($mode)"
  echo
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GB; $(dotnet --version) SDK; commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Command: bench/run.sh${1:+ $1}"
  echo
  echo "## Key figures"
  echo
  echo "| figure | value |"
  echo "|---|---:|"
  bench/keyfigures.sh "$body" | awk -F'\t' '{ printf "| %s | %s |\n", $1, $2 }'
  echo
  cat "$body"
} > "$out/summary.md"
rm -f "$body"
echo "Tables: $out/summary.md"
