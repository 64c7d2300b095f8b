#!/usr/bin/env bash
# The figures issue 11 and 18 ask for, read from a bench/results/summary.md that bench/run.sh wrote:
#   bench/keyfigures.sh SUMMARY.md          one line per figure: "name<TAB>value"
# Means are in ns per application (ten Tongzhou rules); the 10,000-clause time is the scale table's total ms.
set -euo pipefail
awk -F'|' '
  function ns(s,   v, u) { gsub(/[ ,*]/, "", s); if (s == "" || s == "NA") return ""; u = s; sub(/^[0-9.]+/, "", u); v = s + 0
                              if (u == "us" || u == "μs") v *= 1000; else if (u == "ms") v *= 1000000; else if (u == "s") v *= 1000000000; return v }
  function B(s) { return s == "-" ? "0 B" : s }
  function trim(s) { gsub(/^[ *]+|[ *]+$/, "", s); return s }
  /^\| *(Method|---|:?-)/ { next }
  /^\| [A-Za-z]/ && NF >= 10 && section == "eval" {
    m = trim($2); mean[m] = ns($3); alloc[m] = trim($(NF-2))
  }
  /^## EvaluationBenchmarks/ { section = "eval" } /^## [^E]/ { if ($0 !~ /EvaluationBenchmarks/) section = "" }
  /^\| 10000 \|/ { k10 = trim($8) }
  END {
    hand = mean["Hand-written decimal C#"]; gen = mean["Generated, no trace"]; floor = mean["Hand-written scaled long (emitter candidate)"]
    entry = mean["Generated, scaled entry point (TryEvaluateScaled)"]; re = mean["RulesEngine 6.0.1 (result tree)"]
    printf "generated untraced ns\t%s\n", gen
    printf "hand-written decimal ns\t%s\n", hand
    printf "generated untraced / hand-written decimal\t%s\n", (hand != "" && gen != "") ? sprintf("%.2f", gen / hand) : "-"
    printf "generated untraced allocated\t%s\n", ("Generated, no trace" in alloc) ? B(alloc["Generated, no trace"]) : "-"
    printf "scaled entry point ns\t%s\n", entry == "" ? "-" : entry
    printf "scaled entry point / hand-written scaled floor\t%s\n", (entry != "" && floor != "") ? sprintf("%.2f", entry / floor) : "-"
    printf "RulesEngine / scaled entry point\t%s\n", (entry != "" && re != "") ? sprintf("%.0f", re / entry) : "-"
    printf "scaled entry point allocated\t%s\n", ("Generated, scaled entry point (TryEvaluateScaled)" in alloc) ? B(alloc["Generated, scaled entry point (TryEvaluateScaled)"]) : "-"
    printf "10,000 clauses parse+check+emit ms\t%s\n", k10 == "" ? "-" : k10
  }' "$1"
