using System.Diagnostics;

namespace PolicyDsl.Generator.Tests;

/// <summary>
/// <c>&lt;PolicyDslRulesAssembly&gt;true&lt;/PolicyDslRulesAssembly&gt;</c> (build/PolicyDsl.targets, docs/semantics.md §26.7) in a
/// real <c>dotnet build</c> of a throwaway project outside the repository, referencing the generator and the runtime as
/// the package does: the rules come from their own assembly, an edit of the project's C# does not compile them again, a
/// clean build takes them from the cache, and an error in a clause file is a build error at its line and column.
/// </summary>
public sealed class RulesAssemblyTests : IDisposable
{
    private const string Policy = ConsumerTests.Alpha;

    private const string Program = """
        using PolicyDsl.Policies.Alpha;
        // 10% of 300,000 yuan = 30,000 yuan = 3 points.
        var booth = BoothRule.Evaluate(new BoothFacts { Fee = 300_000m, Eligible = true });
        System.Console.WriteLine(PolicyDsl.Runtime.Award.FormatNumber(booth.Amount) + " " + typeof(BoothRule).Assembly.GetName().Name + " " + App.Edit.Value);
        return booth.Amount == 3m ? 0 : 1;
        """;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pdsl-rules-assembly-" + Guid.NewGuid().ToString("N")[..12]);

    public RulesAssemblyTests()
    {
        Directory.CreateDirectory(_dir);
        var here = AppContext.BaseDirectory;
        string Dll(string name) => Path.Combine(here, name + ".dll");
        var analyzers = string.Join(";", new[] { "PolicyDsl.Generator", "PolicyDsl.Compiler", "PolicyDsl.Grammar", "PolicyDsl.Runtime", "Pidgin" }.Select(Dll));
        var build = Repository.PathOf("compiler/PolicyDsl.Generator/build");
        File.WriteAllText(Path.Combine(_dir, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="{build}/PolicyDsl.props" />
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <PolicyDslRulesAssembly>true</PolicyDslRulesAssembly>
                <PolicyDslRulesCache>{_dir}/cache</PolicyDslRulesCache>
              </PropertyGroup>
              <ItemGroup>
                <Analyzer Include="{analyzers}" />
                <Reference Include="{Dll("PolicyDsl.Runtime")}" />
              </ItemGroup>
              <Import Project="{build}/PolicyDsl.targets" />
            </Project>
            """);
        File.WriteAllText(Path.Combine(_dir, "alpha.policy"), Policy);
        File.WriteAllText(Path.Combine(_dir, "Program.cs"), Program);
        Edit(0);
    }

    public void Dispose()
    {
        foreach (var dir in new[] { _dir, _dir + "-user" })
        {
            try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private void Edit(int value) => File.WriteAllText(Path.Combine(_dir, "Edit.cs"), $"namespace App; static class Edit {{ public const int Value = {value}; }}");

    private string RulesDll => Path.Combine(_dir, "obj", "Debug", "net10.0", "policydsl", "App.Policies.dll");

    [Fact]
    public void The_rules_build_into_their_own_assembly_once_and_come_from_the_cache_after_a_clean()
    {
        var first = Build();
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Equal("3 App.Policies 0", Run().Trim());
        Assert.True(File.Exists(Path.Combine(_dir, "bin", "Debug", "net10.0", "App.Policies.xml")), "the rules' documentation is beside them");
        var compiled = File.GetLastWriteTimeUtc(RulesDll);

        // An edit of the project's C#: the project compiles again, the rules do not.
        Edit(1);
        var edited = Build();
        Assert.True(edited.ExitCode == 0, edited.Output);
        Assert.Equal("3 App.Policies 1", Run().Trim());
        Assert.Equal(compiled, File.GetLastWriteTimeUtc(RulesDll));
        Assert.Contains("Skipping target \"PolicyDslCompileRules\"", edited.Output);

        // A clean build: the same inputs, so the assembly is copied from the cache, not compiled.
        Directory.Delete(Path.Combine(_dir, "bin"), recursive: true);
        Directory.Delete(Path.Combine(_dir, "obj", "Debug"), recursive: true);
        var clean = Build();
        Assert.True(clean.ExitCode == 0, clean.Output);
        Assert.Contains("App.Policies.dll from the cache", clean.Output);
        Assert.Equal("3 App.Policies 1", Run().Trim());

        // An error in the clause file is the build's error, at its line and column, with its ID.
        File.WriteAllText(Path.Combine(_dir, "alpha.policy"), Policy.Replace("award 10% of fee in points", "award 10% of feee in points", StringComparison.Ordinal));
        var broken = Build();
        Assert.NotEqual(0, broken.ExitCode);
        Assert.Matches(@"alpha\.policy\(10,\d+\): error PDSL\d{4}: [^\n]*feee", broken.Output);
    }

    [Fact]
    public void A_project_referencing_one_with_its_rules_apart_names_the_rule_types_and_a_package_of_it_carries_them()
    {
        // App as a library (its rules in App.Policies.dll) and a program referencing it that evaluates a rule itself.
        var project = Path.Combine(_dir, "App.csproj");
        File.WriteAllText(project, File.ReadAllText(project).Replace("<OutputType>Exe</OutputType>", "", StringComparison.Ordinal));
        File.Delete(Path.Combine(_dir, "Program.cs"));
        var user = _dir + "-user"; // beside the library's folder, not in it (the library would compile its C#)
        Directory.CreateDirectory(user);
        File.WriteAllText(Path.Combine(user, "User.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable><TreatWarningsAsErrors>true</TreatWarningsAsErrors></PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{project}" />
                <Reference Include="{Path.Combine(AppContext.BaseDirectory, "PolicyDsl.Runtime.dll")}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(user, "Program.cs"), Program.Replace(" + \" \" + App.Edit.Value", "", StringComparison.Ordinal));
        var built = Dotnet("build", Path.Combine(user, "User.csproj"), "-nologo", "-v:q", "-nodeReuse:false", "-p:UseSharedCompilation=false");
        Assert.True(built.Item1 == 0, built.Item2);
        var (code, output) = Dotnet(Path.Combine(user, "bin", "Debug", "net10.0", "User.dll"));
        Assert.True(code == 0, output);
        Assert.Equal("3 App.Policies", output.Trim());

        var packed = Dotnet("pack", project, "-nologo", "-v:q", "-nodeReuse:false", "-p:UseSharedCompilation=false", "-o", Path.Combine(_dir, "feed"));
        Assert.True(packed.Item1 == 0, packed.Item2);
        using var package = System.IO.Compression.ZipFile.OpenRead(Directory.GetFiles(Path.Combine(_dir, "feed"), "*.nupkg").Single());
        var entries = package.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("lib/net10.0/App.dll", entries);
        Assert.Contains("lib/net10.0/App.Policies.dll", entries);
        Assert.Contains("lib/net10.0/App.Policies.xml", entries);
    }

    private (int ExitCode, string Output) Build() =>
        Dotnet("build", Path.Combine(_dir, "App.csproj"), "-nologo", "-v:n", "-nodeReuse:false", "-p:UseSharedCompilation=false");

    private string Run()
    {
        var (code, output) = Dotnet(Path.Combine(_dir, "bin", "Debug", "net10.0", "App.dll"));
        Assert.True(code == 0, output);
        return output;
    }

    /// <summary>dotnet with the arguments, outside this test host's MSBuild environment; its exit code and output.</summary>
    private (int, string) Dotnet(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _dir };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
            info.Environment.Remove(key);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(300_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("dotnet " + string.Join(" ", args) + " did not finish in 5 minutes");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
