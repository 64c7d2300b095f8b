#!/usr/bin/env bash
# The main job on the Tongzhou 2026 sample (see README): build once, then check the policy and its
# implementation rules, outline it, prove its bounds, generate the typed C# rule library, render the
# policy catalogue (HTML + Markdown with SVG charts), run the authors' tests (samples/**/*.tests) and evaluate
# the sample applications.
# Works on a fresh clone with the .NET 10 SDK (restore included). Results go to out/.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

SAMPLE=samples/tongzhou-2026
POLICY=$SAMPLE/tongzhou-2026.policy
RULES=$SAMPLE/tongzhou-2026.rules
OUT=out
mkdir -p "$OUT"

step() { printf '\n== %s\n' "$*"; }

step "build policyc (restore included)"
dotnet build compiler/policyc/policyc.csproj -c Release -nologo -v quiet
policyc() { dotnet run --no-build -c Release --project compiler/policyc -- "$@"; }

step "policyc check (policy + implementation rules)"
policyc check "$POLICY" "$RULES"

step "policyc outline"
policyc outline "$POLICY"

step "policyc test samples/ (the authors' tests: hand-worked expectations, docs/testing.md)"
policyc test samples/ --coverage | tee "$OUT/tests.txt"

step "policyc bounds"
policyc bounds "$POLICY" --rules "$RULES" | tee "$OUT/bounds.txt"

GENERATED=generated/Tongzhou2026.Rules
step "dotnet build $GENERATED (the source generator emits the C# rule classes)"
dotnet build "$GENERATED/Tongzhou2026.Rules.csproj" -c Release -nologo -v quiet
# EmitCompilerGeneratedFiles writes the generated sources under the project's obj/ folder
# (or under $PDSL_ARTIFACTS/obj/ when that is set).
GENERATED_CS=$(find "$GENERATED/obj" ${PDSL_ARTIFACTS:+"$PDSL_ARTIFACTS/obj/Tongzhou2026.Rules"} -path '*/generated/PolicyDsl.Generator/*' -name '*.g.cs' 2>/dev/null | sort || true)

step "policyc report: $OUT/tongzhou-2026.html and $OUT/tongzhou-2026.md (+ SVG charts)"
policyc report "$POLICY" --rules "$RULES" --format html -o "$OUT/tongzhou-2026.html"
policyc report "$POLICY" --rules "$RULES" --format md -o "$OUT/tongzhou-2026.md"

step "policyc eval: $SAMPLE/applications.json -> $OUT/awards.md, $OUT/awards.json"
# Exit 1 means some rows were rejected (listed in the outputs with their row): the sample has one on
# purpose (B05, dated after the policy's validity). Anything else is a failure.
for format in md json; do
  rc=0
  policyc eval "$POLICY" --rules "$RULES" --applications "$SAMPLE/applications.json" --format "$format" -o "$OUT/awards.$format" || rc=$?
  if [ "$rc" -gt 1 ]; then echo "policyc eval failed with exit code $rc" >&2; exit "$rc"; fi
done

step "outputs"
echo "policy catalogue:  $OUT/tongzhou-2026.html (self-contained, printable)"
echo "                   $OUT/tongzhou-2026.md with $(ls "$OUT"/chart-*.svg | wc -l) charts $OUT/chart-*.svg"
echo "award report:      $OUT/awards.md"
echo "award results:     $OUT/awards.json"
echo "bounds:            $OUT/bounds.txt"
echo "tests + coverage:  $OUT/tests.txt"
echo "generated C#:"
echo "$GENERATED_CS" | sed 's/^/                   /'
