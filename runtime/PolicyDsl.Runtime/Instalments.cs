namespace PolicyDsl.Runtime;

/// <summary>§27.7: the instalment of an award due at an application's date, written once here (the interpreter, generated
/// code and the JavaScript runtime's port call it). The share is the sum of the parts whose milestone is reached (1 when the
/// at-once condition holds) less the share already paid; it is held to 0…1, so nothing is reclaimed and no more than the
/// whole award is paid.</summary>
public static class Instalments
{
    /// <summary>The share due, held to 0…1.</summary>
    public static decimal Share(decimal share) => share < 0m ? 0m : share > 1m ? 1m : share;

    /// <summary>The part of <paramref name="amount"/> (the award after its caps and rounding) due now.</summary>
    public static decimal Due(decimal amount, decimal share) => amount * Share(share);
}
