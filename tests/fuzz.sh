#!/usr/bin/env bash
# Long fuzz run, outside CI: the CsCheck properties of tests/PolicyDsl.Hardening.Tests with many more cases.
#
#   tests/fuzz.sh                 # 20,000 cases per cheap property (fewer for the costly ones)
#   tests/fuzz.sh 200000          # more
#   CsCheck_Seed=<seed> tests/fuzz.sh   # replay the failure a run printed ("Set seed: ...")
#
# Cheap properties (parse/check/evaluate) run PDSL_FUZZ_ITERATIONS cases; costly ones (the source generator,
# compiling generated C#) run proportionally fewer (see Harness.Iterations). A failure prints the input and
# the CsCheck seed that reproduces it. docs/robustness.md says what the tool guarantees on bad input.
set -euo pipefail
cd "$(dirname "$0")/.."
export PDSL_FUZZ_ITERATIONS="${1:-${PDSL_FUZZ_ITERATIONS:-20000}}"
export PDSL_ARTIFACTS="${PDSL_ARTIFACTS:-/tmp/pdsl-fuzz}"
echo "fuzz: PDSL_FUZZ_ITERATIONS=$PDSL_FUZZ_ITERATIONS"
exec dotnet test tests/PolicyDsl.Hardening.Tests/PolicyDsl.Hardening.Tests.csproj \
  --filter "FullyQualifiedName~MutationFuzzTests|FullyQualifiedName~RandomValidPolicyTests|FullyQualifiedName~ChineseKeywordTests|FullyQualifiedName~CommandLineFuzzTests" \
  --logger "console;verbosity=normal"
