using System.CommandLine;
using System.Globalization;
using PolicyDsl.Checking;
using PolicyDsl.Model;

namespace PolicyDsl.Cli;

/// <summary>
/// policyc bounds FILE [--rules RULES]: for every rule its proven maximum in the award unit and its money
/// ceiling, then the worst case for one enterprise in one year. Exit 1 (with the diagnostics) if the policy has errors.
/// </summary>
internal static class BoundsCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The .policy file." };
        var rules = new Option<string?>("--rules") { Description = "Its implementation rules (.rules), whose values then count." };
        var command = new Command("bounds", "Print every rule's proven maximum and money ceiling, and the worst case per enterprise per year.")
        {
            file,
            rules,
        };
        command.SetAction(parseResult => Run(parseResult.GetRequiredValue(file), parseResult.GetValue(rules),
            CommandHelpers.Output(parseResult), CommandHelpers.Error(parseResult)));
        return command;
    }

    internal static int Run(string path, string? rulesPath, TextWriter output, TextWriter error)
    {
        var paths = rulesPath is null ? new[] { path } : new[] { path, rulesPath };
        if (!CommandHelpers.AllFilesExist(paths, error)) return ExitCodes.Usage;
        if (CommandHelpers.TryRead(path, error) is not { } policySource) return ExitCodes.Usage;
        ParsedSource? rulesSource = null;
        if (rulesPath is not null && (rulesSource = CommandHelpers.TryRead(rulesPath, error)) is null) return ExitCodes.Usage;

        var compilation = PolicyCompiler.Compile(policySource, rulesSource);
        if (compilation.HasErrors || compilation.Policy is null)
        {
            CommandHelpers.WriteDiagnostics(compilation.Diagnostics, output);
            error.WriteLine(CommandHelpers.Summary(paths.Length, compilation.Diagnostics.AsImmutableArray()));
            return ExitCodes.Errors;
        }
        Write(compilation.Policy, PolicyBounds.Summarize(compilation.Policy), rulesSource is not null, output);
        return ExitCodes.Success;
    }

    private static void Write(CheckedPolicy policy, PolicyBoundsSummary summary, bool withRules, TextWriter output)
    {
        var unit = policy.AwardUnit;
        output.WriteLine($"{policy.Name} {policy.Title}");
        output.WriteLine(policy.MoneyPerPoint is { } mpp
            ? $"award unit: points; 1 point funds at most {Plan.Amounts.Money(mpp, policy.Money)}" + (withRules || !policy.Rules.Any(r => !r.Parameters.IsEmpty) ? "" : "; parameters unset (no --rules): caps bound them")
            : "award unit: " + policy.Money);
        output.WriteLine();
        var policyMoney = Plan.Amounts.AuthorMoneyUnit(policy);
        // Amounts in the unit the author wrote the rule's money in (a cap of 50 万元 stays 50 万元).
        string Award(string rule, decimal amount) => unit == policy.Money
            ? Plan.Amounts.Money(amount, policy.FindRule(rule) is { } r ? Plan.Amounts.MoneyUnitOf(policy, r) : policyMoney)
            : Quantity.Format(amount, unit);
        var rows = summary.Rules.Select(r => new[]
        {
            r.Clause.ToString(CultureInfo.InvariantCulture),
            r.Rule,
            r.CaseByCase ? "case by case" : r.Maximum is { } m ? Award(r.Rule, m) : "unbounded",
            r.CaseByCase ? "-" : r.MoneyCeiling is { } c ? Plan.Amounts.Money(c, policy.FindRule(r.Rule) is { } rr ? Plan.Amounts.MoneyUnitOf(policy, rr) : policyMoney) : "unbounded",
            r.PerEnterprisePerYear is { } pe ? Award(r.Rule, pe) : r.CaseByCase ? "-" : "none (" + Scopes(r) + ")",
            r.UncappedReason is { } why ? "uncapped: " + why : string.Join("; ", r.Caps),
        }).ToList();
        var header = new[] { "clause", "rule", "maximum", "money ceiling", "per enterprise/year", "caps" };
        var widths = header.Select((h, i) => Math.Max(Width(h), rows.Count == 0 ? 0 : rows.Max(r => Width(r[i])))).ToArray();
        output.WriteLine(Row(header, widths));
        foreach (var row in rows) output.WriteLine(Row(row, widths));
        output.WriteLine();

        // §30.1 and §30.3: which year "per year" counts, and that an open-ended validity has no total over its years.
        var yearWord = policy.YearStart.IsCalendar ? "one year" : "one year (years start " + policy.YearStart + ")";
        if (policy.Validity is { Open: true } open)
            output.WriteLine("validity " + open + ": caps per year and per N years repeat for every year the policy runs; the figures below are per year, not a total over the validity");
        output.WriteLine("worst case for one enterprise in " + yearWord + ":");
        output.WriteLine("  one maximal application under every rule: " + Amount(summary.OneApplicationEach, summary, policyMoney));
        output.WriteLine("  the rules capped per enterprise, at their caps: " + Amount(summary.CappedPerEnterprise, summary, policyMoney));
        if (!summary.NotCappedPerEnterprise.IsEmpty)
            output.WriteLine($"  not capped per enterprise ({summary.NotCappedPerEnterprise.Count} {(summary.NotCappedPerEnterprise.Count == 1 ? "rule" : "rules")}; each further project, certification or application adds up to its maximum): "
                + string.Join(", ", summary.NotCappedPerEnterprise));

        // Whole-amount tiers (全额) jump at their edges: say where, and by how much (docs/semantics.md §24.10).
        var jumps = Reports.TierEdges.Jumps(policy);
        if (jumps.Count == 0) return;
        output.WriteLine();
        output.WriteLine("tier edges where the award jumps (other facts at typical values):");
        foreach (var j in jumps)
        {
            var money = policy.FindRule(j.Rule) is { } jr ? Plan.Amounts.MoneyUnitOf(policy, jr) : policyMoney;
            // The three amounts of a line in one unit, so they compare at a glance: 万元 only when each is a whole number of hundreds.
            if (money == Unit.WanYuan && new[] { j.AwardBelow, j.AwardAbove, j.Change }.Any(a => a != 0m && (Math.Abs(a) < 10_000m || a % 100m != 0m)))
                money = Unit.Yuan;
            string Paid(decimal amount) => unit == policy.Money ? Plan.Amounts.Money(amount, money) : Quantity.Format(amount, unit);
            output.WriteLine($"  {j.Rule}, band {j.Band}({j.Fact}): {Plan.Amounts.Show(j.Below, j.FactUnit)} pays {Paid(j.AwardBelow)}; "
                + $"{Plan.Amounts.Show(j.Above, j.FactUnit)} pays {Paid(j.AwardAbove)} ({(j.Change >= 0 ? "+" : "")}{Paid(j.Change)})");
        }
    }

    // Which caps bound the rule instead: "per project", "per certification", "per application".
    private static string Scopes(RuleBound r) =>
        r.Caps.Count == 0 ? "uncapped" : string.Join(", ", r.Caps.Select(c => c[(c.LastIndexOf(" per ", StringComparison.Ordinal) + 1)..]).Distinct());

    private static string Amount(decimal? amount, PolicyBoundsSummary summary, Unit? policyMoney) => amount is { } a
        ? (summary.AwardUnit != Unit.AwardPoints ? Plan.Amounts.Money(a, policyMoney) : Quantity.Format(a, summary.AwardUnit))
          + (summary.AwardUnit == Unit.AwardPoints && summary.ToMoney(a) is { } m ? $" ({Plan.Amounts.Money(m, policyMoney)})" : "")
        : "unbounded";


    // CJK characters take two columns in a terminal.
    private static int Width(string s) => s.Sum(c => c >= 0x1100 && (c <= 0x115F || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF00 && c <= 0xFF60)) ? 2 : 1);

    private static string Row(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c + new string(' ', widths[i] - Width(c)))).TrimEnd();
}
