using PolicyDsl.Model;
using CapScope = PolicyDsl.Runtime.CapScope;
using CapPeriod = PolicyDsl.Runtime.CapPeriod;
using PolicyDsl.Text;

namespace PolicyDsl.Testing;

// The syntax of a test file (*.tests), as written: names unresolved, numbers in the units the author
// wrote. The binder (TestBinder) resolves it against the checked policy. Immutable, compared by value.

/// <summary>A name, string or number used as a name (application ids, enterprises, subjects) with where it stands.</summary>
public sealed record TestName(string Text, TextSpan Span);

/// <summary>A number with the unit words written after it (canonical names: "yuan", "wan-yuan", "points"), if any.</summary>
public sealed record TestQuantity(decimal Value, EquatableArray<string> Unit, TextSpan Span);

/// <summary>The whole file: <c>tests for POLICY ["title"]</c>, optional policy/rules paths, then the tests.</summary>
public sealed record TestFileSyntax(
    TestName? Policy,
    string? Title,
    TestName? PolicyPath,
    TestName? RulesPath,
    EquatableArray<TestCaseSyntax> Tests,
    TextSpan HeaderSpan);

/// <summary><c>test "name"</c> with its applications and the expectations about all of them (<c>expect total</c>).</summary>
public sealed record TestCaseSyntax(
    string Name,
    TextSpan Span,
    TestName? Enterprise,
    EquatableArray<ApplicationSyntax> Applications,
    EquatableArray<ExpectationSyntax> Expectations);

/// <summary><c>application [ID] [by ENTERPRISE] under RULE on DATE</c> and its lines.</summary>
public sealed record ApplicationSyntax(
    TestName? Id,
    TestName? Enterprise,
    TestName Rule,
    DateOnly Date,
    TextSpan Span,
    TestName? Subject,
    TestName? Location,
    TextSpan? FundedByHigherLevel,
    EquatableArray<FactSyntax> Facts,
    EquatableArray<ExpectationSyntax> Expectations,
    TestQuantity? ReceivedElsewhere = null);

/// <summary><c>fact NAME = VALUE</c>.</summary>
public sealed record FactSyntax(TestName Name, TestValueSyntax Value, TextSpan Span);

public abstract record TestValueSyntax(TextSpan Span);

public sealed record YesNoSyntax(bool Value, TextSpan Span) : TestValueSyntax(Span);

public sealed record DateSyntax(DateOnly Value, TextSpan Span) : TestValueSyntax(Span);

/// <summary>A number, with or without a unit (a whole number without a unit may also be a level's key).</summary>
public sealed record NumberSyntax(TestQuantity Quantity, bool Whole) : TestValueSyntax(Quantity.Span);

/// <summary>A name: a member of a one-of fact.</summary>
public sealed record MemberSyntax(string Key, TextSpan Span) : TestValueSyntax(Span);

public enum ExpectationKind { Award, Paid, PaidBy, Eligible, NotEligible, BoundBy, NotBound, Rejected, CaseByCase, Total }

/// <summary>A cap as an expectation names it: <c>50 points per enterprise per year</c>.</summary>
public sealed record CapSyntax(TestQuantity Limit, CapScope Scope, CapPeriod Period, TextSpan Span)
{
    /// <summary>§30.2, with <see cref="CapPeriod.Years"/>: N, and whether the N years are any N consecutive ones.</summary>
    public int Years { get; init; } = 1;

    public bool Rolling { get; init; }
}

/// <summary>
/// One <c>expect</c> line. Amount for award, paid, paid by and total; Text for paid by (the payer) and
/// rejected (a part of the reason); Cap for bound by. Written is the line as the author wrote it after
/// the keyword, for messages.
/// </summary>
public sealed record ExpectationSyntax(ExpectationKind Kind, TestQuantity? Amount, string? Text, CapSyntax? Cap, string Written, TextSpan Span);
