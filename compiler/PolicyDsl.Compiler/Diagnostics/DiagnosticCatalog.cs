using PolicyDsl.Syntax;

namespace PolicyDsl.Diagnostics;

/// <summary>
/// Every diagnostic PolicyDsl can report, in one place. Each ID has a page docs/diagnostics/ID.md.
/// PDSL00xx: reading and parsing; PDSL01xx: names; PDSL02xx: units; PDSL03xx: bounds and caps;
/// PDSL04xx: implementation rules; PDSL05xx: dates and other checks; PDSL06xx: the consuming project (PDSL0600);
/// PDSL07xx: test files; PDSL09xx: the tool itself.
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

    public static readonly DiagnosticDescriptor FileTooLarge = new(
        "PDSL0009", "File too large", "The file is too large to compile: expected {0}, found {1}", Severity.Error, Syntax);

    // ---------- PDSL01xx: names ----------
    private const string Names = "Names";
    private const string Units = "Units";
    private const string Bounds = "Bounds";
    private const string Implementation = "Implementation";
    private const string Other = "Other";

    public static readonly DiagnosticDescriptor UnknownName = new(
        "PDSL0101", "Unknown name", "Unknown name '{0}': expected {1}", Severity.Error, Names);

    public static readonly DiagnosticDescriptor DuplicateName = new(
        "PDSL0102", "Duplicate name", "'{0}' is declared more than once in {1}; expected one declaration, the first is at line {2}", Severity.Error, Names);

    public static readonly DiagnosticDescriptor UnknownRule = new(
        "PDSL0103", "Unknown rule", "Unknown rule '{0}': expected one of the policy's rules ({1})", Severity.Error, Names);

    public static readonly DiagnosticDescriptor WrongKindOfName = new(
        "PDSL0104", "Name used as the wrong kind", "'{0}' is {1}; expected {2}", Severity.Error, Names);

    public static readonly DiagnosticDescriptor UnknownMember = new(
        "PDSL0105", "Unknown member", "'{0}' is not a member of {1}: expected one of {2}", Severity.Error, Names);

    public static readonly DiagnosticDescriptor WrongKeyCount = new(
        "PDSL0106", "Wrong number of keys", "{0} is looked up by {1} key(s) ({2}); found {3}", Severity.Error, Names);

    public static readonly DiagnosticDescriptor UnboundFacts = new(
        "PDSL0107", "Facts of another rule left unbound", "The award of rule {0} reads fact(s) {1}; expected every one bound, found bindings for {2}", Severity.Error, Names);

    public static readonly DiagnosticDescriptor DuplicateNumber = new(
        "PDSL0108", "Duplicate number", "{0} {1} is numbered more than once: expected distinct numbers, the first is at line {2}", Severity.Error, Names);

    public static readonly DiagnosticDescriptor MissingAward = new(
        "PDSL0109", "Rule without an award", "Rule {0} has no award: expected 'award EXPRESSION' or 'award case by case \"reason\"', found {1}", Severity.Error, Names);

    public static readonly DiagnosticDescriptor DuplicateLine = new(
        "PDSL0110", "Line given twice", "{0} is given more than once in {1}: expected at most one, the first is at line {2}", Severity.Error, Names);

    public static readonly DiagnosticDescriptor CircularReference = new(
        "PDSL0111", "Circular reference", "Rule {0} depends on itself through {1}: expected the rules' awards to refer to each other without a cycle", Severity.Error, Names);

    public static readonly DiagnosticDescriptor UnknownClause = new(
        "PDSL0112", "Unknown clause", "Clause {0} does not exist: expected one of the policy's clauses ({1})", Severity.Warning, Names);

    public static readonly DiagnosticDescriptor UnusedFact = new(
        "PDSL0130", "Unused fact", "Fact {0} of rule {1} is never used: expected it read by a condition, a let, the award, a cap or a band", Severity.Warning, Names);

    public static readonly DiagnosticDescriptor UnitAlreadyKnown = new(
        "PDSL0131", "Unit declaration not valid", "'{0}' cannot be declared as a unit: expected {1}", Severity.Error, Names);

    // ---------- PDSL0170-0189: the shape of the document (§29) ----------

    public static readonly DiagnosticDescriptor EmptyGeneralChapter = new(
        "PDSL0170", "General chapter without provisions", "The {0} holds no provision: expected at least one 'provision N \"title\"' (款 N) line under it with the chapter's text, or the chapter removed", Severity.Warning, Names);

    public static readonly DiagnosticDescriptor GeneralChapterOutOfOrder = new(
        "PDSL0171", "General chapter out of its place", "The {0} is written {1} {2}: expected the chapters in the order of their numbers, as the document has them (move the general chapter to its place among the sections)", Severity.Warning, Names);

    public static readonly DiagnosticDescriptor PaidInNotACurrency = new(
        "PDSL0190", "'paid in' names no currency", "'paid in {0}': expected a currency the header declares with 'currency' (declared: {1})", Severity.Error, Names);

    public static readonly DiagnosticDescriptor RoundingBelowMinorUnit = new(
        "PDSL0191", "Rounding finer than the currency pays", "Rule {0} rounds to {1}: expected a whole number of the currency's minor unit {2}, the smallest amount it can pay", Severity.Error, Units);

    // ---------- PDSL02xx: units ----------

    public static readonly DiagnosticDescriptor IncompatibleUnits = new(
        "PDSL0201", "Incompatible units", "Cannot {0} {1} and {2}: expected the same dimension on both sides", Severity.Error, Units);

    public static readonly DiagnosticDescriptor AwardNotInAwardUnit = new(
        "PDSL0202", "Award not in the award unit", "The award of rule {0} is in {1}; expected the award unit {2}", Severity.Error, Units);

    public static readonly DiagnosticDescriptor UnitMismatch = new(
        "PDSL0203", "Unit mismatch", "{0} must be in {1}; found {2}", Severity.Error, Units);

    public static readonly DiagnosticDescriptor InvalidConversion = new(
        "PDSL0204", "Invalid conversion", "Cannot convert {0} to {1}: expected money converted to points with 'in points'; other units, currencies included, change only by a rate the text states (0.02 AUD per 1 USD of sales)", Severity.Error, Units);

    public static readonly DiagnosticDescriptor NoPointValue = new(
        "PDSL0205", "No point value declared", "'{0}' converts money to points: expected a 'points worth at most Q yuan' line in the policy header, found none", Severity.Error, Units);

    // ---------- PDSL03xx: bounds and caps ----------

    public static readonly DiagnosticDescriptor AmountAboveCap = new(
        "PDSL0301", "Amount above its cap", "Rule {0} awards {1}{2}, above its cap of {3}: expected at most {4}", Severity.Error, Bounds);

    public static readonly DiagnosticDescriptor UnboundedAward = new(
        "PDSL0302", "Award without a finite bound", "Rule {0} has no finite maximum: its award ranges over {1} and no cap limits it; expected a cap or 'uncapped \"reason\"'", Severity.Error, Bounds);

    public static readonly DiagnosticDescriptor CapAboveEnclosingCap = new(
        "PDSL0303", "Cap above an enclosing cap", "Rule {0}'s cap of {1} can never bind: expected at most the enclosing cap of {2}", Severity.Error, Bounds);

    public static readonly DiagnosticDescriptor RelativeCapUnbounded = new(
        "PDSL0304", "Relative cap without a bound", "The cap of rule {0} is relative to rule {1}, which has no proven maximum: expected {1} to be bounded, found {2}", Severity.Error, Bounds);

    public static readonly DiagnosticDescriptor ConditionsNeverHold = new(
        "PDSL0305", "Conditions can never hold", "The conditions of rule {0} can never hold: {1} must lie in {2}", Severity.Error, Bounds);

    public static readonly DiagnosticDescriptor UnreachableTableCell = new(
        "PDSL0306", "Unreachable table case", "The case {0} of {1} can never be reached: the conditions of rule {2} require {3}", Severity.Warning, Bounds);

    public static readonly DiagnosticDescriptor OverlappingBands = new(
        "PDSL0307", "Overlapping band cases", "Band {0}: the cases {1} and {2} overlap; expected each value of {3} to fall in at most one case", Severity.Error, Bounds);

    public static readonly DiagnosticDescriptor BandGap = new(
        "PDSL0308", "Gap between band cases", "Band {0} covers no case for {1} {2}: such values pay 0", Severity.Warning, Bounds);

    public static readonly DiagnosticDescriptor FallingAmounts = new(
        "PDSL0309", "Amount falls as the level rises", "{0}: {1} at {2} is less than {3} at {4}; expected amounts that do not fall as the level rises", Severity.Warning, Bounds);

    public static readonly DiagnosticDescriptor MissingTableCell = new(
        "PDSL0310", "Missing table case", "{0} has no case for {1}: expected a value for every reachable key", Severity.Error, Bounds);

    public static readonly DiagnosticDescriptor PossibleDivisionByZero = new(
        "PDSL0311", "Division by a value that may be 0", "The divisor {0} ranges over {1}: expected a divisor that cannot be 0", Severity.Warning, Bounds);

    public static readonly DiagnosticDescriptor EvaluationTooCostly = new(
        "PDSL0320", "Rule too costly to evaluate", "Evaluating rule {0} takes {1} rule evaluations through its calls of {2}; expected at most {3}: each call evaluates the called rule again, so a rule called twice at each step of a chain doubles the work at each step; call each rule once or shorten the chain", Severity.Error, Bounds);

    public static readonly DiagnosticDescriptor PeriodWithoutScope = new(
        "PDSL0321", "Cap period without a scope", "The cap of rule {0} says '{1}' with {2}: expected the scope whose running total it limits, e.g. 'per enterprise {1}' or 'per project {1}' (a cap without a scope limits each application alone, so '{1}' would limit nothing)", Severity.Error, Bounds);
    public static readonly DiagnosticDescriptor EmptyDeclaredRange = new(
        "PDSL0330", "Empty declared range", "{0} is declared at least {1} and at most {2}: expected a lower end not above the upper end", Severity.Error, Bounds);

    public static readonly DiagnosticDescriptor NonPositiveCap = new(
        "PDSL0331", "Cap of zero or less", "Rule {0} has a cap of {1}: expected a positive limit", Severity.Error, Bounds);

    public static readonly DiagnosticDescriptor SharedCapWithoutScope = new(
        "PDSL0340", "Shared cap without a scope", "Rule {0} shares the cap total {1} with no scope to keep it: expected 'per enterprise' (or another scope) before 'shared'", Severity.Error, Bounds);

    public static readonly DiagnosticDescriptor SharedCapMismatch = new(
        "PDSL0341", "Shared cap stated differently", "The shared cap {0} of rule {1} is {2}, but rule {3} states it as {4}: expected every rule sharing it to state the same fixed limit, scope and period", Severity.Error, Bounds);

    public static readonly DiagnosticDescriptor UncappedWithCap = new(
        "PDSL0332", "'uncapped' beside a cap", "Rule {0} says 'uncapped' and has a cap of {1}: expected either a cap or 'uncapped \"reason\"', not both", Severity.Error, Bounds);

    public static readonly DiagnosticDescriptor ProgressiveCaseNotRate = new(
        "PDSL0333", "Progressive band case not a constant", "Band {0} is progressive: expected a constant rate in each case, found {1}", Severity.Error, Bounds);

    public static readonly DiagnosticDescriptor ValueBelowDeclaredBound = new(
        "PDSL0334", "Implementation value below the declared range", "{0} is set to {1}, below its declared range: expected at least {2}", Severity.Error, Bounds);

    // ---------- PDSL04xx: implementation rules ----------

    public static readonly DiagnosticDescriptor ParameterNotSet = new(
        "PDSL0401", "Parameter not set", "Rule {0}'s parameter {1} is not set{2}: expected '{4} {0}.{1}{3} = VALUE' in the implementation rules", Severity.Error, Implementation);

    public static readonly DiagnosticDescriptor ParameterSetTwice = new(
        "PDSL0402", "Parameter set twice", "{0} is set more than once: expected one 'set' line, the first is at line {1}", Severity.Error, Implementation);

    public static readonly DiagnosticDescriptor UnknownParameter = new(
        "PDSL0403", "Unknown parameter", "Rule {0} has no parameter '{1}': expected one of {2}", Severity.Error, Implementation);

    public static readonly DiagnosticDescriptor UnknownKey = new(
        "PDSL0404", "Unknown key", "{0} is not a key of {1}: expected {2}", Severity.Error, Implementation);

    public static readonly DiagnosticDescriptor ValueAboveCap = new(
        "PDSL0405", "Implementation value above the cap", "rule {0} awards {1}{2}, above its cap of {3}", Severity.Error, Implementation);

    public static readonly DiagnosticDescriptor ValueAboveDeclaredBound = new(
        "PDSL0406", "Implementation value above the declared bound", "{0} is set to {1}, above its declared bound: expected at most {2}", Severity.Error, Implementation);

    public static readonly DiagnosticDescriptor WrongPolicy = new(
        "PDSL0407", "Implementation rules for another policy", "These implementation rules are for policy {0}; expected {1}", Severity.Error, Implementation);

    public static readonly DiagnosticDescriptor WrongFileKind = new(
        "PDSL0408", "Wrong kind of file", "{0}: expected {1}, found {2}", Severity.Error, Implementation);

    // ---------- PDSL05xx: dates and other checks ----------

    public static readonly DiagnosticDescriptor InvalidDate = new(
        "PDSL0501", "Invalid date", "{0} is not a calendar date: expected a valid year-month-day", Severity.Error, Other);

    public static readonly DiagnosticDescriptor EndBeforeStart = new(
        "PDSL0502", "Validity ends before it starts", "The validity ends {1}, before it starts {0}: expected an end on or after the start", Severity.Error, Other);

    public static readonly DiagnosticDescriptor WindowOutsidePolicy = new(
        "PDSL0503", "Rule window outside the policy's", "Rule {0} is effective {1}: expected a window inside the policy's {2}", Severity.Error, Other);

    public static readonly DiagnosticDescriptor SharesNotHundred = new(
        "PDSL0504", "Cost shares do not sum to 100%", "The cost shares at {0} sum to {1}: expected 100%", Severity.Error, Other);

    public static readonly DiagnosticDescriptor InstalmentsNotHundred = new(
        "PDSL0505", "Instalments do not sum to 100%", "The instalments of rule {0} sum to {1}: expected 100%", Severity.Error, Other);

    // ---------- time: event windows and schedules (docs/semantics.md §27) ----------

    public static readonly DiagnosticDescriptor MilestoneNotDate = new(
        "PDSL0148", "Milestone is not a date fact", "An instalment of rule {0} is due at {1}, which is {2}: expected a date fact of the rule", Severity.Error, Names);

    public static readonly DiagnosticDescriptor MilestoneMissing = new(
        "PDSL0149", "Instalment without a milestone", "Instalment {1} of rule {0} names no milestone, though another does: expected 'PART at DATE_FACT' (PART 于 日期事实) on every part", Severity.Error, Other);

    public static readonly DiagnosticDescriptor ScheduleLineWithoutMilestones = new(
        "PDSL0150", "At-once or clawback line without a milestone schedule", "Rule {0} has '{1}' but no instalments at milestones: expected 'instalments PART at DATE_FACT, …' (分期 PART 于 日期事实, …)", Severity.Error, Other);

    public static readonly DiagnosticDescriptor AfterWindowOfNoWindow = new(
        "PDSL0151", "After the window of a rule without one", "Rule {0} applies after the window of {1}, which {2}: expected a rule with 'window N years from …' (窗口 自 … 起 N 年)", Severity.Error, Names);

    public static readonly DiagnosticDescriptor WindowWithoutEvent = new(
        "PDSL0142", "Window without a start event", "The window of rule {0} names no event it starts at: expected 'from [the year of | the year after] DATE_FACT' (自 日期事实 [当年 | 次年] 起)", Severity.Error, Names);

    public static readonly DiagnosticDescriptor WindowEventNotDate = new(
        "PDSL0143", "Window start is not a date fact", "The window of rule {0} starts at {1}, which is {2}: expected a date fact of the rule", Severity.Error, Names);

    public static readonly DiagnosticDescriptor ScheduleWithoutWindow = new(
        "PDSL0144", "Yearly schedule without a window", "Rule {0} has a yearly schedule but no window: expected a 'window N years from …' (窗口 自 … 起 N 年) line whose years it counts", Severity.Error, Names);

    public static readonly DiagnosticDescriptor ScheduleLengthDiffers = new(
        "PDSL0145", "Schedule and window of different lengths", "The yearly schedule of rule {0} has {1} years but its window has {2}: expected one value per year of the window", Severity.Error, Names);

    public static readonly DiagnosticDescriptor EmptyWindow = new(
        "PDSL0146", "Window of no years", "The window of rule {0} is {1} years long: expected at least 1 year (and at most 100)", Severity.Error, Names);

    public static readonly DiagnosticDescriptor EmptyValidity = new(
        "PDSL0147", "Validity of no years", "The validity is {0} years long: expected from 1 to 100 years", Severity.Error, Other);

    // ---------- PDSL0160-0169: years that are not calendar years, N-year caps, open validity (§30) ----------
    public static readonly DiagnosticDescriptor InvalidYearStart = new(
        "PDSL0160", "Year starting on no day every year has", "The year starts on {0}: expected a month from 1 to 12 and a day that every year has (not 29 February), as 'year starts 07-01' (年度 自 7 月 1 日 起)", Severity.Error, Other);

    public static readonly DiagnosticDescriptor CapYearsOutOfRange = new(
        "PDSL0161", "N-year cap of too few or too many years", "The cap of rule {0} counts {1} years: expected from 2 to 100 years (for one year write 'per year', 每年)", Severity.Error, Bounds);

    public static readonly DiagnosticDescriptor RollingCapWithStart = new(
        "PDSL0162", "Rolling cap with a start year", "The cap of rule {0} is over any {1} consecutive years and also starts its blocks in {2}: expected either 'rolling' (滚动) or 'from YEAR' (自 YEAR 起), not both", Severity.Error, Bounds);

    public static readonly DiagnosticDescriptor FixedCapWithoutStart = new(
        "PDSL0163", "Fixed N-year cap without a first year", "The cap of rule {0} counts blocks of {1} years but nothing says which year the first block starts: expected 'from YEAR' (自 YEAR 起) on the cap, or an 'effective' line on the rule or the policy", Severity.Error, Bounds);

    public static readonly DiagnosticDescriptor CapStartOutOfRange = new(
        "PDSL0164", "N-year cap starting in no year", "The cap of rule {0} starts its blocks in year {1}: expected a year from 1 to 9999", Severity.Error, Bounds);

    public static readonly DiagnosticDescriptor SharedCapYearsDiffer = new(
        "PDSL0165", "Shared cap over rules of different years", "Rule {0} shares the running total {1} with rule {2}, whose year starts {3}; rule {0}'s starts {4}: expected rules sharing a total per year or per N years to count the same years", Severity.Error, Bounds);

    public static readonly DiagnosticDescriptor InvalidRounding = new(
        "PDSL0506", "Invalid rounding step", "Rule {0} rounds to {1}: expected a positive step in {2}", Severity.Error, Other);

    public static readonly DiagnosticDescriptor MissingValidity = new(
        "PDSL0507", "Policy without a validity window", "Policy {0} has no 'effective FROM through TO' line: expected one, found {1}", Severity.Warning, Other);

    /// <summary>PDSL0600: the generated code needs the PolicyDsl.Runtime assembly, which the project does not reference.</summary>
    public static readonly DiagnosticDescriptor RuntimeNotReferenced = new(
        "PDSL0600", "PolicyDsl.Runtime not referenced",
        "The generated code of {0} needs the PolicyDsl.Runtime assembly: expected a reference to it ({1})", Severity.Error, Tool);
    // ---------- PDSL07xx: test files written by policy authors (*.tests, docs/testing.md) ----------
    public const string AuthorTests = "Tests";

    public static readonly DiagnosticDescriptor TestSyntaxError = new(
        "PDSL0701", "Syntax error in a test file", "Expected {0}, found {1}", Severity.Error, AuthorTests);

    public static readonly DiagnosticDescriptor TestLineOutOfPlace = new(
        "PDSL0702", "Test line out of place", "{1} is not allowed here; expected {0}", Severity.Error, AuthorTests);

    public static readonly DiagnosticDescriptor TestPolicyNotFound = new(
        "PDSL0703", "Policy of the tests not found", "The tests are for policy {0}: expected {1}, found {2}", Severity.Error, AuthorTests);

    public static readonly DiagnosticDescriptor TestUnknownRule = new(
        "PDSL0704", "Unknown rule in a test", "Unknown rule '{0}': expected one of the rules of policy {1} ({2})", Severity.Error, AuthorTests);

    public static readonly DiagnosticDescriptor TestUnknownFact = new(
        "PDSL0705", "Unknown fact in a test", "'{0}' is not a fact of rule {1}: expected one of {2}", Severity.Error, AuthorTests);

    public static readonly DiagnosticDescriptor TestWrongValue = new(
        "PDSL0706", "Value of the wrong kind", "{0} is given {1}: expected {2}", Severity.Error, AuthorTests);

    public static readonly DiagnosticDescriptor TestUnitMismatch = new(
        "PDSL0707", "Unit mismatch in a test", "{0} is given in {1}: expected {2}", Severity.Error, AuthorTests);

    public static readonly DiagnosticDescriptor TestGivenTwice = new(
        "PDSL0708", "Given twice in a test", "{0} is given more than once: expected it once, the first is at line {1}", Severity.Error, AuthorTests);

    public static readonly DiagnosticDescriptor TestWithoutExpectation = new(
        "PDSL0709", "Test that asserts nothing", "Test \"{0}\" has no expectation: expected at least one 'expect' line, found {1}", Severity.Error, AuthorTests);

    public static readonly DiagnosticDescriptor TestUnknownCap = new(
        "PDSL0710", "No such cap in the rule", "Rule {0} has no cap {1}: expected one of its caps ({2})", Severity.Error, AuthorTests);

    public static readonly DiagnosticDescriptor TestUnknownPayer = new(
        "PDSL0711", "Unknown payer", "'{0}' never pays under policy {1}: expected one of {2}", Severity.Error, AuthorTests);

    public static readonly DiagnosticDescriptor TestMissingFact = new(
        "PDSL0712", "Fact not given", "Application {0} under rule {1} gives no value for fact(s) {2}: expected every fact, or 'expect rejected' if the gap is the point", Severity.Warning, AuthorTests);

    public static readonly DiagnosticDescriptor TestFileEmpty = new(
        "PDSL0713", "Test file without tests", "The file holds no test: expected {0}, found {1}", Severity.Error, AuthorTests);

    public static readonly DiagnosticDescriptor TestPolicyHasErrors = new(
        "PDSL0714", "The policy of the tests has errors", "Policy {0} ({1}) has {2} error(s): expected a policy that checks clean before its tests can run", Severity.Error, AuthorTests);

    /// <summary>PDSL0800: the JavaScript back end (§28) has no BigInt form for a node of a rule's scaled plan; the rule then runs its decimal body only.</summary>
    public static readonly DiagnosticDescriptor JavaScriptScaledBodyNotPrinted = new(
        "PDSL0800", "JavaScript printed without its scaled-integer body",
        "Rule {0} is printed to JavaScript in decimal only: expected a scaled-integer node the JavaScript printer knows, found {1}", Severity.Warning, Tool);

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
