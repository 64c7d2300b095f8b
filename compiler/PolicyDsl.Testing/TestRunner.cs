using PolicyDsl.Model;
using PolicyDsl.Text;

namespace PolicyDsl.Testing;

/// <summary>One expectation that did not hold: where it is written, what it expected, what came out, and the trace of that application.</summary>
public sealed record TestFailure(LinePosition Position, string? Application, string Expected, string Actual, EquatableArray<string> Trace, string? Rule);

/// <summary>The result of one test: passed when no expectation failed.</summary>
public sealed record TestResult(string File, BoundTest Test, EquatableArray<TestFailure> Failures, EquatableArray<Outcome> Outcomes)
{
    public bool Passed => Failures.IsEmpty;
}

/// <summary>Runs bound tests against an evaluator and compares every expectation with what came out (exactly: amounts are decimals).</summary>
public static class TestRunner
{
    public static TestResult Run(string file, CheckedPolicy policy, BoundTest test, IPolicyTarget target)
    {
        var applications = test.Applications.Select(a => a.Application).ToList();
        var outcomes = target.Evaluate(policy, applications);
        var byId = outcomes.ToDictionary(o => o.Id, StringComparer.Ordinal);
        var failures = new List<TestFailure>();
        var unit = policy.AwardUnit;
        string F(decimal value) => TestBinder.Format(value, unit);

        foreach (var app in test.Applications)
        {
            var o = byId[app.Application.Id];
            var rejected = o.Reason is null ? "" : $" (rejected: {o.Reason})";
            void Fail(BoundExpectation e, string expected, string actual) =>
                failures.Add(new TestFailure(e.Position, app.Application.Id, expected, actual, o.Trace, app.Application.Rule));

            foreach (var e in app.Expectations)
            {
                switch (e.Kind)
                {
                    case ExpectationKind.Award when o.Award != e.Amount:
                        Fail(e, "award " + F(e.Amount!.Value), "award " + F(o.Award) + (o.Eligible ? "" : " (not eligible)") + rejected);
                        break;
                    case ExpectationKind.Paid when o.Paid != e.Amount:
                        Fail(e, "paid " + F(e.Amount!.Value), "paid " + F(o.Paid) + rejected);
                        break;
                    case ExpectationKind.PaidBy:
                    {
                        var share = o.Payers.FirstOrDefault(p => p.Payer == e.Text);
                        if (share?.Amount != e.Amount)
                            Fail(e, $"paid by \"{e.Text}\" {F(e.Amount!.Value)}", (share is null ? $"\"{e.Text}\" pays nothing" : $"\"{e.Text}\" pays {F(share.Amount)}") + Payers(o, F));
                        break;
                    }
                    case ExpectationKind.Eligible when !o.Eligible:
                        Fail(e, "eligible", "not eligible" + rejected);
                        break;
                    case ExpectationKind.NotEligible when o.Eligible:
                        Fail(e, "not eligible", "eligible, award " + F(o.Award));
                        break;
                    case ExpectationKind.BoundBy when o.BoundBy != e.CapText:
                        Fail(e, "bound by " + e.CapText, o.BoundBy is null ? "not bound by any cap (award " + F(o.Award) + ")" : "bound by " + o.BoundBy);
                        break;
                    case ExpectationKind.NotBound when o.BoundBy is not null:
                        Fail(e, "not bound by any cap", "bound by " + o.BoundBy);
                        break;
                    case ExpectationKind.Rejected when o.Reason is null || (e.Text is { } why && !o.Reason.Contains(why, StringComparison.Ordinal)):
                        Fail(e, "rejected" + (e.Text is null ? "" : $" (\"{e.Text}\")"), o.Reason is null ? "accepted, paid " + F(o.Paid) : "rejected: " + o.Reason);
                        break;
                    case ExpectationKind.CaseByCase when o.Computable:
                        Fail(e, "case by case (not computable)", "computable, award " + F(o.Award));
                        break;
                }
            }
            // Listing some payers' shares lists all of them: a payer left out must pay nothing.
            var listed = app.Expectations.Where(e => e.Kind == ExpectationKind.PaidBy).ToList();
            if (listed.Count > 0)
            {
                foreach (var extra in o.Payers.Where(p => p.Amount != 0m && listed.All(e => e.Text != p.Payer)))
                    Fail(listed[^1], "only the payers listed", $"\"{extra.Payer}\" pays {F(extra.Amount)} too");
            }
        }
        foreach (var e in test.Expectations.Where(e => e.Kind == ExpectationKind.Total))
        {
            var total = outcomes.Sum(o => o.Paid);
            if (total != e.Amount)
            {
                failures.Add(new TestFailure(e.Position, null, "total paid " + F(e.Amount!.Value), "total paid " + F(total) + " (" +
                    string.Join(", ", outcomes.Select(o => o.Id + " " + F(o.Paid))) + ")", EquatableArray<string>.Empty, null));
            }
        }
        return new TestResult(file, test, failures.ToEquatableArray(), outcomes.ToEquatableArray());
    }

    private static string Payers(Outcome o, Func<decimal, string> f) =>
        o.Payers.IsEmpty ? "" : " (" + string.Join(", ", o.Payers.Select(p => $"\"{p.Payer}\" {f(p.Amount)}")) + ")";
}
