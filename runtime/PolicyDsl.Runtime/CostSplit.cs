namespace PolicyDsl.Runtime;

/// <summary>§13 cost sharing, the one place it is decided: an amount paid for an application at a location is split by
/// the first cost share at that location that does not except the rule's clause; otherwise the default payer pays all.
/// The lists given are not to be changed: the default payer's list of nothing paid is one per policy.</summary>
public static class CostSplit
{
    /// <summary>Who pays what of <paramref name="amount"/> (in the award unit).</summary>
    public static IReadOnlyList<PayerShare> Split(PolicyTerms policy, decimal amount, string? location, int? clause)
    {
        if (policy is null) throw new ArgumentNullException(nameof(policy));
        if (location is not null && clause is { } c)
        {
            foreach (var share in policy.CostSharing)
            {
                if (!string.Equals(share.Location, location, StringComparison.Ordinal) || share.Excepts(c)) continue;
                var parts = new PayerShare[share.Shares.Count];
                for (var i = 0; i < parts.Length; i++) parts[i] = new PayerShare(share.Shares[i].Payer, Amounts.Normalize(amount * share.Shares[i].Amount));
                return parts;
            }
        }
        var paid = Amounts.Normalize(amount);
        // Nothing paid (a quarter of Tongzhou's applications): one list per policy (0 normalized is 0, scale 0).
        if (paid == 0m && paid.Scale == 0 && !decimal.IsNegative(paid)) return policy.DefaultPaysNothing;
        return new[] { new PayerShare(policy.DefaultPayer ?? "payer", paid) };
    }
}

/// <summary>Amounts as results hold them.</summary>
internal static class Amounts
{
    /// <summary>The same number without trailing zeros (150.00 → 150), so that results print and compare alike.</summary>
    public static decimal Normalize(decimal value) => Award.Normalize(value);
}
