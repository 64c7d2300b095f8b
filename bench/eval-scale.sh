#!/usr/bin/env bash
# Paired whole-process runs of `policyc eval` (CSV -> CSV, no trace) on the generated Tongzhou applications
# (ENTERPRISES x the ten benchmarked rules), against the parse-only floor in the same run, sorted and shuffled.
#   bench/eval-scale.sh [ENTERPRISES=100000] [RUNS=3] [extra policyc eval options...]
# Each round runs floor, sorted, shuffled and sorted with --interpret (the reference interpreter) back to back; the
# policy's compiled rules are cached by a warm-up run before the rounds (the cache is $PDSL_COMPILED_CACHE); medians of the rounds and the ratios are printed as a
# Markdown table, with the peak RSS of each process (/usr/bin/time -v). Files go to $PDSL_EVAL_DIR (/tmp/pdsl-eval).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}; runs=${2:-3}; shift $(( $# >= 2 ? 2 : $# ))
source bench/eval-common.sh
shuffled="$dir/apps-$n-shuffled.csv"
[[ -f "$shuffled" ]] || dotnet "$bench" csv "$n" "$shuffled" --shuffle

# Warm-up: compiles the policy's rules once into the cache (later runs load them).
dotnet "$policyc" eval "$policy" --rules "$rules" --applications samples/tongzhou-2026/applications.json --format csv -o "$dir/warm.csv" >/dev/null 2>&1 || true

declare -a floor sort shuf interp fr sr hr ir
for ((i = 0; i < runs; i++)); do
  read -r t m < <(measure dotnet "$bench" parse "$sorted"); floor+=("$t"); fr+=("$m")
  read -r t m < <(measure dotnet "$policyc" eval "$policy" --rules "$rules" --applications "$sorted" --format csv -o "$dir/out-sorted.csv" "$@"); sort+=("$t"); sr+=("$m")
  read -r t m < <(measure dotnet "$policyc" eval "$policy" --rules "$rules" --applications "$shuffled" --format csv -o "$dir/out-shuffled.csv" "$@"); shuf+=("$t"); hr+=("$m")
  read -r t m < <(measure dotnet "$policyc" eval "$policy" --rules "$rules" --applications "$sorted" --format csv -o "$dir/out-interpreted.csv" --interpret "$@"); interp+=("$t"); ir+=("$m")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END{print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
f=$(median "${floor[@]}"); s=$(median "${sort[@]}"); h=$(median "${shuf[@]}"); p=$(median "${interp[@]}")
# Same awards: the evaluated rows of both outputs, sorted by id (the order of the files differs).
same=$(diff <(grep ',evaluated,' "$dir/out-sorted.csv" | cut -d, -f2,7,8 | sort) <(grep ',evaluated,' "$dir/out-shuffled.csv" | cut -d, -f2,7,8 | sort) >/dev/null && echo yes || echo NO)
rows=$(($(wc -l < "$sorted") - 1)); size=$(du -m "$sorted" | cut -f1)
echo "Run $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (shared machine)."
echo "Command: bench/eval-scale.sh $n $runs $*   ($rows rows, $size MB; medians of $runs rounds)"
echo
echo "| run | seconds (median) | each run | peak RSS MB | / floor |"
echo "|---|--:|---|--:|--:|"
echo "| parse-only floor (bench parse) | $f | ${floor[*]} | $(median "${fr[@]}") | 1.00 |"
echo "| policyc eval, sorted | $s | ${sort[*]} | $(median "${sr[@]}") | $(awk "BEGIN{printf \"%.2f\", $s/$f}") |"
echo "| policyc eval, shuffled | $h | ${shuf[*]} | $(median "${hr[@]}") | $(awk "BEGIN{printf \"%.2f\", $h/$f}") |"
echo "| policyc eval --interpret, sorted | $p | ${interp[*]} | $(median "${ir[@]}") | $(awk "BEGIN{printf \"%.2f\", $p/$f}") |"
echo
echo "Compiled and interpreted outputs identical: $(cmp -s "$dir/out-sorted.csv" "$dir/out-interpreted.csv" && echo yes || echo NO)."
echo "Shuffled / sorted: $(awk "BEGIN{printf \"%.2f\", $h/$s}"); same awards (id, amount, paid of every evaluated row): $same."
