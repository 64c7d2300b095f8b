using PolicyDsl.Syntax;

namespace PolicyDsl.Diagnostics;

/// <summary>
/// Every diagnostic PolicyDsl can report, in one place. Each ID has a page docs/diagnostics/ID.md.
/// PDSL00xx: reading and parsing; PDSL01xx: names; PDSL02xx: units; PDSL03xx: bounds and caps;
/// PDSL04xx: implementation rules; PDSL05xx: dates and other checks; PDSL09xx: the tool itself.
/// </summary>
public static class DiagnosticCatalog
{
    private const string Syntax = "Syntax";
    private const string Tool = "Tool";

    public static readonly DiagnosticDescriptor UnexpectedToken = new(
        "PDSL0001", "Syntax error", "Expected {0}, found {1}", Severity.Error, Syntax);

    public static readonly DiagnosticDescriptor MisplacedStatement = new(
        "PDSL0002", "Statement out of place", "{1} is not allowed here; expected {0}", Severity.Error, Syntax);

    public static readonly DiagnosticDescriptor TooDeeplyNested = new(
        "PDSL0003", "Too deeply nested", "Too deeply nested: expected {0}, found {1}", Severity.Error, Syntax);

    public static readonly DiagnosticDescriptor NumberOutOfRange = new(
        "PDSL0004", "Number out of range", "Number out of range: expected {0}, found {1}", Severity.Error, Syntax);

    public static readonly DiagnosticDescriptor MalformedString = new(
        "PDSL0005", "Malformed string", "Malformed string: expected {0}, found {1}", Severity.Error, Syntax);

    public static readonly DiagnosticDescriptor BadCharacter = new(
        "PDSL0006", "Invalid character", "Invalid character {1}; expected {0}", Severity.Error, Syntax);

    public static readonly DiagnosticDescriptor EmptyFile = new(
        "PDSL0007", "Empty file", "The file holds nothing to compile: expected {0}, found {1}", Severity.Error, Syntax);

    public static readonly DiagnosticDescriptor InvalidEncoding = new(
        "PDSL0008", "Invalid UTF-8", "The file is not valid UTF-8: expected {0}, found {1}", Severity.Error, Syntax);

    public static readonly DiagnosticDescriptor InternalError = new(
        "PDSL0900", "Internal error", "Internal error while compiling {0}: {1}", Severity.Error, Tool);

    /// <summary>The descriptor for each kind of syntax error the parser produces.</summary>
    public static DiagnosticDescriptor For(SyntaxErrorKind kind) => kind switch
    {
        SyntaxErrorKind.Unexpected => UnexpectedToken,
        SyntaxErrorKind.Misplaced => MisplacedStatement,
        SyntaxErrorKind.TooDeeplyNested => TooDeeplyNested,
        SyntaxErrorKind.NumberOutOfRange => NumberOutOfRange,
        SyntaxErrorKind.BadString => MalformedString,
        SyntaxErrorKind.BadCharacter => BadCharacter,
        SyntaxErrorKind.EmptyFile => EmptyFile,
        _ => UnexpectedToken,
    };

    /// <summary>Every descriptor, found by reflection so that a new one cannot be forgotten here.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All { get; } = typeof(DiagnosticCatalog)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .OrderBy(d => d.Id, StringComparer.Ordinal)
        .ToArray();
}
