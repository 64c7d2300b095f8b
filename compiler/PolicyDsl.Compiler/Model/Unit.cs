using System.Globalization;
using System.Text;

namespace PolicyDsl.Model;

/// <summary>
/// A unit: integer exponents over the seven dimensions (money, points, area, time, person-times,
/// persons, count) and a scale relative to the base unit of that product (yuan, points, m2, months,
/// person-times, persons, count). 万元 is money with scale 10,000; a year is time with scale 12;
/// percent is dimensionless with scale 0.01. Values inside the checked model are always in base
/// units (scale 1); a scaled unit only appears where the author wrote one (a fact's declared unit).
/// <see cref="Others"/> holds the dimensions a policy declares itself (unit 亩, unit 度), by name, sorted, with
/// non-zero exponents, so that 万元/亩 is money^1 · 亩^-1 and never mixes with 万元/m2.
/// </summary>
public sealed record Unit(int Money, int Points, int Area, int Time, int PersonTimes, int Persons, int Count, decimal Scale,
    PolicyDsl.Text.EquatableArray<DimensionPower> Others = default)
{
    /// <summary>A base unit of a dimension a policy declares (unit 亩): that dimension to the power 1.</summary>
    public static Unit Declared(string dimension) => Dimensionless with { Others = PolicyDsl.Text.EquatableArray.Create(new DimensionPower(dimension, 1)) };

    private static PolicyDsl.Text.EquatableArray<DimensionPower> Combine(PolicyDsl.Text.EquatableArray<DimensionPower> a, PolicyDsl.Text.EquatableArray<DimensionPower> b, int sign)
    {
        if (b.IsEmpty) return a;
        var powers = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var p in a) powers[p.Dimension] = p.Exponent;
        foreach (var p in b) powers[p.Dimension] = powers.GetValueOrDefault(p.Dimension) + sign * p.Exponent;
        return new PolicyDsl.Text.EquatableArray<DimensionPower>(powers.Where(kv => kv.Value != 0).Select(kv => new DimensionPower(kv.Key, kv.Value)));
    }

    public static readonly Unit Dimensionless = new(0, 0, 0, 0, 0, 0, 0, 1m);
    public static readonly Unit Percent = Dimensionless with { Scale = 0.01m };
    public static readonly Unit Yuan = Dimensionless with { Money = 1 };
    public static readonly Unit WanYuan = Yuan with { Scale = 10_000m };
    public static readonly Unit YiYuan = Yuan with { Scale = 100_000_000m };
    public static readonly Unit AwardPoints = Dimensionless with { Points = 1 };
    public static readonly Unit SquareMetres = Dimensionless with { Area = 1 };
    public static readonly Unit Months = Dimensionless with { Time = 1 };
    public static readonly Unit Years = Months with { Scale = 12m };
    public static readonly Unit PersonTimesUnit = Dimensionless with { PersonTimes = 1 };
    public static readonly Unit PersonsUnit = Dimensionless with { Persons = 1 };
    public static readonly Unit CountUnit = Dimensionless with { Count = 1 };

    /// <summary>The unit for a canonical unit word as the syntax tree spells it; null if unknown.</summary>
    public static Unit? FromName(string name) => name switch
    {
        "yuan" => Yuan,
        "wan-yuan" => WanYuan,
        "yi-yuan" => YiYuan,
        "points" => AwardPoints,
        "m2" => SquareMetres,
        "months" => Months,
        "years" => Years,
        "person-times" => PersonTimesUnit,
        "persons" => PersonsUnit,
        "count" => CountUnit,
        "percent" or "%" => Percent,
        _ => null,
    };

    /// <summary>The same dimensions at scale 1: the unit values of the model are held in.</summary>
    public Unit Base => Scale == 1m ? this : this with { Scale = 1m };

    public bool IsDimensionless => Money == 0 && Points == 0 && Area == 0 && Time == 0 && PersonTimes == 0 && Persons == 0 && Count == 0 && Others.IsEmpty;

    public bool SameDimension(Unit other) => Base == other.Base;

    public static Unit operator *(Unit a, Unit b) => new(
        a.Money + b.Money, a.Points + b.Points, a.Area + b.Area, a.Time + b.Time,
        a.PersonTimes + b.PersonTimes, a.Persons + b.Persons, a.Count + b.Count, a.Scale * b.Scale, Combine(a.Others, b.Others, 1));

    public static Unit operator /(Unit a, Unit b) => new(
        a.Money - b.Money, a.Points - b.Points, a.Area - b.Area, a.Time - b.Time,
        a.PersonTimes - b.PersonTimes, a.Persons - b.Persons, a.Count - b.Count, a.Scale / b.Scale, Combine(a.Others, b.Others, -1));

    /// <summary>Readable: yuan, points, points/(m2·months), 万元 (wan-yuan), percent, 1 for no unit.</summary>
    public override string ToString()
    {
        var named = (this == Percent) ? "%" : (this == WanYuan) ? "wan-yuan" : (this == YiYuan) ? "yi-yuan" : (this == Years) ? "years" : null;
        if (named is not null) return named;

        var dims = new (int Exp, string Name)[]
        {
            (Money, "yuan"), (Points, "points"), (Area, "m2"), (Time, "months"),
            (PersonTimes, "person-times"), (Persons, "persons"), (Count, "count"),
        }.Concat(Others.Select(o => (o.Exponent, o.Dimension)));
        var num = new StringBuilder();
        var den = new List<string>();
        foreach (var (exp, name) in dims)
        {
            if (exp > 0)
            {
                if (num.Length > 0) num.Append('·');
                num.Append(exp == 1 ? name : name + "^" + exp.ToString(CultureInfo.InvariantCulture));
            }
            else if (exp < 0)
            {
                den.Add(exp == -1 ? name : name + "^" + (-exp).ToString(CultureInfo.InvariantCulture));
            }
        }
        var text = num.Length > 0 ? num.ToString() : (den.Count > 0 ? "1" : "no unit");
        if (den.Count == 1) text += "/" + den[0];
        else if (den.Count > 1) text += "/(" + string.Join("·", den) + ")";
        if (Scale != 1m) text = Scale.ToString(CultureInfo.InvariantCulture) + " " + text;
        return text;
    }
}

/// <summary>A declared dimension (亩, 度, MW) and its exponent in a unit.</summary>
public sealed record DimensionPower(string Dimension, int Exponent);

/// <summary>A number with a unit. <see cref="ToBase"/> moves it to the unit's base (10 万元 → 100000 yuan).</summary>
public sealed record Quantity(decimal Value, Unit Unit)
{
    public Quantity ToBase() => Unit.Scale == 1m ? this : new Quantity(Value * Unit.Scale, Unit.Base);

    public override string ToString() => Format(Value, Unit);

    /// <summary>A value held in base units, shown in the unit the author declared: 100000000 yuan as "10000 wan-yuan", 0.4 as "40%".</summary>
    public static string FormatIn(decimal baseValue, Unit declared) =>
        Format(declared.Scale == 1m ? baseValue : baseValue / declared.Scale, declared);

    public static string Format(decimal value, Unit unit)
    {
        var number = PolicyDsl.Runtime.Award.FormatNumber(value);
        if (unit.Scale != 1m && unit != Unit.Percent && unit != Unit.WanYuan && unit != Unit.YiYuan && unit != Unit.Years)
            return Format(value * unit.Scale, unit.Base); // a product of scaled units has no name of its own
        if (unit == Unit.Percent) return number + "%";
        if (unit.IsDimensionless && unit.Scale == 1m) return number;
        return number + " " + unit;
    }
}
