#!/usr/bin/env bash
# The node peers of the evaluation benchmark, in one command (works on a fresh clone; needs dotnet, node >= 18 and npm):
#   bench/publicodes.sh [--rounds N] [--publicodes-apps N]   install (npm ci), agreement, timing (7 rounds; Publicodes' rounds
#                                      are the first 500 applications); the table goes to bench/results/peers.md
#   bench/publicodes.sh --check        install and agreement only (exit 1 on a disagreement); no timing
# Steps: (1) build bench/PolicyDsl.Bench (Release, into $PDSL_ARTIFACTS, default /tmp/pdsl-bench); (2) npm ci in
# bench/publicodes (publicodes 1.10.1 and yaml 2.9.1, pinned by package-lock.json); (3) `PolicyDsl.Bench peers DIR`
# checks that the .NET implementations agree (generated, hand-written, scaled, RulesEngine) and writes the 10,000
# benchmark applications, PolicyDsl's exact awards and the JavaScript back end's program; (4) bench/publicodes/bench.mjs
# checks Publicodes (within 1e-9 points, JS numbers) and the JS back end (digit for digit) on every application, then
# times them; (5) `PolicyDsl.Bench peers-time` times the generated C# classes and RulesEngine with the same protocol
# (warm-up, then rounds of >= 200-500 ms, median per rule evaluation, wall and process CPU time).
# The runs are paired whole processes one after the other: on a shared machine compare the CPU columns.
set -euo pipefail
cd "$(dirname "$0")/.."
export PDSL_ARTIFACTS="${PDSL_ARTIFACTS:-/tmp/pdsl-bench}" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
check=0; rounds=7; papps=500
while (( $# )); do
  case "$1" in
    --check) check=1 ;;
    --rounds) rounds="$2"; shift ;;
    --publicodes-apps) papps="$2"; shift ;;
    *) echo "usage: bench/publicodes.sh [--check] [--rounds N] [--publicodes-apps N]" >&2; exit 2 ;;
  esac
  shift
done

dotnet build bench/PolicyDsl.Bench/PolicyDsl.Bench.csproj -c Release -nologo -v q >/dev/null
exe="$PDSL_ARTIFACTS/bin/PolicyDsl.Bench/release/PolicyDsl.Bench.dll"
(cd bench/publicodes && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
dir="$PDSL_ARTIFACTS/peers"
export PDSL_REPO="$PWD"
dotnet "$exe" peers "$dir"

if (( check )); then
  node bench/publicodes/bench.mjs "$dir" --check-only
  exit 0
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
start=$(date -u '+%Y-%m-%d %H:%M UTC')
node bench/publicodes/bench.mjs "$dir" --rounds "$rounds" --publicodes-apps "$papps" | tee -a "$log"
load_mid=$(cut -d' ' -f1-3 /proc/loadavg)
dotnet "$exe" peers-time "$rounds" | tee -a "$log"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

out=bench/results/peers.md
mkdir -p bench/results
{
  echo "# Peers: the ten Tongzhou benchmark rules in node and .NET"
  echo
  echo "Run $start on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); commit $(git rev-parse --short HEAD 2>/dev/null || echo '?');" \
       "node $(node --version), .NET $(dotnet --version) SDK. Load average (1, 5, 15 min): $load_before at the start, $load_mid between node and .NET, $load_after at the end."
  echo "Command: bench/publicodes.sh --rounds $rounds --publicodes-apps $papps. Per rule evaluation = per application / 10; medians of $rounds rounds;" \
       "Publicodes' rounds are the first $papps applications, the others' all 10,000 (repeated in .NET until a round lasts 200 ms)."
  echo "CPU = process CPU time (user + system, all threads: GC and JIT threads count); on a loaded machine wall time includes waiting for a core, so the ratios are of CPU time."
  echo
  echo "## Agreement (before timing)"
  echo
  grep -E 'agree' "$log" | sed 's/^/- /'
  echo
  echo "## Time per rule evaluation"
  echo
  echo "| implementation | runtime | CPU ns per rule evaluation | wall ns | CPU µs per application (ten rules) | ÷ generated C# (CPU) | ÷ RulesEngine (CPU) | applications per round |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|"
  awk -F'\t' '
    /^RESULT/ {
      n++; name[n] = $2
      for (i = 3; i <= NF; i++) { split($i, kv, "="); v[n, kv[1]] = kv[2] }
      if ($2 ~ /^PolicyDsl generated C#/) gen = v[n, "cpu_ns"]
      if ($2 ~ /^RulesEngine/) re = v[n, "cpu_ns"]
    }
    END {
      for (i = 1; i <= n; i++) {
        rt = (name[i] ~ /^(Publicodes|PolicyDsl JS)/) ? "node" : ".NET"
        extra = (v[i, "setSituation_ns"] != "") ? sprintf(": setSituation %.1f µs + evaluate %.1f µs wall per rule evaluation", v[i, "setSituation_ns"] / 1000, v[i, "evaluate_ns"] / 1000) : ""
        printf "| %s%s | %s | %.1f | %.1f | %.2f | %.1f× | %.2f× | %s |\n", name[i], extra, rt, v[i, "cpu_ns"], v[i, "wall_ns"], v[i, "cpu_ns"] / 100,
          v[i, "cpu_ns"] / gen, v[i, "cpu_ns"] / re, v[i, "applications_per_round"]
      }
    }' "$log"
  echo
  grep -E '^publicodes evaluate per rule' "$log" | sed 's/^publicodes evaluate per rule/Publicodes evaluate() per rule/'
} > "$out"
cat "$out"
echo "Table: $out"
