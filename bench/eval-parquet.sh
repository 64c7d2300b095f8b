#!/usr/bin/env bash
# Paired whole-process runs of `policyc eval` on the generated Tongzhou applications (ENTERPRISES x the ten benchmarked
# rules; 100000 -> 1,000,000 rows), no trace: CSV -> CSV against CSV -> Parquet (docs/semantics.md §25.6), back to back
# in each round. Prints a Markdown table: medians of the rounds, each run, peak RSS (/usr/bin/time -v) and the size of
# what each run wrote (Parquet: OUT.parquet + OUT.totals.parquet).
#   bench/eval-parquet.sh [ENTERPRISES=100000] [RUNS=3] [extra policyc eval options...]
# With PDSL_PARQUET_IN=FILE (the same applications as Parquet, e.g. written by DuckDB:
#   duckdb -c "COPY (SELECT * FROM read_csv('/tmp/pdsl-eval/apps-100000.csv')) TO 'apps.parquet' (FORMAT parquet)")
# each round also runs Parquet -> CSV, and the script checks that it pays what CSV -> CSV pays (every cell but the row number).
# Files go to $PDSL_EVAL_DIR (/tmp/pdsl-eval), builds to $PDSL_ARTIFACTS (/tmp/pdsl-bench); PDSL_NO_BUILD=1 skips the build.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}; runs=${2:-3}; shift $(( $# >= 2 ? 2 : $# ))
source bench/eval-common.sh

# Warm-up: compiles the policy's rules once into the cache (later runs load them).
dotnet "$policyc" eval "$policy" --rules "$rules" --applications samples/tongzhou-2026/applications.json --format csv -o "$dir/warm.csv" >/dev/null 2>&1 || true

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
pin=${PDSL_PARQUET_IN:-}
declare -a csv pq pi cr pr ir
for ((i = 0; i < runs; i++)); do
  read -r t m < <(measure dotnet "$policyc" eval "$policy" --rules "$rules" --applications "$sorted" --format csv -o "$dir/out.csv" "$@"); csv+=("$t"); cr+=("$m")
  read -r t m < <(measure dotnet "$policyc" eval "$policy" --rules "$rules" --applications "$sorted" --format parquet -o "$dir/out.parquet" "$@"); pq+=("$t"); pr+=("$m")
  if [[ -n "$pin" ]]; then
    read -r t m < <(measure dotnet "$policyc" eval "$policy" --rules "$rules" --applications "$pin" --format csv -o "$dir/out-from-parquet.csv" "$@"); pi+=("$t"); ir+=("$m")
  fi
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END{print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
c=$(median "${csv[@]}"); p=$(median "${pq[@]}")
mb() { awk "BEGIN{printf \"%.1f\", ($(stat -c %s "$@" | paste -sd+)) / 1048576}"; }
rows=$(($(wc -l < "$sorted") - 1))
echo "Run $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD), $(nproc) cores, load average $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after (shared machine)."
echo "Command: bench/eval-parquet.sh $n $runs $*   ($rows rows, input $(mb "$sorted") MB; medians of $runs rounds)"
echo
echo "| run | seconds (median) | each run | peak RSS MB | output MB | / CSV |"
echo "|---|--:|---|--:|--:|--:|"
echo "| CSV -> CSV | $c | ${csv[*]} | $(median "${cr[@]}") | $(mb "$dir/out.csv") | 1.00 |"
echo "| CSV -> Parquet | $p | ${pq[*]} | $(median "${pr[@]}") | $(mb "$dir/out.parquet" "$dir/out.totals.parquet") | $(awk "BEGIN{printf \"%.2f\", $p/$c}") |"
if [[ -n "$pin" ]]; then
  q=$(median "${pi[@]}")
  echo "| Parquet ($(basename "$pin"), $(mb "$pin") MB) -> CSV | $q | ${pi[*]} | $(median "${ir[@]}") | $(mb "$dir/out-from-parquet.csv") | $(awk "BEGIN{printf \"%.2f\", $q/$c}") |"
  echo
  echo "Parquet input pays what CSV input pays (every cell but the row number): $(cmp -s <(cut -d, -f2- "$dir/out.csv") <(cut -d, -f2- "$dir/out-from-parquet.csv") && echo yes || echo NO)."
fi
echo
echo "Rows file $(mb "$dir/out.parquet") MB, totals file $(mb "$dir/out.totals.parquet") MB; CSV output lines $(wc -l < "$dir/out.csv")."
