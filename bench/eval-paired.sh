#!/usr/bin/env bash
# Paired whole-process runs of `policyc eval` (CSV -> CSV, no trace) of two trees on one applications file: wall seconds,
# CPU seconds (user+sys) and peak RSS of each run, alternating, and whether both wrote the same bytes. CPU is the
# comparison to read on a loaded machine (wall time moves with the load, CPU much less).
#   bench/eval-paired.sh BASE_TREE FILE [ROUNDS=3]
# e.g. git worktree add --detach /tmp/base 012996a; bench/eval-paired.sh /tmp/base /tmp/pdsl-eval/apps-100000-shuffled.csv 3
# Each tree is published in Release into its own artifacts folder, with its own compiled-rules cache (warmed before timing).
set -euo pipefail
cd "$(dirname "$0")/.."
base="$(cd "$1" && pwd)"; file="$2"; rounds=${3:-3}
out=${PDSL_PAIRED_DIR:-/tmp/pdsl-paired}  # prefix of the two trees' artifacts, caches and outputs (two users of one machine give two)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
declare -A tree=([base]="$base" [this]="$PWD")
source bench/rid.sh # (from the root: every bench script starts there)
for v in base this; do
  # Each tree's policyc as its tool package gives it here: published for this platform (ReadyToRun where its project says so).
  PDSL_ARTIFACTS="$out-$v" dotnet publish "${tree[$v]}/compiler/policyc" -c Release -r "$rid" --self-contained false -o "$out-$v/publish" -nologo -v q >/dev/null
  PDSL_COMPILED_CACHE="$out-$v-cc" dotnet "$out-$v/publish/policyc.dll" eval samples/tongzhou-2026/tongzhou-2026.policy \
    --rules samples/tongzhou-2026/tongzhou-2026.rules --applications samples/tongzhou-2026/applications.json --format csv -o "$out-$v.csv" >/dev/null 2>&1 || true
done
echo "Run $(date -u '+%Y-%m-%d %H:%M UTC'), base $(git -C "$base" rev-parse --short HEAD), this $(git rev-parse --short HEAD), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), file $file"
for ((i = 0; i < rounds; i++)); do
  for v in base this; do
    PDSL_COMPILED_CACHE="$out-$v-cc" /usr/bin/time -f "$v %e s wall, %U+%S s cpu, %M KB" dotnet "$out-$v/publish/policyc.dll" eval \
      samples/tongzhou-2026/tongzhou-2026.policy --rules samples/tongzhou-2026/tongzhou-2026.rules --applications "$file" --format csv -o "$out-$v.csv" 2>&1 | grep -v '^policyc:'
  done
done
cmp -s $out-base.csv $out-this.csv && echo "same bytes: yes" || echo "same bytes: NO"
echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
