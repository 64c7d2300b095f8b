#!/usr/bin/env bash
# Runs bench/run.sh --quick on two commits, one after the other, and writes one table of their key figures:
#   bench/compare.sh BASE HEAD     (any two revisions; e.g. bench/compare.sh HEAD~3 HEAD)
# Each revision is checked out into a temporary worktree (git worktree add --detach) and built there in Release with its own
# artifacts folder, so the two runs share nothing but the machine. Each runs its own bench/run.sh --quick: a revision from
# before the quick run was made short (commit "bench: --quick in minutes") runs its older, slower --quick.
# Writes bench/results/compare.md (and each run's summary beside it: compare-BASE.md, compare-HEAD.md).
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -eq 2 ]] || { echo "usage: bench/compare.sh BASE HEAD" >&2; exit 2; }
repo=$PWD
out=$repo/bench/results
mkdir -p "$out"
tmp=$(mktemp -d /tmp/pdsl-compare.XXXXXX)
cleanup() { for w in "$tmp"/wt-*; do [[ -d "$w" ]] && git -C "$repo" worktree remove --force "$w" >/dev/null 2>&1 || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
revs=() shas=()
for rev in "$1" "$2"; do
  sha=$(git rev-parse --short "$rev^{commit}")
  revs+=("$rev"); shas+=("$sha")
  wt="$tmp/wt-$sha"
  git worktree add --detach "$wt" "$sha" >/dev/null
  echo "== $rev ($sha): bench/run.sh --quick (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  (cd "$wt" && PDSL_ARTIFACTS="$tmp/art-$sha" bash bench/run.sh --quick) >&2
  cp "$wt/bench/results/summary.md" "$out/compare-$sha.md"
done
{
  echo "# bench/compare.sh ${revs[0]} ${revs[1]}"
  echo
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg). Each column is that commit's bench/run.sh --quick (summaries: compare-${shas[0]}.md, compare-${shas[1]}.md)."
  echo
  echo "| figure | ${revs[0]} (${shas[0]}) | ${revs[1]} (${shas[1]}) |"
  echo "|---|---:|---:|"
  paste <(bench/keyfigures.sh "$out/compare-${shas[0]}.md") <(bench/keyfigures.sh "$out/compare-${shas[1]}.md" | cut -f2) | awk -F'\t' '{ printf "| %s | %s | %s |\n", $1, $2, $3 }'
} > "$out/compare.md"
cat "$out/compare.md"
