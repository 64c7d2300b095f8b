#!/usr/bin/env bash
# Latency of `policyc lsp` on the Tongzhou sample (didChange -> publishDiagnostics, hover), as an editor sees it.
#   bench/lsp-latency.sh [ROUNDS=30]
# Builds policyc (Release) and drives it over stdio with bench/lsp-latency.py; prints a Markdown table and `uptime`.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build compiler/policyc -c Release -nologo -v q >/dev/null
dll=$(find compiler/policyc/bin/Release ${PDSL_ARTIFACTS:+"$PDSL_ARTIFACTS/bin/policyc"} -name policyc.dll 2>/dev/null | head -1)
python3 bench/lsp-latency.py dotnet "$dll" --rounds "${1:-30}"
echo "load: $(uptime)"
