#!/usr/bin/env bash
# Packaging smoke test for the PolicyDsl NuGet package (about a minute; not part of `dotnet test`).
#   1. dotnet pack compiler/PolicyDsl.Generator into a temporary folder;
#   2. a throwaway console project outside the repository restores PolicyDsl from that folder (nuget.config adds
#      the local folder and keeps the default source for everything else), compiles the Tongzhou sample through
#      the package's build/PolicyDsl.props (*.policy and *.rules become AdditionalFiles by themselves), and runs;
#   3. with an error put into its copy of the .policy file, the build fails and names the file, line and column:
#      tongzhou-2026.policy(LINE,COL): error PDSLnnnn: ...
#   4. .globalconfig `dotnet_diagnostic.PDSL0507.severity = none` silences a warning that otherwise fails the build;
#   5. the package's analyzer (same DLL): a C# constant above a rule's cap, `new ...Parameters { Amount5 = 35m }`,
#      fails the build with PDSL0405 at the value: Bad.cs(LINE,COL): error PDSL0405: rule ... above its cap of ...
#   6. the package holds PolicyDsl.Runtime.dll in lib/net8.0/ (what generated code references);
#   7. an app referencing two class libraries, each generated from its own policy through the package, builds and
#      runs (both libraries use the one PolicyDsl.Runtime from the package: no CS0433);
#   5b and 8. steps 5 and 7 with PolicyDslRulesAssembly=true (the rules in their own assembly, docs/semantics.md §26.7).
# Usage: tests/package-smoke.sh   (exit 0 = pass; prints "8 passed, 0 failed")
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export NUGET_PACKAGES="$work/packages"   # a fresh cache: the package just packed is the one restored

echo "== pack"
dotnet pack "$repo/compiler/PolicyDsl.Generator" -o "$work/feed" -nologo -v q
version="$(ls "$work/feed" | sed -n 's/^PolicyDsl\.\(.*\)\.nupkg$/\1/p')"

echo "== consumer (PolicyDsl $version)"
mkdir -p "$work/consumer"
cd "$work/consumer"
cp "$repo/samples/tongzhou-2026/tongzhou-2026.policy" "$repo/samples/tongzhou-2026/tongzhou-2026.rules" .
cat > nuget.config <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <!-- no <clear/>: the default source stays for every other package -->
    <add key="local-policydsl" value="$work/feed" />
  </packageSources>
</configuration>
XML
cat > Consumer.csproj <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="PolicyDsl" Version="$version" />
  </ItemGroup>
</Project>
XML
cat > Program.cs <<'CS'
using PolicyDsl.Policies.Tongzhou2026;

// clause 6: 10% x 15,000,000 yuan = 150 points; clause 21: floor(1234 / 10) x 0.03 = 3.69 points
var a = ShortboardProjectRdRule.Evaluate(new ShortboardProjectRdFacts { RatedShortboardProject = true, RdInvestment = 15_000_000m });
var b = TourGroupVisitorsRule.Evaluate(new TourGroupVisitorsFacts { SmallestGroupSize = 10m, FewestPaidSpots = 2m, LowestRoomRate = 100m, FewestNights = 1m, AnnualVisitors = 1234m });
System.Console.WriteLine($"{Tongzhou2026Policy.Name}: {PolicyDsl.Runtime.Award.FormatNumber(a.Amount)} {PolicyDsl.Runtime.Award.FormatNumber(b.Amount)}");
return a.Amount == 150m && b.Amount == 3.69m ? 0 : 1;
CS

passed=0; failed=0
if output="$(dotnet run -nologo 2>&1)" && grep -q "Tongzhou2026: 150 3.69" <<<"$output"; then
  echo "ok: the consumer builds the sample through the package and runs: $(tail -n 1 <<<"$output")"; passed=$((passed+1))
else
  echo "FAIL: consumer build or run"; echo "$output"; failed=$((failed+1))
fi

echo "== an error in the .policy copy"
line="$(grep -n 'cap 200 points per project' tongzhou-2026.policy | head -n 1 | cut -d: -f1)"
sed -i "${line}s/cap 200 points per project/cap 200 points per galaxy/" tongzhou-2026.policy
if output="$(dotnet build -nologo 2>&1)"; then
  echo "FAIL: the build succeeded with an error in the policy"; failed=$((failed+1))
elif grep -Eq "tongzhou-2026\.policy\(${line},[0-9]+\): error PDSL[0-9]{4}" <<<"$output"; then
  echo "ok: $(grep -Eo "tongzhou-2026\.policy\(${line},[0-9]+\): error PDSL[0-9]{4}: [^[]*" <<<"$output" | head -n 1)"; passed=$((passed+1))
else
  echo "FAIL: no PDSL error at line $line"; echo "$output"; failed=$((failed+1))
fi

echo "== severity from .globalconfig (PDSL0507: no validity window, a warning made an error by TreatWarningsAsErrors)"
cp "$repo/samples/tongzhou-2026/tongzhou-2026.policy" .
sed -i '/^  effective 2026-01-01 through 2028-12-31/d' tongzhou-2026.policy
if dotnet build -nologo >/dev/null 2>&1; then
  echo "FAIL: PDSL0507 did not fail the build"; failed=$((failed+1))
else
  # Roslyn applies dotnet_diagnostic.ID.severity to a diagnostic located outside C# source (a .policy file) from
  # global options only: a .globalconfig (is_global), not a [*.policy] section of .editorconfig.
  printf 'is_global = true\ndotnet_diagnostic.PDSL0507.severity = none\n' > .globalconfig
  if output="$(dotnet build -nologo 2>&1)"; then
    echo "ok: dotnet_diagnostic.PDSL0507.severity = none in .globalconfig silences it"; passed=$((passed+1))
  else
    echo "FAIL: .globalconfig did not silence PDSL0507"; grep -E ": (error|warning) " <<<"$output" | sort -u | head -5; failed=$((failed+1))
  fi
fi

echo "== a C# parameter value above its cap (the analyzer in the package's DLL)"
rm -f .globalconfig
cp "$repo/samples/tongzhou-2026/tongzhou-2026.policy" .
cat > Bad.cs <<'CS'
namespace Consumer;
public static class Bad
{
    public static object Parameters() => new PolicyDsl.Policies.Tongzhou2026.CmmmMaturityParameters { Amount5 = 35m };
}
CS
expected="Bad.cs(4,113): error PDSL0405: rule cmmm_maturity awards 35 points at level 5, above its cap of 30 points per enterprise"
if output="$(dotnet build -nologo 2>&1)"; then
  echo "FAIL: the build succeeded with Amount5 = 35m (cap 30)"; failed=$((failed+1))
elif grep -Fq "$expected" <<<"$output"; then
  echo "ok: $expected"; passed=$((passed+1))
else
  echo "FAIL: no PDSL0405 at Bad.cs(4,113)"; grep -E ": (error|warning) " <<<"$output" | sort -u | head -5; failed=$((failed+1))
fi
echo "== the same with the rules in their own assembly (PolicyDslRulesAssembly, §26.7): the analyzer reads the caps from it"
if output="$(dotnet build -nologo -p:PolicyDslRulesAssembly=true -p:PolicyDslRulesCache="$work/rules-cache" 2>&1)"; then
  echo "FAIL: the build succeeded with Amount5 = 35m (cap 30), rules apart"; failed=$((failed+1))
elif grep -Fq "$expected" <<<"$output"; then
  echo "ok: rules apart: $expected"; passed=$((passed+1))
else
  echo "FAIL: no PDSL0405 at Bad.cs(4,113) with the rules apart"; grep -E ": (error|warning) " <<<"$output" | sort -u | head -5; failed=$((failed+1))
fi
rm -f Bad.cs

echo "== the runtime assembly in lib/"
if unzip -l "$work/feed/PolicyDsl.$version.nupkg" | grep -q "lib/net8.0/PolicyDsl.Runtime.dll"; then
  echo "ok: lib/net8.0/PolicyDsl.Runtime.dll is in the package"; passed=$((passed+1))
else
  echo "FAIL: no lib/net8.0/PolicyDsl.Runtime.dll in the package"; unzip -l "$work/feed/PolicyDsl.$version.nupkg"; failed=$((failed+1))
fi

echo "== an app referencing two generated libraries"
mkdir -p "$work/two/Tongzhou" "$work/two/Small" "$work/two/App"
cp "$work/consumer/nuget.config" "$work/two/"
cp "$repo/samples/tongzhou-2026/tongzhou-2026.policy" "$repo/samples/tongzhou-2026/tongzhou-2026.rules" "$work/two/Tongzhou/"
cp "$repo/samples/examples/uncapped.policy" "$work/two/Small/"
for lib in Tongzhou Small; do
cat > "$work/two/$lib/$lib.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="PolicyDsl" Version="$version" />
  </ItemGroup>
</Project>
XML
done
cat > "$work/two/App/App.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="../Tongzhou/Tongzhou.csproj" />
    <ProjectReference Include="../Small/Small.csproj" />
  </ItemGroup>
</Project>
XML
cat > "$work/two/App/Program.cs" <<'CS'
using PolicyDsl.Runtime;
using PolicyDsl.Policies.Tongzhou2026;
using PolicyDsl.Policies.UncappedExample;

// clause 6 of Tongzhou: 150 points; the uncapped example: 100% of 12,345 yuan = 1.2345 points
Award a = ShortboardProjectRdRule.Evaluate(new ShortboardProjectRdFacts { RatedShortboardProject = true, RdInvestment = 15_000_000m });
Award b = TalentTaxRefundRule.Evaluate(new TalentTaxRefundFacts { HighLevelTalent = true, LocalTaxRetained = 12_345m });
System.Console.WriteLine("two libraries: " + Award.FormatNumber(a.Amount) + " " + Award.FormatNumber(b.Amount));
return a.Amount == 150m && b.Amount == 1.2345m ? 0 : 1;
CS
if output="$(cd "$work/two/App" && dotnet run -nologo 2>&1)" && grep -q "two libraries: 150 1.2345" <<<"$output"; then
  echo "ok: $(tail -n 1 <<<"$output")"; passed=$((passed+1))
else
  echo "FAIL: the app with two generated libraries"; grep -E ": (error|warning) " <<<"$output" | sort -u | head -10; failed=$((failed+1))
fi

echo "== the same app, each library's rules in their own assembly (through the package's buildTransitive targets)"
rm -rf "$work"/two/*/bin "$work"/two/*/obj
if output="$(cd "$work/two/App" && dotnet run -nologo -p:PolicyDslRulesAssembly=true -p:PolicyDslRulesCache="$work/rules-cache" 2>&1)" \
   && grep -q "two libraries: 150 1.2345" <<<"$output" && [ -f "$work/two/App/bin/Debug/net10.0/Tongzhou.Policies.dll" ] && [ -f "$work/two/App/bin/Debug/net10.0/Small.Policies.dll" ]; then
  echo "ok: rules apart: $(tail -n 1 <<<"$output"), Tongzhou.Policies.dll and Small.Policies.dll beside the app"; passed=$((passed+1))
else
  echo "FAIL: the app with two libraries, rules apart"; grep -E ": (error|warning) " <<<"$output" | sort -u | head -10; ls "$work/two/App/bin/Debug/net10.0/" || true; failed=$((failed+1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
