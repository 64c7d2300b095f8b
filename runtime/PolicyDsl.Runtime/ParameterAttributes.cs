namespace PolicyDsl.Runtime;

/// <summary>On a parameter property: a cap of the rule that a value of the parameter may not exceed. The PolicyDsl
/// analyzer reports a constant above <see cref="Limit"/> given from C# as PDSL0405 (non-constant values are not checked).</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = true, Inherited = false)]
public sealed class ParameterCapAttribute : Attribute
{
    public ParameterCapAttribute(string rule, string parameter, string keyText, string limit, string unitSuffix, string capText)
    {
        Rule = rule;
        Parameter = parameter;
        KeyText = keyText;
        Limit = limit;
        UnitSuffix = unitSuffix;
        CapText = capText;
    }

    /// <summary>The rule's name.</summary>
    public string Rule { get; }

    /// <summary>The parameter's name.</summary>
    public string Parameter { get; }

    /// <summary>The keys of the value as the message writes them (" at level 5"), or "".</summary>
    public string KeyText { get; }

    /// <summary>The cap's limit in the award unit, invariant ("30").</summary>
    public string Limit { get; }

    /// <summary>What follows a number in the award unit (" points", "%" or "").</summary>
    public string UnitSuffix { get; }

    /// <summary>The cap as the message writes it ("30 points per enterprise").</summary>
    public string CapText { get; }
}

/// <summary>On a parameter property: the parameter's declared "at most" bound. The PolicyDsl analyzer reports a
/// constant above it given from C# as PDSL0406 (unless it is already above a cap).</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class ParameterBoundAttribute : Attribute
{
    public ParameterBoundAttribute(string label, string bound, string scale, string unitSuffix, string boundText)
    {
        Label = label;
        Bound = bound;
        Scale = scale;
        UnitSuffix = unitSuffix;
        BoundText = boundText;
    }

    /// <summary>The value's name as the message writes it ("rule.param[5]").</summary>
    public string Label { get; }

    /// <summary>The bound in base units, invariant ("0.3" for 30%).</summary>
    public string Bound { get; }

    /// <summary>The scale of the unit the message shows values in, invariant ("0.01" for %, "1" for a base unit).</summary>
    public string Scale { get; }

    /// <summary>What follows a number in that unit ("%", " points" or "").</summary>
    public string UnitSuffix { get; }

    /// <summary>The bound as the message writes it ("30%").</summary>
    public string BoundText { get; }
}
