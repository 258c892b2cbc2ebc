namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>A Terraform reference <c>${type.name.attribute}</c> found in a synthesized value.</summary>
/// <param name="Type">Resource type (<c>data.x</c> for data sources).</param>
/// <param name="Name">Resource name.</param>
/// <param name="Attribute">Referenced attribute (with any further path).</param>
public sealed record TerraformReference(string Type, string Name, string Attribute);

/// <summary>
/// Reading synthesized Terraform JSON as the service rules need it: blocks that CDKTF writes as an object or a list,
/// numbers that arrive as strings, and references (<c>${type.name.attribute}</c>) resolved against the stack.
/// </summary>
public static partial class TerraformValues
{
    /// <summary>The blocks of a nested block attribute, whether written as one object or a list of objects.</summary>
    public static IEnumerable<JsonObject> Blocks(JsonNode? node) => node switch
    {
        JsonObject o => [o],
        JsonArray a => a.OfType<JsonObject>(),
        _ => [],
    };

    /// <summary>The first block of a nested block attribute, or null.</summary>
    public static JsonObject? Block(JsonNode? node) => Blocks(node).FirstOrDefault();

    /// <summary>A known number (JSON number, or a string holding one); null when absent, unknown or not a number.</summary>
    public static double? Number(JsonNode? node)
    {
        if (node is not JsonValue value) return null;
        return value.GetValueKind() switch
        {
            JsonValueKind.Number => double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture),
            JsonValueKind.String when double.TryParse(value.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => null,
        };
    }

    /// <summary>A string value, or null.</summary>
    public static string? Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>A boolean value (also <c>"true"</c>), or null.</summary>
    public static bool? Bool(JsonNode? node) => node is JsonValue v
        ? v.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String => bool.TryParse(v.GetValue<string>(), out var b) ? b : null,
            _ => null,
        }
        : null;

    /// <summary>The strings of a JSON array (non-strings skipped).</summary>
    public static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray a ? [.. a.Select(Text).OfType<string>()] : node is JsonValue && Text(node) is { } one ? [one] : [];

    /// <summary>Whether a value is only known after apply (contains a Terraform interpolation).</summary>
    public static bool Unknown(string? value) => value is not null && value.Contains("${", StringComparison.Ordinal);

    /// <summary>The value as a plain literal (null when absent or partly unknown).</summary>
    public static string? Literal(JsonNode? node) => Text(node) is { } s && !Unknown(s) ? s : null;

    /// <summary>A number formatted for a finding.</summary>
    public static string Show(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The reference a value consists of entirely (<c>${type.name.attr}</c>), or null.</summary>
    public static TerraformReference? Reference(string? value)
    {
        if (value is null) return null;
        var match = WholeReference().Match(value);
        return match.Success ? Parse(match.Groups[1].Value) : null;
    }

    /// <summary>Every reference inside a value, in order.</summary>
    public static IEnumerable<TerraformReference> References(string? value) =>
        value is null ? [] : AnyReference().Matches(value).Select(m => Parse(m.Groups[1].Value)).OfType<TerraformReference>();

    /// <summary>The resource a reference names in <paramref name="stack"/>, or null.</summary>
    public static StackResource? Target(StackDocument stack, TerraformReference? reference) =>
        reference is null ? null : stack.Resources(reference.Type).FirstOrDefault(r => r.Name == reference.Name);

    /// <summary>
    /// The resource of <paramref name="type"/> that <paramref name="value"/> names: a reference to any of its
    /// attributes, or a literal equal to its <paramref name="nameAttribute"/>.
    /// </summary>
    public static StackResource? Named(StackDocument stack, string type, string nameAttribute, string? value)
    {
        if (value is null) return null;
        if (Reference(value) is { } reference)
            return reference.Type == type ? Target(stack, reference) : null;
        return Unknown(value) ? null : stack.Resources(type).FirstOrDefault(r => r.String(nameAttribute) == value);
    }

    /// <summary>
    /// A value with a whole reference to another resource's configured string attribute replaced by that attribute
    /// (a few hops), e.g. a scaling policy's <c>${aws_appautoscaling_target.t.resource_id}</c>; anything else unchanged.
    /// </summary>
    public static string? Dereference(StackDocument stack, string? value)
    {
        for (var hop = 0; hop < 4 && Reference(value) is { } reference; hop++)
        {
            if (Target(stack, reference)?.String(reference.Attribute) is not { } configured) break;
            value = configured;
        }
        return value;
    }

    /// <summary>The construct path a resource's siblings share (its parent construct).</summary>
    public static string Parent(StackResource resource) =>
        resource.Path.LastIndexOf('/') is var i and > 0 ? resource.Path[..i] : resource.Path;

    /// <summary>Parses a JSON document held in a string attribute (policies, patterns, definitions); null when it is not JSON.</summary>
    public static JsonNode? ParseEmbedded(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

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
}
