using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace PolicyDsl.Bench.Experiments;

/// <summary>
/// `opcount FILE.cs`: what a consumer's compiler binds in a generated file, counted (deterministic, unlike a build's time
/// on a shared machine): the IOperation nodes of every member's body or initializer, by member kind, and of the statements
/// of the evaluation bodies, by statement kind. Binding, lowering and emit, and the SDK analyzers' operation trees over
/// generated code (CA2252, CA1856/CA1857 analyze it), grow with these counts (docs/benchmarks.md, "Consumer build").
/// The file is what `emit SIZE FILE` writes; it is compiled against the .NET 10 reference assemblies and the runtime.
/// </summary>
public static partial class OperationCount
{
    public static int Run(string file)
    {
        var ci = CultureInfo.InvariantCulture;
        var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(file), new CSharpParseOptions(LanguageVersion.Latest), path: file);
        var compilation = CSharpCompilation.Create("OpCount", [tree],
            [.. Basic.Reference.Assemblies.Net100.References.All, MetadataReference.CreateFromFile(typeof(PolicyDsl.Runtime.Award).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Take(3).ToArray();
        if (errors.Length > 0)
        {
            foreach (var e in errors) Console.Error.WriteLine(e);
            return 1;
        }
        var model = compilation.GetSemanticModel(tree);
        var root = tree.GetRoot();
        var members = new ConcurrentDictionary<string, (long Count, long Ops)>();
        var statements = new ConcurrentDictionary<string, (long Count, long Ops)>();
        var all = root.DescendantNodes().Where(n => n is BaseMethodDeclarationSyntax or FieldDeclarationSyntax or PropertyDeclarationSyntax).ToArray();
        Parallel.ForEach(all, member =>
        {
            var ops = 0L;
            foreach (var body in Bodies(member)) ops += Count(model, body);
            members.AddOrUpdate(MemberKind(member), (1, ops), (_, v) => (v.Count + 1, v.Ops + ops));
            if (member is MethodDeclarationSyntax { Body: { } block, Identifier.Text: "Evaluate" or "EvaluateDecimal" or "EvaluateUntraced" } m)
            {
                foreach (var s in block.DescendantNodes().OfType<StatementSyntax>().Where(s => s is not BlockSyntax and not TryStatementSyntax && s.Parent is BlockSyntax { Parent: MethodDeclarationSyntax or TryStatementSyntax or CatchClauseSyntax }))
                {
                    var n = Count(model, s);
                    statements.AddOrUpdate(m.Identifier.Text + ": " + StatementKind(s.ToString()), (1, n), (_, v) => (v.Count + 1, v.Ops + n));
                }
            }
        });
        var total = members.Values.Sum(v => v.Ops);
        Console.WriteLine("IOperation nodes of " + Path.GetFileName(file) + ": " + total.ToString("N0", ci) + " in " + all.Length.ToString("N0", ci) + " members");
        Console.WriteLine();
        Console.WriteLine("| member | count | operations | share |");
        Console.WriteLine("|---|--:|--:|--:|");
        foreach (var (kind, v) in members.OrderByDescending(p => p.Value.Ops).Take(20))
            Console.WriteLine("| " + kind + " | " + v.Count.ToString(ci) + " | " + v.Ops.ToString("N0", ci) + " | " + (100.0 * v.Ops / total).ToString("F1", ci) + "% |");
        Console.WriteLine();
        Console.WriteLine("| statement of an evaluation body | count | operations | share of all |");
        Console.WriteLine("|---|--:|--:|--:|");
        foreach (var (kind, v) in statements.OrderByDescending(p => p.Value.Ops).Take(20))
            Console.WriteLine("| " + kind + " | " + v.Count.ToString(ci) + " | " + v.Ops.ToString("N0", ci) + " | " + (100.0 * v.Ops / total).ToString("F1", ci) + "% |");
        return 0;
    }

    private static long Count(SemanticModel model, SyntaxNode node) => model.GetOperation(node) is { } op ? 1 + op.Descendants().LongCount() : 0;

    private static IEnumerable<SyntaxNode> Bodies(SyntaxNode member) => member switch
    {
        BaseMethodDeclarationSyntax m => new SyntaxNode?[] { m.Body, m.ExpressionBody }.OfType<SyntaxNode>(),
        FieldDeclarationSyntax f => f.Declaration.Variables.Select(v => v.Initializer).OfType<SyntaxNode>(),
        PropertyDeclarationSyntax p => new SyntaxNode?[] { p.Initializer, p.ExpressionBody }.OfType<SyntaxNode>(),
        _ => [],
    };

    /// <summary>The member's type by what the emitter names it (XFacts, XParameters, XRule, the policy's types), and the member.</summary>
    private static string MemberKind(SyntaxNode member)
    {
        var declaration = member.Ancestors().OfType<BaseTypeDeclarationSyntax>().FirstOrDefault();
        var type = declaration?.Identifier.Text ?? "";
        // The policy's parameters class holds a property per rule, each initialized with that rule's FromRules.
        var policyParameters = declaration is TypeDeclarationSyntax t && t.Members.OfType<PropertyDeclarationSyntax>().Any(p => p.Initializer is not null);
        var owner = type.EndsWith("Facts", StringComparison.Ordinal) ? "facts"
            : type.EndsWith("Parameters", StringComparison.Ordinal) ? (policyParameters ? "policy parameters" : "rule parameters")
            : type.EndsWith("Application", StringComparison.Ordinal) ? "application"
            : type.EndsWith("Policy", StringComparison.Ordinal) || type == "RuleSet" ? "policy"
            : type.EndsWith("Rule", StringComparison.Ordinal) ? "rule" : type;
        return owner + " " + member switch
        {
            MethodDeclarationSyntax m => m.Identifier.Text + "(" + m.ParameterList.Parameters.Count.ToString(CultureInfo.InvariantCulture) + ")" + (m.Body is null ? " =>" : " { }"),
            ConstructorDeclarationSyntax => "constructor",
            PropertyDeclarationSyntax p => "property" + (p.Initializer is not null ? " = initializer" : p.ExpressionBody is not null ? " =>" : ""),
            FieldDeclarationSyntax f => "field " + Digits().Replace(f.Declaration.Variables[0].Identifier.Text, "N"),
            _ => member.Kind().ToString(),
        };
    }

    private static string StatementKind(string s) =>
        s.StartsWith("trace?.Add(new global::PolicyDsl.Runtime.TraceStep(global::PolicyDsl.Runtime.TraceKind.Cap", StringComparison.Ordinal) ? "trace step of a cap"
        : s.StartsWith("trace?.Add", StringComparison.Ordinal) ? "other trace step"
        : s.Contains("RuleSteps.Holds", StringComparison.Ordinal) ? "condition holds (trace)"
        : s.Contains("RuleSteps.Problem", StringComparison.Ordinal) ? "fact check (Problem)"
        : s.Contains("RuleSteps.Failed", StringComparison.Ordinal) || s.Contains("Award.Failed", StringComparison.Ordinal) ? "condition (Failed)"
        : s.Contains("ThrowIfNull", StringComparison.Ordinal) || s.StartsWith("if (parameters is null)", StringComparison.Ordinal) ? "parameters null check"
        : s.Contains("TryScale", StringComparison.Ordinal) ? "scaled input (TryScale)"
        : s.StartsWith("decimal? param", StringComparison.Ordinal) ? "parameter lookup"
        : s.StartsWith("decimal limit", StringComparison.Ordinal) || s.StartsWith("long limit", StringComparison.Ordinal) ? "cap limit"
        : s.StartsWith("if (limit", StringComparison.Ordinal) || ConstantCap().IsMatch(s) ? "cap test (with what binds)"
        : s.StartsWith("decimal amount", StringComparison.Ordinal) || s.StartsWith("long amount", StringComparison.Ordinal) ? "formula"
        : s.StartsWith("return", StringComparison.Ordinal) && s.Contains("Paid", StringComparison.Ordinal) ? "paid"
        : s.Contains("Caught", StringComparison.Ordinal) ? "catch"
        : s.StartsWith("decimal boundLimit", StringComparison.Ordinal) || s.StartsWith("int boundCap", StringComparison.Ordinal) ? "bound locals"
        : s.StartsWith("var other", StringComparison.Ordinal) || s.Contains(".Problem is not null", StringComparison.Ordinal) ? "other rule's award"
        : s.StartsWith("decimal let", StringComparison.Ordinal) || s.StartsWith("long let", StringComparison.Ordinal) ? "let"
        : s.StartsWith("switch", StringComparison.Ordinal) ? "switch"
        : "other";

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();

    [GeneratedRegex(@"^if \(\d+L < amount")]
    private static partial Regex ConstantCap();
}
