#!/usr/bin/env bash
# Lines of generated C# per rule, for the Tongzhou sample and the synthetic 1,000-clause policy, emitted by the
# compiler of a source tree (default: this one), so that two commits can be compared with the same command:
#   bench/generated-lines.sh                 # this tree
#   bench/generated-lines.sh /path/to/tree   # another checkout (e.g. git worktree add /tmp/base <commit>)
# Builds a small throw-away program against TREE/compiler/PolicyDsl.Compiler (Release, its own artifacts directory),
# emits each policy exactly as the source generator does (CSharpEmitter.Emit) and counts '\n'-terminated lines:
# the whole file, per rule (from a rule's facts struct to the next rule's), and the policy-level part after the rules.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
tree="$(cd "${1:-$here}" && pwd)"
work="$(mktemp -d /tmp/pdsl-lines.XXXXXX)"
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 PDSL_ARTIFACTS="$work/artifacts"
cat > "$work/Lines.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$tree/compiler/PolicyDsl.Compiler/PolicyDsl.Compiler.csproj" />
    <Compile Include="$tree/bench/PolicyDsl.Bench/Compile/SyntheticPolicy.cs" />
  </ItemGroup>
</Project>
XML
cat > "$work/Program.cs" <<'CS'
using System.Globalization;
using PolicyDsl.Checking;
using PolicyDsl.Emit;

var tree = args[0];
var inputs = new List<(string Name, string Policy, string Rules)>
{
    ("Tongzhou", File.ReadAllText(Path.Combine(tree, "samples/tongzhou-2026/tongzhou-2026.policy")), File.ReadAllText(Path.Combine(tree, "samples/tongzhou-2026/tongzhou-2026.rules"))),
};
var (synthPolicy, synthRules) = PolicyDsl.Bench.Compile.SyntheticPolicy.Generate(1000);
inputs.Add(("synthetic 1,000 clauses", synthPolicy, synthRules));
Console.WriteLine("| policy | rules | lines | lines per rule (mean) | largest rule | policy-level lines | characters |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
foreach (var (name, policyText, rulesText) in inputs)
{
    var compilation = PolicyCompiler.Compile("p.policy", policyText, "p.rules", rulesText);
    if (compilation.HasErrors || compilation.Policy is null) { Console.Error.WriteLine(name + ": does not check"); return 1; }
    var source = CSharpEmitter.Emit(compilation.Policy);
    var lines = source.Split('\n');
    var count = source.Count(ch => ch == '\n');
    var starts = lines.Select((l, i) => (l, i)).Where(x => x.l.TrimStart().StartsWith("/// <summary>The facts (inputs) of rule ", StringComparison.Ordinal)).Select(x => x.i).ToList();
    var policyStart = lines.Select((l, i) => (l, i)).First(x => x.l.TrimStart().StartsWith("/// <summary>The rules of policy ", StringComparison.Ordinal)).i;
    var sizes = starts.Select((s, k) => (k + 1 < starts.Count ? starts[k + 1] : policyStart) - s).ToList();
    var rules = compilation.Policy.Rules.Count();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {rules} | {count:N0} | {(double)sizes.Sum() / rules:F1} | {sizes.Max()} | {count - sizes.Sum():N0} | {source.Length:N0} |"));
}
return 0;
CS
dotnet build "$work/Lines.csproj" -c Release -nologo -v q >&2
dotnet "$work/bin/Release/net10.0/Lines.dll" "$tree"
