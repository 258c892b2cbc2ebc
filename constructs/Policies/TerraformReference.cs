namespace MlopsTf.Constructs.Policies;

/// <summary>A Terraform reference <c>${type.name.attribute}</c> found in a synthesized value.</summary>
/// <param name="Type">Resource type (<c>data.x</c> for data sources).</param>
/// <param name="Name">Resource name.</param>
/// <param name="Attribute">Referenced attribute (with any further path).</param>
public sealed partial record TerraformReference(string Type, string Name, string Attribute)
{
    /// <summary>The reference a value consists of entirely (<c>${type.name.attr}</c>), or null.</summary>
    public static TerraformReference? Whole(string? value) =>
        value is not null && WholeReference().Match(value) is { Success: true } match ? Parse(match.Groups[1].Value) : null;

    /// <summary>Every reference inside a value, in order.</summary>
    public static IEnumerable<TerraformReference> All(string? value) =>
        value is null ? [] : AnyReference().Matches(value).Select(m => Parse(m.Groups[1].Value)).OfType<TerraformReference>();

    /// <summary>
    /// Replaces every interpolation inside <paramref name="value"/> with what <paramref name="resolve"/> makes of its
    /// reference (null for an expression that is no reference); a null answer keeps the interpolation.
    /// </summary>
    public static string Replace(string value, Func<TerraformReference?, string?> resolve) =>
        AnyInterpolation().Replace(value, m => resolve(Parse(m.Groups[1].Value)) ?? m.Value);

    /// <summary>Whether a value is only known after apply (contains a Terraform interpolation).</summary>
    public static bool Unknown(string? value) => value is not null && value.Contains("${", StringComparison.Ordinal);

    private static TerraformReference? Parse(string expression)
    {
        var parts = expression.Split('.');
        if (parts.Length >= 4 && parts[0] == "data") return new TerraformReference($"data.{parts[1]}", parts[2], string.Join('.', parts[3..]));
        return parts.Length >= 3 ? new TerraformReference(parts[0], parts[1], string.Join('.', parts[2..])) : null;
    }

    [GeneratedRegex(@"^\$\{([A-Za-z0-9_.\-]+)\}$")]
    private static partial Regex WholeReference();

    [GeneratedRegex(@"\$\{([A-Za-z0-9_.\-]+)\}")]
    private static partial Regex AnyReference();

    [GeneratedRegex(@"\$\{([^}]*)\}")]
    private static partial Regex AnyInterpolation();
}
