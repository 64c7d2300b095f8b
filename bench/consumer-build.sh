#!/usr/bin/env bash
# Paired whole-process builds of a consumer project with and without the synthetic policy (issue 18: "a consumer
# build with the 1,000-clause policy: <= 4x the same project without it").
#   bench/consumer-build.sh [CLAUSES=1000] [ROUNDS=3] [TREE=this tree]
# Builds TREE's generator and runtime (Release, own artifacts directory), writes the synthetic policy of CLAUSES
# clauses (bench/PolicyDsl.Bench/Compile/SyntheticPolicy.cs) and two consumer projects that differ only in it: the same
# csproj (net10.0, Nullable, TreatWarningsAsErrors, the SDK's default analyzers), the same six .cs files, the
# generator and the runtime referenced as the package gives them (analyzer DLLs, lib reference, build/PolicyDsl.props and
# .targets).
# After a warm-up build of each, every round builds each project (order alternating per round):
#   clean, cache emptied  bin/ and obj/ removed except the restore outputs, and the rules cache folder (§26.7) emptied,
#                         `dotnet build --no-restore`
#   clean, cache kept     the same with the rules cache as the previous build left it (a second clone, CI with a cache)
#   incremental           one .cs file edited (a new constant), `dotnet build --no-restore`
# The two clean rows differ only with PDSL_BUILD_ARGS=-p:PolicyDslRulesAssembly=true (the rules in their own assembly,
# build/PolicyDsl.targets); by default the generator writes the rules into the project's compilation and caches nothing.
# and prints the medians, each run, and with / without in the same run. The build servers stay warm (as for a user) unless
# the environment turns them off: this machine sets UseSharedCompilation=false, so every build runs a cold csc. To measure
# with the compiler server, as a user's default build has it: PDSL_BUILD_ARGS=-p:UseSharedCompilation=true (any extra
# arguments to `dotnet build`; the header line says which were given).
# TREE lets two commits be compared with the same script (git worktree add /tmp/base COMMIT; bench/consumer-build.sh 1000 3 /tmp/base).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
clauses=${1:-1000}; rounds=${2:-3}; tree="$(cd "${3:-$here}" && pwd)"
work="$(mktemp -d /tmp/pdsl-consumer.XXXXXX)"
trap '[[ -n "${PDSL_KEEP:-}" ]] || rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
art="$work/artifacts"

# The generator (with its DLLs) and the runtime, as the package ships them.
PDSL_ARTIFACTS="$art" dotnet build "$tree/compiler/PolicyDsl.Generator" -c Release -nologo -v q >/dev/null
gen="$art/bin/PolicyDsl.Generator/release"
pidgin="$(find "${NUGET_PACKAGES:-$HOME/.nuget/packages}/pidgin" -path '*/lib/net7.0/Pidgin.dll' | sort | tail -n 1)"

# The synthetic policy, and the number of lines the emitter makes of it.
mkdir -p "$work/synth"
cat > "$work/synth/Synth.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$tree/compiler/PolicyDsl.Compiler/PolicyDsl.Compiler.csproj" />
    <Compile Include="$tree/bench/PolicyDsl.Bench/Compile/SyntheticPolicy.cs" />
  </ItemGroup>
</Project>
XML
cat > "$work/synth/Program.cs" <<'CS'
var n = int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
var (policy, rules) = PolicyDsl.Bench.Compile.SyntheticPolicy.Generate(n);
File.WriteAllText(Path.Combine(args[1], $"synthetic-{n}.policy"), policy);
File.WriteAllText(Path.Combine(args[1], $"synthetic-{n}.rules"), rules);
var compilation = PolicyDsl.Checking.PolicyCompiler.Compile("p.policy", policy, "p.rules", rules);
if (compilation.HasErrors || compilation.Policy is null) { Console.Error.WriteLine("the synthetic policy does not check"); return 1; }
var source = PolicyDsl.Emit.CSharpEmitter.Emit(compilation.Policy);
Console.WriteLine($"{source.Count(c => c == '\n')} {source.Length}");
return 0;
CS
dotnet build "$work/synth/Synth.csproj" -c Release -nologo -v q >/dev/null

# Two consumers, identical but for the policy files.
for variant in without with; do
  dir="$work/$variant"; mkdir -p "$dir"
  cat > "$dir/Consumer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <Import Project="$tree/compiler/PolicyDsl.Generator/build/PolicyDsl.props" />
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <Analyzer Include="$gen/PolicyDsl.Generator.dll;$gen/PolicyDsl.Compiler.dll;$gen/PolicyDsl.Grammar.dll;$gen/PolicyDsl.Runtime.dll;$pidgin" />
    <Reference Include="$art/bin/PolicyDsl.Runtime/release/PolicyDsl.Runtime.dll" />
  </ItemGroup>
  <PropertyGroup><PolicyDslRulesCache>$work/rules-cache</PolicyDslRulesCache></PropertyGroup>
  <Import Project="$tree/compiler/PolicyDsl.Generator/build/PolicyDsl.targets" Condition="Exists('$tree/compiler/PolicyDsl.Generator/build/PolicyDsl.targets')" />
</Project>
XML
  for k in 1 2 3 4 5; do
    cat > "$dir/Service$k.cs" <<CS
namespace Consumer;

/// <summary>Ordinary application code, the same in both projects.</summary>
public sealed class Service$k
{
    private readonly Dictionary<string, decimal> _totals = new(StringComparer.Ordinal);

    public void Add(string key, decimal amount) => _totals[key] = _totals.GetValueOrDefault(key) + amount;

    public decimal Total => _totals.Values.Sum();

    public IEnumerable<string> Report() => _totals.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => \$"{p.Key}: {p.Value}");

    public static int Edit => 0;
}
CS
  done
  cat > "$dir/Program.cs" <<'CS'
var s = new Consumer.Service1();
s.Add("a", 1.5m);
s.Add("b", Consumer.Service5.Edit);
foreach (var line in s.Report()) Console.WriteLine(line);
return s.Total == 1.5m ? 0 : 1;
CS
done
read -r lines chars < <(dotnet "$work/synth/bin/Release/net10.0/Synth.dll" "$clauses" "$work/with")

# One build; prints its wall seconds. Fails the script if the build fails.
build() {
  local dir="$1" log="$work/build.log" t0 t1
  t0=$(date +%s.%N)
  # shellcheck disable=SC2086 # extra arguments, split on spaces
  if ! dotnet build "$dir/Consumer.csproj" --no-restore -nologo -v q ${PDSL_BUILD_ARGS:-} >"$log" 2>&1; then cat "$log" >&2; exit 1; fi
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f\n", b-a}'
}
clean() { rm -rf "$1/bin" "$1/obj/Debug"; }
uncache() { rm -rf "$work/rules-cache"; }
edit() { sed -i "s/public static int Edit => [0-9]*;/public static int Edit => $2;/" "$1/Service5.cs"; }

for variant in without with; do
  dotnet restore "$work/$variant/Consumer.csproj" -nologo -v q >/dev/null
  build "$work/$variant" >/dev/null   # warm-up: build servers, JIT of the generator
done

declare -A runs
for ((r = 1; r <= rounds; r++)); do
  if (( r % 2 )); then order=(without with); else order=(with without); fi
  for variant in "${order[@]}"; do
    clean "$work/$variant"; uncache; runs[$variant,cold]+="$(build "$work/$variant") "
    clean "$work/$variant"; runs[$variant,clean]+="$(build "$work/$variant") "
    edit "$work/$variant" "$r"; runs[$variant,incr]+="$(build "$work/$variant") "
  done
done

median() { printf '%s\n' $1 | sort -g | awk '{a[NR]=$1} END{print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
echo "Run $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$tree" rev-parse --short HEAD), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (uptime at the end)."
echo "Command: ${PDSL_BUILD_ARGS:+PDSL_BUILD_ARGS='$PDSL_BUILD_ARGS' }bench/consumer-build.sh $clauses $rounds   (synthetic policy of $clauses clauses: $lines generated lines, $chars characters; medians of $rounds rounds; UseSharedCompilation in the environment: ${UseSharedCompilation:-unset})"
echo
echo "| build | without the policy, s (median) | each | with it, s (median) | each | with / without |"
echo "|---|--:|---|--:|---|--:|"
for kind in cold clean incr; do
  a=$(median "${runs[without,$kind]}"); b=$(median "${runs[with,$kind]}")
  case $kind in cold) name="clean, the rules cache emptied";; clean) name="clean, the rules cache kept";; *) name="incremental after a .cs edit";; esac
  echo "| $name | $a | ${runs[without,$kind]% } | $b | ${runs[with,$kind]% } | $(awk -v a="$a" -v b="$b" 'BEGIN{printf "%.2f", b/a}') |"
done
