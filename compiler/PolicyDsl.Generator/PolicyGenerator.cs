using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using PolicyDsl.Checking;
using PolicyDsl.Emit;
using PolicyDsl.Syntax;
using PolicyDsl.Text;

namespace PolicyDsl.Generator;

/// <summary>
/// Compiles the project's clause files (*.policy) and implementation-rules files (*.rules) into C# rule
/// classes: read → parse → pair → check → emit, each a step over equatable values with a tracking name
/// (<see cref="TrackingNames"/>). Diagnostics and sources are separate outputs. The generator never
/// throws: a failure inside a step becomes PDSL0900 for the file at hand.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class PolicyGenerator : IIncrementalGenerator
{
    private readonly Action<string, string>? _faultInjector;

    public PolicyGenerator() { }

    /// <summary>For tests: <paramref name="faultInjector"/> is called with (step, path) inside each step and may throw.</summary>
    internal PolicyGenerator(Action<string, string> faultInjector) => _faultInjector = faultInjector;

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // The generated code runs on the PolicyDsl.Runtime assembly (the package's lib/), never on a copy compiled into
        // each project: two libraries generated from two policies then share one Award (no CS0433). Without it, or with
        // one too old to have IRuleSet, the code would not compile: say so once per policy instead (PDSL0600).
        var hasRuntime = context.CompilationProvider
            .Select(static (c, _) => c.GetTypeByMetadataName(RuntimeMarker) is not null);

        // With <PolicyDslRulesAssembly>true</PolicyDslRulesAssembly> the rules are compiled into their own assembly by
        // the package's MSBuild target (build/PolicyDsl.targets, §26.7), which runs this generator there and reports its
        // diagnostics; the project's own compilation then reads no clause file (it references that assembly).
        var compiledApart = context.AnalyzerConfigOptionsProvider
            .Select(static (p, _) => p.GlobalOptions.TryGetValue("build_property.PolicyDslRulesAssembly", out var apart) &&
                string.Equals(apart?.Trim(), "true", StringComparison.OrdinalIgnoreCase));

        var files = context.AdditionalTextsProvider
            .Where(static t => IsPolicyDslFile(t.Path))
            .Combine(compiledApart)
            .Where(static pair => !pair.Right)
            .Select(static (pair, ct) => Read(pair.Left, ct))
            .WithTrackingName(TrackingNames.Read);

        var parsed = files
            .Select((f, ct) => Parse(f, ct))
            .WithTrackingName(TrackingNames.Parse);

        var units = parsed.Collect()
            .SelectMany(static (all, _) => Pair(all))
            .WithTrackingName(TrackingNames.Pair);

        var checkedUnits = units
            .Select((u, ct) => Check(u, ct))
            .WithTrackingName(TrackingNames.Check);

        var options = context.AnalyzerConfigOptionsProvider
            .Select(static (p, _) => new GeneratorOptions(
                p.GlobalOptions.TryGetValue("build_property.PolicyDslNamespace", out var ns) && !string.IsNullOrWhiteSpace(ns) ? ns.Trim() : EmitOptions.Default.NamespacePrefix,
                p.GlobalOptions.TryGetValue("build_property.PolicyDslScaledEntryPoints", out var scaled) && string.Equals(scaled?.Trim(), "true", StringComparison.OrdinalIgnoreCase)));

        var emitted = checkedUnits
            .Combine(options)
            .Select((pair, ct) => EmitUnit(pair.Left, pair.Right, ct))
            .WithTrackingName(TrackingNames.Emit);

        var severities = context.AdditionalTextsProvider
            .Where(static t => IsPolicyDslFile(t.Path))
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, _) => SeveritiesFor(pair.Left, pair.Right))
            .Collect()
            .Select(static (all, _) => all.SelectMany(x => x).ToEquatableArray());

        // The base URL of the diagnostic pages (MSBuild property PolicyDslHelpBaseUrl); the default is absolute.
        var helpBase = context.AnalyzerConfigOptionsProvider
            .Select(static (p, _) => p.GlobalOptions.TryGetValue("build_property.PolicyDslHelpBaseUrl", out var url) && !string.IsNullOrWhiteSpace(url)
                ? Diagnostics.HelpLinks.Base(url) : Diagnostics.HelpLinks.Base(null));

        var diagnostics = emitted
            .Select(static (e, _) => e.Diagnostics)
            .Combine(severities)
            .Combine(helpBase)
            .Select(static (pair, _) => (Diagnostics: pair.Left.Left, Severities: pair.Left.Right, HelpBase: pair.Right))
            .WithTrackingName(TrackingNames.Diagnostics);

        context.RegisterSourceOutput(emitted.Select(static (e, _) => (e.HintName, e.Path, e.Source)).Combine(hasRuntime), static (spc, pair) =>
        {
            var (item, runtime) = pair;
            if (item.Source is null) return;
            if (!runtime)
            {
                var missing = Diagnostics.Diagnostic.Create(Diagnostics.DiagnosticCatalog.RuntimeNotReferenced, item.Path, new LineMap(""), new PolicyDsl.Text.TextSpan(0, 0),
                    Path.GetFileName(item.Path), "the PolicyDsl package brings it; inside this repository, a ProjectReference to runtime/PolicyDsl.Runtime/PolicyDsl.Runtime.csproj");
                var diagnostic = ToRoslyn(missing, null);
                if (diagnostic is not null) spc.ReportDiagnostic(diagnostic);
                return;
            }
            try
            {
                spc.AddSource(item.HintName, SourceText.From(item.Source, System.Text.Encoding.UTF8));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var diagnostic = ToRoslyn(InternalErrors.Create(item.HintName, "output", ex), null);
                if (diagnostic is not null) spc.ReportDiagnostic(diagnostic);
            }
        });

        context.RegisterSourceOutput(diagnostics, static (spc, item) =>
        {
            foreach (var info in item.Diagnostics)
            {
                var diagnostic = ToRoslyn(info, item.Severities, item.HelpBase);
                if (diagnostic is not null) spc.ReportDiagnostic(diagnostic);
            }
        });
    }

    /// <summary>A type of the PolicyDsl.Runtime version the emitted code needs.</summary>
    internal const string RuntimeMarker = "PolicyDsl.Runtime.IRuleSet`2";

    public static bool IsPolicyDslFile(string path) =>
        path.EndsWith(".policy", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".rules", StringComparison.OrdinalIgnoreCase);

    // ---------- steps (each catches its own failures) ----------

    /// <summary>The file's text, unless it is larger than policyc reads (then only its path, for PDSL0009).</summary>
    internal static InputFile Read(AdditionalText file, CancellationToken cancellationToken)
    {
        var text = file.GetText(cancellationToken);
        if (text is null) return new InputFile(file.Path, "");
        // Each character is at least one UTF-8 byte: a longer text is too large without copying it out.
        if (text.Length > ParsedSource.MaxFileBytes) return new InputFile(file.Path, "", TooLarge: true);
        var content = text.ToString();
        return ParsedSource.Utf8Length(content) > ParsedSource.MaxFileBytes ? new InputFile(file.Path, "", TooLarge: true) : new InputFile(file.Path, content);
    }

    internal ParsedFile Parse(InputFile file, CancellationToken cancellationToken)
    {
        try
        {
            _faultInjector?.Invoke(TrackingNames.Parse, file.Path);
            cancellationToken.ThrowIfCancellationRequested();
            var parsed = file.TooLarge ? ParsedSource.TooLarge(file.Path) : ParsedSource.Parse(file.Path, file.Text);
            var syntax = parsed.Syntax;
            var kind = syntax.Policy is not null ? PolicyFileKind.Policy
                : syntax.Implementation is not null ? PolicyFileKind.Rules
                : file.Path.EndsWith(".rules", StringComparison.OrdinalIgnoreCase) ? PolicyFileKind.Rules
                : file.Path.EndsWith(".policy", StringComparison.OrdinalIgnoreCase) ? PolicyFileKind.Policy : PolicyFileKind.Unknown;
            var name = syntax.Policy?.Name.Text ?? syntax.Implementation?.Policy.Text;
            return new ParsedFile(file.Path, file.Text, kind, name, syntax, parsed.Diagnostics);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new ParsedFile(file.Path, file.Text, PolicyFileKind.Unknown, null, null, EquatableArray.Create(InternalErrors.Create(file.Path, "parse", ex)));
        }
    }

    /// <summary>Pairs each policy with the rules file naming it; gives each unit a distinct hint name.</summary>
    internal static ImmutableArray<PolicyUnit> Pair(ImmutableArray<ParsedFile> all)
    {
        var ordered = all.OrderBy(f => f.Path, StringComparer.Ordinal).ToArray();
        var policies = ordered.Where(f => f.Kind == PolicyFileKind.Policy || (f.Kind == PolicyFileKind.Unknown && f.Syntax is null && f.Path.EndsWith(".policy", StringComparison.OrdinalIgnoreCase))).ToArray();
        var rules = ordered.Where(f => f.Kind == PolicyFileKind.Rules || (f.Kind == PolicyFileKind.Unknown && !policies.Contains(f))).ToArray();
        var used = new HashSet<ParsedFile>();
        var hints = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var namespaces = new Dictionary<string, ParsedFile>(StringComparer.Ordinal);
        var result = ImmutableArray.CreateBuilder<PolicyUnit>();

        foreach (var policy in policies)
        {
            var match = policy.PolicyName is null ? null
                : rules.FirstOrDefault(r => r.Kind == PolicyFileKind.Rules && r.PolicyName == policy.PolicyName && !used.Contains(r));
            if (match is not null) used.Add(match);
            // Two policies whose names give one C# namespace would generate the same types twice.
            ParsedFile? first = null;
            if (policy.PolicyName is { } name && !namespaces.TryGetValue(CSharpText.Identifier(name), out first)) namespaces[CSharpText.Identifier(name)] = policy;
            result.Add(new PolicyUnit(Hint(policy.PolicyName ?? Path.GetFileNameWithoutExtension(policy.Path), hints), policy, match, first));
        }
        foreach (var orphan in rules.Where(r => !used.Contains(r)))
        {
            // A second rules file for a policy that already has one is a duplicate, not rules for a missing policy.
            var taken = orphan.Kind == PolicyFileKind.Rules && orphan.PolicyName is { } named
                ? used.FirstOrDefault(r => r.PolicyName == named) : null;
            result.Add(new PolicyUnit(Hint(Path.GetFileNameWithoutExtension(orphan.Path) + ".rules", hints), null, orphan, taken));
        }
        return result.ToImmutable();
    }

    private static string Hint(string name, HashSet<string> used)
    {
        var baseName = CSharpText.Identifier(name.Replace('.', '_'));
        var hint = baseName + ".g.cs";
        for (var i = 2; !used.Add(hint); i++) hint = baseName + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".g.cs";
        return hint;
    }

    internal CheckedUnit Check(PolicyUnit unit, CancellationToken cancellationToken)
    {
        var path = unit.Policy?.Path ?? unit.Rules?.Path ?? unit.HintName;
        try
        {
            _faultInjector?.Invoke(TrackingNames.Check, path);
            cancellationToken.ThrowIfCancellationRequested();
            if (unit.Policy is null)
            {
                var own = unit.Rules?.Diagnostics ?? EquatableArray<Diagnostics.Diagnostic>.Empty;
                // Rules for a policy the project does not have would otherwise be ignored without a word
                // (policyc check reports the same file the same way).
                if (unit.Rules?.Syntax?.Implementation is { } second && unit.DuplicateOf is { } firstRules)
                {
                    var firstLine = firstRules.Syntax?.Implementation is { } f ? new LineMap(firstRules.Text).GetPosition(f.Policy.Span.Start).Line : 1;
                    own = own.Append(Diagnostics.Diagnostic.Create(Diagnostics.DiagnosticCatalog.DuplicateName, unit.Rules.Path,
                        new LineMap(unit.Rules.Text), second.Policy.Span, "implementation of " + second.Policy.Text,
                        "the implementation rules checked together (also in " + firstRules.Path + "; give each policy one rules file)", firstLine)).ToEquatableArray();
                }
                else if (unit.Rules?.Syntax?.Implementation is { } implementation)
                {
                    own = own.Append(Diagnostics.Diagnostic.Create(Diagnostics.DiagnosticCatalog.WrongPolicy, unit.Rules.Path,
                        new LineMap(unit.Rules.Text), implementation.Policy.Span, implementation.Policy.Text,
                        "a .policy file of this project declaring 'policy " + implementation.Policy.Text + "'")).ToEquatableArray();
                }
                return new CheckedUnit(unit.HintName, path, null, own.Any(d => d.IsError), own);
            }
            if (unit.Policy.Syntax is null || (unit.Rules is not null && unit.Rules.Syntax is null))
            {
                // Parsing already failed inside the generator: report what it said, check nothing.
                var failed = unit.Policy.Diagnostics.Concat(unit.Rules?.Diagnostics ?? EquatableArray<Diagnostics.Diagnostic>.Empty).ToEquatableArray();
                return new CheckedUnit(unit.HintName, path, null, true, failed);
            }
            var policy = new ParsedSource(unit.Policy.Path, unit.Policy.Text, unit.Policy.Syntax, unit.Policy.Diagnostics);
            var rules = unit.Rules is null ? null : new ParsedSource(unit.Rules.Path, unit.Rules.Text, unit.Rules.Syntax!, unit.Rules.Diagnostics);
            var compilation = PolicyCompiler.Compile(policy, rules);
            if (unit.DuplicateOf is { } first && unit.Policy.Syntax.Policy is { } declared)
            {
                var firstLine = first.Syntax?.Policy is { } f ? new LineMap(first.Text).GetPosition(f.Name.Span.Start).Line : 1;
                var duplicate = Diagnostics.Diagnostic.Create(Diagnostics.DiagnosticCatalog.DuplicateName, unit.Policy.Path, new LineMap(unit.Policy.Text),
                    declared.Name.Span, declared.Name.Text, "the project's policies (also in " + first.Path + ")", firstLine);
                return new CheckedUnit(unit.HintName, path, null, true, compilation.Diagnostics.Append(duplicate).ToEquatableArray());
            }
            // With errors only inside some rules, the other rules are still generated (the erroneous ones are not).
            var emittable = compilation.HasErrors ? WithoutFaultyRules(compilation, unit.Policy.Path, unit.Policy.Text) : compilation.Policy;
            return new CheckedUnit(unit.HintName, path, emittable, compilation.HasErrors,
                compilation.Diagnostics);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new CheckedUnit(unit.HintName, path, null, true, EquatableArray.Create(InternalErrors.Create(path, "check", ex)));
        }
    }

    /// <summary>
    /// A policy whose errors all lie inside some of its rules, without those rules and without the rules whose text names
    /// one of them (a relative cap or another rule's award reading it): the other rules' generated types stay in place,
    /// so that a consumer's build shows the PDSL error, not a wall of CS0234/CS0246 for every type of the policy. Null
    /// (nothing is generated) when an error is a syntax error (recovery may have cut a rule short), lies in the rules
    /// file or outside every rule, or when no rule is left.
    /// </summary>
    internal static Model.CheckedPolicy? WithoutFaultyRules(Checking.Compilation compilation, string path, string text)
    {
        if (compilation.Policy is not { } policy) return null;
        var rules = policy.Rules.ToList();
        var faulty = new HashSet<string>(StringComparer.Ordinal);
        foreach (var error in compilation.Errors)
        {
            if (error.Id.StartsWith("PDSL00", StringComparison.Ordinal) || !string.Equals(error.FilePath, path, StringComparison.Ordinal)) return null;
            var rule = rules.FirstOrDefault(r => r.Span.Length > 0 && r.Span.Start <= error.Span.Start && error.Span.End <= r.Span.End);
            if (rule is null) return null;
            faulty.Add(rule.Name);
        }
        // A rule that names a faulty rule anywhere in its text may read its award: leave it out too (conservative).
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var rule in rules)
            {
                if (faulty.Contains(rule.Name) || rule.Span.End > text.Length) continue;
                var own = text.Substring(rule.Span.Start, rule.Span.Length);
                if (faulty.Any(name => System.Text.RegularExpressions.Regex.IsMatch(own, @"(?<![\w])" + System.Text.RegularExpressions.Regex.Escape(name) + @"(?![\w])")))
                {
                    faulty.Add(rule.Name);
                    changed = true;
                }
            }
        }
        if (rules.All(r => faulty.Contains(r.Name))) return null;
        return policy with
        {
            Sections = policy.Sections.Select(section => section with
            {
                Clauses = section.Clauses.Select(clause => clause with { Rules = clause.Rules.Where(r => !faulty.Contains(r.Name)).ToEquatableArray() }).ToEquatableArray(),
            }).ToEquatableArray(),
        };
    }

    internal EmittedUnit EmitUnit(CheckedUnit unit, GeneratorOptions options, CancellationToken cancellationToken)
    {
        try
        {
            _faultInjector?.Invoke(TrackingNames.Emit, unit.Path);
            cancellationToken.ThrowIfCancellationRequested();
            if (unit.Policy is null) return new EmittedUnit(unit.HintName, unit.Path, null, unit.Diagnostics);
            var source = CSharpEmitter.Emit(unit.Policy, new EmitOptions(options.NamespacePrefix, options.ScaledEntryPoints));
            return new EmittedUnit(unit.HintName, unit.Path, source, unit.Diagnostics);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new EmittedUnit(unit.HintName, unit.Path, null, unit.Diagnostics.Append(InternalErrors.Create(unit.Path, "emit", ex)).ToEquatableArray());
        }
    }

    // ---------- diagnostics ----------

    private static IEnumerable<SeverityOverride> SeveritiesFor(AdditionalText file, AnalyzerConfigOptionsProvider provider)
    {
        var options = provider.GetOptions(file);
        foreach (var descriptor in Diagnostics.DiagnosticCatalog.All)
        {
            if (options.TryGetValue("dotnet_diagnostic." + descriptor.Id + ".severity", out var value) ||
                options.TryGetValue("dotnet_diagnostic." + descriptor.Id.ToLowerInvariant() + ".severity", out value))
            {
                yield return new SeverityOverride(file.Path, descriptor.Id, value.Trim().ToLowerInvariant());
            }
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string, string, DiagnosticSeverity, string), DiagnosticDescriptor> Descriptors = new();

    /// <summary>A Roslyn diagnostic at the .policy/.rules position, with the .editorconfig severity applied; null when suppressed.</summary>
    internal static Diagnostic? ToRoslyn(Diagnostics.Diagnostic info, EquatableArray<SeverityOverride>? overrides, string? helpBase = null)
    {
        var severity = info.Severity switch
        {
            Diagnostics.Severity.Error => DiagnosticSeverity.Error,
            Diagnostics.Severity.Warning => DiagnosticSeverity.Warning,
            Diagnostics.Severity.Info => DiagnosticSeverity.Info,
            _ => DiagnosticSeverity.Hidden,
        };
        var defaultSeverity = info.Descriptor.DefaultSeverity switch
        {
            Diagnostics.Severity.Error => DiagnosticSeverity.Error,
            Diagnostics.Severity.Warning => DiagnosticSeverity.Warning,
            Diagnostics.Severity.Info => DiagnosticSeverity.Info,
            _ => DiagnosticSeverity.Hidden,
        };
        var configured = overrides?.LastOrDefault(o => o.Id == info.Id && string.Equals(o.Path, info.FilePath, StringComparison.Ordinal))?.Severity;
        switch (configured)
        {
            case "error": severity = DiagnosticSeverity.Error; break;
            case "warning": severity = DiagnosticSeverity.Warning; break;
            case "suggestion":
            case "info": severity = DiagnosticSeverity.Info; break;
            case "silent":
            case "hidden": severity = DiagnosticSeverity.Hidden; break;
            case "none": return null;
        }
        var link = Diagnostics.HelpLinks.For(info.Id, helpBase);
        var descriptor = Descriptors.GetOrAdd((info.Id, info.Descriptor.Title, info.Descriptor.Category, defaultSeverity, link), key => new DiagnosticDescriptor(
            key.Item1, key.Item2, "{0}", "PolicyDsl." + key.Item3, key.Item4, isEnabledByDefault: true, helpLinkUri: key.Item5));
        var location = Location.Create(info.FilePath,
            new Microsoft.CodeAnalysis.Text.TextSpan(info.Span.Start, info.Span.Length),
            new LinePositionSpan(
                new Microsoft.CodeAnalysis.Text.LinePosition(Math.Max(0, info.Start.Line - 1), Math.Max(0, info.Start.Column - 1)),
                new Microsoft.CodeAnalysis.Text.LinePosition(Math.Max(0, info.End.Line - 1), Math.Max(0, info.End.Column - 1))));
        return Diagnostic.Create(descriptor, location, severity, additionalLocations: null, properties: null, info.Message);
    }
}
