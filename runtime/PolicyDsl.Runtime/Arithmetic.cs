using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PolicyDsl.Runtime;

/// <summary>A proportional rate in decimal, as the semantics define it (docs/semantics.md, rates).</summary>
public static class DecimalRate
{
    /// <summary>x × amount / per, multiplied first so that exact inputs stay exact; where x × amount overflows a
    /// decimal, x / per × amount.</summary>
    public static decimal Proportional(decimal x, decimal amount, decimal per)
    {
        try
        {
            return x * amount / per;
        }
        catch (OverflowException)
        {
            return x / per * amount;
        }
    }
}

/// <summary>
/// The edges of the scaled-integer evaluation: a decimal taken as a whole number of 10^-places units (or not, and
/// the evaluation takes its decimal path), and such a number back as a decimal. Allocates nothing.
/// </summary>
public static class FixedPoint
{
    private static readonly ulong[] PowersOfTen = new ulong[]
    {
        1UL, 10UL, 100UL, 1000UL, 10000UL, 100000UL, 1000000UL, 10000000UL, 100000000UL, 1000000000UL, 10000000000UL,
        100000000000UL, 1000000000000UL, 10000000000000UL, 100000000000000UL, 1000000000000000UL, 10000000000000000UL,
        100000000000000000UL, 1000000000000000000UL, 10000000000000000000UL,
    };

    /// <summary>value × 10^places as a whole number from 0 to max; false when it is not one (more places, negative, larger, unset).</summary>
    public static bool TryScale(decimal? value, int places, long max, out long units)
    {
        units = 0;
        return value is { } v && TryScale(v, places, max, out units);
    }

    /// <summary>value × 10^places as a whole number from 0 to max; false when it is not one (more places, negative, larger).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryScale(decimal value, int places, long max, out long units)
    {
        int flags;
        ulong mantissa;
        if (RawLayout)
        {
            // Read in place: flags (sign, scale), the high 32 bits, the low 64 bits of the mantissa.
            ref readonly var raw = ref Unsafe.As<decimal, Raw>(ref Unsafe.AsRef(in value));
            if (raw.High != 0) { units = 0; return false; }
            flags = raw.Flags;
            mantissa = raw.Low;
        }
        else
        {
            var bits = default(Bits);
            decimal.GetBits(value, MemoryMarshal.CreateSpan(ref bits.Low, 4));
            if (bits.High != 0) { units = 0; return false; }
            flags = bits.Flags;
            mantissa = (ulong)(uint)bits.Low | (ulong)(uint)bits.Mid << 32;
        }
        units = 0;
        if (mantissa == 0) return true; // 0, whatever its sign and scale
        if (flags < 0) return false;
        var scale = (flags >> 16) & 0xFF;
        if (scale < places)
        {
            // Fewer places than the unit (15000 yuan at 0.01 yuan): one multiplication, refused if it leaves 64 bits.
            if (Math.BigMul(mantissa, PowersOfTen[places - scale], out mantissa) != 0) return false;
        }
        else if (scale > places && !StripZeros(ref mantissa, scale - places)) return false;
        if (mantissa > (ulong)max) return false;
        units = (long)mantissa;
        return true;
    }

    /// <summary>System.Decimal's fields as .NET lays them out (flags, high 32 bits, low 64 bits); checked once against
    /// decimal.GetBits, so that another layout only makes TryScale take the portable path.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct Raw
    {
        public readonly int Flags;
        public readonly uint High;
        public readonly ulong Low;
    }

    private static readonly bool RawLayout = HasRawLayout();

    private static bool HasRawLayout()
    {
        var probe = new decimal(0x01020304, 0x05060708, 0x090A0B0C, true, 7);
        ref readonly var raw = ref Unsafe.As<decimal, Raw>(ref probe);
        var bits = decimal.GetBits(probe);
        return Unsafe.SizeOf<Raw>() == sizeof(decimal) && raw.Flags == bits[3] &&
               raw.High == (uint)bits[2] && raw.Low == ((ulong)(uint)bits[1] << 32 | (uint)bits[0]);
    }

    /// <summary>Drops that many trailing zeros (12.500 at 2 places is 1250 hundredths); false when a digit is not 0.</summary>
    private static bool StripZeros(ref ulong mantissa, int count)
    {
        for (; count > 0; count--)
        {
            var tenth = mantissa / 10;
            if (tenth * 10 != mantissa) return false;
            mantissa = tenth;
        }
        return true;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Bits
    {
        public int Low, Mid, High, Flags;
    }

    /// <summary>A whole number of 10^-places units as a decimal (exact: the number fits a long, places ≤ 28). Trailing
    /// zeros stay (150.0000000 equals 150; stripping them measured slower than summing such decimals).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static decimal ToDecimal(long units, byte places) =>
        units >= 0
            ? new decimal((int)units, (int)(units >> 32), 0, false, places)
            : new decimal((int)(ulong)(-units), (int)((ulong)(-units) >> 32), 0, true, places);

    /// <summary>The floor of a / b for b greater than 0 (C#'s division truncates toward 0).</summary>
    public static long FloorDivide(long a, long b)
    {
        var q = a / b;
        return a % b < 0 ? q - 1 : q;
    }
}
