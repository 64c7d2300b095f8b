using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Catalog = PolicyDsl.Diagnostics.DiagnosticCatalog;

namespace PolicyDsl.Generator;

/// <summary>
/// Checks parameter values given from C# against the caps the policy proves: a constant assigned to a
/// generated parameter property (object initializer or plain assignment) above a cap of its rule is
/// PDSL0405, above the parameter's declared "at most" bound PDSL0406, with the message `policyc check`
/// gives for the same value in a .rules file. What to check comes from the attributes the emitter puts
/// on each parameter property (PolicyDsl.Runtime.ParameterCapAttribute / ParameterBoundAttribute).
/// Values that are not compile-time constants are not checked.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ParameterCapAnalyzer : DiagnosticAnalyzer
{
    private const string CapAttributeName = "ParameterCapAttribute";
    private const string BoundAttributeName = "ParameterBoundAttribute";

    /// <summary>PDSL0405 with the catalog's title and message format.</summary>
    public static readonly DiagnosticDescriptor ValueAboveCap = FromCatalog(Catalog.ValueAboveCap);

    /// <summary>PDSL0406 with the catalog's title and message format.</summary>
    public static readonly DiagnosticDescriptor ValueAboveDeclaredBound = FromCatalog(Catalog.ValueAboveDeclaredBound);

    private static readonly ImmutableArray<DiagnosticDescriptor> Supported = ImmutableArray.Create(ValueAboveCap, ValueAboveDeclaredBound);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => Supported;

    private static DiagnosticDescriptor FromCatalog(Diagnostics.DiagnosticDescriptor d) => new(
        d.Id, d.Title, d.MessageFormat, "PolicyDsl." + d.Category,
        d.DefaultSeverity switch
        {
            Diagnostics.Severity.Error => DiagnosticSeverity.Error,
            Diagnostics.Severity.Warning => DiagnosticSeverity.Warning,
            Diagnostics.Severity.Info => DiagnosticSeverity.Info,
            _ => DiagnosticSeverity.Hidden,
        },
        isEnabledByDefault: true,
        helpLinkUri: "docs/diagnostics/" + d.Id + ".md");

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterOperationAction(AnalyzeAssignment, OperationKind.SimpleAssignment);
    }

    private static void AnalyzeAssignment(OperationAnalysisContext context)
    {
        try
        {
            if (context.Operation is not ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property: var property } } assignment) return;
            // Cheap filters first: only decimal? properties can carry the attributes.
            if (property.Type is not INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T, TypeArguments: var args } ||
                args.Length != 1 || args[0].SpecialType != SpecialType.System_Decimal)
                return;
            var attributes = property.GetAttributes();
            if (attributes.IsEmpty) return;
            var hasOurs = false;
            foreach (var a in attributes)
            {
                if (IsRuntimeAttribute(a.AttributeClass, CapAttributeName) || IsRuntimeAttribute(a.AttributeClass, BoundAttributeName)) { hasOurs = true; break; }
            }
            if (!hasOurs || ConstantOf(assignment.Value) is not { } value) return;

            var location = assignment.Value.Syntax.GetLocation();
            foreach (var a in attributes)
            {
                if (!IsRuntimeAttribute(a.AttributeClass, CapAttributeName) || a.ConstructorArguments.Length != 6) continue;
                var rule = StringArg(a, 0);
                var keyText = StringArg(a, 2);
                var suffix = StringArg(a, 4);
                var capText = StringArg(a, 5);
                if (rule is null || keyText is null || suffix is null || capText is null || !TryParse(StringArg(a, 3), out var limit)) continue;
                if (value > limit)
                {
                    context.ReportDiagnostic(Diagnostic.Create(ValueAboveCap, location, rule, Number(value) + suffix, keyText, capText));
                    return; // one error per value, as the checker reports it
                }
            }
            foreach (var a in attributes)
            {
                if (!IsRuntimeAttribute(a.AttributeClass, BoundAttributeName) || a.ConstructorArguments.Length != 5) continue;
                var label = StringArg(a, 0);
                var suffix = StringArg(a, 3);
                var boundText = StringArg(a, 4);
                if (label is null || suffix is null || boundText is null || !TryParse(StringArg(a, 1), out var bound) ||
                    !TryParse(StringArg(a, 2), out var scale) || scale == 0m)
                    continue;
                if (value > bound)
                {
                    // The value in the unit the checker shows it in (0.4 as 40%).
                    context.ReportDiagnostic(Diagnostic.Create(ValueAboveDeclaredBound, location, label, Number(scale == 1m ? value : value / scale) + suffix, boundText));
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // An analyzer never fails the build: a value it cannot read is not checked.
        }
    }

    /// <summary>PolicyDsl.Runtime.NAME, compared by name (the runtime is emitted into each compilation that uses the generator).</summary>
    private static bool IsRuntimeAttribute(INamedTypeSymbol? type, string name) =>
        type is not null && type.Name == name &&
        type.ContainingNamespace is { Name: "Runtime" } ns && ns.ContainingNamespace is { Name: "PolicyDsl" } root &&
        root.ContainingNamespace is { IsGlobalNamespace: true };

    private static string? StringArg(AttributeData a, int index) =>
        a.ConstructorArguments[index] is { Kind: TypedConstantKind.Primitive, Value: string s } ? s : null;

    private static bool TryParse(string? text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out value);

    /// <summary>A number as the checker's messages write it (Quantity.Format calls the same runtime function): invariant, no trailing zeros.</summary>
    private static string Number(decimal value) => PolicyDsl.Runtime.Award.FormatNumber(value);

    /// <summary>The compile-time constant value of an assigned value, through implicit and nullable conversions; null when it is not a numeric constant.</summary>
    internal static decimal? ConstantOf(IOperation? operation)
    {
        while (operation is not null)
        {
            if (operation.ConstantValue is { HasValue: true, Value: var constant }) return ToDecimal(constant);
            if (operation is IConversionOperation conversion && (conversion.IsImplicit || conversion.Conversion.IsNullable || conversion.Conversion.IsIdentity))
            {
                operation = conversion.Operand;
                continue;
            }
            if (operation is IParenthesizedOperation parenthesized)
            {
                operation = parenthesized.Operand;
                continue;
            }
            return null;
        }
        return null;
    }

    private static decimal? ToDecimal(object? constant)
    {
        try
        {
            return constant switch
            {
                decimal d => d,
                int i => i,
                long l => l,
                uint u => u,
                ulong ul => ul,
                short s => s,
                ushort us => us,
                byte b => b,
                sbyte sb => sb,
                double db when !double.IsNaN(db) && !double.IsInfinity(db) => (decimal)db,
                float f when !float.IsNaN(f) && !float.IsInfinity(f) => (decimal)f,
                _ => null,
            };
        }
        catch (OverflowException)
        {
            return null;
        }
    }
}
