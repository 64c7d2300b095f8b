#!/usr/bin/env bash
# The policyc dotnet tool from a local feed (a minute or two; not part of `dotnet test`):
#   1. dotnet pack compiler/policyc into nupkgs/ (git-ignored): policyc.<version>.nupkg, version 0.2.<git height>, and the
#      two packages it points to, policyc.linux-x64 (ReadyToRun) and policyc.any;
#   2. dotnet tool install --tool-path from that feed into a temporary folder;
#   3. the installed policyc checks the Tongzhou sample (exit 0), finds an error in a broken copy (exit 1,
#      with a caret line), and formats with --check.
# Usage: tests/tool-smoke.sh   (exit 0 = pass; prints "N passed, N failed")
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export NUGET_PACKAGES="$work/packages"   # a fresh cache: the package just packed is the one installed

echo "== pack"
dotnet pack "$repo/compiler/policyc" -c Release -o "$repo/nupkgs" -nologo -v q
# policyc.<version>.nupkg points to policyc.linux-x64 (ReadyToRun) and policyc.any (every other platform), packed beside it.
version="$(ls -t "$repo/nupkgs" | sed -n 's/^policyc\.\([0-9][^/]*\)\.nupkg$/\1/p' | head -1)"
echo "policyc $version"

echo "== install"
dotnet tool install policyc --version "$version" --add-source "$repo/nupkgs" --tool-path "$work/tools"
export PATH="$work/tools:$PATH"   # as `dotnet tool install -g` puts it on PATH
policyc="$(command -v policyc)"
[[ "$policyc" == "$work/tools/policyc" ]] || { echo "FAIL policyc on PATH is $policyc"; exit 1; }
echo "policyc on PATH: $policyc"

passed=0; failed=0
ok() { echo "PASS $1"; passed=$((passed + 1)); }
ko() { echo "FAIL $1"; failed=$((failed + 1)); }

# On linux-x64 the installer picks the precompiled package; elsewhere the framework-dependent one.
if [[ "$(uname -s)-$(uname -m)" == Linux-x86_64 ]]; then
  if find "$work/tools/.store" -path '*policyc.linux-x64*' -name policyc.dll | grep -q .; then ok "linux-x64: the ReadyToRun package is the one installed"; else ko "linux-x64: policyc.linux-x64 not installed"; fi
fi

sample="$repo/samples/tongzhou-2026"
if "$policyc" check "$sample/tongzhou-2026.policy" "$sample/tongzhou-2026.rules"; then ok "check of the sample exits 0"; else ko "check of the sample"; fi

sed '0,/      requires /s//      requries /' "$sample/tongzhou-2026.policy" > "$work/tongzhou-2026.policy"
set +e; out="$("$policyc" check "$work/tongzhou-2026.policy")"; code=$?; set -e
if [[ $code == 1 && "$out" == *'did you mean "requires"?'* && "$out" == *'^^^^^^^^'* ]]; then ok "a typo: exit 1, a caret line, did you mean"; else ko "a typo (exit $code): $out"; fi

"$policyc" format "$work/tongzhou-2026.policy" > /dev/null 2>&1
if "$policyc" format --check "$work/tongzhou-2026.policy" > /dev/null 2>&1; then ok "format, then format --check exits 0"; else ko "format --check after format"; fi

echo "$passed passed, $failed failed"
(( failed == 0 ))
